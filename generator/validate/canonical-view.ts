// The documents generate checks are its built objects as the YAML writer serialises them: canonical() (keys in the
// writer's order, undefined dropped). canonical() copies every object; most of a built document is canonical already
// (builders write keys in order, samples are parsed anew only when their text changes), so copying it all was a
// large share of a run's allocations. canonicalView() is equal to canonical() (deeply, key order included) but
// shares every part of its input that needs no change. Nothing checks documents by mutating them, so sharing is safe.
import { canonical, compareKeys, isIndexLike } from '../render/yaml.ts';


export function canonicalView(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return arrayView(value);
  // Anything but a plain object (a class instance, a Date, an object without prototype) becomes canonical()'s copy.
  if (Object.getPrototypeOf(value) !== Object.prototype) return canonical(value);
  return objectView(value as Record<string, unknown>);
}

function arrayView(value: readonly unknown[]): unknown[] {
  let copy: unknown[] | undefined;
  for (let index = 0; index < value.length; index++) {
    // A hole or an undefined item is dropped, as canonical() (filter) drops it.
    const item = index in value ? value[index] : undefined;
    const viewed = item === undefined ? undefined : canonicalView(item);
    if (copy === undefined && (viewed !== item || item === undefined)) copy = value.slice(0, index);
    if (copy !== undefined && viewed !== undefined) copy.push(viewed);
  }
  return copy ?? (value as unknown[]);
}

// One pass over the keys, allocating only the views of its values until a copy turns out to be needed: this runs
// over every document of every environment of a fleet.
function objectView(value: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(value);
  const viewed: unknown[] = new Array<unknown>(keys.length);
  let ordered = true;
  let shared = true;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (isIndexLike(key)) return canonical(value) as Record<string, unknown>;
    const item = value[key];
    const view = item !== null && typeof item === 'object' ? canonicalView(item) : item;
    viewed[index] = view;
    if (view !== item || item === undefined) shared = false;
    if (ordered && index > 0 && compareKeys(keys[index - 1]!, key) >= 0) ordered = false;
  }
  if (shared && ordered) return value;
  const order: number[] = [];
  for (let index = 0; index < keys.length; index++) if (viewed[index] !== undefined) order.push(index);
  if (!ordered) order.sort((a, b) => compareKeys(keys[a]!, keys[b]!));
  // fromEntries, not assignment: a key `__proto__` stays an own property, as in canonical().
  return Object.fromEntries(order.map((index) => [keys[index]!, viewed[index]]));
}
