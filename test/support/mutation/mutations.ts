// Mutations derived mechanically from the generated documents and their pinned schemas: one per object node
// (unknown field), per typed scalar leaf (wrong type), per present required field (deletion) and per document
// (unserved apiVersion). Places the schema leaves open are recorded as exceptions, with the schema node that opens them.
import { UNCHECKED_KINDS } from '../../../generator/validate/index.ts';
import { pinnedKinds } from '../../../generator/validate/pinned-index.ts';
import { joinApiVersion, normalizeVersion, splitApiVersion } from '../../../generator/validate/products.ts';
import type { TargetVersions } from '../../../generator/validate/types.ts';
import { applicableAt, openness, rejects, requiredFields, type JsonObject } from './schema.ts';

export const UNKNOWN_FIELD = 'flexmeshUnknownField';
export const CLASSES = ['unknown field', 'wrong type', 'required', 'apiVersion'] as const;
export type MutationClass = (typeof CLASSES)[number];

type Json = JsonObject[string];
type Path = ReadonlyArray<string | number>;

export interface Mutation {
  cls: MutationClass;
  /** Index of the mutated document in the bundle's document list. */
  doc: number;
  /** JSON pointer of the mutated place. */
  at: string;
  /** What changes, e.g. `/spec/ports/0/port: 9080 → "flexmeshWrongType"`. */
  title: string;
  apply(doc: JsonObject): void;
  /** The diagnostic that must appear: at this pointer of the mutated document, its problem mentioning `mentions`. */
  expect: { pointer: string; mentions: string };
}

/**
 * A place the schema legitimately leaves open, so no mutation is derived there: a map (its keys are data), an object
 * listed as open by design, a scalar no schema types, or a null. `where` names the schema node.
 */
export interface Exception { cls: MutationClass; doc: number; pointer: string; kind: 'map' | 'open' | 'untyped' | 'null'; where: string }

export const pointerOf = (path: Path) => path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function parentAndKey(doc: JsonObject, path: Path): [Record<string | number, Json>, string | number] {
  return [applyPath(doc, path.slice(0, -1)) as Record<string | number, Json>, path[path.length - 1] as string | number];
}

/** Replacements of a scalar, in order of preference; the first one the schema rejects is used. */
function replacements(value: string | number | boolean): Json[] {
  if (typeof value === 'string') return [12345, { [UNKNOWN_FIELD]: 1 }];
  if (typeof value === 'number') return ['flexmeshWrongType', true];
  return ['flexmeshWrongType', 1];
}

const show = (value: Json) => JSON.stringify(value);

/** Documents of UNCHECKED_KINDS are skipped; `openByDesign` lists schema places (`where`) known to accept any key. */
export function deriveMutations(docs: readonly JsonObject[], targets: TargetVersions, openByDesign: ReadonlySet<string>): { mutations: Mutation[]; exceptions: Exception[] } {
  const mutations: Mutation[] = [];
  const exceptions: Exception[] = [];

  docs.forEach((doc, index) => {
    if (isUnchecked(doc)) return;
    const walk = (value: Json, path: Path): void => {
      const pointer = pointerOf(path);
      if (Array.isArray(value)) return value.forEach((item, i) => walk(item, [...path, i]));
      const applied = applicableAt(doc, targets, path);
      if (value !== null && typeof value === 'object') {
        const open = openness(applied, UNKNOWN_FIELD);
        // A key in a map is data, not a field; an open place is a gap unless listed as open by design.
        if (open.kind === 'closed' || (open.kind === 'open' && !openByDesign.has(open.where))) {
          mutations.push({
            cls: 'unknown field', doc: index, at: pointer, title: `${pointer}/${UNKNOWN_FIELD}: 1`,
            apply: (target) => { (applyPath(target, path) as JsonObject)[UNKNOWN_FIELD] = 1; },
            expect: { pointer: `${pointer}/${UNKNOWN_FIELD}`, mentions: `unknown field "${UNKNOWN_FIELD}"` },
          });
        } else {
          exceptions.push({ cls: 'unknown field', doc: index, pointer, kind: open.kind, where: open.where });
        }
        for (const field of requiredFields(applied).filter((name) => Object.hasOwn(value, name))) {
          mutations.push({
            cls: 'required', doc: index, at: `${pointer}/${field}`, title: `delete ${pointer}/${field}`,
            apply: (target) => { delete (applyPath(target, path) as JsonObject)[field]; },
            expect: { pointer, mentions: `missing required field "${field}"` },
          });
        }
        for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
        return;
      }
      if (value === null) return void exceptions.push({ cls: 'wrong type', doc: index, pointer, kind: 'null', where: '' });
      const replacement = replacements(value).find((candidate) => rejects(applied, candidate));
      if (replacement === undefined) {
        const where = applied.find((entry) => typeof entry.node === 'object' && 'type' in entry.node)?.where ?? applied[0]?.where ?? '(no schema reaches here)';
        return void exceptions.push({ cls: 'wrong type', doc: index, pointer, kind: 'untyped', where });
      }
      mutations.push({
        cls: 'wrong type', doc: index, at: pointer, title: `${pointer}: ${show(value)} → ${show(replacement)}`,
        apply: (target) => { const [parent, key] = parentAndKey(target, path); parent[key] = structuredClone(replacement); },
        expect: { pointer, mentions: '' },
      });
    };
    walk(doc, []);

    const [group] = splitApiVersion(String(doc['apiVersion']));
    const pinned = pinnedKinds(group, String(doc['kind'])).find((entry) => entry.productVersion === normalizeVersion(targets[entry.product]));
    for (const version of ['v1', 'v2', 'v1beta1'].filter((name) => pinned && !pinned.served.includes(name))) {
      const apiVersion = joinApiVersion(group, version);
      mutations.push({
        cls: 'apiVersion', doc: index, at: '/apiVersion', title: `apiVersion ${apiVersion}`,
        apply: (target) => { target['apiVersion'] = apiVersion; },
        expect: { pointer: '/apiVersion', mentions: `apiVersion ${apiVersion} is not served` },
      });
    }
  });
  return { mutations, exceptions };
}

export function isUnchecked(doc: JsonObject): boolean {
  const [group] = splitApiVersion(String(doc['apiVersion']));
  return UNCHECKED_KINDS.some((unchecked) => unchecked.group === group && unchecked.kind === doc['kind']);
}

function applyPath(doc: JsonObject, path: Path): Json {
  return path.reduce<Json>((node, segment) => (node as Record<string | number, Json>)[segment] as Json, doc);
}
