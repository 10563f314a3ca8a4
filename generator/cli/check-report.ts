// What `check` says of one bundle: files Argo CD would sync that flexmesh did not write, what an interrupted or
// running write left, and the files that differ from a fresh generate. The sequential check (commands.ts) and a
// fleet's threads (check-parallel.ts) both make it here; a fleet prints the reports afterwards, in the environments'
// order, so the output is the same either way.
import type { OutputFile } from '../render/bundle.ts';
import { bundleState, driftOf } from '../write/write-bundle.ts';
import { foreignFiles } from './bundle-state.ts';
import type { Io } from './usage.ts';

export interface BundleReport {
  /** In the order they are printed; `err` lines go to standard error. */
  lines: Array<{ err: boolean; text: string }>;
  /** Anything but "up to date": check then fails. */
  drifted: boolean;
}

/**
 * The report on the bundle at `dir` against `output`. `gitopsPath` is the environment's GitOps folder, which its
 * Applications sync from; without one (the fleet bundle) foreign files are not looked for.
 */
export function bundleReport(dir: { path: string; shown: string }, output: readonly OutputFile[], gitopsPath: string | undefined): BundleReport {
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

export function printReport(report: BundleReport, io: Io): void {
  for (const line of report.lines) {
    if (line.err) io.err(line.text);
    else io.out(line.text);
  }
}
