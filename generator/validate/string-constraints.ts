// What a pinned schema asks of the string at one place of a document, found by walking the schema along the data.
// Used to check one string of a document whose shape validated before (validated-shapes.ts), so it must be exact or
// give up: the walk knows the applicators whose choice of subschema depends only on keys and positions (properties,
// patternProperties, additionalProperties, items, allOf, $ref, dependentSchemas), and the string keywords (type,
// pattern, enum, const, minLength, maxLength). Anything else on the way (anyOf, oneOf, not, if, enum or const over
// a whole object, uniqueItems, a keyword it does not know) makes it give up, and the document is validated in full.
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import type { PathSegment } from './document-shape.ts';

type Schema = boolean | { readonly [keyword: string]: unknown };
export type StringCheck = (value: string) => boolean;

// ajv's own length count (code points, as JSON Schema says), as its compiled validators call it.
const ucs2length = ((ucs2lengthModule as { default?: unknown }).default ?? ucs2lengthModule) as (text: string) => number;

const ANNOTATIONS = ['$comment', '$schema', '$id', '$defs', 'description', 'default', 'title', 'examples', 'deprecated', 'readOnly', 'writeOnly'];
/** Keywords at a place on the way to the string that never look at the string's value. */
const ON_THE_WAY = new Set([...ANNOTATIONS, 'type', '$ref', 'allOf', 'properties', 'patternProperties', 'additionalProperties', 'items', 'dependentSchemas', 'required', 'dependentRequired', 'propertyNames', 'minProperties', 'maxProperties', 'minItems', 'maxItems']);
/** Keywords for other types than strings: JSON Schema (and ajv) apply them to a string as true. */
const NOT_FOR_STRINGS = ['properties', 'patternProperties', 'additionalProperties', 'items', 'dependentSchemas', 'required', 'dependentRequired', 'propertyNames', 'minProperties', 'maxProperties', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const AT_THE_STRING = new Set([...ANNOTATIONS, ...NOT_FOR_STRINGS, 'type', '$ref', 'allOf', 'pattern', 'enum', 'const', 'minLength', 'maxLength']);

class GiveUp extends Error {}

const patterns = new Map<string, RegExp>();
/** As ajv compiles `pattern` and `patternProperties` (its default unicodeRegExp: the `u` flag). */
function pattern(source: string): RegExp {
  let regExp = patterns.get(source);
  if (!regExp) patterns.set(source, (regExp = new RegExp(source, 'u')));
  return regExp;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every schema that applies where `schema` applies, through $ref and allOf (refs within the document only). */
function applying(root: Schema, schema: unknown, allowed: ReadonlySet<string>, into: Exclude<Schema, boolean>[] = []): Exclude<Schema, boolean>[] {
  if (schema === true) return into;
  if (!isRecord(schema)) throw new GiveUp();
  for (const keyword of Object.keys(schema)) if (!allowed.has(keyword)) throw new GiveUp();
  into.push(schema);
  if (schema['$ref'] !== undefined) applying(root, resolve(root, schema['$ref']), allowed, into);
  if (schema['allOf'] !== undefined) {
    if (!Array.isArray(schema['allOf'])) throw new GiveUp();
    for (const branch of schema['allOf']) applying(root, branch, allowed, into);
  }
  return into;
}

function resolve(root: Schema, ref: unknown): unknown {
  const match = typeof ref === 'string' ? /^#\/\$defs\/([^/~%]+)$/.exec(ref) : null;
  const defs = isRecord(root) ? root['$defs'] : undefined;
  if (!match || !isRecord(defs) || !Object.hasOwn(defs, match[1]!)) throw new GiveUp();
  return defs[match[1]!];
}

/** The subschemas that apply to `data[segment]` where `schema` applies to `data`. */
function children(root: Schema, schema: Record<string, unknown>, data: unknown, segment: PathSegment): unknown[] {
  const found: unknown[] = [];
  if (typeof segment === 'number') {
    if (schema['items'] !== undefined) found.push(schema['items']);
    return found;
  }
  if (!isRecord(data)) throw new GiveUp();
  const properties = schema['properties'];
  let matched = false;
  if (isRecord(properties) && Object.hasOwn(properties, segment)) {
    found.push(properties[segment]);
    matched = true;
  }
  const patternProperties = schema['patternProperties'];
  if (isRecord(patternProperties)) {
    for (const [source, child] of Object.entries(patternProperties)) if (pattern(source).test(segment) && (matched = true)) found.push(child);
  }
  if (!matched && schema['additionalProperties'] !== undefined) found.push(schema['additionalProperties']);
  const dependent = schema['dependentSchemas'];
  // A dependent schema applies to the object itself when its key is there: it is one more schema of `data`, so
  // its own children are looked up the same way.
  if (isRecord(dependent)) {
    for (const [key, child] of Object.entries(dependent)) {
      if (Object.hasOwn(data, key)) for (const applied of applying(root, child, ON_THE_WAY)) found.push(...children(root, applied, data, segment));
    }
  }
  return found;
}

/**
 * The check the schema `root` makes of the string at `path` of `document`, or undefined when the walk gives up
 * (see above). `document` holds a string at `path`; its other values decide nothing but which keys are present.
 */
export function stringCheckAt(root: Schema, document: unknown, path: readonly PathSegment[]): StringCheck | undefined {
  try {
    let schemas: unknown[] = [root];
    let data = document;
    for (const segment of path) {
      const next: unknown[] = [];
      for (const schema of schemas) for (const applied of applying(root, schema, ON_THE_WAY)) next.push(...children(root, applied, data, segment));
      schemas = next;
      data = (data as Record<PathSegment, unknown>)[segment];
    }
    if (typeof data !== 'string') return undefined;
    return checkOf(schemas.flatMap((schema) => applying(root, schema, AT_THE_STRING)));
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

function checkOf(schemas: readonly Record<string, unknown>[]): StringCheck | undefined {
  const checks: StringCheck[] = [];
  for (const schema of schemas) {
    const type = schema['type'];
    if (type !== undefined && type !== 'string' && !(Array.isArray(type) && type.includes('string'))) return undefined;
    const source = schema['pattern'];
    if (source !== undefined) {
      if (typeof source !== 'string') return undefined;
      const regExp = pattern(source);
      checks.push((value) => regExp.test(value));
    }
    const values = schema['enum'];
    if (values !== undefined) {
      if (!Array.isArray(values)) return undefined;
      checks.push((value) => values.includes(value));
    }
    if (schema['const'] !== undefined) checks.push((value) => value === schema['const']);
    const min = schema['minLength'];
    const max = schema['maxLength'];
    if (min !== undefined && typeof min !== 'number') return undefined;
    if (max !== undefined && typeof max !== 'number') return undefined;
    if (min !== undefined) checks.push((value) => ucs2length(value) >= min);
    if (max !== undefined) checks.push((value) => ucs2length(value) <= max);
  }
  return (value) => checks.every((check) => check(value));
}
