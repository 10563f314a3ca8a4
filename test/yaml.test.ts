// The YAML renderer: strings stay strings for YAML 1.1 and 1.2 readers, no folding, no anchors, fixed key order;
// its direct writer gives the library's bytes for every document generate builds and for random adversarial ones,
// and leaves exotic ones to the library.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { loadAssets } from '../generator/assets.ts';
import { listEnvironments } from '../generator/cli/environments.ts';
import { buildBundle } from '../generator/render/bundle.ts';
import { canonical, compareKeys, directYamlOrUndefined, toYaml, toYamlStream, toYamlViaLibrary, toYamlWithView } from '../generator/render/yaml.ts';
import { fleets } from '../generator/resources/fleet.ts';
import { canonicalView } from '../generator/validate/canonical-view.ts';
import { fixtureNames, generateFixture } from '../scripts/update-fixture-bundles.ts';
import { generateCommitted, PROJECT_ROOT } from './support/fixtures.ts';
import { EXACT, exoticDocument, FALLBACKS, ordinaryDocument } from './support/yaml-cases.ts';

const reparse11 = (text: string): unknown => parse(text, { version: '1.1' });
const reparse12 = (text: string): unknown => parse(text);

// Plain scalars that a YAML 1.1 (or 1.2) reader would turn into booleans, nulls, numbers or timestamps.
const AMBIGUOUS = [
  'on', 'off', 'On', 'OFF', 'yes', 'no', 'Yes', 'NO', 'y', 'n', 'Y', 'N', 'true', 'False',
  'null', 'Null', '~', '', '80', '8081', '0777', '0o17', '0x1F', '1_000', '1:30', '1e3', '.5', '-1', '+1',
  '.inf', '-.Inf', '.nan', '2024-01-01', '2001-12-14t21:59:43.10-05:00', '=', '<<',
];

describe('YAML rendering', () => {
  describe('ambiguous strings stay strings', () => {
    for (const value of AMBIGUOUS) {
      it(`${JSON.stringify(value)} as a value and as a key`, () => {
        const text = toYaml({ value, list: [value], map: { [value]: 'key' } });
        for (const reparse of [reparse11, reparse12]) {
          assert.deepEqual(reparse(text), { list: [value], map: { [value]: 'key' }, value }, text);
        }
      });
    }
  });

  it('strings starting with a letter stay strings for both readers: the shortcut that skips their parse', () => {
    const text = fc.tuple(fc.constantFrom(...'aAfFnNtTyYoOzZ'), fc.stringMatching(/^[-a-zA-Z0-9._/: \t#]{0,10}$/)).map(([head, tail]) => head + tail);
    const words = ['true', 'True', 'TRUE', 'false', 'FALSE', 'null', 'NULL', 'Null', 'nan', 'true ', 'null\t', 'true #c', 'false: x', 'n-1', 'f0', 't-'];
    fc.assert(fc.property(fc.oneof(text, fc.constantFrom(...words)), (value) => {
      const rendered = toYaml({ value });
      return (reparse11(rendered) as { value: unknown }).value === value && (reparse12(rendered) as { value: unknown }).value === value;
    }), { numRuns: 1000 });
  });

  it('keeps numbers, booleans and null typed', () => {
    const text = toYaml({ port: 80, ratio: 0.5, enabled: true, off: false, none: null });
    assert.deepEqual(reparse11(text), { enabled: true, none: null, off: false, port: 80, ratio: 0.5 });
    assert.match(text, /^port: 80$/m);
    assert.match(text, /^enabled: true$/m);
  });

  it('keeps $VAR references, DataWeave and wildcard strings intact', () => {
    const value = { password: '$FLEXMESH_USERS_PASSWORD', message: "#['> ' ++ attributes.method]", hosts: ['*'], rewrite: '/ingress/' };
    assert.deepEqual(reparse11(toYaml(value)), value);
  });

  it('does not fold long lines', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const text = toYaml({ long, nested: { deeper: { long } } });
    assert.equal(text.split('\n').filter((line) => line.includes('word59')).length, 2);
    assert.deepEqual(reparse11(text), { long, nested: { deeper: { long } } });
  });

  it('writes multi-line strings as literal blocks, byte for byte', () => {
    const script = '#!/bin/sh\nset -eu\necho "a  b"\n';
    const text = toYaml({ data: { 'probe.sh': script } });
    assert.match(text, /probe\.sh: \|/);
    assert.equal((reparse11(text) as { data: Record<string, string> }).data['probe.sh'], script);
  });

  it('does not use anchors or aliases for repeated objects', () => {
    const shared = { name: 'x', labels: { a: 'b' } };
    const text = toYaml({ first: shared, second: shared, list: [shared, shared] });
    assert.doesNotMatch(text, /[&*]\w/);
    assert.deepEqual(reparse11(text), { first: shared, list: [shared, shared], second: shared });
  });

  it('orders apiVersion, kind, metadata, spec first, everything else alphabetically, at every depth', () => {
    const text = toYaml({ zeta: 1, spec: { b: 1, a: 2 }, alpha: 1, metadata: { labels: {}, namespace: 'ns', name: 'web' }, kind: 'K', apiVersion: 'v1' });
    assert.deepEqual(Object.keys(reparse11(text) as object), ['apiVersion', 'kind', 'metadata', 'spec', 'alpha', 'zeta']);
    assert.equal(text, 'apiVersion: v1\nkind: K\nmetadata:\n  name: web\n  namespace: ns\n  labels: {}\nspec:\n  a: 2\n  b: 1\nalpha: 1\nzeta: 1\n');
  });

  it('compareKeys sorts by code point after the leading keys', () => {
    assert.deepEqual(['b', 'B', 'spec', 'a', 'apiVersion', '_x', 'kind'].sort(compareKeys), ['apiVersion', 'kind', 'spec', 'B', '_x', 'a', 'b']);
  });

  it('drops undefined in maps and lists but keeps null', () => {
    const text = toYaml({ a: undefined, b: null, list: [1, undefined, 2], nested: { c: undefined } });
    assert.deepEqual(reparse11(text), { b: null, list: [1, 2], nested: {} });
    assert.doesNotMatch(text, /undefined|^a:/m);
  });

  it('canonical returns a sorted copy and leaves its input alone', () => {
    const input = { spec: { b: 1 }, kind: 'K', extra: undefined };
    const copy = structuredClone(input);
    assert.deepEqual(Object.keys(canonical(input) as object), ['kind', 'spec']);
    assert.deepEqual(input, copy);
  });

  it('renders the same bytes whatever the insertion order of keys', () => {
    assert.equal(toYaml({ b: { y: 1, x: 2 }, a: [{ q: 1, p: 2 }] }), toYaml({ a: [{ p: 2, q: 1 }], b: { x: 2, y: 1 } }));
  });

  it('writes no %YAML directive or document markers for a single document', () => {
    const text = toYaml({ apiVersion: 'v1', kind: 'Namespace' });
    assert.equal(text, 'apiVersion: v1\nkind: Namespace\n');
  });

  it('indents sequences under their key', () => {
    assert.equal(toYaml({ list: ['a', { b: 1 }] }), 'list:\n  - a\n  - b: 1\n');
  });

  it('joins a stream with --- and keeps each document in order', () => {
    const stream = toYamlStream([{ kind: 'A' }, { kind: 'B' }, { kind: 'C' }]);
    assert.equal(stream, 'kind: A\n---\nkind: B\n---\nkind: C\n');
    assert.deepEqual(parseAllDocuments(stream).map((doc) => doc.toJS()), [{ kind: 'A' }, { kind: 'B' }, { kind: 'C' }]);
  });
});

describe("YAML direct writer: the library's bytes, or the library", () => {
  const directly = (value: unknown, label: string): void => {
    const direct = directYamlOrUndefined(value);
    assert.notEqual(direct, undefined, `${label}: left to the library`);
    assert.equal(direct, toYamlViaLibrary(value), label);
    // The canonical view the checks make renders as it is (no second ordering of keys) to the same bytes.
    assert.equal(directYamlOrUndefined(canonicalView(value), true), direct, `${label}: from its canonical view`);
    // Rendering while making the view: the same bytes, and the view the checks would have made.
    const both = toYamlWithView(value);
    assert.equal(both?.text, direct, `${label}: with its view`);
    assert.deepStrictEqual(both.view, canonicalView(value), `${label}: its view`);
  };

  it('writes every document generate builds (committed environments, fixtures, fleet) directly', () => {
    const names = listEnvironments(PROJECT_ROOT).map((file) => file.replace(/^environments\/|\.yaml$/g, '')).filter((name) => !name.startsWith('_'));
    const committed = names.map((name) => generateCommitted(name).topology);
    const documents: Array<readonly [string, unknown]> = [...committed, ...fixtureNames().map((name) => generateFixture(name).topology)].flatMap((topology) =>
      buildBundle(topology, loadAssets(topology.env.istio.version)).flatMap((file) =>
        'documents' in file ? file.documents.map((doc, index) => [`${topology.env.name}/${file.path}#${index}`, doc] as const) : []));
    for (const fleet of fleets(committed, (topology) => topology).fleets) documents.push(...fleet.documents.map((doc) => [`fleet ${fleet.name}`, doc] as const));
    for (const [label, doc] of documents) directly(doc, label);
    assert.ok(names.length >= 3 && documents.length > 200, `${names.length} environments, ${documents.length} documents`);
  });

  it('renders every document of the committed bundles as the library does', () => {
    const files = ['out', 'test/fixtures/bundles'].flatMap((dir) =>
      readdirSync(join(PROJECT_ROOT, dir), { recursive: true }).map(String).filter((file) => file.endsWith('.yaml')).map((file) => join(dir, file)));
    // Comment-only documents of the verbatim samples are null, a top-level scalar the writer leaves to the library.
    const documents = files.flatMap((file) => parseAllDocuments(readFileSync(join(PROJECT_ROOT, file), 'utf8'))
      .map((doc) => [file, doc.toJS() as unknown] as const).filter(([, value]) => value !== null));
    for (const [file, value] of documents) directly(value, file);
    assert.ok(documents.length > 300, `${documents.length} documents`);
  });

  it('names (a letter, then letters, digits and -._/), which skip every look-up: as the library writes them, as keys and values', () => {
    const name = fc.tuple(fc.constantFrom(...'aZnNyYoOtTfFeE'), fc.string({ unit: fc.constantFrom(...'abnoeyslruAZNOEY0159._/-+'), minLength: 0, maxLength: 12 })).map(([first, rest]) => first + rest);
    fc.assert(fc.property(name, name, (key, value) => directly({ [key]: value, list: [value], nested: { [value]: key } }, `${key}: ${value}`)), { numRuns: 3000 });
  });

  it('random documents with adversarial strings: written directly, byte for byte', () => {
    fc.assert(fc.property(ordinaryDocument, (doc) => directly(doc, JSON.stringify(doc))), { numRuns: 5000 });
  });

  it('random documents with a control character or lone surrogate anywhere: left to the library', () => {
    fc.assert(fc.property(exoticDocument, (doc) => {
      assert.equal(directYamlOrUndefined(doc), undefined);
      assert.equal(toYaml(doc), toYamlViaLibrary(doc));
    }), { numRuns: 500 });
  });

  for (const [name, value, text] of EXACT) {
    it(`edge case: ${name}`, () => {
      assert.equal(toYamlViaLibrary(value), text);
      assert.equal(directYamlOrUndefined(value), text);
    });
  }

  for (const [name, value] of FALLBACKS) {
    it(`left to the library: ${name}`, () => {
      assert.equal(directYamlOrUndefined(value), undefined);
      assert.equal(toYaml(value), toYamlViaLibrary(value));
    });
  }
});
