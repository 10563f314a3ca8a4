// One worker thread of a parallel `generate` (fleet-parallel.ts starts them). It generates the environments the main
// thread hands it, one at a time, and sends back what the rules across environments and the fleet bundle need. A new
// bundle (its directory does not exist) goes back with it, for the main thread to stage (write/staging.ts); any other
// bundle stays in the worker's memory, and the worker writes it when, and only when, the main thread says every
// environment and every rule held, so one bad file still stops all writes. A check's or diff's worker (setup.compare)
// keeps nothing: it compares each bundle with the one on disk and sends back the report (bundle-report.ts).
// Started from the bundle (dist/main.cjs runs this module when it finds itself in such a worker, see main.ts) or from
// the sources (under tsx, as the tests run).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { codeCachesDue } from '../util/run-profile.ts';
import { adoptTiering } from '../util/v8-tiering.ts';
import { encodeFiles } from '../write/staging.ts';
import { reportOf } from './bundle-report.ts';
import { generateOne, KeptBundles } from './fleet-share.ts';
import { isWorkerSetup, sentSummary, type FromWorker, type OutputRoot, type ToWorker, type WorkerSetup } from './fleet-protocol.ts';
import { bundleIn, projectAt } from './output-root.ts';

function serve(setup: WorkerSetup, port: NonNullable<typeof parentPort>): void {
  adoptTiering(setup.v8Flags);
  const project = projectAt(setup.root, setup.cwd);
  let generated = 0;
  const cacheClaim = new Int32Array(setup.cacheClaim);
  const stop = new Int32Array(setup.stop);
  const kept = new KeptBundles();
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

  const generate = (index: number, file: string) => {
    const one = generateOne(project, setup.outRoot, file);
    if (one.diagnostics) return post({ type: 'invalid', index, diagnostics: one.diagnostics });
    if (++generated === setup.codeCacheAfter && Atomics.compareExchange(cacheClaim, 0, 0, 1) === 0) codeCachesDue();
    const summary = sentSummary(one.summary);
    if (setup.compare) return post({ type: 'generated', index, summary, report: reportOf(setup.compare, bundleIn(setup.outRoot, one.name), one.files, one.whole.gitops.path) });
    // A new bundle goes to the main thread at once, to be staged while the fleet is still being generated.
    if (one.fresh) {
      const files = encodeFiles(one.files);
      return post({ type: 'generated', index, summary, fresh: { name: one.name, files } }, [files.bytes.buffer as ArrayBuffer]);
    }
    kept.keep(index, one.name, one.files);
    post({ type: 'generated', index, summary });
  };

  const write = (outRoot: OutputRoot) => {
    kept.write(outRoot, stop, post);
    post({ type: 'wrote' });
  };

  port.on('message', (message: ToWorker) => {
    try {
      if (message.type === 'generate') generate(message.index, message.file);
      else write(message.outRoot);
    } catch (error) {
      post({ type: 'failed', message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack });
    }
  });
}

if (!isMainThread && parentPort && isWorkerSetup(workerData)) serve(workerData, parentPort);
