// canonicalView (what generate checks) against canonical (what the YAML writer serialises): the same value, key order
// included, for any JSON-like input; the input untouched; parts already canonical shared instead of copied.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadAssets } from '../generator/assets.ts';
import { buildBundle } from '../generator/render/bundle.ts';
import { canonical, toYaml, toYamlWithView } from '../generator/render/yaml.ts';
import { canonicalView } from '../generator/validate/canonical-view.ts';
import { devTopologyWith } from './support/fixtures.ts';
import { ordered } from './support/ordered.ts';


function assertSameAsCanonical(input: unknown): void {
  const before = ordered(input);
  const view = canonicalView(input);
  assert.deepStrictEqual(view, canonical(input));
  assert.deepStrictEqual(ordered(view), ordered(canonical(input)));
  // The writer's view, made while it renders (when it renders the value at all), is the same value.
  const rendered = toYamlWithView(input);
  if (rendered) {
    assert.deepStrictEqual(rendered.view, canonical(input));
    assert.deepStrictEqual(ordered(rendered.view), ordered(canonical(input)));
    assert.equal(rendered.text, toYaml(input));
  }
  assert.deepStrictEqual(ordered(input), before, 'the input is left alone');
}

const KEYS = fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec', 'a', 'b', 'Z', 'z-1', '0', '7', '10', '__proto__', '');
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('map')),
  leaf: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.array(fc.tuple(KEYS, tie('node')), { maxLength: 6 }).map((entries) => Object.fromEntries(entries)),
}));

describe('canonicalView', () => {
  it('equals canonical() for any JSON-like value, key order included', () => {
    fc.assert(fc.property(value.node, (input) => assertSameAsCanonical(input)), { numRuns: 500 });
  });

  it('equals canonical() for every document of a built bundle', () => {
    const topology = devTopologyWith();
    for (const file of buildBundle(topology, loadAssets(topology.env.istio.version))) {
      if ('documents' in file) for (const doc of file.documents) assertSameAsCanonical(doc);
    }
  });

  it('returns a canonical value itself, and shares the canonical parts of one that is not', () => {
    const spec = { a: { b: [1, { c: 2 }] }, z: 'last' };
    const input = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec };
    assert.equal(canonicalView(input), input);
    const unsorted = { spec, kind: 'ConfigMap', dropped: undefined };
    const view = canonicalView(unsorted) as { spec: unknown };
    assert.notEqual(view, unsorted);
    assert.equal(view.spec, spec, 'the canonical part is shared');
    assert.deepEqual(Object.keys(view), ['kind', 'spec']);
  });

  it('copies what canonical() copies: holes and undefined items of lists, objects that are not plain', () => {
    // eslint-disable-next-line no-sparse-arrays
    assertSameAsCanonical({ list: [1, , undefined, 2] });
    assertSameAsCanonical({ when: new Date(0), nothing: Object.create(null) as object });
    const list = [1, 2];
    assert.equal((canonicalView({ list }) as { list: unknown }).list, list);
  });
});
