// Property: the bundle depends on what the environment says, not on how it is written. Shuffling the key order of
// every mapping in dev.yaml (and restyling the YAML) yields byte-identical output.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { generateFromText } from '../generator/pipeline.ts';
import type { OutputFile } from '../generator/render/bundle.ts';
import { DEV_FILE, devText } from './support/fixtures.ts';

/** A copy of `value` whose mappings list their keys in an order drawn from `random` (lists keep their order). */
function shuffleKeys(value: unknown, random: Iterator<number>): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, random));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = random.next().value % (i + 1); // Fisher-Yates
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, shuffleKeys(item, random)]));
}

function keyOrders(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keyOrders);
  if (value === null || typeof value !== 'object') return [];
  return [Object.keys(value).join(','), ...Object.values(value).flatMap(keyOrders)];
}

describe('determinism (property)', function () {
  this.timeout(60_000);
  const text = devText();
  const data = parse(text) as unknown;
  let expected: OutputFile[] = [];
  before(() => {
    expected = generateFromText(text, DEV_FILE).files;
  });

  it('shuffling mapping keys and restyling dev.yaml yields byte-identical output', () => {
    let reordered = 0;
    fc.assert(
      fc.property(
        fc.infiniteStream(fc.nat()),
        fc.constantFrom('any', 'block', 'flow'),
        fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
        (random, collectionStyle, defaultStringType) => {
          const shuffled = shuffleKeys(data, random[Symbol.iterator]());
          if (keyOrders(shuffled).join('|') !== keyOrders(data).join('|')) reordered++;
          const rewritten = stringify(shuffled, { collectionStyle: collectionStyle as 'any', defaultStringType: defaultStringType as 'PLAIN' });
          assert.deepEqual(parse(rewritten), data, 'the rewritten file says the same thing');
          const actual = generateFromText(rewritten, DEV_FILE).files;
          assert.deepEqual(actual.map((file) => file.path), expected.map((file) => file.path));
          for (let i = 0; i < actual.length; i++) assert.equal(actual[i]!.content, expected[i]!.content, actual[i]!.path);
        },
      ),
      { numRuns: 25 },
    );
    assert.ok(reordered >= 20, `only ${reordered} of 25 runs changed a key order: the shuffle is not shuffling`);
  });
});
