// What is in out/ besides the bundles flexmesh would write: orphan bundles (an out/<name> holding a flexmesh manifest
// whose environment file is gone) and foreign files inside a bundle that Argo CD would sync with it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { MANIFEST_FILE, type OutputFile } from '../render/bundle.ts';

/** out/<name> directories with a flexmesh manifest and no environment among `environments`. */
export function orphanBundles(outDir: string, environments: readonly string[]): string[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir, { withFileTypes: true })
    // "_" folders (out/_fleet) are flexmesh's own, not environments.
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_') && !environments.includes(entry.name) && isFlexmeshBundle(join(outDir, entry.name)))
    .map((entry) => entry.name)
    .sort();
}

function isFlexmeshBundle(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { generator?: unknown }).generator === 'flexmesh';
  } catch {
    return false;
  }
}

// Argo CD's directory source reads these (a plain directory of manifests: YAML, JSON, Jsonnet).
const SYNCED = /\.(ya?ml|json|jsonnet)$/;

interface SyncedDir { dir: string; recurse: boolean }

/** Directories of the bundle that its own Applications sync as plain manifests, relative to the bundle. */
export function syncedDirectories(files: readonly OutputFile[], gitopsPath: string): SyncedDir[] {
  const dirs: SyncedDir[] = [];
  for (const file of files.filter((candidate) => candidate.path.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(file.content)) {
      const value = doc.toJS() as { kind?: string; spec?: { source?: { path?: string; chart?: string; directory?: { recurse?: boolean } } } } | null;
      const source = value?.kind === 'Application' ? value.spec?.source : undefined;
      if (!source?.path || source.chart) continue;
      const dir = relative(gitopsPath, source.path).split('\\').join('/');
      if (!dir.startsWith('..')) dirs.push({ dir, recurse: source.directory?.recurse === true });
    }
  }
  return dirs;
}

/** Files in `bundleDir` that flexmesh would not write and an Application of the bundle would sync. */
export function foreignFiles(bundleDir: string, files: readonly OutputFile[], gitopsPath: string): string[] {
  // A file, a dangling link or nothing where the bundle should be: check reports that as drift, not here.
  if (!statSync(bundleDir, { throwIfNoEntry: false })?.isDirectory()) return [];
  const ours = new Set([...files.map((file) => file.path), MANIFEST_FILE]);
  const candidates = readdirSync(bundleDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(bundleDir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((path) => !ours.has(path) && SYNCED.test(path));
  // Reading the Applications means parsing every YAML file of the bundle: ~16 ms, 70% of a fleet's check when it was
  // done for every bundle. Most bundles hold no file but flexmesh's, and then nothing needs it.
  if (candidates.length === 0) return [];
  const dirs = syncedDirectories(files, gitopsPath);
  return candidates
    .filter((path) => dirs.some(({ dir, recurse }) => {
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      return recurse ? parent === dir || parent.startsWith(`${dir}/`) || dir === '' : parent === dir;
    }))
    .sort();
}
