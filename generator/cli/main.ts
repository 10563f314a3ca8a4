// The thin command-line layer: parse flags, run a command, map outcomes to exit codes.
import { parseArgs } from 'node:util';
import { InputError, formatDiagnostic } from '../diagnostics.ts';
import { applyChdir } from './project.ts';
import { EXIT, HELP, UsageError, type Io } from './usage.ts';

const COMMON_OPTIONS = {
  env: { type: 'string', multiple: true, default: [] as string[] },
  all: { type: 'boolean', default: false },
  out: { type: 'string', default: 'out' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

// Commands load on demand: `--help` and usage errors should not pay for the generator and its validators.
async function validateCommand(args: readonly string[], io: Io): Promise<number> {
  const { runValidate } = await import('./validate.ts');
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { 'pre-existing': { type: 'string', multiple: true, default: [] as string[] }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.out(HELP.validate);
    return EXIT.ok;
  }
  const declared = values['pre-existing'].flatMap((list) => list.split(',')).filter(Boolean);
  return runValidate(positionals, declared, io);
}

export async function main(argv: readonly string[], given: Io): Promise<number> {
  try {
    // -C/--chdir is global (before or after the command), so it is taken out before the command's own parsing.
    const { args, cwd } = applyChdir(argv, given.cwd);
    const io = { ...given, cwd };
    const [command, ...rest] = args;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP.main);
      return command === undefined ? EXIT.badInput : EXIT.ok;
    }
    if (command === 'validate') return await validateCommand(rest, io);
    if (command === 'show' || command === 'list' || command === 'diff' || command === 'init') return await (await import('./more-commands.ts')).runMoreCommand(command, rest, io);
    if (command !== 'generate' && command !== 'check') throw new UsageError(`unknown command "${command}"`);
    const { values } = parseArgs({ args: [...rest], options: COMMON_OPTIONS, allowPositionals: false, strict: true });
    if (values.help) {
      io.out(HELP[command]);
      return EXIT.ok;
    }
    const selection = { names: values.env, all: values.all, outRoot: values.out };
    const { runCheck, runGenerate } = await import('./commands.ts');
    return command === 'generate' ? runGenerate(selection, io) : runCheck(selection, io);
  } catch (error) {
    if (error instanceof InputError) {
      for (const diagnostic of error.diagnostics) given.err(formatDiagnostic(diagnostic));
      given.err(`flexmesh: ${error.diagnostics.length} problem(s) found; nothing was written`);
      return EXIT.badInput;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      given.err(`flexmesh: ${(error as Error).message}\nRun 'flexmesh --help' for usage.`);
      return EXIT.badInput;
    }
    throw error;
  }
}
