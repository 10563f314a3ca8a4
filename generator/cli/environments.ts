// Which environment files a command works on: --env NAME (repeatable), --all, or the default `dev`.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usage.ts';

export const ENVIRONMENTS_DIR = 'environments';
export const DEFAULT_ENVIRONMENT = 'dev';

export function selectEnvironmentFiles(cwd: string, names: readonly string[], all: boolean): string[] {
  if (all && names.length > 0) throw new UsageError('use either --env or --all, not both');
  if (all) {
    const dir = join(cwd, ENVIRONMENTS_DIR);
    const files = existsSync(dir) ? readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort() : [];
    if (files.length === 0) throw new UsageError(`--all found no environment files in ${ENVIRONMENTS_DIR}/`);
    return files.map((file) => `${ENVIRONMENTS_DIR}/${file}`);
  }
  return (names.length > 0 ? names : [DEFAULT_ENVIRONMENT]).map((name) => {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw new UsageError(`environment name "${name}" must be a DNS label (lowercase letters, digits, "-")`);
    const file = `${ENVIRONMENTS_DIR}/${name}.yaml`;
    if (!existsSync(join(cwd, file))) throw new UsageError(`no environment file ${file}`);
    return file;
  });
}
