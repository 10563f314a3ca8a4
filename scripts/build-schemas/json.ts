// JSON helpers whose output does not depend on object insertion order, so the
// generated files are byte-identical on every run.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
/** A (sub)schema object. Boolean schemas only appear as property values (`{ b: false }`). */
export type Schema = JsonObject;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sortKeysDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isObject(value)) return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeysDeep(value[key] as Json);
  return sorted;
}

/** Pretty, key-sorted JSON with a trailing newline: the on-disk form of every pinned schema. */
export function stableStringify(value: Json): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

/** Compact key-sorted JSON, used as an identity for structurally equal subschemas. */
export function canonical(value: Json): string {
  return JSON.stringify(sortKeysDeep(value));
}

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function defRef(name: string): Schema {
  return { $ref: `#/$defs/${escapePointerSegment(name)}` };
}

export function mapValues(object: JsonObject, map: (child: JsonObject, key: string) => Json): JsonObject {
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(object)) {
    if (!isObject(child)) throw new Error(`expected a schema object at "${key}"`);
    out[key] = map(child, key);
  }
  return out;
}

/** Names of every `#/$defs/<name>` reference inside a schema. */
export function referencedDefs(schema: Json): string[] {
  const found: string[] = [];
  const visit = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      const ref = node['$ref'];
      if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
        found.push(ref.slice('#/$defs/'.length).replace(/~1/g, '/').replace(/~0/g, '~'));
      }
      Object.values(node).forEach(visit);
    }
  };
  visit(schema);
  return found;
}
