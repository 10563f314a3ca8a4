// Schema checks remembered by shape. The documents of a fleet's environments, and the Roles of one bundle, differ
// only in a few strings (names, the environment label, the cluster), and a big kind's compiled validator costs as
// much as the rest of an environment's checks. Once a document of some shape (document-shape.ts) passed a schema, a
// document of the same shape passes it too when every string that differs passes what the schema asks of a string
// at that place (string-constraints.ts): every other keyword sees the same keys, lengths, numbers and strings. When
// that cannot be told (the walk gives up) or a string fails, the document is validated in full, so its issues are
// exactly the validator's.
import { Shape } from './document-shape.ts';
import { readPinnedJson } from './load-validator.ts';
import { stringCheckAt, type StringCheck } from './string-constraints.ts';
import type { SchemaIssue } from './types.ts';

interface Passed {
  shape: Shape;
  /** A copy of the document that passed: stringCheckAt reads which keys it has. */
  document: unknown;
  /** By string index, made when a string there first differs; null: it cannot be told. */
  checks: (StringCheck | null | undefined)[];
  /** Documents of this shape met so far. */
  seen: number;
}

interface Remembered {
  passed: Passed[];
  /** The same records, by the document that passed (not its copy). */
  byDocument: WeakMap<object, Passed>;
  /** Where to start looking: documents tend to come in the same order in every environment. */
  next: number;
}

/**
 * Documents of a shape validated in full before the schema's JSON is read for their strings: a single bundle holds a
 * few documents of one shape, for which parsing a schema of up to 110 kB costs more than the validator saves.
 */
const WORTH_A_SCHEMA_READ = 8;
/** A bound on what is remembered per schema: a fleet has a handful of shapes per kind. */
const SHAPES_PER_SCHEMA = 64;
const remembered = new Map<string, Remembered>();
const schemas = new Map<string, unknown>();
const differing: unknown[] = [];

/** Documents the YAML writer made from one it wrote before (render/rendered-shapes.ts), and the strings that differ. */
const sameShapes = new WeakMap<object, { as: object; differing: readonly (readonly [index: number, value: string])[] }>();

/**
 * `document` has the shape of `as` (a view the caller never changes), with the strings at these indices of
 * Shape.of(as).paths differing: once `as` passed a schema, `document` is checked against it without a walk.
 */
export function noteSameShape(document: unknown, as: unknown, differing: readonly (readonly [index: number, value: string])[]): void {
  if (typeof document === 'object' && document !== null && typeof as === 'object' && as !== null) sameShapes.set(document, { as, differing });
}

function pinnedSchema(schemaPath: string): boolean | Record<string, unknown> {
  if (!schemas.has(schemaPath)) schemas.set(schemaPath, readPinnedJson(`${schemaPath}.json`));
  return schemas.get(schemaPath) as boolean | Record<string, unknown>;
}

/**
 * `validate()`'s issues for `document` under the pinned schema `schemaPath` (relative to schemas/pinned, no
 * extension), which `validate` checks it with; answered without it when a document of the same shape passed.
 */
export function validatedByShape(schemaPath: string, document: unknown, validate: () => SchemaIssue[]): SchemaIssue[] {
  let memory = remembered.get(schemaPath);
  if (!memory) remembered.set(schemaPath, (memory = { passed: [], byDocument: new WeakMap(), next: 0 }));
  const { passed } = memory;
  const same = typeof document === 'object' && document !== null ? sameShapes.get(document) : undefined;
  const passedAs = same && memory.byDocument.get(same.as);
  if (same && passedAs) {
    differing.length = 0;
    for (const [index, value] of same.differing) differing.push(index, value);
    return ++passedAs.seen > WORTH_A_SCHEMA_READ && stringsPass(schemaPath, passedAs) ? [] : validate();
  }
  for (let tried = 0; tried < passed.length; tried++) {
    const index = (memory.next + tried) % passed.length;
    const known = passed[index]!;
    differing.length = 0;
    if (!known.shape.matches(document, differing)) continue;
    memory.next = (index + 1) % passed.length;
    return ++known.seen > WORTH_A_SCHEMA_READ && stringsPass(schemaPath, known) ? [] : validate();
  }
  const issues = validate();
  if (issues.length === 0 && passed.length < SHAPES_PER_SCHEMA) {
    const copy = structuredClone(document);
    const shape = Shape.of(copy);
    if (shape) {
      const entry = { shape, document: copy, checks: [], seen: 1 };
      passed.push(entry);
      if (typeof document === 'object' && document !== null) memory.byDocument.set(document, entry);
      memory.next = 0;
    }
  }
  return issues;
}

/** Whether every string in `differing` passes its check. */
function stringsPass(schemaPath: string, known: Passed): boolean {
  for (let at = 0; at < differing.length; at += 2) {
    const index = differing[at] as number;
    let check = known.checks[index];
    if (check === undefined) known.checks[index] = check = stringCheckAt(pinnedSchema(schemaPath), known.document, known.shape.paths[index]!) ?? null;
    if (check === null || !check(differing[at + 1] as string)) return false;
  }
  return true;
}
