// Reads the vendored upstream data (CRDs, Kubernetes OpenAPI definitions, chart
// schemas). Nothing here interprets schemas; it only locates and parses files.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isObject, type JsonObject } from './json.ts';

export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly openAPIV3Schema: JsonObject;
}

export interface Crd {
  readonly group: string;
  readonly kind: string;
  readonly versions: readonly CrdVersion[];
  /** Path relative to the upstream dir, quoted in the generated $comment for provenance. */
  readonly sourceFile: string;
}

export function defaultUpstreamDir(repoRoot: string): string {
  return resolve(process.env['FLEXMESH_UPSTREAM_DIR'] ?? join(repoRoot, '..', 'shared', 'upstream-crds'));
}

export function upstreamDirExists(upstreamDir: string): boolean {
  return existsSync(join(upstreamDir, 'kubernetes'));
}

/**
 * Guards against someone refreshing the vendored files to another release without
 * bumping generator/validate/products.ts: the folder's SOURCE.txt must name the pin.
 */
export function assertSourcePinned(upstreamDir: string, folder: string, version: string): void {
  const source = readFileSync(join(upstreamDir, folder, 'SOURCE.txt'), 'utf8');
  if (!source.includes(version)) {
    throw new Error(`${folder}/SOURCE.txt does not mention ${version}: upstream data and products.ts disagree`);
  }
}

export function readJsonFile(path: string): JsonObject {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${path}: expected a JSON object`);
  return parsed;
}

export function readCrds(upstreamDir: string, relativeFile: string): Crd[] {
  const text = readFileSync(join(upstreamDir, relativeFile), 'utf8');
  const crds: Crd[] = [];
  for (const document of parseAllDocuments(text)) {
    const crd: unknown = document.toJS();
    if (!isObject(crd) || crd['kind'] !== 'CustomResourceDefinition') continue;
    crds.push(toCrd(crd, relativeFile));
  }
  return crds;
}

function toCrd(crd: JsonObject, sourceFile: string): Crd {
  const spec = crd['spec'];
  if (!isObject(spec) || !isObject(spec['names']) || !Array.isArray(spec['versions'])) {
    throw new Error(`${sourceFile}: CRD without spec.names/spec.versions`);
  }
  const versions = spec['versions'].map((version): CrdVersion => {
    if (!isObject(version) || !isObject(version['schema']) || !isObject(version['schema']['openAPIV3Schema'])) {
      throw new Error(`${sourceFile}: ${String(spec['group'])} version without openAPIV3Schema`);
    }
    return {
      name: String(version['name']),
      served: version['served'] === true,
      openAPIV3Schema: version['schema']['openAPIV3Schema'],
    };
  });
  return { group: String(spec['group']), kind: String(spec['names']['kind']), versions, sourceFile };
}

/** The cdk8s copy of Kubernetes' OpenAPI spec, as `{ definitions: { <name>: schema } }`. */
export function readKubernetesDefinitions(upstreamDir: string, version: string): Record<string, JsonObject> {
  const file = readJsonFile(join(upstreamDir, 'kubernetes', `v${version}`, '_definitions.json'));
  const definitions = file['definitions'];
  if (!isObject(definitions)) throw new Error('kubernetes _definitions.json has no definitions');
  const result: Record<string, JsonObject> = {};
  for (const [name, schema] of Object.entries(definitions)) {
    if (isObject(schema)) result[name] = schema;
  }
  return result;
}
