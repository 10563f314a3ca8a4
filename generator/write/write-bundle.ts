// The output end of the pipeline: puts a rendered bundle on disk.
// The new bundle is assembled in a sibling staging directory and swapped in with renames, so a failed or
// interrupted generate leaves the previous bundle intact. Files flexmesh did not write are carried over untouched.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { MANIFEST_FILE, type OutputFile } from '../render/bundle.ts';

export interface WriteSummary { written: string[]; unchanged: string[]; removed: string[] }

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

/** Files a previous generate recorded as its own; everything else in the directory belongs to someone else. */
export function previouslyWritten(dir: string): Set<string> {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) return new Set();
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files?: Record<string, string> };
  return new Set([...Object.keys(manifest.files ?? {}), MANIFEST_FILE]);
}

/** A crash between the two renames leaves `<dir>.previous`; put it back before anything else. */
function recoverInterruptedSwap(dir: string, previous: string): void {
  if (!existsSync(dir) && existsSync(previous)) renameSync(previous, dir);
  rmSync(previous, { recursive: true, force: true });
}

export function writeBundle(dir: string, files: readonly OutputFile[]): WriteSummary {
  const staging = `${dir}.staging`;
  const previous = `${dir}.previous`;
  recoverInterruptedSwap(dir, previous);
  const ours = previouslyWritten(dir);
  const existing = listFiles(dir);
  const incoming = new Set(files.map((file) => file.path));
  const summary: WriteSummary = { written: [], unchanged: [], removed: [] };

  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    for (const path of existing) {
      if (incoming.has(path)) continue;
      if (ours.has(path)) {
        summary.removed.push(path);
        continue;
      }
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      copyFileSync(join(dir, path), join(staging, path));
    }
    for (const file of files) {
      const target = join(staging, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
      const before = existsSync(join(dir, file.path)) ? readFileSync(join(dir, file.path), 'utf8') : undefined;
      (before === file.content ? summary.unchanged : summary.written).push(file.path);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(dir)) renameSync(dir, previous);
  renameSync(staging, dir);
  rmSync(previous, { recursive: true, force: true });
  return summary;
}

/** Paths whose content on disk differs from `files`, plus our own files that would be removed. */
export function driftOf(dir: string, files: readonly OutputFile[]): string[] {
  const drift: string[] = [];
  for (const file of files) {
    const target = join(dir, file.path);
    if (!existsSync(target) || readFileSync(target, 'utf8') !== file.content) drift.push(file.path);
  }
  const incoming = new Set(files.map((file) => file.path));
  for (const path of previouslyWritten(dir)) if (!incoming.has(path) && existsSync(join(dir, path))) drift.push(path);
  return drift.sort();
}
