// Schema checks by shape (validate/validated-shapes.ts, string-constraints.ts): what the walk says a schema asks of
// one string, where it gives up, and, for every document of a bundle with any string changed, the same answer as
// the compiled validator, also for documents the YAML writer made from one it wrote before.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadAssets } from '../generator/assets.ts';
import { buildBundle } from '../generator/render/bundle.ts';
import { writtenWithView } from '../generator/render/rendered-shapes.ts';
import { Shape } from '../generator/validate/document-shape.ts';
import { issuesFromAjvErrors } from '../generator/validate/issues.ts';
import { loadValidator } from '../generator/validate/load-validator.ts';
import { pinnedKinds } from '../generator/validate/pinned-index.ts';
import { documentSchemaPath, splitApiVersion } from '../generator/validate/products.ts';
import { stringCheckAt } from '../generator/validate/string-constraints.ts';
import { validatedByShape } from '../generator/validate/validated-shapes.ts';
import type { SchemaIssue } from '../generator/validate/types.ts';
import { devTopologyWith } from './support/fixtures.ts';

type Case = readonly [what: string, schema: Record<string, unknown>, document: unknown, path: (string | number)[], passes: readonly string[], fails: readonly string[]];

const CHECKED: readonly Case[] = [
  ['pattern (unicode, as ajv)', { properties: { a: { type: 'string', pattern: '^\\p{Ll}+$' } } }, { a: 'x' }, ['a'], ['abc', 'é'], ['A', '', 'a1']],
  ['lengths in code points', { properties: { a: { minLength: 2, maxLength: 3 } } }, { a: 'xx' }, ['a'], ['ab', '😀😀😀'], ['a', 'abcd']],
  ['enum and const', { properties: { a: { enum: ['x', 'y'] }, b: { const: 'z' } } }, { a: 'x', b: 'z' }, ['a'], ['y'], ['z', '']],
  ['$ref and allOf both apply', { $defs: { name: { pattern: '^[a-z]' } }, properties: { a: { $ref: '#/$defs/name', allOf: [{ maxLength: 2 }] } } }, { a: 'x' }, ['a'], ['ab'], ['abc', 'Ab']],
  ['patternProperties, and additionalProperties for other keys', { patternProperties: { '^x-': { maxLength: 1 } }, additionalProperties: { minLength: 2 } }, { 'x-a': 'a', b: 'bb' }, ['x-a'], ['', 'z'], ['zz']],
  ['additionalProperties where no pattern matches', { patternProperties: { '^x-': { maxLength: 1 } }, additionalProperties: { minLength: 2 } }, { 'x-a': 'a', b: 'bb' }, ['b'], ['zz'], ['z']],
  ['items of a list, inside an object', { properties: { list: { type: 'array', items: { properties: { n: { pattern: '^[0-9]+$' } } } } } }, { list: [{ n: '1' }, { n: '2' }] }, ['list', 1, 'n'], ['42'], ['x']],
  ['a dependent schema of a key present', { properties: { a: { type: 'string' } }, dependentSchemas: { b: { properties: { a: { maxLength: 1 } } } } }, { a: 'x', b: 1 }, ['a'], ['y'], ['yy']],
  ['no dependent schema for a key absent', { properties: { a: { type: 'string' } }, dependentSchemas: { b: { properties: { a: { maxLength: 1 } } } } }, { a: 'x' }, ['a'], ['yy'], []],
  ['keywords of other types apply as true', { properties: { a: { minimum: 3, required: ['q'], items: false } } }, { a: 'x' }, ['a'], ['anything'], []],
];

const GIVES_UP: ReadonlyArray<readonly [what: string, schema: Record<string, unknown>, document: unknown, path: (string | number)[]]> = [
  ['anyOf on the way', { properties: { a: { anyOf: [{ properties: { b: { maxLength: 1 } } }, { required: ['c'] }] } } }, { a: { b: 'x' } }, ['a', 'b']],
  ['oneOf at the string', { properties: { a: { oneOf: [{ maxLength: 1 }, { minLength: 3 }] } } }, { a: 'x' }, ['a']],
  ['not', { properties: { a: { not: { const: 'y' } } } }, { a: 'x' }, ['a']],
  ['if at the string', { properties: { a: { if: { const: 'x' }, then: { maxLength: 1 } } } }, { a: 'x' }, ['a']],
  ['format', { properties: { a: { format: 'uri' } } }, { a: 'x' }, ['a']],
  ['enum over the object holding it', { properties: { a: { enum: [{ b: 'x' }] } } }, { a: { b: 'x' } }, ['a', 'b']],
  ['uniqueItems over the list holding it', { properties: { a: { uniqueItems: true, items: { type: 'string' } } } }, { a: ['x', 'y'] }, ['a', 0]],
  ['a keyword it does not know', { properties: { a: { 'x-kubernetes-validations': [] } } }, { a: 'x' }, ['a']],
  ['a $ref outside the document', { properties: { a: { $ref: 'other.json#/x' } } }, { a: 'x' }, ['a']],
  ['a false schema', { properties: { a: false } }, { a: 'x' }, ['a']],
];

/** The compiled validator's issues for a document, and its schema path. */
function fullCheck(doc: { apiVersion: string; kind: string }): { schemaPath: string; issues: () => SchemaIssue[] } | undefined {
  const [group] = splitApiVersion(doc.apiVersion);
  const pinned = pinnedKinds(group, doc.kind)[0];
  if (!pinned) return undefined;
  const schemaPath = documentSchemaPath(pinned.product, pinned.productVersion, doc.apiVersion, doc.kind);
  const validate = loadValidator(schemaPath);
  return { schemaPath, issues: () => (validate(doc) ? [] : issuesFromAjvErrors(validate.errors ?? [])) };
}

/** `document` with the string at `path` replaced (a copy). */
function withStringAt(document: unknown, path: readonly (string | number)[], value: string): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

const topology = devTopologyWith();
const DOCUMENTS = buildBundle(topology, loadAssets(topology.env.istio.version)).flatMap((file) => ('documents' in file ? file.documents : []));
// Names, DNS labels and paths the schemas restrict, and text they do not.
const replacement = fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,70}[a-z0-9])?$/), fc.constantFrom('', 'UPPER', 'a'.repeat(254), 'with space', 'http://x', '/spec'));

describe('schema checks by shape', () => {
  describe('what a schema asks of one string', () => {
    for (const [what, schema, document, path, passes, fails] of CHECKED) {
      it(what, () => {
        const check = stringCheckAt(schema, document, path);
        assert.ok(check, 'the walk knows every keyword here');
        for (const value of passes) assert.equal(check(value), true, value);
        for (const value of fails) assert.equal(check(value), false, value);
      });
    }
    for (const [what, schema, document, path] of GIVES_UP) {
      it(`gives up on ${what}`, () => assert.equal(stringCheckAt(schema, document, path), undefined));
    }
  });

  it('answers as the compiled validator for every document of a bundle with a string changed', () => {
    let answeredByShape = 0;
    const cases = DOCUMENTS.flatMap((built) => {
      const view = writtenWithView(built)?.view as { apiVersion: string; kind: string } | undefined;
      const full = view && fullCheck(view);
      // apiVersion and kind choose the schema (validate-document.ts judges them before any validator runs).
      const paths = view && Shape.of(view)?.paths.filter((path) => path.length > 1);
      return full && paths && paths.length > 0 ? [{ view, full, paths }] : [];
    });
    assert.ok(cases.length > 30);
    for (const { view, full } of cases) assert.deepEqual(validatedByShape(full.schemaPath, view, full.issues), []);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), replacement, (pick, at, value) => {
        const { view, paths } = cases[pick % cases.length]!;
        const changed = withStringAt(view, paths[at % paths.length]!, value) as { apiVersion: string; kind: string };
        const full = fullCheck(changed);
        if (!full) return;
        let validated = false;
        const answer = validatedByShape(full.schemaPath, changed, () => ((validated = true), full.issues()));
        assert.deepEqual(answer, full.issues());
        if (!validated) answeredByShape++;
      }),
      { numRuns: 1500 },
    );
    assert.ok(answeredByShape > 100, `answered by shape ${answeredByShape} times`);
  });

  it('answers as the compiled validator for documents the writer made from one it wrote before', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), replacement, (pick, at, value) => {
        const built = DOCUMENTS[pick % DOCUMENTS.length]!;
        const first = writtenWithView(built)?.view as { apiVersion: string; kind: string } | undefined;
        const full = first && fullCheck(first);
        const paths = Shape.of(built, { undefinedProperties: true })?.paths.filter((path) => path.length > 1);
        if (!first || !full || !paths || paths.length === 0) return;
        validatedByShape(full.schemaPath, first, full.issues);
        const view = writtenWithView(withStringAt(built, paths[at % paths.length]!, value))?.view as { apiVersion: string; kind: string } | undefined;
        if (!view) return;
        const check = fullCheck(view);
        if (check) assert.deepEqual(validatedByShape(check.schemaPath, view, check.issues), check.issues());
      }),
      { numRuns: 800 },
    );
  });
});
