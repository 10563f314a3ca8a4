// A bundle directory as a user leaves it: their own files, an empty folder, symbolic links to things outside the
// bundle, sibling folders named like the old writer's working folders. `userState` reads all of it back, so a test
// can assert that a generate (interrupted or not) left every bit untouched.
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { OutputFile } from '../../generator/render/bundle.ts';

export const USER_FILES: Record<string, string> = {
  'NOTES.md': 'my notes\n',
  'manifests/mine.yaml': 'kind: ConfigMap # mine\n',
  'apps/.keep': '',
};

function put(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Adds the user's things to `dir` (a bundle directory inside `outside`'s parent tree); returns what to compare. */
export function addUserFiles(dir: string, outside: string): void {
  for (const [path, content] of Object.entries(USER_FILES)) put(join(dir, path), content);
  mkdirSync(join(dir, 'empty-folder'), { recursive: true });
  put(join(outside, 'shared', 'values.yaml'), 'shared: true\n');
  put(join(outside, 'linked.txt'), 'linked\n');
  symlinkSync(join(outside, 'shared'), join(dir, 'manifests', 'shared-link'));
  symlinkSync(join(outside, 'linked.txt'), join(dir, 'link.txt'));
  put(`${dir}.previous/apps/ghost.yaml`, 'not flexmesh\'s\n');
  put(`${dir}.staging/half.yaml`, 'not flexmesh\'s either\n');
}

/** Every entry below `root` (the output root) that is not one of the generated `files` of `bundle` (its folder name). */
export function userState(root: string, bundle: string, files: readonly OutputFile[]): Record<string, string> {
  const generated = new Set(files.map((file) => `${bundle}/${file.path}`));
  const state: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(root, path).split('\\').join('/');
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) state[rel] = `link -> ${readlinkSync(path)}`;
      else if (stat.isDirectory()) {
        if (readdirSync(path).length === 0) state[`${rel}/`] = 'empty folder';
        visit(path);
      } else if (!generated.has(rel)) state[rel] = readFileSync(path, 'utf8');
    }
  };
  visit(root);
  return state;
}

/** Generated files on disk: path → content, for the paths of any of the given bundles (absent ones left out). */
export function generatedState(dir: string, ...bundles: ReadonlyArray<readonly OutputFile[]>): Record<string, string> {
  const state: Record<string, string> = {};
  for (const path of new Set(bundles.flat().map((file) => file.path))) {
    try {
      if (lstatSync(join(dir, path)).isFile()) state[path] = readFileSync(join(dir, path), 'utf8');
    } catch {
      // absent
    }
  }
  return state;
}

export const asState = (files: readonly OutputFile[]): Record<string, string> => Object.fromEntries(files.map((file) => [file.path, file.content]));
