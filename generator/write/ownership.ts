// Which files in a bundle directory are flexmesh's to replace or remove. The manifest (and the journal of an
// interrupted generate) only claim a file while its content still has the recorded hash: a file someone changed is
// theirs from then on. Records are read defensively: a missing, invalid, `null` or hand-edited record claims nothing
// it cannot back up, and a path that is absolute, has "..", or leads through a symbolic link claims nothing at all.
import { sha256Hex } from '../util/sha256.ts';
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../render/bundle.ts';
import { isBundlePath, JOURNAL_FILE } from './names.ts';

export const hashOf = (content: Buffer | string): string => sha256Hex(content);

/** The journal an interrupted generate leaves: what it meant to write and to remove, and how far it got. */
export interface Journal {
  generator: 'flexmesh-journal';
  phase: 'staging' | 'committing';
  write: Record<string, string>;
  remove: Record<string, string>;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Entries whose path is a safe bundle path and whose hash is a sha256 hex string. */
function hashEntries(value: unknown): Map<string, string> {
  const entries = new Map<string, string>();
  if (!isRecord(value)) return entries;
  for (const [path, hash] of Object.entries(value)) {
    if (isBundlePath(path) && typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash)) entries.set(path, hash);
  }
  return entries;
}

/** Paths and hashes the manifest records; empty when it is missing or not a flexmesh manifest. */
export function manifestEntries(dir: string): Map<string, string> {
  const data = readJson(join(dir, MANIFEST_FILE));
  return isRecord(data) && data.generator === 'flexmesh' ? hashEntries(data.files) : new Map();
}

export function readJournal(dir: string): Journal | undefined {
  const data = readJson(join(dir, JOURNAL_FILE));
  if (!isRecord(data) || data.generator !== 'flexmesh-journal') return undefined;
  const phase = data.phase === 'committing' ? 'committing' : 'staging';
  return { generator: 'flexmesh-journal', phase, write: Object.fromEntries(hashEntries(data.write)), remove: Object.fromEntries(hashEntries(data.remove)) };
}

/** A regular file reached without passing through a symbolic link below `dir`, or undefined. */
export function regularFileContent(dir: string, path: string): Buffer | undefined {
  const segments = path.split('/');
  try {
    for (let i = 1; i <= segments.length; i++) {
      const stat = lstatSync(join(dir, ...segments.slice(0, i)), { throwIfNoEntry: false });
      if (!stat) return undefined;
      if (i < segments.length ? !stat.isDirectory() : !stat.isFile()) return undefined;
    }
    return readFileSync(join(dir, path));
  } catch {
    // The bundle directory is a file, or unreadable: nothing in it is there to claim or compare.
    return undefined;
  }
}

export interface Ownership {
  /** Files flexmesh wrote whose content is unchanged since: safe to replace or remove. */
  ours: Set<string>;
  /** Files a record lists whose content changed since flexmesh wrote them: kept. */
  changed: Set<string>;
}

/** `read` gives a path's content as regularFileContent does; the writer passes the reads it shares with planning. */
export function ownershipOf(dir: string, read: (path: string) => Buffer | undefined = (path) => regularFileContent(dir, path)): Ownership {
  const journal = readJournal(dir);
  const claims = new Map<string, Set<string>>();
  const claim = (entries: Iterable<[string, string]>) => {
    for (const [path, hash] of entries) claims.set(path, (claims.get(path) ?? new Set()).add(hash));
  };
  claim(manifestEntries(dir));
  if (journal) claim([...Object.entries(journal.write), ...Object.entries(journal.remove)]);
  const ours = new Set<string>();
  const changed = new Set<string>();
  for (const [path, hashes] of claims) {
    const content = read(path);
    if (content === undefined) continue;
    (hashes.has(hashOf(content)) ? ours : changed).add(path);
  }
  return { ours, changed };
}
