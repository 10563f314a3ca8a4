// The canonical order of a document's keys, which the YAML writer writes and the output checks read.

// Kubernetes readers expect these first; everything else follows alphabetically.
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec'];

const RANK = new Map(LEADING_KEYS.map((key, index) => [key, index]));

function keyRank(key: string): number {
  return RANK.get(key) ?? LEADING_KEYS.length;
}

export function compareKeys(a: string, b: string): number {
  return keyRank(a) - keyRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A copy with keys in canonical order and undefined values removed. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => compareKeys(a, b));
    return Object.fromEntries(entries.map(([key, item]) => [key, canonical(item)]));
  }
  return value;
}
