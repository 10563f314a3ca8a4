// Meaning mutations: one single-value change per scalar leaf of the generated bundle that the pinned schemas still
// accept (a string gets a suffix, a number +1, a boolean flipped), so only the cross-reference rules (or nothing) can
// notice it. Judged with the same checkManifests that generate and validate run: a change the schema, the Helm values
// schema or an upstream model rejects is not a meaning mutation and is counted apart.
import type { Diagnostic } from '../../../generator/diagnostics.ts';
import { checkManifests } from '../../../generator/validate/check-manifests.ts';
import type { LocatedDoc } from '../../../generator/validate/cross-references/index.ts';
import type { TargetVersions } from '../../../generator/validate/types.ts';
import { pointerOf } from './mutations.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface MeaningMutation { doc: number; pointer: string; from: Json; to: Json }
export type MeaningVerdict = 'caught' | 'missed' | 'schema-invalid';
export interface MeaningOutcome { mutation: MeaningMutation; verdict: MeaningVerdict; rules: string[] }

/** The one schema-valid change tried per leaf: a value of the same type that differs. */
function changed(value: string | number | boolean): Json {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value + 1;
  // Before a trailing "/" so a path stays a path, else at the end ("flex" → "flexz", "8081" → "80819").
  return value.endsWith('/') ? `${value.slice(0, -1)}z/` : /^\d+$/.test(value) ? `${value}9` : `${value}z`;
}

function leaves(value: Json, path: Array<string | number>, out: Array<{ path: Array<string | number>; value: string | number | boolean }>): void {
  if (Array.isArray(value)) value.forEach((item, i) => leaves(item, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) leaves(item, [...path, key], out);
  else if (value !== null) out.push({ path, value });
}

function setAt(doc: Json, path: ReadonlyArray<string | number>, to: Json): void {
  let node = doc as Record<string | number, Json>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, Json>;
  node[path[path.length - 1]!] = to;
}

/** Every scalar leaf of every document except `skip` (documents nobody checks, e.g. a Kustomization). */
export function meaningMutations(bundle: readonly LocatedDoc[], skip: (doc: LocatedDoc) => boolean): Array<MeaningMutation & { path: Array<string | number> }> {
  return bundle.flatMap((located, doc) => {
    if (skip(located)) return [];
    const found: Array<{ path: Array<string | number>; value: string | number | boolean }> = [];
    leaves(located.doc as unknown as Json, [], found);
    return found.map(({ path, value }) => ({ doc, path, pointer: pointerOf(path), from: value, to: changed(value) }));
  });
}

const isRule = (diagnostic: Diagnostic) => diagnostic.expected?.startsWith('rule ') ?? false;

export function runMeaningMutation(bundle: readonly LocatedDoc[], mutation: MeaningMutation & { path: Array<string | number> }, preExisting: readonly string[], targets: TargetVersions): MeaningOutcome {
  const original = bundle[mutation.doc]!;
  const doc = structuredClone(original.doc) as unknown as Json;
  setAt(doc, mutation.path, mutation.to);
  const docs = bundle.map((located, i) => (i === mutation.doc ? { ...located, doc: doc as unknown as LocatedDoc['doc'] } : located));
  const diagnostics = checkManifests(docs, preExisting, targets);
  if (diagnostics.some((diagnostic) => !isRule(diagnostic))) return { mutation, verdict: 'schema-invalid', rules: [] };
  const rules = [...new Set(diagnostics.map((diagnostic) => diagnostic.expected!.slice('rule '.length)))].sort();
  return { mutation, verdict: rules.length > 0 ? 'caught' : 'missed', rules };
}
