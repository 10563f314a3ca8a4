// flexmesh validate <dir|file>...: the checks generate runs on its own output, on any manifests on disk
// (e.g. a hand-edited GitOps repository).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { checkManifests } from '../validate/check-manifests.ts';
import { locateDocuments } from '../validate/located.ts';
import { EXIT, UsageError, type Io } from './usage.ts';

export const DEFAULT_PRE_EXISTING = ['argocd', 'argo'];

function yamlFiles(path: string): string[] {
  if (!existsSync(path)) throw new UsageError(`no such file or directory: ${path}`);
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export function formatValidateLine(d: Diagnostic): string {
  return `${d.file}:${d.line ?? 1}:${d.col ?? 1} ${d.path}: ${d.problem}${d.expected ? ` (${d.expected})` : ''}`;
}

export function runValidate(paths: readonly string[], preExisting: readonly string[], io: Io): number {
  if (paths.length === 0) throw new UsageError('validate needs at least one directory or file');
  const files = [...new Set(paths.flatMap((path) => yamlFiles(resolve(io.cwd, path))))];
  const located = files.map((file) => locateDocuments(relative(io.cwd, file), readFileSync(file, 'utf8')));
  const docs = located.flatMap((entry) => entry.docs);
  const problems = [...located.flatMap((entry) => entry.problems), ...checkManifests(docs, preExisting)];
  for (const problem of problems) io.err(formatValidateLine(problem));
  io.out(`${files.length} file(s), ${docs.length} object(s): ${problems.length === 0 ? 'valid' : `${problems.length} problem(s)`}`);
  return problems.length === 0 ? EXIT.ok : EXIT.checkFailed;
}
