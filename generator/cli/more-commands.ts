// Commands for many environments: show, list, diff and init. Kept apart from main.ts so their flags and help live
// together; main.ts only routes to them.
import { parseArgs } from 'node:util';
import { EXIT, type Io } from './usage.ts';

export const MORE_COMMANDS = ['show', 'list', 'diff', 'init'] as const;
type MoreCommand = (typeof MORE_COMMANDS)[number];

export const MORE_HELP: Record<MoreCommand, string> = {
  show: `Usage: flexmesh show --env NAME [-C DIR]

Prints environment NAME as generate uses it: its extends chain merged (maps merge key by key, lists and scalars
replace, null removes an inherited key), schema defaults applied and the name-derived gitops.path and
argocd.project filled in. The output is itself a valid environment file.`,
  list: `Usage: flexmesh list [--out DIR] [-C DIR]

One line per environment (files starting with "_" are bases, not listed): its chain of bases, Flex mode,
destination cluster, and the state of its bundle in <out>/NAME: up to date, drift or missing.`,
  diff: `Usage: flexmesh diff [--env NAME ...|--all] [--out DIR] [-C DIR]

Prints, as a unified diff per file, what generate would change in <out>/ (new, changed and removed files);
default: --all. Exit 0 when nothing would change, 1 otherwise, 2 on bad input.`,
  init: `Usage: flexmesh init NAME [--from ENV|--base FILE] [--mode local|connected] [--cluster URL|NAME] [-C DIR]

Writes environments/NAME.yaml: \`extends:\` the base (default environments/_base.yaml, or environments/FILE with
--base, or environment ENV with --from), the name-derived gitops.path out/NAME and argocd.project flexmesh-NAME,
the mode and destination cluster when given (an https:// URL is a server, anything else a cluster name as
registered with argocd cluster add), and comments naming the Secrets to create. Refuses to overwrite a file;
the new environment is loaded and checked before it is written.`,
};

const COMMON = { out: { type: 'string', default: 'out' }, help: { type: 'boolean', short: 'h', default: false } } as const;

export async function runMoreCommand(command: MoreCommand, args: readonly string[], io: Io): Promise<number> {
  if (command === 'init') {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { from: { type: 'string' }, base: { type: 'string' }, mode: { type: 'string' }, cluster: { type: 'string' }, help: COMMON.help },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) return help(command, io);
    if (positionals.length !== 1) throw new (await import('./usage.ts')).UsageError('init takes one environment name, e.g. flexmesh init qa');
    const { runInit } = await import('./init.ts');
    return runInit({ name: positionals[0]!, from: values.from, base: values.base, mode: values.mode, cluster: values.cluster }, io);
  }
  const { values } = parseArgs({
    args: [...args],
    options: { ...COMMON, ...(command === 'list' ? {} : { env: { type: 'string', multiple: true, default: [] as string[] }, all: { type: 'boolean', default: false } }) },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) return help(command, io);
  const selection = { names: (values as { env?: string[] }).env ?? [], all: (values as { all?: boolean }).all ?? false, outRoot: values.out };
  if (command === 'show') return (await import('./show.ts')).runShow(selection, io);
  if (command === 'list') return (await import('./list.ts')).runList(selection, io);
  return (await import('./diff.ts')).runDiff(selection, io);
}

function help(command: MoreCommand, io: Io): number {
  io.out(MORE_HELP[command]);
  return EXIT.ok;
}
