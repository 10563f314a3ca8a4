// The output end of the pipeline: puts a rendered bundle on disk, in place, inside the existing directory (a user's
// symbolic link, folders, links and other files there are never moved, copied or replaced).
// Linux cannot atomically replace a non-empty directory, and swapping the directory would move the user's files with
// it, so each file is replaced atomically instead (written to a `.NAME.flexmesh-partial` beside it, then renamed),
// under a lock, with a journal:
//   1. staging: the journal lists every file to write and remove; new contents go to partial files. A crash here
//      leaves the previous bundle as it was (plus partial files the next run removes).
//   2. committing: the journal says so; partial files are renamed over their targets, our stale files removed, the
//      manifest renamed last, the journal removed. A crash here leaves a mix of old and new files: the one step that
//      is not atomic. `check` reports it (bundleState) and the next generate completes it from the journal.
import { lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { MANIFEST_FILE, type OutputFile } from '../render/bundle.ts';
import { acquireLock, LockBusy, lockState, releaseLock } from './bundle-lock.ts';
import { isBundlePath, isPartialName, JOURNAL_FILE, outsideRootProblem, partialOf } from './names.ts';
import { digestOf } from '../render/digest.ts';
import { hashOf, manifestEntries, ownershipOf, readJournal, regularFileContent, type Journal } from './ownership.ts';
import { BundleProbe, folderMaker } from './probe.ts';
import { InjectedCrash, WriteRefused } from './refusal.ts';

export { InjectedCrash, WriteRefused } from './refusal.ts';

export interface WriteSummary { written: string[]; unchanged: string[]; removed: string[]; kept?: string[] }

export interface WriteOptions {
  /** The output root: the bundle directory must be directly inside it. */
  root?: string;
  /** How long to wait for another generate of the same bundle to finish. */
  lockTimeoutMs?: number;
  /** How messages name the bundle directory (default: its path). */
  label?: string;
  /** Fault-injection seam for tests: called before every file-system change with the step's name. */
  beforeStep?: (step: string) => void;
}

/** Files a previous generate recorded as its own (whatever their content is now), plus the manifest itself. */
export function previouslyWritten(dir: string): Set<string> {
  const entries = manifestEntries(dir);
  return entries.size > 0 ? new Set([...entries.keys(), MANIFEST_FILE]) : new Set();
}

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** mkdir -p, one level at a time: Node's recursive mkdir loops forever where mkdir fails with ENOENT (e.g. in /proc). */
export function makeDirectories(path: string): void {
  const parent = dirname(path);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) return;
  if (parent !== path) makeDirectories(parent);
  try {
    mkdirSync(path);
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST' || !statSync(path).isDirectory()) throw error;
  }
}

/** Why the bundle directory cannot be used as it is, checked before anything is written. */
function directoryProblem(dir: string): string | undefined {
  const link = lstatSync(dir, { throwIfNoEntry: false });
  if (!link) return undefined;
  const target = statSync(dir, { throwIfNoEntry: false });
  if (!target) return 'it is a symbolic link to nothing; point it at a directory or remove it';
  return target.isDirectory() ? undefined : 'it exists and is not a directory; move it away or choose another --out';
}

function writeJournal(dir: string, journal: Journal, step: (name: string) => void): void {
  const partial = join(dir, partialOf(JOURNAL_FILE));
  step(`journal ${journal.phase}: write`);
  writeFileSync(partial, `${JSON.stringify(journal, null, 2)}\n`);
  step(`journal ${journal.phase}: rename`);
  renameSync(partial, join(dir, JOURNAL_FILE));
}

/** Partial files an interrupted run left: the journal's, and any with our suffix in the folders it lists. */
function leftoverPartials(dir: string, journal: Journal | undefined): string[] {
  const paths = [JOURNAL_FILE, MANIFEST_FILE, ...Object.keys(journal?.write ?? {})].map(partialOf);
  return [...new Set(paths)].filter((path) => isPartialName(posix.basename(path)) && regularFileContent(dir, path) !== undefined).sort();
}

/** Removes now-empty folders above `path`, up to (not including) the bundle directory; stops at the first non-empty. */
function removeEmptyParents(dir: string, path: string, step: (name: string) => void): void {
  for (let parent = posix.dirname(path); parent !== '.'; parent = posix.dirname(parent)) {
    step(`rmdir ${parent}`);
    try {
      rmdirSync(join(dir, parent));
    } catch {
      return;
    }
  }
}

function plan(dir: string, files: readonly OutputFile[]) {
  const previous = readJournal(dir);
  const disk = new BundleProbe(dir);
  const { ours, changed } = ownershipOf(dir, (path) => disk.content(path));
  const incoming = new Set(files.map((file) => file.path));
  const problems: string[] = [];
  const toWrite: OutputFile[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    if (!isBundlePath(file.path) || isPartialName(posix.basename(file.path))) throw new Error(`not a bundle path: ${file.path}`);
    // Something that is not ours and not a plain file or folder in the way is a problem; else compare the content.
    const { problem, content: current } = disk.probe(file.path);
    if (problem) problems.push(problem);
    if (current !== undefined && current.equals(Buffer.from(file.content))) unchanged.push(file.path);
    else toWrite.push(file);
  }
  const toRemove = [...ours].filter((path) => !incoming.has(path)).sort();
  const kept = [...changed].filter((path) => !incoming.has(path)).sort();
  return { previous, problems, toWrite, unchanged, toRemove, kept, folders: disk.knownFolders() };
}

function writeLocked(dir: string, label: string, files: readonly OutputFile[], step: (name: string) => void): WriteSummary {
  const { previous, problems, toWrite, unchanged, toRemove, kept, folders } = plan(dir, files);
  if (problems.length > 0) throw new WriteRefused(problems.map((problem) => `${label}/${problem}`), `${label}: nothing was written`);
  for (const partial of leftoverPartials(dir, previous)) {
    step(`remove leftover ${partial}`);
    unlinkSync(join(dir, partial));
  }
  // The manifest goes last: once it is in place, everything it lists is.
  const ordered = [...toWrite.filter((file) => file.path !== MANIFEST_FILE), ...toWrite.filter((file) => file.path === MANIFEST_FILE)];
  const removeRecord = Object.fromEntries(toRemove.map((path) => [path, hashOf(readFileSync(join(dir, path)))]));
  const journal: Journal = { generator: 'flexmesh-journal', phase: 'staging', write: Object.fromEntries(files.map((file) => [file.path, digestOf(file)])), remove: removeRecord };
  if (ordered.length === 0 && toRemove.length === 0 && !previous) return { written: [], unchanged, removed: [], ...(kept.length ? { kept } : {}) };
  writeJournal(dir, journal, step);
  const staged: string[] = [];
  const makeFolder = folderMaker(dir, folders, step);
  try {
    for (const file of ordered) {
      makeFolder(posix.dirname(file.path));
      step(`write ${partialOf(file.path)}`);
      staged.push(partialOf(file.path));
      writeFileSync(join(dir, partialOf(file.path)), file.content);
    }
  } catch (error) {
    // An ordinary failure (disk full, permissions) while staging: the bundle is untouched, so leave no trace.
    if (!(error instanceof InjectedCrash)) for (const path of [...staged, JOURNAL_FILE]) rmSync(join(dir, path), { force: true });
    throw error;
  }
  writeJournal(dir, { ...journal, phase: 'committing' }, step);
  for (const file of ordered.filter((entry) => entry.path !== MANIFEST_FILE)) {
    step(`rename ${file.path}`);
    renameSync(join(dir, partialOf(file.path)), join(dir, file.path));
  }
  for (const path of toRemove) {
    step(`remove ${path}`);
    unlinkSync(join(dir, path));
    removeEmptyParents(dir, path, step);
  }
  if (ordered.some((file) => file.path === MANIFEST_FILE)) {
    step(`rename ${MANIFEST_FILE}`);
    renameSync(join(dir, partialOf(MANIFEST_FILE)), join(dir, MANIFEST_FILE));
  }
  step('remove journal');
  unlinkSync(join(dir, JOURNAL_FILE));
  return { written: toWrite.map((file) => file.path).sort(byPath(files)), unchanged, removed: toRemove, ...(kept.length ? { kept } : {}) };
}

/** Sorts paths in the order of `files` (the renderer's order). */
function byPath(files: readonly OutputFile[]) {
  const order = new Map(files.map((file, index) => [file.path, index]));
  return (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
}

function writeUnderLock(dir: string, label: string, files: readonly OutputFile[], options: WriteOptions): WriteSummary {
  const step = options.beforeStep ?? (() => {});
  step('mkdir bundle');
  makeDirectories(dir);
  step('lock');
  const lock = acquireLock(dir, options.lockTimeoutMs ?? 60_000);
  let summary: WriteSummary;
  try {
    summary = writeLocked(dir, label, files, step);
  } catch (error) {
    // A simulated kill -9 leaves the lock behind, as a real one would.
    if (!(error instanceof InjectedCrash)) releaseLock(lock);
    throw error;
  }
  step('unlock');
  releaseLock(lock);
  return summary;
}

export function writeBundle(dir: string, files: readonly OutputFile[], options: WriteOptions = {}): WriteSummary {
  const label = options.label ?? dir;
  const where = options.root !== undefined ? outsideRootProblem(dir, options.root) : undefined;
  if (where) throw new WriteRefused([`${label} cannot be a bundle directory: ${where}`], `${label}: nothing was written`);
  let existed = false;
  try {
    const problem = directoryProblem(dir);
    if (problem) throw new WriteRefused([`${label}: ${problem}`], `${label}: nothing was written`);
    existed = lstatSync(dir, { throwIfNoEntry: false }) !== undefined;
    return writeUnderLock(dir, label, files, options);
  } catch (error) {
    if (error instanceof WriteRefused || error instanceof InjectedCrash) throw error;
    if (error instanceof LockBusy) {
      const who = error.holder ? `flexmesh generate (pid ${error.holder.pid} on ${error.holder.host}, since ${error.holder.since})` : 'another process';
      throw new WriteRefused([`${label} is being written by ${who}; waited ${Math.round(error.waitedMs / 1000)} s`], `${label}: nothing was written; run generate again when it has finished`);
    }
    if (!errnoOf(error)) throw error;
    const state = bundleState(dir);
    const outcome = state.length > 0 ? `the bundle may be incomplete: ${state.join('; ')}` : existed ? 'the previous bundle is unchanged' : 'nothing was written';
    throw new WriteRefused([`cannot write ${label}: ${(error as Error).message}`], `${label}: ${outcome}`);
  }
}

/** What an interrupted or running generate left in `dir`; empty when the bundle is complete. */
export function bundleState(dir: string): string[] {
  const state: string[] = [];
  const journal = readJournal(dir);
  if (journal?.phase === 'committing') state.push('an interrupted generate left a mix of old and new files (.flexmesh-journal.json); run flexmesh generate to complete it');
  else if (journal) state.push('an interrupted generate left temporary files (.flexmesh-journal.json); the previous bundle is intact; run flexmesh generate');
  const lock = lockState(dir);
  if (lock.held) {
    const who = lock.holder ? `pid ${lock.holder.pid}` : 'an unknown process';
    state.push(lock.stale ? `a stale lock of ${who}, which is gone (the next generate takes it over)` : `a generate (${who}) is writing it now`);
  }
  return state;
}

/** Paths whose content on disk differs from `files`, plus our own files that would be removed. */
export function driftOf(dir: string, files: readonly OutputFile[]): string[] {
  const drift: string[] = [];
  // Each folder asked about and each file read once: the ownership check below asks for the same files.
  const disk = new BundleProbe(dir);
  const read = (path: string) => disk.content(path);
  for (const file of files) {
    const content = read(file.path);
    if (content === undefined || !content.equals(Buffer.from(file.content))) drift.push(file.path);
  }
  const incoming = new Set(files.map((file) => file.path));
  for (const path of ownershipOf(dir, read).ours) if (!incoming.has(path)) drift.push(path);
  return drift.sort();
}
