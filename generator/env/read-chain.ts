// The loading end for shared bases: reads an environment file and every base its `extends` chain names.
// `extends` is a path relative to the file that writes it (e.g. `_base.yaml` next to the environment); a missing file,
// a cycle or a value that is not such a path is reported at the `extends` value.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { InputError, type Diagnostic } from '../diagnostics.ts';
import { EXTENDS_KEY, type SourceFile } from './extends.ts';
import { parseYaml, readEnvironmentText } from './load.ts';

const YAML_FILE = /\.ya?ml$/;

/** `file` is relative to `root`; `shown` is how diagnostics name a file. Sources come environment first. */
export function readChain(root: string, file: string, shown: (file: string) => string = (path) => path): SourceFile[] {
  const sources: SourceFile[] = [];
  const visited: string[] = [];
  let current: string | undefined = normalize(file);
  while (current !== undefined) {
    const text = readEnvironmentText(join(root, current), shown(current));
    sources.push({ file: shown(current), text, path: current.split(sep).join('/') });
    visited.push(current);
    const parsed = parseYaml(text, shown(current));
    const value: unknown = parsed.get(EXTENDS_KEY);
    if (value === undefined) break;
    const problem = (message: string, expected: string): Diagnostic => ({ file: shown(current!), ...parsed.positionOf([EXTENDS_KEY]), path: EXTENDS_KEY, problem: message, expected });
    if (typeof value !== 'string' || !YAML_FILE.test(value) || isAbsolute(value)) {
      throw new InputError([problem(`${JSON.stringify(value)} is not a base file`, 'a relative path to a .yaml or .yml file, e.g. extends: _base.yaml')]);
    }
    const next = normalize(join(dirname(current), value));
    if (next === '..' || next.startsWith(`..${sep}`)) {
      throw new InputError([problem(`${value} lies outside the project`, 'a base inside the project, e.g. environments/_base.yaml')]);
    }
    if (visited.includes(next)) {
      throw new InputError([problem(`extends ${value} makes a cycle: ${[...visited, next].map(shown).join(' → ')}`, 'a chain of bases that ends in a file without extends')]);
    }
    if (!statSync(join(root, next), { throwIfNoEntry: false })?.isFile()) throw new InputError([problem(`base file ${shown(next)} does not exist`, 'a path relative to this file, e.g. extends: _base.yaml')]);
    current = next;
  }
  return sources;
}
