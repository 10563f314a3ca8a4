// Rendering by shape (render/rendered-shapes.ts): a document of a shape written before gets exactly the text and view
// the writer gives it (toYamlWithView), whatever its strings, keys, undefined properties and nesting.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { writtenWithView } from '../generator/render/rendered-shapes.ts';
import { toYamlWithView } from '../generator/render/yaml.ts';
import { ordinaryDocument, ordinaryString } from './support/yaml-cases.ts';
import { ordered } from './support/ordered.ts';


/** `value` with its strings (not its keys) replaced, in walk order, by `strings` (cycled). */
function restrung(value: unknown, strings: readonly string[], next = { at: 0 }): unknown {
  if (typeof value === 'string') return strings.length === 0 ? value : strings[next.at++ % strings.length];
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) if (index in value) copy[index] = restrung(value[index], strings, next);
    return copy;
  }
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) Object.defineProperty(copy, key, { value: restrung(item, strings, next), enumerable: true, writable: true, configurable: true });
  return copy;
}

function assertWrittenAsTheWriterDoes(document: unknown): void {
  const expected = toYamlWithView(document);
  const actual = writtenWithView(document);
  if (!expected) return assert.equal(actual, undefined, 'left to the library, as the writer leaves it');
  assert.ok(actual);
  assert.equal(actual.text, expected.text);
  assert.deepStrictEqual(ordered(actual.view), ordered(expected.view));
}

let kinds = 0;
/** A document of its own kind, so every case starts with nothing remembered for it. */
const ofNewKind = (body: unknown) => ({ apiVersion: 'v1', kind: `Shape${++kinds}`, body });

// Strings the writer leaves to the library (control characters, lone surrogates) and multi-line text ending in blanks.
const anyString = fc.oneof(ordinaryString, fc.string(), fc.constantFrom('\x07', 'a\rb', '\ud800', 'a\n  ', 'x\n'));

describe('rendering by shape', () => {
  it('a document of a shape written before: the writer\'s text and view, for any strings', () => {
    fc.assert(
      fc.property(ordinaryDocument, fc.array(anyString, { maxLength: 8 }), (body, strings) => {
        const first = ofNewKind(body);
        assertWrittenAsTheWriterDoes(first);
        assertWrittenAsTheWriterDoes({ ...first, body: restrung(body, strings) });
        assertWrittenAsTheWriterDoes({ ...first, body: restrung(body, [...strings].reverse()) });
      }),
      { numRuns: 600 },
    );
  });

  it('shares the unchanged parts of the view written before, which is frozen', () => {
    const labels = { team: 'platform' };
    const first = { apiVersion: 'v1', kind: 'SharedPartsCheck', metadata: { name: 'a', labels }, data: { script: 'echo a\n' } };
    const firstView = writtenWithView(first)!.view as typeof first;
    const second = writtenWithView({ ...first, metadata: { name: 'b', labels: { team: 'platform' } } })!;
    assert.equal(second.text, toYamlWithView({ ...first, metadata: { name: 'b', labels } })!.text);
    const view = second.view as typeof first;
    assert.equal(view.metadata.name, 'b');
    assert.equal(view.metadata.labels, firstView.metadata.labels, 'the unchanged labels are the ones written before');
    assert.equal(view.data, firstView.data);
    assert.ok(Object.isFrozen(firstView.data), 'shared parts cannot change under a later document');
  });

  it('a different shape is written afresh: another key, order, length, number or undefined property', () => {
    const base = { apiVersion: 'v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ verbs: ['get'], port: 80, on: true }] };
    assertWrittenAsTheWriterDoes(base);
    for (const variant of [
      { ...base, rules: [{ verbs: ['get', 'list'], port: 80, on: true }] },
      { ...base, rules: [{ port: 80, verbs: ['get'], on: true }] },
      { ...base, rules: [{ verbs: ['get'], port: 81, on: true }] },
      { ...base, rules: [{ verbs: ['get'], port: 80, on: false }] },
      { ...base, rules: [{ verbs: ['get'], port: 80, on: true, extra: undefined }] },
      { ...base, rules: [{ verbs: ['get'], port: '80', on: true }] },
      { ...base, metadata: { name: 'r', '10': 'x' } },
    ]) assertWrittenAsTheWriterDoes(variant);
  });
});
