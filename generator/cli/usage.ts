// Exit codes and usage errors shared by every command.
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../assets.ts';

export const EXIT = { ok: 0, checkFailed: 1, badInput: 2 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The built tool (dist/build-info.json), passed by bin/flexmesh.js; absent when the sources run (tests). */
export interface Tool { version: string; fingerprint: string }

export interface Io { out(line: string): void; err(line: string): void; cwd: string; tool?: Tool }

export const COMMANDS = ['generate', 'check', 'validate', 'diff', 'show', 'list', 'init', 'version', 'help'];

/** What asks for the main help text or the version when given alone (bin/flexmesh.js answers those from the build). */
export const HELP_ARGUMENTS = ['--help', '-h', 'help'];
export const VERSION_ARGUMENTS = ['--version', '-V', 'version'];

/** The package's version: the build's record when the bin runs it, package.json when the sources run. */
export function version(io: Io): string {
  if (io.tool) return io.tool.version;
  return (JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, 'utf8')) as { version: string }).version;
}

const CHDIR = '  -C DIR       run as if flexmesh was started in DIR (also --chdir DIR; before or after the command)';
const ROOT = `The project root is the nearest directory at or above the working directory that contains environments/.`;

export const HELP = {
  main: `flexmesh: generate GitOps bundles for MuleSoft Flex Gateway in an Istio mesh with Argo CD

Usage: flexmesh <command> [options]

Commands:
  generate   write out/<env>/ from environments/<env>.yaml
  check      regenerate in memory and compare with out/; exit 1 on drift
  validate   check manifests on disk (schemas and cross-references); exit 1 when invalid
  diff       what generate would change in out/, as a unified diff; exit 1 when anything would change
  show       the merged, defaulted environment generate uses (bases applied)
  list       environments, their bases, mode, cluster and bundle state
  init       write environments/NAME.yaml extending a base; never overwrites
  version    print flexmesh's version (also --version, -V)

Global option, before or after the command:
  -C DIR, --chdir DIR   run as if flexmesh was started in DIR
generate and check work from any directory of a project: its root is the nearest directory at or above
the working directory that contains environments/.

Run 'flexmesh <command> --help' for a command's options.
Exit codes: 0 ok, 1 check failed, 2 bad input or usage.`,
  generate: `Usage: flexmesh generate [--env NAME ...|--all] [--out DIR] [-C DIR]

Writes <out>/<env>/ for each selected environment (default: --env dev).
  --env NAME   environment file environments/NAME.yaml (or .yml); NAME is the environment's name, a DNS label,
               not a file path (repeatable)
  --all        every environments/*.yaml and *.yml, except files starting with "_" (reserved for shared bases);
               a file whose name is not a valid environment name is an error
  --out DIR    output root, relative to the project root unless absolute (default: out)
${CHDIR}
${ROOT}
Nothing is written when any environment has an error (exit 2).`,
  check: `Usage: flexmesh check [--env NAME ...|--all] [--out DIR] [-C DIR]

Regenerates in memory and compares with <out>/<env>/ (default: --all, every environments/*.yaml and *.yml
except files starting with "_"). --env, --all, --out and -C work as for generate.
${ROOT}
Exit 1 and the differing files when regeneration would change anything.`,
  validate: `Usage: flexmesh validate <dir|file>... [--pre-existing NS[,NS...]] [-C DIR]

Runs the schema and cross-reference checks of generate on any manifests (*.yaml and *.yml, recursively).
Every bundle (a directory holding .flexmesh-manifest.json, as generate writes it) is checked on its own, with the
pre-existing namespaces and product versions its manifest records; YAML files outside any bundle are checked
together as one group. A file named alone is checked with the bundle it is in.
One line per problem, \`path:line:col Kind/name: message\`, on stderr; one summary line per bundle or group on
stdout; exit 1 when anything is invalid.
  --pre-existing NS   more namespaces that exist without the manifests creating them, for every bundle and group
                      (files outside bundles, and manifests older than the record, assume: argocd, argo)
  -C DIR              resolve the paths from DIR (also --chdir DIR)`,
} as const;
