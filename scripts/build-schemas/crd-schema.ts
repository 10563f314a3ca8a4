// Converts a CRD's openAPIV3Schema (OpenAPI 3.0 dialect + x-kubernetes-* extensions)
// into strict JSON Schema 2020-12 that mirrors what the API server accepts with
// strict field validation: unknown (i.e. pruned) fields are errors.
import { OBJECT_META, applyFormat } from './kubernetes-definitions.ts';
import { defRef, isObject, mapValues, type Json, type JsonObject, type Schema } from './json.ts';

/** Documentation, defaulting and SSA merge hints: they never make a value invalid. */
const IGNORED_KEYS = new Set(['description', 'default', 'example', 'title', 'externalDocs']);
/** Not copied as keywords: the last four are interpreted separately, the first two carry no checks. */
const IGNORED_EXTENSIONS = new Set([
  'x-kubernetes-map-type',
  'x-kubernetes-list-map-keys', // unique map keys per list item: not expressible in JSON Schema, so not enforced
  'x-kubernetes-list-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
]);
const COPIED_KEYS = new Set([
  'type', 'enum', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'uniqueItems', 'multipleOf', 'minProperties', 'maxProperties', 'required',
]);

/**
 * `structural` nodes describe a field's shape, so they get the pruning semantics
 * (unknown fields rejected). `branch` nodes sit under oneOf/anyOf/allOf/not and
 * only add value checks; making them strict would reject valid objects.
 */
type NodeRole = 'structural' | 'branch';

export function strictCrdSchema(node: JsonObject, where: string, role: NodeRole = 'structural'): Schema {
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (IGNORED_KEYS.has(key) || IGNORED_EXTENSIONS.has(key) || key === 'nullable') continue;
    if (key === 'x-kubernetes-validations') {
      throw new Error(`${where}: CEL rules (x-kubernetes-validations) cannot be enforced by JSON Schema; decide explicitly`);
    }
    if (key === 'minimum' || key === 'maximum') applyBound(out, key, value);
    else if (COPIED_KEYS.has(key)) out[key] = value;
    else if (key === 'format') applyFormat(out, String(value), where);
    else if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') continue; // needs minimum/maximum; see below
    else if (key === 'properties' && isObject(value)) {
      out['properties'] = mapValues(value, (child, name) => strictCrdSchema(child, `${where}.${name}`, role));
    } else if (key === 'items' && isObject(value)) out['items'] = strictCrdSchema(value, `${where}[]`, role);
    else if (key === 'additionalProperties') {
      out[key] = isObject(value) ? strictCrdSchema(value, `${where}{}`, role) : value;
    } else if (key === 'anyOf' && intOrString && isTypeOnlyUnion(value)) continue;
    else if (key === 'oneOf' || key === 'anyOf' || key === 'allOf') {
      const exclusive = key === 'oneOf' ? atMostOneOfFields(value) : undefined;
      if (exclusive) addMutualExclusion(out, exclusive);
      else out[key] = branches(value, `${where}.${key}`);
    } else if (key === 'not' && isObject(value)) out[key] = strictCrdSchema(value, `${where}.not`, 'branch');
    else throw new Error(`${where}: unsupported openAPIV3Schema keyword "${key}"`);
  }
  convertExclusiveBounds(out, node);
  if (node['x-kubernetes-list-type'] === 'set') out['uniqueItems'] = true;
  if (intOrString) out['type'] = ['integer', 'string'];
  if (node['x-kubernetes-embedded-resource'] === true) addEmbeddedResourceFields(out);
  if (node['nullable'] === true) allowNull(out);
  if (role === 'structural' && !preserveUnknown && isObjectSchema(out) && out['additionalProperties'] === undefined) {
    // A structural object without properties keeps nothing: the API server prunes every field.
    out['additionalProperties'] = false;
  }
  return out;
}

/** A bound may already be present from an int32 format seen earlier; keep the tighter one. */
function applyBound(out: Schema, key: 'minimum' | 'maximum', value: Json): void {
  const existing = out[key];
  if (typeof existing !== 'number' || typeof value !== 'number') out[key] = value;
  else out[key] = key === 'minimum' ? Math.max(existing, value) : Math.min(existing, value);
}

function isObjectSchema(schema: Schema): boolean {
  return schema['type'] === 'object' || isObject(schema['properties']);
}

function branches(value: Json, where: string): Schema[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected an array`);
  return value.map((branch, index) => {
    if (!isObject(branch)) throw new Error(`${where}[${index}]: expected a schema`);
    return strictCrdSchema(branch, `${where}[${index}]`, 'branch');
  });
}

/** controller-gen pairs x-kubernetes-int-or-string with `anyOf: [{type: integer}, {type: string}]`. */
function isTypeOnlyUnion(value: Json): boolean {
  return Array.isArray(value) && value.every((branch) => isObject(branch) && Object.keys(branch).join() === 'type');
}

/**
 * Istio's protoc-gen encodes "at most one of these fields" as
 * `oneOf: [{not: {anyOf: [{required: [a]}, …]}}, {required: [a]}, …]`.
 * Returns the field names when `value` is exactly that idiom.
 */
export function atMostOneOfFields(value: Json): string[] | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined;
  const [none, ...each] = value;
  const single = (branch: Json): string | undefined =>
    isObject(branch) && Object.keys(branch).join() === 'required' && Array.isArray(branch['required']) &&
    branch['required'].length === 1 && typeof branch['required'][0] === 'string' ? branch['required'][0] : undefined;
  const fields = each.map(single);
  if (fields.some((field) => field === undefined)) return undefined;
  if (!isObject(none) || Object.keys(none).join() !== 'not' || !isObject(none['not'])) return undefined;
  const anyOf = none['not']['anyOf'];
  if (Object.keys(none['not']).join() !== 'anyOf' || !Array.isArray(anyOf)) return undefined;
  const negated = anyOf.map(single);
  return negated.join('\n') === fields.join('\n') ? (fields as string[]) : undefined;
}

/**
 * Same constraint as the oneOf idiom, written so a failure names both fields:
 * ajv reports `…/dependentSchemas/<a>/properties/<b>/false schema`.
 */
function addMutualExclusion(out: Schema, fields: readonly string[]): void {
  if (fields.length < 2) return; // "at most one of [x]" always holds
  const dependent: JsonObject = isObject(out['dependentSchemas']) ? out['dependentSchemas'] : {};
  for (const field of fields) {
    const existing = dependent[field];
    const properties: JsonObject = isObject(existing) && isObject(existing['properties']) ? existing['properties'] : {};
    for (const other of fields) if (other !== field) properties[other] = false;
    dependent[field] = { properties };
  }
  out['dependentSchemas'] = dependent;
}

/** OpenAPI 3.0 writes exclusive bounds as booleans next to minimum/maximum; 2020-12 as numbers. */
function convertExclusiveBounds(out: Schema, node: JsonObject): void {
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (node[exclusive] === true && typeof node[bound] === 'number') {
      out[exclusive] = node[bound];
      delete out[bound];
    }
  }
}

function addEmbeddedResourceFields(out: Schema): void {
  const properties: JsonObject = isObject(out['properties']) ? out['properties'] : {};
  properties['apiVersion'] ??= { type: 'string' };
  properties['kind'] ??= { type: 'string' };
  properties['metadata'] = defRef(OBJECT_META);
  out['properties'] = properties;
  out['type'] = 'object';
}

function allowNull(out: Schema): void {
  const type = out['type'];
  if (typeof type === 'string') out['type'] = [type, 'null'];
  else if (Array.isArray(type) && !type.includes('null')) out['type'] = [...type, 'null'];
  if (Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...out['enum'], null];
}
