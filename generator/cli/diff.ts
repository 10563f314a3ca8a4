// flexmesh diff: what generate would change in out/, as a unified diff per file (new, changed and removed files).
// Default selection is --all, as for check: a preview of everything a `generate --all` would write. A fleet is
// generated and compared by worker threads (compare-parallel.ts), as check does it.
import { diffReport, printReport, type BundleReport } from './bundle-report.ts';
import { bundleDir, generateAll, projectOf, type Selection } from './commands.ts';
import { selectEnvironmentFiles } from './environments.ts';
import { workersFor } from './fleet-threads.ts';
import { outputRoot } from './output-root.ts';
import { EXIT, type Io } from './usage.ts';

export async function runDiff(selection: Selection, io: Io): Promise<number> {
  const project = projectOf(io);
  const files = selectEnvironmentFiles(project.root, selection.names, selection.all || selection.names.length === 0, project.shown);
  const workers = workersFor(files);
  const reports: BundleReport[] = workers > 0
    ? (await (await import('./compare-parallel.ts')).compareInWorkers({ kind: 'diff', project, files, root: outputRoot(project, selection.outRoot), withFleet: false, workers, cwd: io.cwd })).reports
    : generateAll(project, selection, selection.names.length === 0).map(({ env, files: output }) => diffReport(bundleDir(project, selection.outRoot, env.name), output));
  for (const report of reports) printReport(report, io);
  const changed = reports.reduce((sum, report) => sum + report.lines.length, 0);
  io.err(changed === 0 ? 'flexmesh diff: generate would change nothing' : `flexmesh diff: generate would change ${changed} file(s)`);
  return changed === 0 ? EXIT.ok : EXIT.checkFailed;
}
