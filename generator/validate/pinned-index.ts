// Which apiVersions each pinned product version serves, per kind (schemas/pinned/index.json).
import { readPinnedJson } from './load-validator.ts';
import type { ProductId } from './products.ts';

export interface PinnedKind {
  readonly product: ProductId;
  readonly productVersion: string;
  readonly group: string;
  readonly kind: string;
  /** Versions only, e.g. ["v1alpha3", "v1beta1"]. */
  readonly served: readonly string[];
}

let byGroupKind: Map<string, PinnedKind[]> | undefined;

const key = (group: string, kind: string): string => `${group}/${kind}`;

/** Every pinned product version that defines (group, kind); empty when none does. */
export function pinnedKinds(group: string, kind: string): readonly PinnedKind[] {
  return loadIndex().get(key(group, kind)) ?? [];
}

/** Kinds pinned in a group, for "did you mean" hints on misspelt kinds. */
export function pinnedKindNames(group: string): string[] {
  const names = new Set<string>();
  for (const entries of loadIndex().values()) for (const entry of entries) if (entry.group === group) names.add(entry.kind);
  return [...names].sort();
}

function loadIndex(): Map<string, PinnedKind[]> {
  if (byGroupKind) return byGroupKind;
  const index = readPinnedJson('index.json');
  const documents = typeof index === 'object' && index !== null ? (index as { documents?: unknown }).documents : undefined;
  if (!Array.isArray(documents)) throw new Error('schemas/pinned/index.json is malformed; run: npx tsx scripts/build-schemas.ts');
  byGroupKind = new Map();
  for (const entry of documents as PinnedKind[]) {
    const list = byGroupKind.get(key(entry.group, entry.kind)) ?? [];
    list.push(entry);
    byGroupKind.set(key(entry.group, entry.kind), list);
  }
  return byGroupKind;
}
