// Where flexmesh runs: `-C DIR` / `--chdir DIR` (anywhere on the command line, like git's -C) sets the working
// directory; generate and check then work on the project root, the nearest directory at or above it that holds
// environments/, so they can be run from any subdirectory of the project as git and npm can.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ENVIRONMENTS_DIR } from './environments.ts';
import { UsageError } from './usage.ts';

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** Removes every -C/--chdir from `argv`; several apply in turn, each relative to the previous (as in git). */
export function applyChdir(argv: readonly string[], cwd: string): { args: string[]; cwd: string } {
  const args: string[] = [];
  let dir = cwd;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^--chdir=(.*)$/s.exec(arg)?.[1];
    if (arg !== '-C' && arg !== '--chdir' && inline === undefined) {
      args.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${arg} needs a directory, e.g. ${arg} path/to/project`);
    dir = resolve(dir, value);
    if (!isDirectory(dir)) throw new UsageError(`${arg} ${value}: ${dir} is not a directory`);
  }
  return { args, cwd: dir };
}

/** The nearest directory at or above `start` containing environments/. */
export function findProjectRoot(start: string): string {
  const searched: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    searched.push(dir);
    if (isDirectory(join(dir, ENVIRONMENTS_DIR))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new UsageError(
    `no ${ENVIRONMENTS_DIR}/ directory found in ${searched.join(', ')}\n` +
      `Run flexmesh inside a flexmesh project (a directory with ${ENVIRONMENTS_DIR}/<name>.yaml) or below it, ` +
      'or name the project with -C DIR (--chdir DIR).',
  );
}
