// Turns the (non-strict) Kubernetes OpenAPI definitions into strict JSON Schema
// $defs: every object with `properties` rejects unknown fields, as
// `kubectl --validate=strict` does for built-in kinds.
import { BASE64_PATTERN, QUANTITY_PATTERN, RFC3339_PATTERN } from '../../generator/validate/patterns.ts';
import { applyConstraints, constraintsFor } from './constraints.ts';
import { defRef, isObject, mapValues, referencedDefs, type JsonObject, type Schema } from './json.ts';

const DEFINITION_REF = '#/definitions/';
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Documentation and client hints that carry no validation meaning. */
const IGNORED_KEYS = new Set(['description', 'title']);
const COPIED_KEYS = new Set(['type', 'enum', 'required']);

/** Definitions whose upstream `oneOf` describes a Go type with a custom JSON codec. */
const SCALAR_DEFINITIONS: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: ['integer', 'string'] },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: ['number', 'string'], pattern: QUANTITY_PATTERN.pattern },
};

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export class KubernetesDefinitions {
  private readonly strictCache = new Map<string, Schema>();

  constructor(
    private readonly raw: Record<string, JsonObject>,
    readonly version: string,
  ) {}

  /** Every (group, version) the spec serves for `kind`, with the definition describing it. */
  servedVersions(group: string, kind: string): { version: string; definition: string }[] {
    const served: { version: string; definition: string }[] = [];
    for (const [definition, schema] of Object.entries(this.raw)) {
      for (const gvk of groupVersionKinds(schema)) {
        if (gvk.group === group && gvk.kind === kind) served.push({ version: gvk.version, definition });
      }
    }
    return served.sort((a, b) => a.version.localeCompare(b.version));
  }

  strict(name: string): Schema {
    const cached = this.strictCache.get(name);
    if (cached) return cached;
    const raw = this.raw[name];
    if (!raw) throw new Error(`Kubernetes definition ${name} not found`);
    const converted = SCALAR_DEFINITIONS[name] ?? applyConstraints(strictNode(raw, name), constraintsFor({ definition: name }), name);
    this.strictCache.set(name, converted);
    return converted;
  }

  /** Strict $defs for `roots` and everything they reference, keyed by definition name. */
  closure(roots: readonly string[]): Record<string, Schema> {
    const defs: Record<string, Schema> = {};
    const pending = [...roots];
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (defs[name]) continue;
      const schema = this.strict(name);
      defs[name] = schema;
      pending.push(...referencedDefs(schema));
    }
    return defs;
  }
}

function groupVersionKinds(schema: JsonObject): GroupVersionKind[] {
  const list = schema['x-kubernetes-group-version-kind'];
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((gvk) => ({
    group: String(gvk['group'] ?? ''),
    version: String(gvk['version']),
    kind: String(gvk['kind']),
  }));
}

function strictNode(node: JsonObject, where: string): Schema {
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    if (!ref.startsWith(DEFINITION_REF)) throw new Error(`${where}: unexpected $ref ${ref}`);
    return defRef(ref.slice(DEFINITION_REF.length));
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (IGNORED_KEYS.has(key) || key.startsWith('x-kubernetes-')) continue;
    if (COPIED_KEYS.has(key)) out[key] = value;
    else if (key === 'format') applyFormat(out, String(value), where);
    else if (key === 'properties' && isObject(value)) out['properties'] = mapValues(value, (child, name) => strictNode(child, `${where}.${name}`));
    else if (key === 'items' && isObject(value)) out['items'] = strictNode(value, `${where}[]`);
    else if (key === 'additionalProperties') out[key] = isObject(value) ? strictNode(value, `${where}{}`) : value;
    else throw new Error(`${where}: unsupported keyword "${key}" in Kubernetes definition`);
  }
  if (isObject(out['properties']) && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

/**
 * Adds the checks implied by an OpenAPI format. Merges with bounds the schema
 * already states (keys arrive in any order), keeping the tighter one.
 */
export function applyFormat(out: Schema, format: string, where: string): void {
  for (const [key, value] of Object.entries(formatConstraint(format, where))) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (key === 'minimum' && typeof existing === 'number') out[key] = Math.max(existing, Number(value));
    else if (key === 'maximum' && typeof existing === 'number') out[key] = Math.min(existing, Number(value));
    else if (existing !== value) throw new Error(`${where}: format ${format} conflicts with ${key}`);
  }
}

/** Maps OpenAPI formats to the checks the API server performs while decoding. */
function formatConstraint(format: string, where: string): Schema {
  switch (format) {
    case 'int32':
      // Go rejects out-of-range numbers when decoding into int32 fields.
      return { minimum: -2147483648, maximum: 2147483647 };
    case 'int64':
    case 'double':
    case 'float':
    case 'binary':
      return {};
    case 'byte':
      return { pattern: BASE64_PATTERN.pattern };
    case 'date-time':
      return { pattern: RFC3339_PATTERN.pattern };
    default:
      throw new Error(`${where}: unsupported format "${format}"`);
  }
}
