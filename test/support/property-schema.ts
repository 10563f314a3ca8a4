// The environment schema as the property tests read it at run time: which knobs exist (so new optional fields are
// picked up as soon as the schema declares them), their enums, and their `default` keywords (the schema says
// defaults are declared there and nowhere else, so expectations are derived from it, never from generator code).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './fixtures.ts';

export type JsonSchema = { [key: string]: unknown };

let cached: JsonSchema | undefined;

/** schemas/environment.schema.json, read once per process (another engineer may change it between runs). */
export function environmentSchema(): JsonSchema {
  cached ??= JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', 'environment.schema.json'), 'utf8')) as JsonSchema;
  return cached;
}

function deref(schema: JsonSchema | undefined): JsonSchema | undefined {
  let current = schema;
  for (let guard = 0; current && typeof current.$ref === 'string' && guard < 10; guard++) {
    const match = /^#\/\$defs\/(.+)$/.exec(current.$ref);
    const target = match ? ((environmentSchema().$defs as Record<string, JsonSchema>)[match[1]!]) : undefined;
    // Keywords next to $ref (a description, a default) stay visible; the target fills in the rest.
    const { $ref: _ref, ...siblings } = current;
    current = target ? { ...target, ...siblings } : undefined;
  }
  return current;
}

/**
 * The subschema at a path of property names; `[]` steps into array items. Example:
 * `schemaAt(['apis', '[]', 'smoke'])` is the schema of apis[].smoke, or undefined while the schema lacks it.
 */
export function schemaAt(path: readonly string[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = deref(environmentSchema());
  for (const step of path) {
    if (!current) return undefined;
    const next: unknown = step === '[]' ? current.items : (current.properties as Record<string, unknown> | undefined)?.[step];
    current = deref(next as JsonSchema | undefined);
  }
  return current;
}

/** Like schemaAt, starting at `$defs/<name>` (for the policy variants, which the schema reaches through oneOf). */
export function defAt(name: string, path: readonly string[] = []): JsonSchema | undefined {
  let current = deref({ $ref: `#/$defs/${name}` });
  for (const step of path) {
    if (!current) return undefined;
    const next: unknown = step === '[]' ? current.items : (current.properties as Record<string, unknown> | undefined)?.[step];
    current = deref(next as JsonSchema | undefined);
  }
  return current;
}

export function schemaHas(path: readonly string[]): boolean {
  return schemaAt(path) !== undefined;
}

/** Whether the object at `path` lists `property` as required. */
export function schemaRequires(path: readonly string[], property: string): boolean {
  const required = schemaAt(path)?.required;
  return Array.isArray(required) && required.includes(property);
}

/** The enum (or const) values at `path`; `fallback` when the schema has none there. */
export function enumAt<T>(path: readonly string[], fallback: readonly T[], schema = schemaAt(path)): T[] {
  if (Array.isArray(schema?.enum) && schema.enum.length > 0) return schema.enum as T[];
  if (schema && 'const' in schema) return [schema.const as T];
  return [...fallback];
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** `value` with the schema's `default` keywords filled in, recursively (objects and array items). */
export function withSchemaDefaults(value: unknown, schema: JsonSchema | undefined = deref(environmentSchema())): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) {
    const items = deref(schema.items as JsonSchema | undefined);
    return value.map((item) => withSchemaDefaults(item, items));
  }
  if (value === null || typeof value !== 'object') return value;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const result: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, raw] of Object.entries(properties)) {
    const property = deref(raw);
    if (!property) continue;
    if (result[key] === undefined && 'default' in property) result[key] = clone(property.default);
    if (result[key] !== undefined) result[key] = withSchemaDefaults(result[key], property);
  }
  return result;
}

/** Every leaf field of the schema, as `.apis[].upstream.port`; policy variants as `.apis[].policies[]|<type>.field`. */
export function schemaLeafPaths(schema: JsonSchema | undefined = deref(environmentSchema()), path = ''): string[] {
  const current = deref(schema);
  if (!current) return [];
  if (Array.isArray(current.oneOf)) return (current.oneOf as JsonSchema[]).flatMap((branch) => schemaLeafPaths(branch, `${path}|${variantOf(deref(branch))}`));
  if (current.properties) return Object.entries(current.properties as Record<string, JsonSchema>).flatMap(([key, value]) => schemaLeafPaths(value, `${path}.${key}`));
  if (current.items) return schemaLeafPaths(current.items as JsonSchema, `${path}[]`);
  return [path];
}

function variantOf(branch: JsonSchema | undefined): string {
  return String(obj(obj(branch?.properties).type).const ?? '?');
}
const obj = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** The leaf paths a value sets, in schemaLeafPaths' notation (`type` names the variant of a policy). */
export function leafPathsOf(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const variant = /\.policies$/.test(path) && typeof obj(item).type === 'string' ? `|${String(obj(item).type)}` : '';
      return leafPathsOf(item, `${path}[]${variant}`);
    });
  }
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leafPathsOf(item, `${path}.${key}`));
  return [path];
}
