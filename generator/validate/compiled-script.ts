// Loads a CommonJS file through a V8 code cache. Node 20 has no module.enableCompileCache, and the precompiled
// validators are megabytes of JavaScript that every run compiles afresh; with the cache a run skips that compile.
// The cache is written when the process exits, or when a fleet worker has compiled the pipeline (so it holds the
// functions the run actually compiled), into the user cache directory, keyed by the exact source, the Node version
// and the V8 flags in force (util/v8-tiering.ts: V8 refuses a cache made under other flags); cached data V8 refuses
// just means the file compiles.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { cacheDir } from '../util/cache-dir.ts';
import { whenCodeCachesDue } from '../util/run-profile.ts';
import { tieringTag } from '../util/v8-tiering.ts';

/** Scripts compiled without a cache, with the flags they were compiled under. */
const pending: Array<{ script: Script; file: string; flags: string; build: string | undefined }> = [];
let flushOnExit = false;

/**
 * V8 checks little more than the source's length before using cached data, so the key is the exact source: its
 * text, or a `sourceVersion` that changes whenever the text does (the build's fingerprint spares hashing megabytes).
 * A versioned cache's name starts with the version's tag, so the caches of other builds can be told and removed.
 */
function cacheFileOf(dir: string, file: string, source: string, sourceVersion: string | undefined): { path: string; build: string | undefined } {
  const build = sourceVersion === undefined ? undefined : createHash('sha256').update(`${process.version}\0${process.arch}\0${sourceVersion}`).digest('hex').slice(0, 12);
  const hash = createHash('sha256').update(`${process.version}\0${process.arch}\0${tieringTag()}\0${file}\0`);
  const key = (sourceVersion === undefined ? hash.update(source) : hash.update(`build ${sourceVersion}`)).digest('hex');
  return { path: join(dir, 'code-cache', `${build === undefined ? '' : `${COMPILED}${build}-`}${key.slice(0, 32)}.bin`), build };
}

const COMPILED = 'compiled-';

/** Removes the versioned caches of builds other than `build`, and those named as before versions had tags. */
function removeOtherBuilds(dir: string, build: string): void {
  try {
    for (const name of readdirSync(dir)) {
      const other = name.startsWith(COMPILED) ? !name.startsWith(`${COMPILED}${build}-`) : /^[0-9a-f]{32}\.bin$/.test(name);
      if (other) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // Only tidying.
  }
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
  const builds = new Map<string, string>();
  for (const { script, file, flags, build } of pending.splice(0)) {
    // Flags changed since it compiled (the main thread of a fleet, util/v8-tiering.ts): V8 would refuse what it wrote.
    if (flags !== tieringTag()) continue;
    try {
      mkdirSync(join(file, '..'), { recursive: true });
      // Renamed into place: the schema worker can be ended while it writes, and a run reads a whole cache or none.
      const partial = `${file}.${process.pid}.${threadId}.partial`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, file);
      if (build !== undefined) builds.set(join(file, '..'), build);
    } catch {
      // Only an optimisation: the next run compiles again.
    }
  }
  for (const [dir, build] of builds) removeOtherBuilds(dir, build);
}

/** `module.exports` of a CommonJS file, compiled through the code cache when one is configured. */
export function requireCompiled(file: string, sourceVersion?: string): unknown {
  const dir = cacheDir();
  const source = readFileSync(file, 'utf8');
  const cacheFile = dir === undefined ? undefined : cacheFileOf(dir, file, source, sourceVersion);
  const cachedData = readCache(cacheFile?.path);
  const script = new Script(`(function (exports, require, module, __filename) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string) => void)(module.exports, createRequire(file), module, file);
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    pending.push({ script, file: cacheFile.path, build: cacheFile.build, flags: tieringTag() });
    if (!flushOnExit) {
      process.once('exit', writeCodeCache);
      whenCodeCachesDue(writeCodeCache);
    }
    flushOnExit = true;
  }
  return module.exports;
}
