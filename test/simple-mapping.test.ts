// simpleMapping (generator/env/simple-mapping.ts): a text it reads, the yaml library reads to the same data (key order
// included), with no error, no warning and nothing the strict checks refuse; anything else it leaves to the library.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineCounter, parseDocument } from 'yaml';
import { simpleMapping } from '../generator/env/simple-mapping.ts';
import { controlCharacterProblems, yamlFeatureProblems } from '../generator/env/strict-yaml.ts';

/** What the full path (env/load.ts) reads `text` to, or why it refuses it. */
function library(text: string): { data: unknown } | { refused: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems = [...doc.errors.map((error) => error.message), ...doc.warnings.map((warning) => warning.message), ...controlCharacterProblems(text, 'f').map((p) => p.problem), ...yamlFeatureProblems(doc, lines, 'f').map((p) => p.problem)];
  return problems.length > 0 ? { refused: problems.join('; ') } : { data: doc.toJS() };
}

function assertReadAsLibrary(text: string): void {
  const fast = simpleMapping(text);
  if (fast === undefined) return;
  const full = library(text);
  assert.ok('data' in full, `read ${JSON.stringify(text)}, which the library refuses: ${'refused' in full ? full.refused : ''}`);
  assert.deepStrictEqual(fast, full.data, JSON.stringify(text));
  assert.equal(JSON.stringify(fast), JSON.stringify(full.data), `key order of ${JSON.stringify(text)}`);
}

const KEYS = ['a', 'b', 'server', 'extends', 'x-y', 'A_1', 'null', 'Null', 'true', 'FALSE', 'yes', 'on', '1a', '_x', '__proto__', 'constructor', 'toString', 'a.b', 'a b', '"a"', '?a', '-a'];
const VALUES = ['x', '_base.yaml', 'https://h.example.com:6443', 'a:b', 'a::b', 'a:', '/p/q', 'a@b', 'a~b', 'a=b+c', '0', '7', '007', '12', '-1', '+1', '1.5', '1.21.2', '.5', '.inf', '.nan', '1e3', '0x1F', '0o7', '123456789012345', '12345678901234567', 'true', 'True', 'TRUE', 'false', 'null', 'NULL', '~', 'yes', 'no', 'on', 'y', 'a#b', 'a b', 'a  b', "'q'", '"q"', '[a]', '{a: 1}', 'a,b', '&x', '*x', '!!str x', '!x', '@x', '%x', '`x', '|', '>', '- x', '? x', 'é', 'a\u0085b', 'a\u0001b'];
const SEPARATORS = [':', ': ', ':  ', ' :', ':\t', ': \t'];
const COMMENTS = ['', ' # c', '  #c', '#c', ' #', '\t# c'];
const OTHER_LINES = ['', '   ', '# c', '  # c', '#', '---', '...', '%YAML 1.1', '- a', '\t', 'a', ':', '# \u0007', '# é'];

/** Texts inside the subset: nested maps of simple scalars, each map one indentation deeper by 1-4 spaces. */
const SUBSET_VALUES = ['x', '_base.yaml', 'https://h.example.com:6443', 'a:b', '/p', '0', '12', '123456789012345', 'true', 'False', 'null', 'yes', 'on'];
type Tree = { [key: string]: Tree | string | null };
const subsetTree: fc.Arbitrary<Tree> = fc.letrec((tie) => ({
  tree: fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,6}$/).filter((key) => !['null', 'true', 'false'].includes(key)), fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(...SUBSET_VALUES), fc.constant(null), tie('tree')), { minKeys: 1, maxKeys: 4 }),
})).tree as fc.Arbitrary<Tree>;

function written(tree: Tree, indent: number, step: number): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    if (value === null) return [`${' '.repeat(indent)}${key}:`];
    if (typeof value === 'string') return [`${' '.repeat(indent)}${key}: ${value}`];
    return [`${' '.repeat(indent)}${key}:  # a map`, ...written(value, indent + step, step)];
  });
}

const keyLine = fc.record({ indent: fc.integer({ min: 0, max: 5 }), key: fc.constantFrom(...KEYS), separator: fc.constantFrom(...SEPARATORS), value: fc.option(fc.constantFrom(...VALUES), { nil: '' }), comment: fc.constantFrom(...COMMENTS), trailing: fc.constantFrom('', ' ', '  ') })
  .map(({ indent, key, separator, value, comment, trailing }) => `${' '.repeat(indent)}${key}${separator}${value}${comment}${trailing}`);
/** One change to a line of a text inside the subset: its key, separator, value, comment or indentation, or another line. */
const change = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS) }),
  fc.record({ separator: fc.constantFrom(...SEPARATORS) }),
  fc.record({ value: fc.constantFrom(...VALUES) }),
  fc.record({ comment: fc.constantFrom(...COMMENTS) }),
  fc.record({ indent: fc.integer({ min: -2, max: 3 }) }),
  fc.record({ line: fc.oneof(keyLine, fc.constantFrom(...OTHER_LINES)) }),
);
function changed(line: string, how: { key?: string; separator?: string; value?: string; comment?: string; indent?: number; line?: string }): string {
  const [, spaces = '', key = '', rest = ''] = /^( *)([^:]*):? ?(.*)$/.exec(line) ?? [];
  if (how.line !== undefined) return how.line;
  if (how.indent !== undefined) return `${' '.repeat(Math.max(0, spaces.length + how.indent))}${key}: ${rest}`;
  if (how.key !== undefined) return `${spaces}${how.key}: ${rest}`;
  if (how.separator !== undefined) return `${spaces}${key}${how.separator}${rest}`;
  if (how.value !== undefined) return `${spaces}${key}: ${how.value}`;
  return `${line}${how.comment}`;
}
/** Texts at the edge of the subset: one inside it with one to three lines changed, and other line ends or a BOM. */
const nearSubset = fc.record({ tree: subsetTree, step: fc.integer({ min: 1, max: 4 }), changes: fc.array(fc.record({ at: fc.nat(), how: change }), { minLength: 1, maxLength: 3 }), end: fc.constantFrom('\n', '\n', '\n', '\r\n'), bom: fc.constantFrom('', '', '', '\uFEFF') })
  .map(({ tree, step, changes, end, bom }) => {
    const lines = written(tree, 0, step);
    for (const { at, how } of changes) lines[at % lines.length] = changed(lines[at % lines.length]!, how);
    return `${bom}${lines.join(end)}${end}`;
  });

describe('simpleMapping', () => {
  it('reads a fleet overlay', () => {
    const text = 'extends: _base.yaml\nargocd:\n  destination:\n    server: https://env-0000.clusters.example.com:6443\n';
    assert.deepStrictEqual(simpleMapping(text), { extends: '_base.yaml', argocd: { destination: { server: 'https://env-0000.clusters.example.com:6443' } } });
  });

  const leftToTheLibrary: Array<[string, string]> = [
    ['a float', 'a: 1.5\n'],
    ['a version, which the core schema reads as a string', 'a: 1.21.2\n'],
    ['a leading zero', 'a: 007\n'],
    ['an integer beyond 2^53', 'a: 12345678901234567\n'],
    ['a quoted value', "a: 'x'\n"],
    ['a value with a space', 'a: x y\n'],
    ['a list', 'a:\n  - x\n'],
    ['a flow map', 'a: {b: 1}\n'],
    ['an alias', 'a: *x\n'],
    ['a tag', 'a: !!str x\n'],
    ['CRLF line ends', 'a: x\r\nb: y\r\n'],
    ['a tab', 'a:\tx\n'],
    ['a BOM', '\uFEFFa: x\n'],
    ['a non-ASCII comment', '# für\na: x\n'],
    ['a duplicate key', 'a: x\na: y\n'],
    ['a duplicate key after a nested map', 'a:\n  b: 1\na: 2\n'],
    ['a line deeper than its map, under a scalar', 'a: x\n  b: y\n'],
    ['a line between two indentations', 'a:\n    b: 1\n  c: 2\n'],
    ['an indented first line', '  a: x\n'],
    ['a key the core schema reads as null', 'null: x\n'],
    ['a document marker', '---\na: x\n'],
    ['only comments', '# nothing\n'],
    ['a value ending in a colon', 'a: b:\n'],
  ];
  for (const [what, text] of leftToTheLibrary) {
    it(`leaves ${what} to the library`, () => assert.equal(simpleMapping(text), undefined));
  }

  it('reads every text it accepts as the library does, and accepts none the full path refuses', () => {
    let accepted = 0;
    fc.assert(
      fc.property(nearSubset, (text) => {
        if (simpleMapping(text) !== undefined) accepted++;
        assertReadAsLibrary(text);
      }),
      { numRuns: 4000 },
    );
    // Not a property that holds by refusing everything: a good share of the changed texts is still read.
    assert.ok(accepted > 400, `only ${accepted} of 4,000 texts read`);
  });

  it('accepts every text inside the subset, with any indentation step and comments', () => {
    fc.assert(
      fc.property(subsetTree, fc.integer({ min: 1, max: 4 }), fc.boolean(), (tree, step, commented) => {
        const text = `${commented ? '# an overlay\n' : ''}${written(tree, 0, step).join('\n')}\n`;
        assert.notEqual(simpleMapping(text), undefined, JSON.stringify(text));
        assertReadAsLibrary(text);
      }),
      { numRuns: 1000 },
    );
  });
});
