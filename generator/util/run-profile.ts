// What a run exercised, for the V8 code cache bin/flexmesh.js keeps of dist/main.cjs: a cache written after a full
// generation holds the compiled pipeline; one written after `--help` or a no-change answer holds little of it.
let fullPipeline = false;

export function noteFullPipeline(): void {
  fullPipeline = true;
}

export function ranFullPipeline(): boolean {
  return fullPipeline;
}

const cacheWriters: Array<() => void> = [];

/**
 * `write` runs when this thread's code caches are due, if before its exit: a fleet worker's once it has compiled the
 * pipeline (fleet-worker.ts), as a stopped worker sees no exit event; the main thread's before a fleet changes V8's
 * flags (fleet-parallel.ts), as V8 refuses a cache written under other flags than it was compiled under.
 */
export function whenCodeCachesDue(write: () => void): void {
  cacheWriters.push(write);
}

export function codeCachesDue(): void {
  for (const write of cacheWriters.splice(0)) write();
}
