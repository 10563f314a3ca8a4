// What `check` and `diff` say of one bundle. check: files Argo CD would sync that flexmesh did not write, what an
// interrupted or running write left, and the files that differ from a fresh generate. diff: a unified diff of each
// file generate would change. The sequential commands (commands.ts, diff.ts) and a fleet's threads
// (compare-parallel.ts) all make them here; a fleet prints the reports afterwards, in the environments' order, so the
// output is the same either way.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputFile } from '../render/bundle.ts';
import { unifiedDiff } from '../util/unified-diff.ts';
import { bundleState, driftOf, previouslyWritten } from '../write/write-bundle.ts';
import { foreignFiles } from './bundle-state.ts';
import type { Io } from './usage.ts';

export interface BundleReport {
  /** In the order they are printed; `err` lines go to standard error. A diff's line is one file's whole diff. */
  lines: Array<{ err: boolean; text: string }>;
  /** check: anything but "up to date", and check fails; diff: some file would change. */
  drifted: boolean;
}

export type CompareKind = 'check' | 'diff';

/**
 * check's report on the bundle at `dir` against `output`. `gitopsPath` is the environment's GitOps folder, which its
 * Applications sync from; without one (the fleet bundle) foreign files are not looked for.
 */
export function checkReport(dir: { path: string; shown: string }, output: readonly OutputFile[], gitopsPath: string | undefined): BundleReport {
  const lines: BundleReport['lines'] = [];
  const drift = driftOf(dir.path, output);
  const state = bundleState(dir.path);
  const foreign = gitopsPath === undefined ? [] : foreignFiles(dir.path, output, gitopsPath);
  for (const path of foreign) lines.push({ err: true, text: `${dir.shown}/${path}: not written by flexmesh, and Argo CD syncs it with the bundle; remove it or move it out of the synced folder` });
  if (drift.length === 0 && state.length === 0) {
    if (foreign.length === 0) lines.push({ err: false, text: `${dir.shown}: up to date (${output.length} files)` });
    return { lines, drifted: foreign.length > 0 };
  }
  for (const line of state) lines.push({ err: true, text: `${dir.shown}: ${line}` });
  if (drift.length > 0) {
    lines.push({ err: true, text: `${dir.shown}: ${drift.length} file(s) differ from a fresh generate:` });
    for (const path of drift) lines.push({ err: true, text: `  ${dir.shown}/${path}` });
  }
  return { lines, drifted: true };
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

/** diff's report: for each file generate would write, change or remove in `dir`, in path order, its unified diff. */
export function diffReport(dir: { path: string; shown: string }, output: readonly OutputFile[]): BundleReport {
  const shownDir = dir.shown.split('\\').join('/');
  const incoming = new Set(output.map((file) => file.path));
  const removed = [...previouslyWritten(dir.path)].filter((path) => !incoming.has(path) && existsSync(join(dir.path, path)));
  const entries = [...output.map((file) => ({ path: file.path, after: file.content as string | undefined })), ...removed.map((path) => ({ path, after: undefined }))]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const lines: BundleReport['lines'] = [];
  for (const { path, after } of entries) {
    const text = unifiedDiff(`${shownDir}/${path}`, read(join(dir.path, path)), after);
    if (text !== '') lines.push({ err: false, text: text.trimEnd() });
  }
  return { lines, drifted: lines.length > 0 };
}

/** The report of `kind` on one bundle (a fleet's worker makes it without knowing which command runs). */
export function reportOf(kind: CompareKind, dir: { path: string; shown: string }, output: readonly OutputFile[], gitopsPath: string | undefined): BundleReport {
  return kind === 'check' ? checkReport(dir, output, gitopsPath) : diffReport(dir, output);
}

export function printReport(report: BundleReport, io: Io): void {
  for (const line of report.lines) {
    if (line.err) io.err(line.text);
    else io.out(line.text);
  }
}
