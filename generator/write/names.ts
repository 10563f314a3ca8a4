// The names flexmesh gives its own working files inside a bundle directory. Each carries "flexmesh" and a suffix no
// person would type, so recovery can tell them from a user's files; nothing outside these names (and the files the
// manifest or journal record with a matching hash) is ever removed.
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';

export const LOCK_FILE = '.flexmesh-lock';
export const JOURNAL_FILE = '.flexmesh-journal.json';
const PARTIAL_SUFFIX = '.flexmesh-partial';

/** Where a file's new content is written before it is renamed over the file (same directory, so rename is atomic). */
export function partialOf(path: string): string {
  const dir = posix.dirname(path);
  const name = `.${posix.basename(path)}${PARTIAL_SUFFIX}`;
  return dir === '.' ? name : `${dir}/${name}`;
}

export const isPartialName = (name: string): boolean => name.startsWith('.') && name.endsWith(PARTIAL_SUFFIX);

/** A bundle-relative path flexmesh may create or remove: forward slashes, no empty, "." or ".." segment, not absolute. */
export function isBundlePath(path: unknown): path is string {
  if (typeof path !== 'string' || path === '' || path.length > 1024) return false;
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Why `dir` (absolute) is not strictly one level inside `root` (the output root), or undefined when it is. */
export function outsideRootProblem(dir: string, root: string): string | undefined {
  const rel = relative(resolve(root), resolve(dir));
  if (rel === '') return 'it is the output root itself';
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return 'it is outside the output root';
  if (rel.includes(sep) || rel === '.') return 'it is not directly inside the output root';
  return undefined;
}
