// A deep copy of plain data (what a YAML document's toJS gives: objects, arrays, strings, numbers, booleans, null),
// key order kept. A `__proto__` key is defined as an own property, as the yaml library defines it, never assigned.
export function plainCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plainCopy);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = plainCopy((value as Record<string, unknown>)[key]);
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, writable: true, enumerable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}
