// flexmesh diff: what generate would change in out/, as a unified diff per file (new, changed and removed files).
// Default selection is --all, as for check: a preview of everything a `generate --all` would write. A fleet is
// generated and compared by worker threads (compare-parallel.ts), as check does it.
import { diffReport, printReport, type BundleReport } from './bundle-report.ts';
import { generateFiles, projectOf, type Selection } from './commands.ts';
import { selectEnvironmentFiles } from './environments.ts';
import { workersFor } from './fleet-threads.ts';
import { bundleIn, outputRoot } from './output-root.ts';
import { EXIT, type Io } from './usage.ts';

export async function runDiff(selection: Selection, io: Io): Promise<number> {
  const project = projectOf(io);
  // --out is checked before anything is generated, as generate and check do.
  const root = outputRoot(project, selection.outRoot);
  const files = selectEnvironmentFiles(project.root, selection.names, selection.all || selection.names.length === 0, project.shown);
  const workers = workersFor(files);
  const reports: BundleReport[] = workers > 0
    ? (await (await import('./compare-parallel.ts')).compareInWorkers({ kind: 'diff', project, files, root, withFleet: false, workers, cwd: io.cwd })).reports
    : generateFiles(project, files).map(({ env, files: output }) => diffReport(bundleIn(root, env.name), output));
  for (const report of reports) printReport(report, io);
  const changed = reports.reduce((sum, report) => sum + report.lines.length, 0);
  io.err(changed === 0 ? 'flexmesh diff: generate would change nothing' : `flexmesh diff: generate would change ${changed} file(s)`);
  return changed === 0 ? EXIT.ok : EXIT.checkFailed;
}
