// generate and check: the same in-memory generation, then either a write or a comparison.
// Both work on the project root found from the working directory; paths they print are relative to the working
// directory, so they can be opened from where the user is.
import { existsSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, parse, relative, resolve } from 'node:path';
import { InputError, type Diagnostic } from '../diagnostics.ts';
import { crossEnvironmentProblems, type LoadedEnvironment } from '../env/cross-environment.ts';
import { parseChain } from '../env/extends.ts';
import { environmentNameOf } from '../env/load.ts';
import { readChain } from '../env/read-chain.ts';
import { generateFromSources, type GeneratedEnvironment } from '../pipeline.ts';
import { startCliSchemaWorker } from '../validate/schema-worker.ts';
import type { OutputFile } from '../render/bundle.ts';
import { fleetBundle } from '../render/fleet-bundle.ts';
import { FLEET_DIR } from '../resources/fleet.ts';
import { bundleState, driftOf, writeBundle } from '../write/write-bundle.ts';
import { foreignFiles, orphanBundles } from './bundle-state.ts';
import { listEnvironments, selectEnvironmentFiles } from './environments.ts';
import { findProjectRoot } from './project.ts';
import { EXIT, UsageError, type Io } from './usage.ts';

/** `outRoot` is relative to the project root unless absolute. */
export interface Selection { names: string[]; all: boolean; outRoot: string }

export interface Project { root: string; shown(path: string): string }

export function projectOf(io: Io): Project {
  const root = findProjectRoot(io.cwd);
  return { root, shown: (path) => (relative(io.cwd, resolve(root, path)) || '.').split('\\').join('/') };
}

/** Every selected environment is generated before anything is written, so one bad file stops all writes. */
export function generateAll(project: Project, selection: Selection, defaultAll: boolean): GeneratedEnvironment[] {
  // Started first, so the schema worker boots while the environments are read.
  startCliSchemaWorker();
  const files = selectEnvironmentFiles(project.root, selection.names, selection.all || defaultAll, project.shown);
  // Read before the selected ones are generated: that gives the worker time to start.
  const others = otherEnvironments(project, files);
  const generated: GeneratedEnvironment[] = [];
  const loaded: LoadedEnvironment[] = [];
  const problems: Diagnostic[] = [];
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
  problems.push(...crossEnvironmentProblems(loaded, [...loaded, ...others]));
  if (problems.length > 0) throw new InputError(problems);
  return generated;
}

/** The project's environments not selected; one that does not load is that file's own problem, not the selection's. */
function otherEnvironments(project: Project, selected: readonly string[]): LoadedEnvironment[] {
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

/** The output root (`--out`, relative to the project root unless absolute), refused before anything is generated. */
function outputRoot(project: Project, outRoot: string): { path: string; shown: string } {
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
function bundleIn(root: { path: string; shown: string }, name: string): { path: string; shown: string } {
  return { path: join(root.path, name), shown: root.shown === '.' ? name : `${root.shown}/${name}` };
}

/** The bundle directory of an environment, `--out` checked first. */
export function bundleDir(project: Project, outRoot: string, env: string): { path: string; shown: string } {
  return bundleIn(outputRoot(project, outRoot), env);
}

/** With --all (every environment known), the fleet's ApplicationSet as a bundle of its own: out/_fleet. */
function withFleet(generated: readonly GeneratedEnvironment[], all: boolean): Array<{ name: string; files: OutputFile[] }> {
  const bundles = generated.map((entry) => ({ name: entry.env.name, files: entry.files }));
  const fleet = all ? fleetBundle(generated.map((entry) => entry.topology)) : undefined;
  return fleet ? [...bundles, { name: FLEET_DIR, files: fleet }] : bundles;
}

/** Told the bundle directories a successful run left on disk (the no-change fast path remembers them). */
export type RecordSuccess = (bundleDirs: string[]) => void;

export function runGenerate(selection: Selection, io: Io, recordSuccess?: RecordSuccess): number {
  const project = projectOf(io);
  const root = outputRoot(project, selection.outRoot);
  const dirs: string[] = [];
  for (const { name, files: output } of withFleet(generateAll(project, selection, false), selection.all)) {
    const dir = bundleIn(root, name);
    const summary = writeBundle(dir.path, output, { root: root.path, label: dir.shown });
    const kept = summary.kept?.length ? `, ${summary.kept.length} kept (changed since flexmesh wrote them: ${summary.kept.join(', ')})` : '';
    io.out(`${dir.shown}: ${summary.written.length} written, ${summary.unchanged.length} unchanged, ${summary.removed.length} removed${kept}`);
    dirs.push(dir.path);
  }
  recordSuccess?.(dirs);
  return EXIT.ok;
}

export function runCheck(selection: Selection, io: Io, recordSuccess?: RecordSuccess): number {
  const project = projectOf(io);
  const root = outputRoot(project, selection.outRoot);
  let drifted = false;
  const dirs: string[] = [];
  const generated = generateAll(project, selection, selection.names.length === 0);
  const paths = new Map(generated.map((entry) => [entry.env.name, entry.topology.gitops.path]));
  // The fleet is compared on an explicit --all (as CI runs it), or when a generate --all has written it.
  const fleetWritten = existsSync(bundleIn(root, FLEET_DIR).path);
  for (const { name, files: output } of withFleet(generated, selection.all || (selection.names.length === 0 && fleetWritten))) {
    const dir = bundleIn(root, name);
    dirs.push(dir.path);
    const drift = driftOf(dir.path, output);
    const state = bundleState(dir.path);
    const foreign = paths.has(name) ? foreignFiles(dir.path, output, paths.get(name)!) : [];
    for (const path of foreign) io.err(`${dir.shown}/${path}: not written by flexmesh, and Argo CD syncs it with the bundle; remove it or move it out of the synced folder`);
    drifted ||= foreign.length > 0;
    if (drift.length === 0 && state.length === 0) {
      if (foreign.length === 0) io.out(`${dir.shown}: up to date (${output.length} files)`);
      continue;
    }
    drifted = true;
    for (const line of state) io.err(`${dir.shown}: ${line}`);
    if (drift.length === 0) continue;
    io.err(`${dir.shown}: ${drift.length} file(s) differ from a fresh generate:`);
    for (const path of drift) io.err(`  ${dir.shown}/${path}`);
  }
  if (selection.names.length === 0) {
    const known = listEnvironments(project.root).map((file) => environmentNameOf(file));
    for (const name of orphanBundles(root.path, known)) {
      drifted = true;
      io.err(`${bundleIn(root, name).shown}: orphan bundle: it has a flexmesh manifest but no environments/${name}.yaml; delete the directory (and its Argo CD Applications) or restore the environment`);
    }
  }
  if (drifted) io.err("run 'flexmesh generate --all' and commit the result");
  else recordSuccess?.(dirs);
  return drifted ? EXIT.checkFailed : EXIT.ok;
}
