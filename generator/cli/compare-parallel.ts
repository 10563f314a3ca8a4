// `check` and `diff` of a fleet with worker threads (fleet-parallel.ts), as `generate` does it (generate-parallel.ts):
// each thread generates the environments handed to it and compares each bundle with the one on disk
// (bundle-report.ts), the main thread checks the rules across environments and, for check, the fleet bundle. Reports
// come back in the environments' order, so the output is the sequential command's, and a problem of the input still
// stops before any report.
import { InputError } from '../diagnostics.ts';
import { manifestDigest } from '../render/bundle.ts';
import { fleetBundle } from '../render/fleet-bundle.ts';
import { FLEET_DIR } from '../resources/fleet.ts';
import { checkReport, reportOf, type BundleReport, type CompareKind } from './bundle-report.ts';
import type { LeftBundle } from './fast-path.ts';
import { FleetWorkers, type Outcome } from './fleet-parallel.ts';
import type { OutputRoot } from './fleet-protocol.ts';
import { fleetProblems, wholeTopology } from './fleet-results.ts';
import { generateOne } from './fleet-share.ts';
import { bundleIn, type Project } from './output-root.ts';

export interface ParallelCompare { kind: CompareKind; project: Project; files: readonly string[]; root: OutputRoot; withFleet: boolean; workers: number; cwd: string }

/**
 * The report of `kind` on each bundle, the fleet bundle's last when `withFleet` (check's), and what the fast path
 * records of each.
 */
export async function compareInWorkers({ kind, project, files, root, withFleet, workers, cwd }: ParallelCompare): Promise<{ reports: BundleReport[]; left: LeftBundle[] }> {
  const pool = new FleetWorkers(workers, project.root, cwd, root, { compare: kind });
  // This thread's own share, compared as a worker compares it.
  const local = (_index: number, file: string): Outcome => {
    const one = generateOne(project, root, file);
    if (one.diagnostics) return one;
    return { summary: one.summary, whole: one.whole, report: reportOf(kind, bundleIn(root, one.name), one.files, one.whole.gitops.path) };
  };
  try {
    const outcomes = await pool.generate(files, () => {
      throw new Error('a comparing worker sent a bundle to write');
    }, local);
    const { loaded, problems } = fleetProblems(project, files, outcomes);
    if (problems.length > 0) throw new InputError(problems);
    const reports = outcomes.map((outcome) => {
      if (!outcome.summary || !outcome.report) throw new Error('a compared environment came back without its report');
      return outcome.report;
    });
    const left = loaded.map((entry, index) => ({ dir: bundleIn(root, entry.topology.name).path, manifest: outcomes[index]!.summary!.manifest }));
    const fleet = withFleet ? fleetBundle(loaded.map((entry) => entry.topology), wholeTopology(project, files, outcomes)) : undefined;
    if (fleet) {
      const dir = bundleIn(root, FLEET_DIR);
      reports.push(checkReport(dir, fleet, undefined));
      left.push({ dir: dir.path, manifest: manifestDigest(fleet) });
    }
    return { reports, left };
  } finally {
    await pool.close();
  }
}
