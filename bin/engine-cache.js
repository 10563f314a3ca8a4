// The V8 code cache of dist/main.cjs, kept in the user cache directory by the rule of generator/util/cache-dir.ts
// (FLEXMESH_CACHE_DIR, empty for none; otherwise $XDG_CACHE_HOME or ~/.cache, then flexmesh).
// V8 puts into a cache the functions compiled so far, so what a cache holds depends on the run that wrote it. Each
// build has two: `full`, written after a run that generated a bundle (it holds the compiled pipeline), and `lite`,
// written after any other run while there is none; a run reads `full` when there is one. The key is the build's
// fingerprint and the Node version, so another build's cache is never read; cached data V8 refuses is deleted and
// only means this run compiles afresh.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

function cacheDir() {
  const override = process.env.FLEXMESH_CACHE_DIR;
  if (override !== undefined) return override === '' ? undefined : override;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flexmesh');
}

const KINDS = ['full', 'lite'];

/** undefined when caching is off; otherwise read() the best cache and, at exit, update() it from the compiled script. */
function engineCache(fingerprint) {
  const base = cacheDir();
  if (base === undefined) return undefined;
  const dir = join(base, 'code-cache');
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${fingerprint}`).digest('hex').slice(0, 32);
  const fileOf = (kind) => join(dir, `engine-${key}-${kind}.bin`);
  return {
    read() {
      for (const kind of KINDS) {
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
        if (!stale && !(fullRun && used.kind !== 'full')) return;
        const kind = fullRun ? 'full' : 'lite';
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

module.exports = { engineCache };
