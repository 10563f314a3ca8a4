// Deterministic YAML: fixed key order, YAML 1.1 quoting (so `on`/`yes`/`no` stay strings for 1.1 readers
// such as older tooling), no line folding, no anchors, undefined dropped.
import { Document } from 'yaml';

// Kubernetes readers expect these first; everything else follows alphabetically.
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec'];

function keyRank(key: string): number {
  const index = LEADING_KEYS.indexOf(key);
  return index === -1 ? LEADING_KEYS.length : index;
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

export function toYaml(value: unknown): string {
  const doc = new Document(canonical(value), { version: '1.1', aliasDuplicateObjects: false });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', indentSeq: true });
}

/** Several documents in one file, `---` separated, in the given order. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}
