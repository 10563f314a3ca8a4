// generate and check: the same in-memory generation, then either a write or a comparison.
import { join } from 'node:path';
import { InputError, type Diagnostic } from '../diagnostics.ts';
import { generateFromFile, type GeneratedEnvironment } from '../pipeline.ts';
import { driftOf, writeBundle } from '../write/write-bundle.ts';
import { selectEnvironmentFiles } from './environments.ts';
import { EXIT, type Io } from './usage.ts';

export interface Selection { names: string[]; all: boolean; outRoot: string }

/** Every selected environment is generated before anything is written, so one bad file stops all writes. */
function generateAll(files: readonly string[], io: Io): GeneratedEnvironment[] {
  const generated: GeneratedEnvironment[] = [];
  const problems: Diagnostic[] = [];
  for (const file of files) {
    try {
      generated.push(generateFromFile(join(io.cwd, file), file));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.diagnostics);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return generated;
}

export function runGenerate(selection: Selection, io: Io): number {
  const files = selectEnvironmentFiles(io.cwd, selection.names, selection.all);
  for (const { env, files: output } of generateAll(files, io)) {
    const dir = join(selection.outRoot, env.name);
    const summary = writeBundle(join(io.cwd, dir), output);
    io.out(`${dir}: ${summary.written.length} written, ${summary.unchanged.length} unchanged, ${summary.removed.length} removed`);
  }
  return EXIT.ok;
}

export function runCheck(selection: Selection, io: Io): number {
  const files = selectEnvironmentFiles(io.cwd, selection.names, selection.all || selection.names.length === 0);
  let drifted = false;
  for (const { env, files: output } of generateAll(files, io)) {
    const dir = join(selection.outRoot, env.name);
    const drift = driftOf(join(io.cwd, dir), output);
    if (drift.length === 0) {
      io.out(`${dir}: up to date (${output.length} files)`);
      continue;
    }
    drifted = true;
    io.err(`${dir}: ${drift.length} file(s) differ from a fresh generate:`);
    for (const path of drift) io.err(`  ${dir}/${path}`);
  }
  if (drifted) io.err("run 'flexmesh generate --all' and commit the result");
  return drifted ? EXIT.checkFailed : EXIT.ok;
}
