// The thin command-line layer: parse flags, run a command, map outcomes to exit codes.
import { parseArgs } from 'node:util';
import { isMainThread, workerData } from 'node:worker_threads';
import { InputError, formatDiagnostic } from '../diagnostics.ts';
import { closestMatch } from '../util/did-you-mean.ts';
import { escapeUnsafe } from '../util/quote.ts';
import { WriteRefused } from '../write/refusal.ts';
import { isWorkerSetup } from './fleet-protocol.ts';
import { applyChdir } from './project.ts';
import { COMMANDS, EXIT, HELP, HELP_ARGUMENTS, UsageError, version, VERSION_ARGUMENTS, type Io } from './usage.ts';

export { ranFullPipeline, whenCodeCachesDue } from '../util/run-profile.ts';
export { tieringTag } from '../util/v8-tiering.ts';

// The bundle is one file, so the worker threads of a parallel generate run it too (fleet-parallel.ts): such a worker
// serves the main thread instead of reading a command line.
if (!isMainThread && isWorkerSetup(workerData)) void import('./fleet-worker.ts');

const COMMON_OPTIONS = {
  env: { type: 'string', multiple: true, default: [] as string[] },
  all: { type: 'boolean', default: false },
  out: { type: 'string', default: 'out' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const VALIDATE_OPTIONS = {
  'pre-existing': { type: 'string', multiple: true, default: [] as string[] },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Global options also accepted after the command (taken out before parsing; see applyChdir). */
const GLOBAL_OPTIONS = ['--chdir', '-C'];

/** parseArgs' "Unknown option '--evn'" with the option the user probably meant. */
function unknownOption(error: Error, command: string): string {
  const option = /Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (!option?.startsWith('--')) return error.message;
  const options = command === 'validate' ? VALIDATE_OPTIONS : COMMON_OPTIONS;
  const known = [...Object.keys(options).map((name) => `--${name}`), ...GLOBAL_OPTIONS.filter((name) => name.startsWith('--'))];
  const suggestion = closestMatch(option.split('=')[0]!, known);
  return suggestion ? `unknown option "${option}" for ${command}; did you mean ${suggestion}?` : `unknown option "${option}" for ${command} (options: ${known.join(', ')})`;
}

// Commands load on demand: `--help` and usage errors should not pay for the generator and its validators.
async function validateCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: VALIDATE_OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    io.out(HELP.validate);
    return EXIT.ok;
  }
  const { runValidate } = await import('./validate.ts');
  const declared = values['pre-existing'].flatMap((list) => list.split(',')).filter(Boolean);
  return runValidate(positionals, declared, io);
}

async function run(command: string, rest: readonly string[], io: Io): Promise<number> {
  if (command === 'validate') return validateCommand(rest, io);
  if (command === 'show' || command === 'list' || command === 'diff' || command === 'init') return (await import('./more-commands.ts')).runMoreCommand(command, rest, io);
  if (command !== 'generate' && command !== 'check') {
    const suggestion = closestMatch(command, COMMANDS);
    throw new UsageError(`unknown command "${command}"${suggestion ? `; did you mean "${suggestion}"?` : ` (commands: ${COMMANDS.join(', ')})`}`);
  }
  const { values } = parseArgs({ args: [...rest], options: COMMON_OPTIONS, allowPositionals: false, strict: true });
  if (values.help) {
    io.out(HELP[command]);
    return EXIT.ok;
  }
  const selection = { names: values.env, all: values.all, outRoot: values.out };
  // check defaults to every environment, generate to dev.
  const defaultAll = command === 'check' && selection.names.length === 0;
  const { fastPath } = await import('./fast-path.ts');
  const fast = fastPath(selection, defaultAll, io);
  // Without a record of an earlier run nothing can be unchanged: a fleet's worker threads start while the fast path
  // hashes the environments and the pipeline loads here (prestart.ts). A rerun does not pay for them.
  const prestarted = command === 'generate' && fast?.recorded !== true ? (await import('./prestart.ts')).prestartWorkers(selection, io) : undefined;
  try {
    const known = fast?.answer(command);
    if (known !== undefined) return known;
    const { runCheck, runGenerate } = await import('./commands.ts');
    return command === 'generate' ? await runGenerate(selection, io, fast?.record, prestarted) : await runCheck(selection, io, fast?.record);
  } finally {
    await prestarted?.pool.close();
  }
}

/**
 * Recognised by name as well as class: under the tests' tsx hooks a test file's imports load as CommonJS while the
 * commands imported on demand load as ES modules, so the same class can exist twice (the bundled build has one).
 */
function isInputError(error: unknown): error is InputError {
  return error instanceof InputError || ((error as Error | undefined)?.name === 'InputError' && Array.isArray((error as InputError).diagnostics));
}

export async function main(argv: readonly string[], given: Io): Promise<number> {
  try {
    // -C/--chdir is global (before or after the command), so it is taken out before the command's own parsing.
    const { args, cwd } = applyChdir(argv, given.cwd);
    const io = { ...given, cwd };
    const [command, ...rest] = args;
    if (command === undefined || HELP_ARGUMENTS.includes(command)) {
      io.out(HELP.main);
      return command === undefined ? EXIT.badInput : EXIT.ok;
    }
    if (VERSION_ARGUMENTS.includes(command)) {
      io.out(`flexmesh ${version(io)}`);
      return EXIT.ok;
    }
    try {
      return await run(command, rest, io);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(unknownOption(error as Error, command));
      throw error;
    }
  } catch (error) {
    if (isInputError(error)) {
      for (const diagnostic of error.diagnostics) given.err(formatDiagnostic(diagnostic));
      given.err(`flexmesh: ${error.diagnostics.length} problem(s) found; nothing was written`);
      return EXIT.badInput;
    }
    if (error instanceof WriteRefused || (error as Error | undefined)?.name === 'WriteRefused') {
      const refused = error as WriteRefused;
      for (const problem of refused.problems) given.err(`flexmesh: ${escapeUnsafe(problem)}`);
      given.err(`flexmesh: ${escapeUnsafe(refused.outcome)}`);
      return EXIT.badInput;
    }
    if (error instanceof UsageError || (error as Error | undefined)?.name === 'UsageError' || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      given.err(`flexmesh: ${escapeUnsafe((error as Error).message, true)}\nRun 'flexmesh --help' for usage.`);
      return EXIT.badInput;
    }
    throw error;
  }
}
