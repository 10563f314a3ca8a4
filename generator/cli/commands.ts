// generate and check: the same in-memory generation, then either a write or a comparison.
// Both work on the project root found from the working directory; paths they print are relative to the working
// directory, so they can be opened from where the user is.
import { existsSync } from 'node:fs';
import { InputError, type Diagnostic } from '../diagnostics.ts';
import { crossEnvironmentProblems, type LoadedEnvironment } from '../env/cross-environment.ts';
import { parseChain } from '../env/extends.ts';
import { environmentNameOf } from '../env/load.ts';
import { readChain } from '../env/read-chain.ts';
import { generateFromSources, type GeneratedEnvironment } from '../pipeline.ts';
import { startCliSchemaWorker, whileAwaitingSchemas } from '../validate/schema-worker.ts';
import { manifestDigest, type OutputFile } from '../render/bundle.ts';
import { fleetBundle } from '../render/fleet-bundle.ts';
import { FLEET_DIR } from '../resources/fleet.ts';
import { removeAbandonedStaging, stagingAreas } from '../write/staging.ts';
import { writeBundle } from '../write/write-bundle.ts';
import { orphanBundles } from './bundle-state.ts';
import { checkReport, printReport, type BundleReport } from './bundle-report.ts';
import { listEnvironments, selectEnvironmentFiles } from './environments.ts';
import { workersFor } from './fleet-threads.ts';
import type { OutputRoot } from './fleet-protocol.ts';
import { bundleIn, outputRoot, projectAt, summaryLine, type Project } from './output-root.ts';
import { findProjectRoot } from './project.ts';
import type { LeftBundle } from './fast-path.ts';
import type { Prestarted } from './prestart.ts';
import { EXIT, type Io } from './usage.ts';

export type { Project } from './output-root.ts';

/** `outRoot` is relative to the project root unless absolute. */
export interface Selection { names: string[]; all: boolean; outRoot: string }

export function projectOf(io: Io): Project {
  return projectAt(findProjectRoot(io.cwd), io.cwd);
}

/** Every selected environment is generated before anything is written, so one bad file stops all writes. */
export function generateAll(project: Project, selection: Selection, defaultAll: boolean): GeneratedEnvironment[] {
  return generateFiles(project, selectEnvironmentFiles(project.root, selection.names, selection.all || defaultAll, project.shown));
}

/** The environment files given (already selected), generated in this thread; the rules across environments checked. */
export function generateFiles(project: Project, files: readonly string[]): GeneratedEnvironment[] {
  // Started first, so the schema worker boots while the first environment is read and built.
  startCliSchemaWorker();
  // The other environments (for the rules across environments) are read while this thread would otherwise wait for
  // the worker's schema answers: about a sixth of a cold `generate --env dev`, and their result is the same whenever.
  let others: LoadedEnvironment[] | undefined;
  const readOthers = () => (others ??= otherEnvironments(project, files));
  const withdraw = whileAwaitingSchemas(readOthers);
  const generated: GeneratedEnvironment[] = [];
  const loaded: LoadedEnvironment[] = [];
  const problems: Diagnostic[] = [];
  try {
    for (const file of files) {
      try {
        const sources = readChain(project.root, file, project.shown);
        const result = generateFromSources(sources);
        generated.push(result);
        loaded.push({ file: project.shown(file), text: sources[0]!.text, topology: result.topology, locate: result.locate });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push(...error.diagnostics);
      }
    }
  } finally {
    withdraw();
  }
  problems.push(...crossEnvironmentProblems(loaded, [...loaded, ...readOthers()]));
  if (problems.length > 0) throw new InputError(problems);
  return generated;
}

/** The project's environments not selected; one that does not load is that file's own problem, not the selection's. */
export function otherEnvironments(project: Project, selected: readonly string[]): LoadedEnvironment[] {
  return listEnvironments(project.root).filter((file) => !selected.includes(file)).flatMap((file) => {
    try {
      const sources = readChain(project.root, file, project.shown);
      const { topology, locate } = parseChain(sources);
      return [{ file: project.shown(file), text: sources[0]!.text, topology, locate }];
    } catch {
      return [];
    }
  });
}

/** The bundle directory of an environment, `--out` checked first. */
export function bundleDir(project: Project, outRoot: string, env: string): { path: string; shown: string } {
  return bundleIn(outputRoot(project, outRoot), env);
}

/** With --all (every environment known), the fleet's ApplicationSet as a bundle of its own: out/_fleet. */
export function withFleet(generated: readonly GeneratedEnvironment[], all: boolean): Array<{ name: string; files: OutputFile[] }> {
  const bundles = generated.map((entry) => ({ name: entry.env.name, files: entry.files }));
  const fleet = all ? fleetBundle(generated.map((entry) => entry.topology), (topology) => topology) : undefined;
  return fleet ? [...bundles, { name: FLEET_DIR, files: fleet }] : bundles;
}

/** Told the bundles a successful run left on disk (the no-change fast path remembers them). */
export type RecordSuccess = (bundles: LeftBundle[]) => void;

/** Writes each bundle in turn, printing what changed; the bundles written, in order. */
export function writeBundles(bundles: ReadonlyArray<{ name: string; files: OutputFile[] }>, root: OutputRoot, io: Io): LeftBundle[] {
  return bundles.map(({ name, files: output }) => {
    const dir = bundleIn(root, name);
    io.out(summaryLine(dir.shown, writeBundle(dir.path, output, { root: root.path, label: dir.shown })));
    return { dir: dir.path, manifest: manifestDigest(output) };
  });
}

export async function runGenerate(selection: Selection, io: Io, recordSuccess?: RecordSuccess, prestarted?: Prestarted): Promise<number> {
  const project = projectOf(io);
  const root = outputRoot(project, selection.outRoot);
  const files = selectEnvironmentFiles(project.root, selection.names, selection.all, project.shown);
  const workers = workersFor(files);
  // What an interrupted parallel run staged (write/staging.ts) goes, whichever way this run writes.
  removeAbandonedStaging(root.path);
  // A fleet is generated by worker threads (generate-parallel.ts); a few environments are quicker in this one.
  const left = workers > 0
    ? await (await import('./generate-parallel.ts')).generateInWorkers({ project, files, root, all: selection.all, workers, io, prestarted })
    : writeBundles(withFleet(generateFiles(project, files), selection.all), root, io);
  recordSuccess?.(left);
  return EXIT.ok;
}

/** Each selected bundle's report, in order (the fleet bundle's last), generated in this thread. */
function checkHere(project: Project, files: readonly string[], root: OutputRoot, fleet: boolean): { reports: BundleReport[]; left: LeftBundle[] } {
  const generated = generateFiles(project, files);
  const paths = new Map(generated.map((entry) => [entry.env.name, entry.topology.gitops.path]));
  const reports: BundleReport[] = [];
  const left: LeftBundle[] = [];
  for (const { name, files: output } of withFleet(generated, fleet)) {
    const dir = bundleIn(root, name);
    // Recorded only when nothing drifted, so the manifest on disk is then the one rendered here.
    left.push({ dir: dir.path, manifest: manifestDigest(output) });
    reports.push(checkReport(dir, output, paths.get(name)));
  }
  return { reports, left };
}

export async function runCheck(selection: Selection, io: Io, recordSuccess?: RecordSuccess): Promise<number> {
  const project = projectOf(io);
  const root = outputRoot(project, selection.outRoot);
  const files = selectEnvironmentFiles(project.root, selection.names, selection.all || selection.names.length === 0, project.shown);
  // The fleet is compared on an explicit --all (as CI runs it), or when a generate --all has written it.
  const fleet = selection.all || (selection.names.length === 0 && existsSync(bundleIn(root, FLEET_DIR).path));
  const workers = workersFor(files);
  // A fleet is generated and compared by worker threads (compare-parallel.ts), as generate does it.
  const { reports, left } = workers > 0
    ? await (await import('./compare-parallel.ts')).compareInWorkers({ kind: 'check', project, files, root, withFleet: fleet, workers, cwd: io.cwd })
    : checkHere(project, files, root, fleet);
  for (const report of reports) printReport(report, io);
  let drifted = reports.some((report) => report.drifted);
  if (selection.names.length === 0) {
    const known = listEnvironments(project.root).map((file) => environmentNameOf(file));
    for (const area of stagingAreas(root.path)) {
      drifted = true;
      const who = area.pid === undefined ? 'a generate' : `generate (pid ${area.pid})`;
      io.err(`${bundleIn(root, area.name).shown}: new bundles staged by ${who}, ${area.abandoned ? 'which was interrupted; the next generate removes them, or delete the directory' : 'which is still running'}`);
    }
    for (const name of orphanBundles(root.path, known)) {
      drifted = true;
      io.err(`${bundleIn(root, name).shown}: orphan bundle: it has a flexmesh manifest but no environments/${name}.yaml; delete the directory (and its Argo CD Applications) or restore the environment`);
    }
  }
  if (drifted) io.err("run 'flexmesh generate --all' and commit the result");
  else recordSuccess?.(left);
  return drifted ? EXIT.checkFailed : EXIT.ok;
}
