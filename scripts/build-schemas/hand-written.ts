// Resolves the project's hand-written schemas into self-contained pinned schemas.
// They may reference Kubernetes types ("kubernetes-definitions.json#/definitions/<name>",
// made strict like the built-in kinds) and sibling files by relative path.
import { basename, dirname, resolve } from 'node:path';
import { SCHEMA_DIALECT } from './document-schema.ts';
import { defRef, isObject, type Json, type JsonObject, type Schema } from './json.ts';
import type { KubernetesDefinitions } from './kubernetes-definitions.ts';
import { readJsonFile } from './upstream.ts';

const KUBERNETES_REF = 'kubernetes-definitions.json#/definitions/';

export function resolveHandWrittenSchema(file: string, kubernetes: KubernetesDefinitions): Schema {
  const { $defs, ...root } = readJsonFile(file);
  const defs: Record<string, Schema> = {};
  const kubernetesNames = new Set<string>();

  const rewrite = (value: Json, fromFile: string): Json => {
    if (Array.isArray(value)) return value.map((item) => rewrite(item, fromFile));
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) out[key] = rewrite(child, fromFile);
    const ref = value['$ref'];
    if (typeof ref !== 'string' || ref.startsWith('#')) return out;
    if (ref.startsWith(KUBERNETES_REF)) {
      const name = ref.slice(KUBERNETES_REF.length);
      kubernetesNames.add(name);
      return { ...out, ...defRef(name) };
    }
    return { ...out, ...defRef(includeSibling(resolve(dirname(fromFile), ref))) };
  };

  /** Inlines a sibling schema file (e.g. a policy config) as a $def named after the file. */
  const includeSibling = (path: string): string => {
    const name = basename(path).replace(/\.schema\.json$/, '');
    if (!defs[name]) {
      const { $schema: _dialect, ...included } = readJsonFile(path);
      if (included['$defs'] !== undefined) throw new Error(`${path}: included schemas must not declare $defs`);
      defs[name] = {}; // reserve the name first: a self-reference must not recurse forever
      defs[name] = rewrite(included, path) as Schema;
    }
    return name;
  };

  const resolvedRoot = rewrite(root, file) as Schema;
  if (isObject($defs)) {
    for (const [name, schema] of Object.entries($defs)) defs[name] = rewrite(schema, file) as Schema;
  }
  if (root['$schema'] !== SCHEMA_DIALECT) throw new Error(`${file}: must declare "$schema": "${SCHEMA_DIALECT}"`);
  return { ...resolvedRoot, $defs: { ...defs, ...kubernetes.closure([...kubernetesNames]) } };
}

/**
 * Helm (gojsonschema, draft-07 rules) ignores every keyword next to a `$ref`. The
 * Istio gateway chart relies on that: its root says additionalProperties:false
 * beside `$ref`, which Helm never applies. Dropping those siblings reproduces
 * what `helm install` accepts instead of rejecting every value.
 */
const JSON_SCHEMA_KEYWORDS = new Set(['type', 'additionalProperties', 'properties', 'required', 'title', 'description', 'default']);

export function asHelmEvaluatesIt(schema: JsonObject, sourceFile: string): Schema {
  const dropRefSiblings = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(dropRefSiblings);
    if (!isObject(value)) return value;
    if (typeof value['$ref'] === 'string') return { $ref: value['$ref'] };
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) out[key] = dropRefSiblings(child);
    return out;
  };
  const { $schema: _draft, $defs, ...root } = schema;
  const defs = dropRefSiblings($defs ?? {}) as JsonObject;
  // Upstream closes the root beside its $ref, meaning "no keys but the values' own"; Helm drops that, so a typo
  // like `servce:` renders silently. flexmesh keeps the intent by closing the referenced definition instead.
  const target = typeof root['$ref'] === 'string' && root['additionalProperties'] === false ? /^#\/\$defs\/(.+)$/.exec(root['$ref'])?.[1] : undefined;
  const targetDef = target === undefined ? undefined : defs[target];
  const closed = target !== undefined && isObject(targetDef) && targetDef['additionalProperties'] === undefined;
  if (closed && isObject(targetDef)) {
    // Schema-valued keys the root carries beside its keywords (the gateway chart's `defaults`) stay allowed.
    const rootKeys = Object.fromEntries(Object.entries(root).filter(([key, value]) => !key.startsWith('$') && !JSON_SCHEMA_KEYWORDS.has(key) && isObject(value)));
    const properties = isObject(targetDef['properties']) ? targetDef['properties'] : {};
    defs[target] = { ...targetDef, properties: { ...properties, ...(dropRefSiblings(rootKeys) as JsonObject) }, additionalProperties: false };
  }
  return {
    $schema: SCHEMA_DIALECT,
    $comment:
      `Derived by scripts/build-schemas.ts from upstream-crds/${sourceFile} (see its SOURCE.txt). ` +
      'Keywords beside $ref are dropped because Helm ignores them (draft-07 rules)' +
      (closed ? `; the root's additionalProperties:false now closes $defs/${target}, stricter than Helm, so unknown top-level values are errors.` : '; nothing else changed.'),
    ...(dropRefSiblings(root) as JsonObject),
    $defs: defs,
  };
}
