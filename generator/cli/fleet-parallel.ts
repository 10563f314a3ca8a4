// generate over many environments with worker threads beside the main thread: environments are independent until the
// rules across them, so each thread generates the environments handed to it (schema checks and all) and keeps their
// bundles (fleet-share.ts); the main thread checks the rules across environments and builds the fleet bundle from
// what the workers send back, and only then lets every thread write. A problem anywhere still means nothing is written.
// Starting a worker costs a few hundred milliseconds (it loads the generator afresh), so small selections stay in
// the main thread alone.
import type { Diagnostic } from '../diagnostics.ts';
import type { Topology } from '../model/topology.ts';
import type { EncodedFiles } from '../write/staging.ts';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '../assets.ts';
import { buildFingerprint } from '../util/build-fingerprint.ts';
import { codeCachesDue } from '../util/run-profile.ts';
import { tieringTag, tuneTiering } from '../util/v8-tiering.ts';
import type { BundleReport, CompareKind } from './bundle-report.ts';
import type { KeptBundles, WriteEvent } from './fleet-share.ts';
import { MAIN_SHARES_UP_TO } from './fleet-threads.ts';
import { FLEET_WORKER, receivedSummary, type FromWorker, type GeneratedSummary, type OutputRoot, type ToWorker, type WorkerSetup } from './fleet-protocol.ts';

/** Replaced by `true` in the esbuild bundle (scripts/build.ts); undefined when the sources run. */
declare const FLEXMESH_BUNDLED: boolean | undefined;
const BUNDLED = typeof FLEXMESH_BUNDLED !== 'undefined' && FLEXMESH_BUNDLED;

/**
 * tsx's API as an ES module, from its package's exports (require.resolve would pick the CommonJS twin, which cannot
 * register the hooks in a worker; import.meta.resolve is not there when tsx runs this file as CommonJS).
 */
function tsxApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(exports['./esm/api']!.import.default, pathToFileURL(manifest)).href;
}

/**
 * Each worker keeps the bundles it generated until they may be written, a few hundred kilobytes per environment. A
 * smaller young generation than V8's default for a large machine keeps the fleet's peak memory down (by ~15 MB a
 * worker, measured on 1,000 environments) without measurably more time in collection.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 48 };

/** Environments handed to a worker ahead: while this thread generates one (a few ms), a worker always has the next. */
const IN_FLIGHT = 3;

/**
 * The built CLI starts a worker through bin/engine-cache.js, which compiles dist/main.cjs with the workers' own code
 * cache: without one, each worker compiled the engine and the validators afresh (~0.2 s of CPU each). The first
 * worker to have generated this many environments writes the caches. Not the first worker: one worker can be starved
 * for most of a small fleet (seen: 4 of 41 environments). threadCount gives each thread 8 environments on average, so
 * one of them gets there.
 */
const CODE_CACHE_AFTER = 8;
/**
 * From this many environments the main thread starts on its share at once, while the workers start (~0.25 s): in
 * that time it generates a few dozen, which leaves each worker far more than CODE_CACHE_AFTER.
 */
const SHARE_AT_ONCE = 128;
const ENGINE_LOADER = `${PROJECT_ROOT}bin/engine-cache.js`;
const WORKER_START = `require(${JSON.stringify(ENGINE_LOADER)}).runEngineInWorker(require('node:worker_threads').workerData.engine);`;

function bundledWorker(setup: WorkerSetup): Worker {
  const engine = fileURLToPath(import.meta.url);
  const fingerprint = buildFingerprint();
  if (fingerprint === undefined || !existsSync(ENGINE_LOADER)) return new Worker(engine, { workerData: setup, resourceLimits: WORKER_LIMITS });
  const workerData: WorkerSetup = { ...setup, engine: { file: engine, fingerprint, cacheKind: `worker-${tieringTag() || 'default'}` } };
  return new Worker(WORKER_START, { eval: true, workerData, resourceLimits: WORKER_LIMITS });
}

function startWorker(setup: WorkerSetup): Worker {
  // The bundle has one file, which recognises a worker's setup and runs fleet-worker.ts (main.ts).
  if (BUNDLED) return bundledWorker(setup);
  // The sources run under tsx, whose module hooks a worker thread does not inherit: it registers them first.
  const tsx = tsxApi();
  const entry = new URL('./fleet-worker.ts', import.meta.url).href;
  const code = `const tsx = await import(${JSON.stringify(tsx)}); (tsx.register ?? tsx.default.register)(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: setup, resourceLimits: WORKER_LIMITS });
}

/** One generated environment as the main thread sees it, or the problems that stopped it. */
export type Outcome =
  /** `whole`: the environment's whole topology, when it was generated in this thread; `report`: a check's or diff's. */
  | { summary: GeneratedSummary; whole?: Topology; report?: BundleReport; diagnostics?: undefined }
  | { summary?: undefined; diagnostics: Diagnostic[] };

export interface Refusal { index: number; problems: string[]; outcome: string }

export class FleetWorkers {
  private readonly workers: Worker[];
  private readonly stop = new SharedArrayBuffer(4);
  private handle: (worker: Worker, message: FromWorker) => void = () => {};
  private reject: ((error: Error) => void) | undefined;
  private failed: Error | undefined;
  private closing = false;
  /** Workers that kept a bundle (its directory existed), to write it once every rule held; the others end early. */
  private readonly keeping = new Set<Worker>();
  private readonly ended = new Set<Worker>();
  private readonly ending: Array<Promise<number>> = [];

  /** `compare`: the workers compare what they generate with `outRoot` and send back reports (compare-parallel.ts). */
  constructor(count: number, root: string, cwd: string, outRoot: OutputRoot, { compare }: { compare?: CompareKind } = {}) {
    codeCachesDue();
    const setup: WorkerSetup = { kind: FLEET_WORKER, root, cwd, stop: this.stop, outRoot, v8Flags: tuneTiering(), codeCacheAfter: CODE_CACHE_AFTER, cacheClaim: new SharedArrayBuffer(4), ...(compare ? { compare } : {}) };
    this.workers = Array.from({ length: count }, () => {
      const worker = startWorker(setup);
      worker.on('message', (message: FromWorker) => {
        if (message.type !== 'failed') return this.handle(worker, message);
        const error = new Error(message.message);
        if (message.stack) error.stack = message.stack;
        this.fail(error);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closing && !this.ended.has(worker)) this.fail(new Error(`a generate worker stopped unexpectedly (exit code ${code})`));
      });
      return worker;
    });
  }

  /**
   * Every file generated, in the order given; environments are handed out as workers become free, and `local`
   * generates one in this thread whenever it has nothing else to do (beside fewer than MAIN_SHARES_UP_TO workers).
   * `fresh` is given each new bundle a worker sends back, as it arrives.
   */
  generate(files: readonly string[], fresh: (index: number, bundle: { name: string; files: EncodedFiles }) => void, local?: (index: number, file: string) => Outcome): Promise<Outcome[]> {
    return this.phase<Outcome[]>((resolve) => {
      const outcomes: Outcome[] = new Array<Outcome>(files.length);
      let next = 0;
      let left = files.length;
      const settled = (index: number, outcome: Outcome) => {
        outcomes[index] = outcome;
        if (--left === 0) {
          this.release();
          resolve(outcomes);
        }
      };
      const give = (worker: Worker) => {
        if (next >= files.length) return;
        worker.postMessage({ type: 'generate', index: next, file: files[next]! } satisfies ToWorker);
        next++;
      };
      // One environment at a time, after the messages that came in meanwhile (setImmediate runs after the poll
      // phase), so a worker that finished one gets its next before this thread starts another. In a small fleet,
      // not before a worker has sent its first: this thread would otherwise take nearly all of it while the workers
      // start, and a worker that generates fewer than CODE_CACHE_AFTER environments writes no code cache.
      const share = this.workers.length < MAIN_SHARES_UP_TO ? local : undefined;
      let waiting = share !== undefined && files.length < SHARE_AT_ONCE;
      const takeOne = () => {
        if (!share || this.failed || next >= files.length) return;
        const index = next++;
        let outcome: Outcome;
        try {
          outcome = share(index, files[index]!);
        } catch (error) {
          return this.fail(error as Error);
        }
        settled(index, outcome);
        setImmediate(takeOne);
      };
      this.handle = (worker, message) => {
        if (message.type !== 'generated' && message.type !== 'invalid') return;
        if (waiting) {
          waiting = false;
          setImmediate(takeOne);
        }
        if (message.type === 'generated' && !message.fresh && !message.report) this.keeping.add(worker);
        // The next environment first: the worker generates it while this thread stages what came back.
        give(worker);
        if (message.type === 'generated' && message.fresh) {
          try {
            fresh(message.index, message.fresh);
          } catch (error) {
            return this.fail(error as Error);
          }
        }
        settled(message.index, message.type === 'generated' ? { summary: receivedSummary(message.summary), ...(message.report ? { report: message.report } : {}) } : { diagnostics: message.diagnostics });
      };
      if (files.length === 0) return resolve(outcomes);
      // Some environments in flight per worker, so a worker never waits while this thread generates one of its own.
      for (let round = 0; round < IN_FLIGHT; round++) for (const worker of this.workers) give(worker);
      if (share && !waiting) setImmediate(takeOne);
    });
  }

  /**
   * Each worker writes the bundles it kept, and this thread those in `local`; `written` hears of each. The first
   * refusal (by index) stops the rest.
   */
  write(outRoot: OutputRoot, written: (index: number, dir: string, line: string) => void, local?: KeptBundles): Promise<Refusal | undefined> {
    return this.phase<Refusal | undefined>((resolve) => {
      let refusal: Refusal | undefined;
      const heard = (event: WriteEvent) => {
        if (event.type === 'written') return written(event.index, event.dir, event.line);
        Atomics.store(new Int32Array(this.stop), 0, 1);
        if (!refusal || event.index < refusal.index) refusal = { index: event.index, problems: event.problems, outcome: event.outcome };
      };
      const writers = this.workers.filter((worker) => this.keeping.has(worker));
      let left = writers.length;
      this.handle = (_, message) => {
        if (message.type === 'written' || message.type === 'refused') heard(message);
        else if (message.type === 'wrote' && --left === 0) resolve(refusal);
      };
      for (const worker of writers) worker.postMessage({ type: 'write', outRoot } satisfies ToWorker);
      try {
        local?.write(outRoot, new Int32Array(this.stop), heard);
      } catch (error) {
        return this.fail(error as Error);
      }
      if (left === 0) resolve(refusal);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.ending, ...this.workers.filter((worker) => !this.ended.has(worker)).map((worker) => worker.terminate())]);
  }

  /**
   * Once every environment is generated, a worker that kept no bundle has nothing left to do: it is stopped then, so
   * its ~80 ms of tearing down its heap overlaps the rules, renames and fleet bundle of the main thread.
   */
  private release(): void {
    for (const worker of this.workers) {
      if (this.keeping.has(worker)) continue;
      this.ended.add(worker);
      this.ending.push(worker.terminate());
    }
  }

  private phase<T>(body: (resolve: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.reject = reject;
      body(resolve);
    });
  }

  private fail(error: Error): void {
    this.failed ??= error;
    this.reject?.(this.failed);
  }
}
