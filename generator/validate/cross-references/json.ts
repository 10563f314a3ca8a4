// Safe readers for manifests of unknown shape: cross-reference rules run on hand-edited files too,
// where any field may be missing or of the wrong type (the schema layer reports that; rules must not crash).

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
