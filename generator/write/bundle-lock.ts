// One writer per bundle directory: `<dir>/.flexmesh-lock` holds the writer's pid (and, on Linux, the process start
// time, so a reused pid is not mistaken for the holder). The lock appears complete or not at all: its content is
// written to a private file first and hard-linked into place, and link(2) fails when the lock exists.
// A lock whose holder is gone is taken over under a short-lived guard file, re-reading the lock under the guard so
// two processes that both saw the same stale lock cannot both remove it (the second would remove a fresh lock).
import { linkSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE } from './names.ts';

export interface LockHolder { pid: number; host: string; start?: string; since: string }
export interface HeldLock { path: string; text: string }
export type LockState = { held: false } | { held: true; holder: LockHolder | undefined; stale: boolean };

const GUARD_SUFFIX = '.takeover';
const privateLock = (dir: string, pid: number) => join(dir, `${LOCK_FILE}.${pid}`);

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The kernel's start time of a process (field 22 of /proc/PID/stat), or undefined where /proc is not available. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function parseHolder(text: string): LockHolder | undefined {
  try {
    const data = JSON.parse(text) as Partial<LockHolder>;
    return Number.isSafeInteger(data.pid) && typeof data.host === 'string' ? (data as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** A holder on another host cannot be judged, so it counts as alive; an unreadable lock is stale once it is old. */
export function holderIsGone(holder: LockHolder | undefined, lockPath: string): boolean {
  if (!holder) return Date.now() - (statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 5_000;
  if (holder.host !== hostname()) return false;
  if (!isAlive(holder.pid)) return true;
  const start = startTimeOf(holder.pid);
  return holder.start !== undefined && start !== undefined && start !== holder.start;
}

export function lockState(dir: string): LockState {
  const path = join(dir, LOCK_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { held: false };
  }
  const holder = parseHolder(text);
  return { held: true, holder, stale: holderIsGone(holder, path) };
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Removes the stale lock seen as `seen`, unless someone replaced it meanwhile. */
function takeOver(lockPath: string, seen: string): void {
  const guard = `${lockPath}${GUARD_SUFFIX}`;
  try {
    writeFileSync(guard, JSON.stringify({ pid: process.pid, host: hostname() }), { flag: 'wx' });
  } catch {
    const guardText = readOrUndefined(guard);
    if (guardText !== undefined && holderIsGone(parseHolder(guardText), guard)) {
      if (readOrUndefined(guard) === guardText) unlinkSync(guard);
    }
    return;
  }
  try {
    if (readOrUndefined(lockPath) === seen) unlinkSync(lockPath);
  } finally {
    unlinkSync(guard);
  }
}

/** Private lock files (`.flexmesh-lock.PID`) and takeover guards of processes that died holding them. */
function removeOrphans(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = /^\.flexmesh-lock\.(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid))) unlinkSync(join(dir, name));
  }
  const guard = join(dir, `${LOCK_FILE}${GUARD_SUFFIX}`);
  const guardText = readOrUndefined(guard);
  if (guardText !== undefined && holderIsGone(parseHolder(guardText), guard) && readOrUndefined(guard) === guardText) unlinkSync(guard);
}

export class LockBusy extends Error {
  constructor(readonly holder: LockHolder | undefined, readonly waitedMs: number) {
    super('bundle locked');
  }
}

/** Waits up to `timeoutMs` for the lock; throws LockBusy when another live process still holds it. */
/** This process as a lock (or staging area, see staging.ts) records its holder. */
export function holderRecord(): string {
  return `${JSON.stringify({ pid: process.pid, host: hostname(), start: ownStart ??= startTimeOf(process.pid), since: new Date().toISOString() })}\n`;
}

/** Read once: a fleet takes a thousand locks. */
let ownStart: string | undefined;

export function acquireLock(dir: string, timeoutMs: number): HeldLock {
  const path = join(dir, LOCK_FILE);
  const mine = privateLock(dir, process.pid);
  const text = holderRecord();
  removeOrphans(dir);
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    writeFileSync(mine, text);
    try {
      linkSync(mine, path);
      return { path, text };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(mine);
    }
    const seen = readOrUndefined(path);
    if (seen === undefined) continue;
    const holder = parseHolder(seen);
    const gone = holderIsGone(holder, path);
    if (gone) takeOver(path, seen);
    if (Date.now() - started >= timeoutMs) throw new LockBusy(holder, Date.now() - started);
    sleep(gone ? 5 : Math.min(200, 20 + attempt * 10));
  }
}

/** Removes the lock only while it is still this process's own. */
export function releaseLock(lock: HeldLock): void {
  if (readOrUndefined(lock.path) === lock.text) unlinkSync(lock.path);
}
