// CRD schemas are fully inlined (Argo's WorkflowTemplate repeats the pod spec
// types dozens of times). Moving repeated object schemas into $defs keeps both
// the pinned JSON and the compiled validator small: ajv compiles each $def once.
import { canonical, defRef, isObject, type JsonObject, type Schema } from './json.ts';

/** Below this canonical size a $ref costs about as much as the inline copy. */
const MIN_HOISTED_SIZE = 120;

export interface HoistResult {
  readonly root: Schema;
  readonly defs: Record<string, Schema>;
}

type Rebuild = (node: Schema, hint: string) => Schema;

export function hoistRepeatedSubschemas(root: Schema): HoistResult {
  const occurrences = new Map<string, number>();
  const count: Rebuild = (node, hint) => {
    const key = canonical(node);
    occurrences.set(key, (occurrences.get(key) ?? 0) + 1);
    return mapStructuralChildren(node, hint, count);
  };
  mapStructuralChildren(root, '', count);

  const defs: Record<string, Schema> = {};
  const nameByKey = new Map<string, string>();
  const hoist: Rebuild = (node, hint) => {
    const rebuilt = mapStructuralChildren(node, hint, hoist);
    const key = canonical(node);
    if ((occurrences.get(key) ?? 0) < 2 || !isObject(node['properties']) || key.length < MIN_HOISTED_SIZE) return rebuilt;
    let name = nameByKey.get(key);
    if (name === undefined) {
      // Named after the first field (in sorted traversal order) that uses it.
      name = uniqueName(hint, defs);
      nameByKey.set(key, name);
      defs[name] = rebuilt;
    }
    return defRef(name);
  };
  return { root: mapStructuralChildren(root, '', hoist), defs };
}

/** Copies `node`, mapping children reached through properties/items/additionalProperties in sorted order. */
function mapStructuralChildren(node: Schema, hint: string, map: Rebuild): Schema {
  const copy: Schema = { ...node };
  const properties = node['properties'];
  if (isObject(properties)) {
    const mapped: JsonObject = {};
    for (const name of Object.keys(properties).sort()) {
      const child = properties[name];
      mapped[name] = isObject(child) ? map(child, name) : (child ?? null);
    }
    copy['properties'] = mapped;
  }
  if (isObject(node['items'])) copy['items'] = map(node['items'], `${hint}Item`);
  if (isObject(node['additionalProperties'])) copy['additionalProperties'] = map(node['additionalProperties'], `${hint}Value`);
  return copy;
}

function uniqueName(hint: string, taken: Record<string, Schema>): string {
  const base = hint.replace(/[^A-Za-z0-9]/g, '') || 'schema';
  if (!(base in taken)) return base;
  for (let suffix = 2; ; suffix++) if (!(`${base}${suffix}` in taken)) return `${base}${suffix}`;
}
