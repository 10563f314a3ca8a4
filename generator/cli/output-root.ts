// Where bundles go: the output root (`--out`) and each bundle directory in it, with how messages name them, and the
// line generate prints per bundle. Shared by the main thread and the workers of a parallel generate.
import { statSync, type Stats } from 'node:fs';
import { isAbsolute, join, parse, relative, resolve } from 'node:path';
import type { WriteSummary } from '../write/write-bundle.ts';
import { UsageError } from './usage.ts';

export interface Project { root: string; shown(path: string): string }

/** Paths relative to the project root, printed relative to the working directory so they can be opened from there. */
export function projectAt(root: string, cwd: string): Project {
  return { root, shown: (path) => (relative(cwd, resolve(root, path)) || '.').split('\\').join('/') };
}

/** The output root (`--out`, relative to the project root unless absolute), refused before anything is generated. */
export function outputRoot(project: Project, outRoot: string): { path: string; shown: string } {
  if (outRoot.trim() === '') throw new UsageError('--out needs a directory, e.g. --out out');
  const path = resolve(project.root, outRoot);
  const shown = isAbsolute(outRoot) ? path : project.shown(path);
  if (path === parse(path).root) throw new UsageError(`--out ${outRoot}: the file-system root cannot hold bundles; choose a directory such as out`);
  let stat: Stats | undefined;
  try {
    stat = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw new UsageError(`--out ${outRoot}: ${shown} cannot be a directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}: a part of the path is a file)`);
  }
  if (stat && !stat.isDirectory()) throw new UsageError(`--out ${outRoot}: ${shown} exists and is not a directory`);
  return { path, shown };
}

/** The bundle directory of an environment inside the output root, and how to print it (an absolute --out stays absolute). */
export function bundleIn(root: { path: string; shown: string }, name: string): { path: string; shown: string } {
  return { path: join(root.path, name), shown: root.shown === '.' ? name : `${root.shown}/${name}` };
}

/** What generate prints for one bundle it wrote. */
export function summaryLine(shown: string, summary: WriteSummary): string {
  const kept = summary.kept?.length ? `, ${summary.kept.length} kept (changed since flexmesh wrote them: ${summary.kept.join(', ')})` : '';
  return `${shown}: ${summary.written.length} written, ${summary.unchanged.length} unchanged, ${summary.removed.length} removed${kept}`;
}
