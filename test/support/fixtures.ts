// Shared test inputs: the committed dev environment, variations of it, generated bundles, temp directories.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parseDocument } from 'yaml';
import { parseEnvironment, parseTopology } from '../../generator/env/load.ts';
import type { Topology } from '../../generator/model/topology.ts';
import type { Environment } from '../../generator/env/types.ts';
import { readChain } from '../../generator/env/read-chain.ts';
import { generateFromSources, generateFromText, type GeneratedEnvironment } from '../../generator/pipeline.ts';
import type { Manifest } from '../../generator/resources/types.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEV_FILE = 'environments/dev.yaml';
/**
 * The dev environment written out whole, in one file: environments/dev.yaml only says `extends: _base.yaml` and adds
 * nothing (test/extends.test.ts holds the two equal), so tests that edit one text start from the base's.
 */
export const DEV_PATH = join(PROJECT_ROOT, 'environments/_base.yaml');
export const FLEXMESH_BIN = join(PROJECT_ROOT, 'bin', 'flexmesh.js');

export function devText(): string {
  return readFileSync(DEV_PATH, 'utf8');
}

/** A committed environment as generate reads it: its file and the bases it extends. */
export function generateCommitted(name: string): GeneratedEnvironment {
  return generateFromSources(readChain(PROJECT_ROOT, `environments/${name}.yaml`));
}

/** A change to dev.yaml: set `path` to `value`, or delete it when `value` is undefined. */
export type Edit = readonly [path: ReadonlyArray<string | number>, value: unknown];

export function devTextWith(...edits: readonly Edit[]): string {
  const doc = parseDocument(devText());
  for (const [path, value] of edits) {
    if (value === undefined) doc.deleteIn(path);
    else doc.setIn(path, doc.createNode(value));
  }
  return doc.toString();
}

export function devEnvWith(...edits: readonly Edit[]): Environment {
  return parseEnvironment(devTextWith(...edits), DEV_FILE);
}

/** dev.yaml with `edits` applied, resolved into the topology every builder reads. */
export function devTopologyWith(...edits: readonly Edit[]): Topology {
  return parseTopology(devTextWith(...edits), DEV_FILE);
}

/** The rendered bundle of dev.yaml with `edits` applied, path → content. */
export function bundleWith(...edits: readonly Edit[]): Map<string, string> {
  return new Map(generateFromText(devTextWith(...edits), DEV_FILE).files.map((file) => [file.path, file.content]));
}

/** Every YAML document of a rendered file, as plain objects. */
export function documentsOf(content: string): Manifest[] {
  return parseAllDocuments(content).map((doc) => doc.toJS() as Manifest);
}

/** All documents of every .yaml file of a bundle except the verbatim samples, with their file. */
export function generatedDocuments(bundle: Map<string, string>): Array<{ path: string; doc: Manifest }> {
  return [...bundle]
    .filter(([path]) => path.endsWith('.yaml') && !/^manifests\/(bookinfo\/bookinfo|sleep\/sleep)\.yaml$/.test(path))
    .flatMap(([path, content]) => documentsOf(content).map((doc) => ({ path, doc })));
}

/** Files below `root`, relative and sorted, dot files included. */
export function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

/** Call inside a describe: returns a maker of temp directories, removed after each test or after the whole describe. */
export function useTempDirs(scope: 'each' | 'all' = 'each'): () => string {
  const made: string[] = [];
  (scope === 'each' ? afterEach : after)(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'flexmesh-test-'));
    made.push(dir);
    return dir;
  };
}
