// The V8 code cache of dist/main.cjs, kept in the user cache directory by the rule of generator/util/cache-dir.ts
// (FLEXMESH_CACHE_DIR, empty for none; otherwise $XDG_CACHE_HOME or ~/.cache, then flexmesh).
// V8 puts into a cache the functions compiled so far, so what a cache holds depends on the run that wrote it. Each
// build has two for the main thread: `full`, written after a run that generated a bundle (it holds the compiled
// pipeline), and `lite`, written after any other run while there is none; a run reads `full` when there is one. The
// worker threads of a fleet run under other V8 flags (generator/util/v8-tiering.ts), which make V8 refuse the main
// thread's caches, so they have their own, `worker-<flags>`. The key is the build's fingerprint and the Node version,
// so another build's cache is never read; cached data V8 refuses is deleted and only means this run compiles afresh.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

function cacheDir() {
  const override = process.env.FLEXMESH_CACHE_DIR;
  if (override !== undefined) return override === '' ? undefined : override;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flexmesh');
}

const KINDS = ['full', 'lite'];

/**
 * undefined when caching is off; otherwise read() the best cache of `kinds` and, once the run compiled what it needs,
 * update() it from the compiled script (into the first kind after a full run, else the last).
 */
function engineCache(fingerprint, kinds = KINDS) {
  const base = cacheDir();
  if (base === undefined) return undefined;
  const dir = join(base, 'code-cache');
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${fingerprint}`).digest('hex').slice(0, 32);
  const fileOf = (kind) => join(dir, `engine-${key}-${kind}.bin`);
  return {
    read() {
      for (const kind of kinds) {
        try {
          return { kind, data: readFileSync(fileOf(kind)) };
        } catch {
          // None of this kind yet.
        }
      }
      return undefined;
    },
    update(script, used, fullRun) {
      try {
        if (used && script.cachedDataRejected === true) rmSync(fileOf(used.kind), { force: true });
        const stale = used === undefined || script.cachedDataRejected === true;
        if (!stale && !(fullRun && used.kind !== kinds[0])) return;
        const kind = fullRun ? kinds[0] : kinds.at(-1);
        mkdirSync(dir, { recursive: true });
        // Renamed into place, so a run started meanwhile reads a whole cache or none.
        const partial = `${fileOf(kind)}.${process.pid}.partial`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, fileOf(kind));
        for (const name of readdirSync(dir)) {
          if (name.startsWith('engine-') && !name.startsWith(`engine-${key}-`)) rmSync(join(dir, name), { force: true });
        }
      } catch {
        // Only an optimisation: the next run compiles again.
      }
    },
  };
}

/** dist/main.cjs compiled as CommonJS would be, through `cachedData` when given, and run: its script and exports. */
function loadEngine(engine, cachedData) {
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(engine, 'utf8')}\n})`, { filename: engine, ...(cachedData ? { cachedData } : {}) });
  const engineModule = { exports: {} };
  script.runInThisContext()(engineModule.exports, createRequire(engine), engineModule, engine, dirname(engine));
  return { script, exports: engineModule.exports };
}

/**
 * A fleet worker's start (generator/cli/fleet-parallel.ts): the engine through the worker cache `cacheKind`. The
 * engine says when the worker has compiled the pipeline (whenCodeCachesDue), and a stale cache is written then: a worker
 * is stopped, not exited, so it would never see an exit event.
 */
function runEngineInWorker({ file, fingerprint, cacheKind }) {
  const cache = engineCache(fingerprint, [cacheKind]);
  const used = cache?.read();
  const { script, exports } = loadEngine(file, used?.data);
  if (cache) exports.whenCodeCachesDue(() => cache.update(script, used, true));
}

module.exports = { engineCache, loadEngine, runEngineInWorker };
