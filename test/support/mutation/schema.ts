// What the pinned schemas say about one place in a document: the schema nodes that apply there (following $ref,
// allOf, if/then/else and dependentSchemas against the actual data), whether the object is closed, a map or open,
// which JSON types it admits and which fields it requires. The mutation test derives its expectations from this.
import { readPinnedJson } from '../../../generator/validate/load-validator.ts';
import { pinnedKinds } from '../../../generator/validate/pinned-index.ts';
import { documentSchemaPath, helmValuesSchemaPath, normalizeVersion, splitApiVersion, type HelmChartId } from '../../../generator/validate/products.ts';
import type { TargetVersions } from '../../../generator/validate/types.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
type SchemaObject = { [key: string]: unknown };
/** One applicable schema node; `root` resolves its $refs, `where` names it in reports. */
interface Applied { node: boolean | SchemaObject; root: SchemaObject; where: string }

/** Same chart → values schema mapping as CHART_IDS in generator/validate/check-manifests.ts (not exported there). */
const CHART_IDS: Readonly<Record<string, HelmChartId>> = { base: 'istio-base', istiod: 'istiod', gateway: 'istio-gateway', 'flex-gateway': 'flex-gateway' };
const VALUES_POINTER = '/spec/source/helm/valuesObject';

const isObject = (value: unknown): value is SchemaObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const loaded = new Map<string, SchemaObject>();

function pinnedSchema(relativePath: string): SchemaObject {
  let schema = loaded.get(relativePath);
  if (!schema) loaded.set(relativePath, (schema = readPinnedJson(`${relativePath}.json`) as SchemaObject));
  return schema;
}

/** Pinned schema file (relative, no extension) of a document, or undefined for unchecked or unserved kinds. */
export function documentSchemaFile(doc: JsonObject, targets: TargetVersions): string | undefined {
  const apiVersion = String(doc['apiVersion']);
  const [group, version] = splitApiVersion(apiVersion);
  const pinned = pinnedKinds(group, String(doc['kind'])).find((entry) => entry.productVersion === normalizeVersion(targets[entry.product]));
  return pinned?.served.includes(version) ? documentSchemaPath(pinned.product, pinned.productVersion, apiVersion, String(doc['kind'])) : undefined;
}

/** Schema files that apply to a document: its own, plus a chart's values schema at VALUES_POINTER. */
function roots(doc: JsonObject, targets: TargetVersions): Map<string, string> {
  const result = new Map<string, string>();
  const own = documentSchemaFile(doc, targets);
  if (own) result.set('', own);
  const source = (doc['spec'] as JsonObject | undefined)?.['source'] as JsonObject | undefined;
  const chart = doc['kind'] === 'Application' && typeof source?.['chart'] === 'string' ? CHART_IDS[source['chart']] : undefined;
  if (chart && typeof source?.['targetRevision'] === 'string') result.set(VALUES_POINTER, helmValuesSchemaPath(chart, normalizeVersion(source['targetRevision'])));
  return result;
}

function resolveRef(root: SchemaObject, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(2).split('/').reduce<unknown>((node, key) => (isObject(node) ? node[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
}

/** Minimal evaluator for `if` schemas (const, enum, type, required, properties), enough for the pinned ones. */
function matches(schema: unknown, value: Json | undefined): boolean {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema)) return true;
  for (const keyword of Object.keys(schema)) if (!['const', 'enum', 'required', 'properties', 'type'].includes(keyword)) throw new Error(`unsupported "if" keyword ${keyword}`);
  if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) return false;
  if (Array.isArray(schema['enum']) && !schema['enum'].some((item) => JSON.stringify(item) === JSON.stringify(value))) return false;
  if (schema['type'] !== undefined && !admitsType(schema, value ?? null)) return false;
  if (!isObject(value)) return true; // required and properties only constrain objects
  if (Array.isArray(schema['required']) && !schema['required'].every((key) => String(key) in value)) return false;
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  return Object.entries(properties).every(([key, sub]) => !(key in value) || matches(sub, value[key]));
}

/** A node plus everything it pulls in for this value. */
function expand(applied: Applied, value: Json | undefined): Applied[] {
  const { node, root, where } = applied;
  if (typeof node === 'boolean') return [applied];
  const result: Applied[] = [applied];
  const more = (sub: unknown, suffix: string) => (isObject(sub) || typeof sub === 'boolean' ? result.push(...expand({ node: sub, root, where: where + suffix }, value)) : 0);
  if (typeof node['$ref'] === 'string') more(resolveRef(root, node['$ref']), ` → ${node['$ref']}`);
  if (Array.isArray(node['allOf'])) node['allOf'].forEach((sub, i) => more(sub, `/allOf/${i}`));
  if ('if' in node) more(matches(node['if'], value) ? node['then'] : node['else'], matches(node['if'], value) ? '/then' : '/else');
  if (isObject(node['dependentSchemas']) && isObject(value)) for (const [key, sub] of Object.entries(node['dependentSchemas'])) if (key in value) more(sub, `/dependentSchemas/${key}`);
  return result;
}

function child(applied: Applied, key: string | number, isArray: boolean): Applied | undefined {
  const { node, root, where } = applied;
  if (typeof node === 'boolean') return undefined;
  const properties = isObject(node['properties']) ? node['properties'] : {};
  if (isArray) return isObject(node['items']) ? { node: node['items'], root, where: `${where}/items` } : undefined;
  if (Object.hasOwn(properties, key)) return { node: properties[key] as SchemaObject | boolean, root, where: `${where}/properties/${key}` };
  const additional = node['additionalProperties'];
  return isObject(additional) ? { node: additional, root, where: `${where}/additionalProperties` } : undefined;
}

/** Every schema node that applies at `path` in `doc` (empty where no schema reaches). */
export function applicableAt(doc: JsonObject, targets: TargetVersions, path: ReadonlyArray<string | number>): Applied[] {
  let applied: Applied[] = [];
  let value: Json | undefined = doc;
  let pointer = '';
  const schemaRoots = roots(doc, targets);
  for (let depth = 0; ; depth++) {
    const rootFile = schemaRoots.get(pointer);
    if (rootFile) applied.push(...expand({ node: pinnedSchema(rootFile), root: pinnedSchema(rootFile), where: rootFile }, value));
    const segment = path[depth];
    if (segment === undefined) return applied;
    const isArray = Array.isArray(value);
    const next: Json | undefined = isArray ? (value as Json[])[segment as number] : (value as JsonObject)[segment];
    applied = applied.flatMap((entry) => {
      const sub = child(entry, segment, isArray);
      return sub ? expand(sub, next) : [];
    });
    value = next;
    pointer += `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
}

export type Openness = { kind: 'closed' } | { kind: 'map' | 'open'; where: string };

/** Whether an object place rejects a key no schema names. */
export function openness(applied: readonly Applied[], key: string): Openness {
  const objects = applied.flatMap((entry) => (typeof entry.node === 'boolean' ? [] : [{ ...entry, node: entry.node }]));
  if (applied.some((entry) => entry.node === false)) return { kind: 'closed' };
  const named = (node: SchemaObject) => isObject(node['properties']) && Object.hasOwn(node['properties'], key);
  if (objects.some((entry) => entry.node['additionalProperties'] === false && !named(entry.node))) return { kind: 'closed' };
  const map = objects.find((entry) => isObject(entry.node['additionalProperties']));
  if (map) return { kind: 'map', where: `${map.where}/additionalProperties` };
  const typed = [...new Set(objects.filter((entry) => entry.node['type'] !== undefined).map((entry) => entry.where))];
  return { kind: 'open', where: typed.join(' & ') || '(no schema reaches here)' };
}

function jsonTypes(value: Json): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

function admitsType(node: SchemaObject, value: Json): boolean {
  const type = node['type'];
  if (type === undefined) return true;
  const allowed = Array.isArray(type) ? type.map(String) : [String(type)];
  return jsonTypes(value).some((name) => allowed.includes(name));
}

/** Whether some applicable schema rejects `value` by type, enum, const or a false schema. */
export function rejects(applied: readonly Applied[], value: Json): boolean {
  return applied.some(({ node }) => {
    if (typeof node === 'boolean') return !node;
    if (!admitsType(node, value)) return true;
    if (Array.isArray(node['enum']) && !node['enum'].some((item) => JSON.stringify(item) === JSON.stringify(value))) return true;
    return 'const' in node && JSON.stringify(node['const']) !== JSON.stringify(value);
  });
}

/** Fields some applicable schema requires here. */
export function requiredFields(applied: readonly Applied[]): string[] {
  return [...new Set(applied.flatMap(({ node }) => (isObject(node) && Array.isArray(node['required']) ? node['required'].map(String) : [])))];
}
