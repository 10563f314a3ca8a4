// What is on disk where a bundle's files go, looked up once per path segment: a bundle of ~45 files shares a handful
// of folders, so asking lstat(2) about `manifests` for every file under it (twice: for obstacles, then for the
// current content) was most of the writer's system calls. Nothing below a missing folder is asked about at all,
// which is every file of a fresh bundle. The answers are only valid while the bundle is locked and unchanged by this
// run, i.e. while planning.
import { lstatSync, mkdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** Why a file cannot be written at `path` (undefined when it can), and its current content when it is a regular file. */
export interface Probe { problem?: string; content?: Buffer }

export class BundleProbe {
  private readonly stats = new Map<string, Stats | undefined>();
  /** Each path is read once while planning: the ownership check and the comparison ask for the same files. */
  private readonly probes = new Map<string, Probe>();

  constructor(private readonly dir: string) {}

  private lstat(at: string): Stats | undefined {
    if (this.stats.has(at)) return this.stats.get(at);
    const slash = at.lastIndexOf('/');
    // A path below something that is missing, or is not a directory, does not exist either: no need to ask.
    const parent = slash === -1 ? undefined : at.slice(0, slash);
    const above = parent === undefined ? undefined : this.lstat(parent);
    const stat = parent !== undefined && (above === undefined || !above.isDirectory()) ? undefined : lstatSync(join(this.dir, at), { throwIfNoEntry: false });
    this.stats.set(at, stat);
    return stat;
  }

  /** What obstacle(), then regularFileContent() of ownership.ts, answered for one path, with the same wording. */
  probe(path: string): Probe {
    let probe = this.probes.get(path);
    if (!probe) this.probes.set(path, (probe = this.probeOnce(path)));
    return probe;
  }

  /** regularFileContent() of ownership.ts through this probe's lookups; undefined where that answers undefined. */
  content(path: string): Buffer | undefined {
    try {
      return this.probe(path).content;
    } catch {
      // An lstat that fails (EACCES): regularFileContent claims nothing there; the comparison, if it asks, throws.
      return undefined;
    }
  }

  private probeOnce(path: string): Probe {
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const at = segments.slice(0, i).join('/');
      const stat = this.lstat(at);
      if (!stat) return {};
      if (stat.isSymbolicLink()) return { problem: `${at} is a symbolic link; flexmesh does not write through or replace links (remove it, or move it out of the bundle)` };
      if (i < segments.length && !stat.isDirectory()) return { problem: `${at} is a file where a folder is needed (ENOTDIR)` };
      if (i === segments.length && !stat.isFile()) return { problem: `${at} is ${stat.isDirectory() ? 'a directory (EISDIR)' : 'not a regular file'} where a generated file goes` };
    }
    try {
      return { content: readFileSync(join(this.dir, path)) };
    } catch {
      // Unreadable: nothing there to compare, so the file is written (and the write reports the cause).
      return {};
    }
  }

  /** Folders (relative) seen to be directories while planning: staging needs no mkdir for them. */
  knownFolders(): Set<string> {
    return new Set([...this.stats].filter(([, stat]) => stat?.isDirectory()).map(([at]) => at));
  }
}

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * mkdir -p inside the bundle, one level at a time (Node's recursive mkdir loops forever where mkdir fails with ENOENT,
 * e.g. in /proc), remembering what exists so each folder costs one mkdir per run, not a stat per file.
 */
export function folderMaker(dir: string, known: Set<string>, step: (name: string) => void): (folder: string) => void {
  const make = (folder: string): void => {
    if (folder === '.' || known.has(folder)) return;
    const slash = folder.lastIndexOf('/');
    if (slash !== -1) make(folder.slice(0, slash));
    step(`mkdir ${folder}`);
    try {
      mkdirSync(join(dir, folder));
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST' || !statSync(join(dir, folder)).isDirectory()) throw error;
    }
    known.add(folder);
  };
  return make;
}
