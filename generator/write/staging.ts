// New bundles of a fleet, written while the rest of the fleet is still being generated and checked. A bundle whose
// directory does not exist yet is written in full into a private staging area inside the output root
// (`.flexmesh-staging-<pid>-<random>/<name>/`) and, once every environment and every rule held, renamed into place:
// one rename(2) each, so a new bundle appears complete or not at all, with no partial files, journal or lock (nobody
// else can write into a directory no one knows). When anything fails the staging area is removed and the output
// root is as it was. An interrupted run leaves only the hidden staging area, which the next parallel generate
// removes once its owner is gone.
// Staging overlaps the file system's work with generating, and only one thread (the main one) writes: on ext4 two
// threads creating files under one output root slow each other down several-fold (measured: see bench:fleet).
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, posix } from 'node:path';
import type { OutputFile } from '../render/bundle.ts';
import { holderIsGone, holderRecord, parseHolder } from './bundle-lock.ts';
import { outsideRootProblem } from './names.ts';
import { WriteRefused } from './refusal.ts';
import { makeDirectories, writeBundle, type WriteSummary } from './write-bundle.ts';

const STAGING_PREFIX = '.flexmesh-staging-';
/** The staging area's owner, as a lock records its holder; environment names cannot start with a dot. */
const OWNER_FILE = '.flexmesh-owner.json';

export const isStagingName = (name: string): boolean => name.startsWith(STAGING_PREFIX);

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

export interface StagingAreaState { name: string; pid?: number; abandoned: boolean }

/** The staging areas in `outRoot`: a running generate's, or abandoned by one that was killed or crashed. */
export function stagingAreas(outRoot: string): StagingAreaState[] {
  let names: string[];
  try {
    names = readdirSync(outRoot).filter(isStagingName).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const owner = join(outRoot, name, OWNER_FILE);
    let text: string | undefined;
    try {
      text = readFileSync(owner, 'utf8');
    } catch {
      text = undefined;
    }
    const holder = text === undefined ? undefined : parseHolder(text);
    // Without an owner file the area is being created this instant or was abandoned: holderIsGone waits 5 s.
    return { name, ...(holder ? { pid: holder.pid } : {}), abandoned: holderIsGone(holder, text === undefined ? join(outRoot, name) : owner) };
  });
}

/** Removes the staging areas in `outRoot` whose generate is gone. */
export function removeAbandonedStaging(outRoot: string): void {
  for (const area of stagingAreas(outRoot)) if (area.abandoned) rmSync(join(outRoot, area.name), { recursive: true, force: true });
}

/** A directory does not exist at `path` (nor a file, nor a link): the only case staging handles. */
export function isAbsent(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) === undefined;
  } catch {
    // ENOTDIR, EACCES: not absent, and the ordinary writer reports it.
    return false;
  }
}

/**
 * A bundle's files as one block of UTF-8 bytes (what goes on disk), so a worker can hand it to the main thread
 * without a copy (the buffer is transferred) and the main thread writes it without encoding it again.
 */
export interface EncodedFiles { paths: string[]; ends: number[]; bytes: Uint8Array }

export function encodeFiles(files: readonly OutputFile[]): EncodedFiles {
  const sizes = files.map((file) => Buffer.byteLength(file.content));
  const bytes = new Uint8Array(sizes.reduce((sum, size) => sum + size, 0));
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [];
  let end = 0;
  files.forEach((file, index) => {
    const size = sizes[index]!;
    view.write(file.content, end, size, 'utf8');
    ends.push((end += size));
  });
  return { paths: files.map((file) => file.path), ends, bytes };
}

export class StagingArea {
  private dir: string | undefined;
  private createdRoot = false;
  private readonly staged = new Map<string, string[]>();

  constructor(private readonly outRoot: string) {}

  /** Writes a bundle into the staging area, creating the area (and the output root) on first use. */
  stage(name: string, files: EncodedFiles): void {
    if (this.staged.has(name)) throw new Error(`bundle ${name} staged twice`);
    const dir = join(this.area(), name);
    mkdirSync(dir);
    const folders = new Set<string>();
    const makeFolder = (folder: string): void => {
      if (folder === '.' || folders.has(folder)) return;
      makeFolder(posix.dirname(folder));
      mkdirSync(join(dir, folder));
      folders.add(folder);
    };
    this.staged.set(name, files.paths);
    files.paths.forEach((path, index) => {
      makeFolder(posix.dirname(path));
      writeFileSync(join(dir, path), files.bytes.subarray(index === 0 ? 0 : files.ends[index - 1], files.ends[index]));
    });
  }

  /**
   * Puts the staged bundle `name` at `target` (directly inside the output root) and says what generate prints for
   * it. Something that appeared at `target` meanwhile gets the ordinary writer, with the staged files.
   */
  commit(name: string, target: { path: string; shown: string }): WriteSummary {
    const paths = this.staged.get(name);
    if (!paths || !this.dir) throw new Error(`bundle ${name} was not staged`);
    const where = outsideRootProblem(target.path, this.outRoot);
    if (where) throw new WriteRefused([`${target.shown} cannot be a bundle directory: ${where}`], `${target.shown}: nothing was written`);
    const staged = join(this.dir, name);
    this.staged.delete(name);
    if (isAbsent(target.path)) {
      try {
        renameSync(staged, target.path);
        return { written: paths, unchanged: [], removed: [] };
      } catch (error) {
        // A directory made there since (rename replaces only an empty one) or a file: the ordinary writer decides.
        if (!['EEXIST', 'ENOTEMPTY', 'ENOTDIR', 'EISDIR'].includes(errnoOf(error) ?? '')) throw error;
      }
    }
    const files = paths.map((path) => ({ path, content: readFileSync(join(staged, path), 'utf8') }));
    try {
      return writeBundle(target.path, files, { root: this.outRoot, label: target.shown });
    } finally {
      rmSync(staged, { recursive: true, force: true });
    }
  }

  /** Removes the staging area with whatever it still holds; the output root too when this run created it empty. */
  discard(): void {
    this.staged.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    if (this.createdRoot) {
      try {
        rmdirSync(this.outRoot);
      } catch {
        // Not empty: bundles were committed, or someone else wrote there.
      }
      this.createdRoot = false;
    }
  }

  private area(): string {
    if (this.dir) return this.dir;
    if (!statSync(this.outRoot, { throwIfNoEntry: false })) {
      makeDirectories(this.outRoot);
      this.createdRoot = true;
    }
    const dir = join(this.outRoot, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir);
    this.dir = dir;
    writeFileSync(join(dir, OWNER_FILE), holderRecord());
    return dir;
  }
}
