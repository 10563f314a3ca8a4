// Loads a CommonJS file through a V8 code cache. Node 20 has no module.enableCompileCache, and the precompiled
// validators are megabytes of JavaScript that every run compiles afresh; with the cache a run skips that compile.
// The cache is written when the process exits (so it holds the functions the run actually compiled), into the user
// cache directory, keyed by the exact source and Node version; cached data V8 refuses just means the file compiles.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { cacheDir } from '../util/cache-dir.ts';

const pending: Array<{ script: Script; file: string }> = [];
let flushOnExit = false;

/**
 * V8 checks little more than the source's length before using cached data, so the key is the exact source: its
 * text, or a `sourceVersion` that changes whenever the text does (the build's fingerprint spares hashing megabytes).
 */
function cacheFileOf(dir: string, file: string, source: string, sourceVersion: string | undefined): string {
  const hash = createHash('sha256').update(`${process.version}\0${process.arch}\0${file}\0`);
  const key = (sourceVersion === undefined ? hash.update(source) : hash.update(`build ${sourceVersion}`)).digest('hex');
  return join(dir, 'code-cache', `${key.slice(0, 32)}.bin`);
}

function readCache(file: string | undefined): Buffer | undefined {
  try {
    return file === undefined ? undefined : readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the code caches of the files compiled without one (otherwise done when the process exits). */
export function writeCodeCache(): void {
  for (const { script, file } of pending.splice(0)) {
    try {
      mkdirSync(join(file, '..'), { recursive: true });
      // Renamed into place: the schema worker can be ended while it writes, and a run reads a whole cache or none.
      const partial = `${file}.${process.pid}.${threadId}.partial`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, file);
    } catch {
      // Only an optimisation: the next run compiles again.
    }
  }
}

/** `module.exports` of a CommonJS file, compiled through the code cache when one is configured. */
export function requireCompiled(file: string, sourceVersion?: string): unknown {
  const dir = cacheDir();
  const source = readFileSync(file, 'utf8');
  const cacheFile = dir === undefined ? undefined : cacheFileOf(dir, file, source, sourceVersion);
  const cachedData = readCache(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string) => void)(module.exports, createRequire(file), module, file);
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    pending.push({ script, file: cacheFile });
    if (!flushOnExit) process.once('exit', writeCodeCache);
    flushOnExit = true;
  }
  return module.exports;
}
