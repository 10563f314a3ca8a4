// One worker thread of a parallel `generate` (fleet-parallel.ts starts them). It generates the environments the main
// thread hands it, one at a time, and sends back what the rules across environments and the fleet bundle need. A new
// bundle (its directory does not exist) goes back with it, for the main thread to stage (write/staging.ts); any other
// bundle stays in the worker's memory, and the worker writes it when, and only when, the main thread says every
// environment and every rule held, so one bad file still stops all writes.
// Started from the bundle (dist/main.cjs runs this module when it finds itself in such a worker, see main.ts) or from
// the sources (under tsx, as the tests run).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../diagnostics.ts';
import { readChain } from '../env/read-chain.ts';
import { generateFromSources } from '../pipeline.ts';
import { codeCachesDue } from '../util/run-profile.ts';
import { adoptTiering } from '../util/v8-tiering.ts';
import { manifestDigest, type OutputFile } from '../render/bundle.ts';
import { encodeFiles, isAbsent } from '../write/staging.ts';
import { WriteRefused, writeBundle } from '../write/write-bundle.ts';
import { isWorkerSetup, sentSummary, type FromWorker, type OutputRoot, type ToWorker, type WorkerSetup } from './fleet-protocol.ts';
import { bundleIn, projectAt, summaryLine } from './output-root.ts';

function serve(setup: WorkerSetup, port: NonNullable<typeof parentPort>): void {
  adoptTiering(setup.v8Flags);
  const project = projectAt(setup.root, setup.cwd);
  let generated = 0;
  const cacheClaim = new Int32Array(setup.cacheClaim);
  const stop = new Int32Array(setup.stop);
  const kept = new Map<number, { name: string; files: OutputFile[] }>();
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

  const generate = (index: number, file: string) => {
    try {
      const sources = readChain(project.root, file, project.shown);
      const result = generateFromSources(sources);
      if (++generated === setup.codeCacheAfter && Atomics.compareExchange(cacheClaim, 0, 0, 1) === 0) codeCachesDue();
      const summary = sentSummary({ file: project.shown(file), text: sources[0]!.text, topology: result.topology, manifest: manifestDigest(result.files) });
      const name = result.env.name;
      // A new bundle goes to the main thread at once, to be staged while the fleet is still being generated.
      if (isAbsent(bundleIn(setup.outRoot, name).path)) {
        const files = encodeFiles(result.files);
        return post({ type: 'generated', index, summary, fresh: { name, files } }, [files.bytes.buffer as ArrayBuffer]);
      }
      kept.set(index, { name, files: result.files });
      post({ type: 'generated', index, summary });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      post({ type: 'invalid', index, diagnostics: error.diagnostics });
    }
  };

  const write = (outRoot: OutputRoot) => {
    for (const index of [...kept.keys()].sort((a, b) => a - b)) {
      // Another worker's bundle was refused: as the sequential writer would, write nothing after it.
      if (Atomics.load(stop, 0) !== 0) break;
      const { name, files } = kept.get(index)!;
      const dir = bundleIn(outRoot, name);
      try {
        const summary = writeBundle(dir.path, files, { root: outRoot.path, label: dir.shown });
        post({ type: 'written', index, dir: dir.path, line: summaryLine(dir.shown, summary) });
      } catch (error) {
        if (!(error instanceof WriteRefused)) throw error;
        Atomics.store(stop, 0, 1);
        post({ type: 'refused', index, problems: [...error.problems], outcome: error.outcome });
        break;
      }
      // Written bundles are not needed any more; a fleet's worth of them is most of the memory a run takes.
      kept.delete(index);
    }
    kept.clear();
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
