// The no-change fast path of generate and check: when the inputs are exactly those of the last successful run and
// every bundle on disk is exactly what that run left, the answer is known without loading the generator.
//
// The key hashes the built tool (dist/build-info.json: version and a fingerprint of its code, templates and schemas),
// the command's selection and output root, and every file under environments/ (rules read other environments, and
// shared bases live there too). The record, kept outside the project (a user cache directory), holds the key and the
// sha256 of each bundle's .flexmesh-manifest.json; a hit also re-hashes every file the manifest lists. Anything
// unexpected (no record, another key, a missing or edited file, a journal or staging area left by an interrupted write,
// an unreadable cache, the sources running instead of a build) means no answer: the full pipeline runs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { cacheDir } from '../util/cache-dir.ts';
import { ENVIRONMENTS_DIR, selectEnvironmentFiles } from './environments.ts';
import { findProjectRoot } from './project.ts';
import { EXIT, type Io } from './usage.ts';

export interface FastSelection { names: string[]; all: boolean; outRoot: string }

const MANIFEST_FILE = '.flexmesh-manifest.json'; // as render/bundle.ts writes it (not imported: it pulls in the renderers)
const JOURNAL_FILE = '.flexmesh-journal.json'; // as write/names.ts names it

interface FastRecord { key: string; bundles: LeftBundle[] }

/**
 * A bundle as a run left it: its directory and the sha256 of the .flexmesh-manifest.json there, as the run wrote or
 * found it (known from memory: reading back a fleet's thousand manifests was a tenth of a second at the end).
 */
export interface LeftBundle { dir: string; manifest: string }

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

function environmentFiles(root: string): string[] {
  return readdirSync(join(root, ENVIRONMENTS_DIR), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

export interface FastPath {
  /** Whether an earlier run left a record for this selection: without one the fast path cannot answer. */
  readonly recorded: boolean;
  /** What to print and the exit code when nothing changed; undefined means: run the full pipeline. Called first. */
  answer(command: 'generate' | 'check'): number | undefined;
  /** After a successful full run: remember the bundles it left (absolute directories, each with its manifest's sha256). */
  record(bundles: readonly LeftBundle[]): void;
}

export function fastPath(selection: FastSelection, defaultAll: boolean, io: Io): FastPath | undefined {
  const dir = cacheDir();
  // FLEXMESH_NO_FAST_PATH=1 runs the full pipeline while keeping the other caches (the bench's cold runs).
  if (!io.tool || !dir || process.env['FLEXMESH_NO_FAST_PATH'] === '1') return undefined;
  try {
    const root = findProjectRoot(io.cwd);
    const selected = selectEnvironmentFiles(root, selection.names, selection.all || defaultAll);
    const outRoot = resolve(root, selection.outRoot);
    const recordFile = join(dir, `${sha256(JSON.stringify({ root, outRoot, selected })).slice(0, 24)}.json`);
    const shown = (path: string) => (isAbsolute(selection.outRoot) ? path : relative(io.cwd, path).split('\\').join('/') || '.');
    // Hashed when answering, before anything is generated: the record must say what the run read, not what is there
    // after it (an environment edited meanwhile makes the next run a full one).
    let key: string | undefined;
    const keyOf = (): string => {
      if (key !== undefined) return key;
      const hash = createHash('sha256').update(JSON.stringify({ tool: io.tool, selected, outRoot }));
      for (const file of environmentFiles(root)) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
      return (key = hash.digest('hex'));
    };
    return {
      recorded: existsSync(recordFile),
      answer: (command) => {
        let current: string;
        try {
          current = keyOf();
        } catch {
          return undefined;
        }
        return stagingIn(outRoot) ? undefined : answer(recordFile, current, command, shown, io);
      },
      record: (left) => {
        try {
          const bundles = left.map(({ dir: bundle, manifest }) => ({ dir: bundle, manifest })); // only what the record holds
          mkdirSync(dir, { recursive: true });
          // Written aside and renamed, so a concurrent run never reads half a record.
          const temporary = `${recordFile}.${process.pid}.tmp`;
          writeFileSync(temporary, JSON.stringify({ key: keyOf(), bundles } satisfies FastRecord));
          renameSync(temporary, recordFile);
        } catch {
          // Only an optimisation: an unwritable cache makes the next run a full one, nothing worse.
        }
      },
    };
  } catch {
    return undefined;
  }
}

/** New bundles staged in the output root by a running or interrupted parallel generate (write/staging.ts; not imported: it pulls in the writer). */
function stagingIn(outRoot: string): boolean {
  try {
    return readdirSync(outRoot).some((name) => name.startsWith('.flexmesh-staging-'));
  } catch {
    return false;
  }
}

/** Number of files in the bundle when it is exactly as recorded, else undefined. */
function intactBundle(bundle: FastRecord['bundles'][number]): number | undefined {
  // An interrupted write (write/write-bundle.ts) is completed or cleaned up by a full run.
  if (existsSync(join(bundle.dir, JOURNAL_FILE))) return undefined;
  const manifestText = readFileSync(join(bundle.dir, MANIFEST_FILE));
  if (sha256(manifestText) !== bundle.manifest) return undefined;
  const files = (JSON.parse(manifestText.toString('utf8')) as { files?: Record<string, string> }).files ?? {};
  for (const [path, digest] of Object.entries(files)) {
    const target = join(bundle.dir, path);
    if (!existsSync(target) || sha256(readFileSync(target)) !== digest) return undefined;
  }
  return Object.keys(files).length + 1;
}

function answer(recordFile: string, key: string, command: 'generate' | 'check', shown: (path: string) => string, io: Io): number | undefined {
  try {
    if (!existsSync(recordFile)) return undefined;
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as FastRecord;
    if (record.key !== key || !Array.isArray(record.bundles) || record.bundles.length === 0) return undefined;
    const counts = record.bundles.map(intactBundle);
    if (counts.some((count) => count === undefined)) return undefined;
    record.bundles.forEach((bundle, index) => {
      const count = counts[index]!;
      io.out(command === 'generate' ? `${shown(bundle.dir)}: 0 written, ${count} unchanged, 0 removed` : `${shown(bundle.dir)}: up to date (${count} files)`);
    });
    return EXIT.ok;
  } catch {
    return undefined;
  }
}
