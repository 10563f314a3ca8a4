// Which environment files a command works on: --env NAME (repeatable), --all, or the default `dev`.
// One naming rule for both: environments/<name>.yaml (or .yml) where <name> is a DNS label, since it becomes the
// output directory and the prefix of Kubernetes object names. Files starting with "_" are not environments
// (reserved for shared bases), so --all skips them.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { InputError, type Diagnostic } from '../diagnostics.ts';
import { closestMatch } from '../util/did-you-mean.ts';
import { UsageError } from './usage.ts';

export const ENVIRONMENTS_DIR = 'environments';
export const DEFAULT_ENVIRONMENT = 'dev';
/** The base `flexmesh init` extends when given neither --from nor --base. */
export const DEFAULT_BASE_FILE = '_base.yaml';

const EXTENSION = /\.ya?ml$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_RULE = 'a DNS label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';

/** Why `name` cannot name an environment, or undefined when it can. */
export function environmentNameProblem(name: string): string | undefined {
  if (name.startsWith('_')) return 'names starting with "_" are reserved for shared bases, not environments';
  if (name.length > 63) return `it has ${name.length} characters; it must be ${LABEL_RULE}`;
  return DNS_LABEL.test(name) ? undefined : `it must be ${LABEL_RULE}`;
}

/** `regular` is false for a directory, a link to nothing or anything else named like an environment file. */
interface EnvFile { file: string; name: string; regular: boolean }

/** Entries in environments/ ending in .yaml or .yml; regular files (or links to them) are environment files. */
function listEnvironmentFiles(root: string): EnvFile[] {
  const dir = join(root, ENVIRONMENTS_DIR);
  const isFile = (entry: Dirent) => entry.isFile() || (entry.isSymbolicLink() && statSync(join(dir, entry.name), { throwIfNoEntry: false })?.isFile() === true);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => EXTENSION.test(entry.name))
    .map((entry) => ({ file: `${ENVIRONMENTS_DIR}/${entry.name}`, name: entry.name.replace(EXTENSION, ''), regular: isFile(entry) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

const fileProblem = (file: string, problem: string, expected: string): Diagnostic => ({ file, path: '(file name)', problem, expected });

function selectAll(files: readonly EnvFile[], shown: (file: string) => string): string[] {
  const problems: Diagnostic[] = [];
  const selected: EnvFile[] = [];
  // By name: a fleet has thousands of files, and looking each up in the list so far was quadratic.
  const byName = new Map<string, EnvFile>();
  for (const entry of files.filter((candidate) => !candidate.name.startsWith('_'))) {
    if (!entry.regular) {
      problems.push(fileProblem(shown(entry.file), 'is named like an environment file but is not a regular file (a directory, or a link to nothing)', 'rename or remove it'));
      continue;
    }
    const reason = environmentNameProblem(entry.name);
    if (reason) {
      problems.push(fileProblem(shown(entry.file), `"${entry.name}" cannot name an environment: ${reason}`, 'rename the file, or start its name with "_" so --all skips it'));
      continue;
    }
    const twin = byName.get(entry.name);
    if (twin) problems.push(fileProblem(shown(entry.file), `environment "${entry.name}" is also defined by ${shown(twin.file)}`, 'keep one of the two files'));
    else {
      byName.set(entry.name, entry);
      selected.push(entry);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  if (selected.length === 0) throw new UsageError(`--all found no environment files in ${ENVIRONMENTS_DIR}/ (files starting with "_" are skipped)`);
  return selected.map((entry) => entry.file);
}

function selectNamed(name: string, files: readonly EnvFile[]): string {
  const known = [...new Set(files.filter((entry) => entry.regular).map((entry) => entry.name).filter((candidate) => !environmentNameProblem(candidate)))];
  if (EXTENSION.test(name) || /[/\\]/.test(name)) {
    const stem = name.split(/[/\\]/).pop()!.replace(EXTENSION, '');
    throw new UsageError(`--env takes an environment name, not a file: "${name}"; did you mean --env ${stem}?`);
  }
  const suggestion = closestMatch(name, known);
  const didYouMean = suggestion ? `; did you mean --env ${suggestion}?` : known.length > 0 ? ` (environments: ${known.join(', ')})` : '';
  const reason = environmentNameProblem(name);
  if (reason) throw new UsageError(`environment name "${name}" is not valid: ${reason}${didYouMean}`);
  const matches = files.filter((entry) => entry.name === name);
  if (matches.length > 1) throw new UsageError(`${matches.map((entry) => entry.file).join(' and ')} both define environment "${name}"; keep one of the two files`);
  const odd = matches.find((entry) => !entry.regular);
  if (odd) throw new UsageError(`${odd.file} is not a regular file (a directory, or a link to nothing); environment "${name}" needs ${ENVIRONMENTS_DIR}/${name}.yaml to be a file`);
  if (matches.length === 0) throw new UsageError(`no environment file ${ENVIRONMENTS_DIR}/${name}.yaml${didYouMean}`);
  return matches[0]!.file;
}

/** Every file --all would select, without failing on the ones it would refuse (for rules across environments). */
export function listEnvironments(root: string): string[] {
  return listEnvironmentFiles(root).filter((entry) => entry.regular && !environmentNameProblem(entry.name)).map((entry) => entry.file);
}

/** Paths relative to the project root, e.g. `environments/dev.yaml`; `shown` is how diagnostics name a file. */
export function selectEnvironmentFiles(root: string, names: readonly string[], all: boolean, shown = (file: string) => file): string[] {
  if (all && names.length > 0) throw new UsageError('use either --env or --all, not both');
  const files = listEnvironmentFiles(root);
  if (all) return selectAll(files, shown);
  return (names.length > 0 ? names : [DEFAULT_ENVIRONMENT]).map((name) => selectNamed(name, files));
}
