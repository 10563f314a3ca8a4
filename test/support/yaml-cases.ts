// Inputs for test/yaml.test.ts: values the direct YAML writer must render exactly as the library does, and values
// it must leave to the library.
import fc from 'fast-check';

// Text a YAML 1.1 or 1.2 reader would take for another type, indicators, edge whitespace, quotes, markers, newlines.
const WORDS = [
  'on', 'off', 'On', 'OFF', 'yes', 'no', 'y', 'n', 'Y', 'N', '~', 'null', 'Null', 'NULL', 'true', 'False', 'nan', 'NaN',
  'Infinity', '0o17', '0x1F', '0b101', '1_000', '12:30', '190:20:30', '1:30:00.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '.inf', '-.Inf', '.nan', '1e3', 'e3', 'E5', '.5', '5.', '+.5', '-1', '+1', '-0', '0', '00', '010', '0777', '1,000', '1.5e+3',
  '', '<<', '=', '-', '?', ':', '- a', '? a', 'a:', 'a: b', 'a:b', 'a #b', 'a#b', '#a', '---', '...', '--- a', '---x', '...x',
  '%YAML', '|', '>', '!', '&a', '*a', '@', '`', '"', "'", '"a"', "'a'", "it's", 'say "hi"', '[', ']', '{', '}', ',', 'a,b',
  '\t', '\ta', ' a', 'a ', 'a\t', '$VAR', "#['> ' ++ x]", 'é', '😀', '\u2028', '\u00a0', '\ufeff',
  'a\n', '\n', '\n\n', '\na', 'a\n\n', ' \n', 'a \nb', 'a\n b', '\n a\n', ' a\nb\n', '  a\n  b\n', 'a\n\tb', '#!/bin/sh\nset -eu\n',
];
const UNITS = [...'abyYnNTfeox019 \n\t:#-?"\'|>.%~_+{[,!&*@`/\\', 'é', '😀', '\u2028'];

/** Strings the writer handles itself: everything but control characters and lone surrogates. */
export const ordinaryString = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }).map((parts) => parts.join('')),
  fc.string({ unit: fc.constantFrom(...UNITS), maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

/** A multi-line value whose last line is blanks: the library double-quotes it with escapes, left to the library. */
const BLANK_LAST_LINE = /\n[\t ]+$/;

const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity, 1e21, 1e-7, 5e-324, 2 ** 53 + 2, 0.1 + 0.2));

function jsonLike(string: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('map'), tie('list')),
    leaf: fc.oneof(value, number, fc.boolean(), fc.constant(null), fc.constant(undefined)),
    map: fc.dictionary(string, tie('tree'), { maxKeys: 5 }),
    list: fc.array(tie('tree'), { maxLength: 5 }),
  }));
  return fc.oneof(fc.dictionary(string, tree, { maxKeys: 6 }), fc.array(tree, { maxLength: 4 }));
}

/** Documents with nothing exotic in them: the writer must render every one. */
export const ordinaryDocument = jsonLike(ordinaryString, ordinaryString.filter((text) => !BLANK_LAST_LINE.test(text)));

const exoticString = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).map((text) => `\x07${text}`),
  fc.constantFrom('\x00', 'a\rb', 'a\r\nb', '\x7f', '\x85', '\ud800', 'a\udc00', 'a\x1b[0m', '\x0c'),
);

/** Documents holding at least one exotic scalar (as a key or a value, anywhere): the library renders these. */
export const exoticDocument = fc
  .tuple(ordinaryDocument, exoticString, fc.boolean(), fc.nat())
  .map(([document, exotic, asKey, seed]) => plant(structuredClone(document), asKey ? { [exotic]: 1 } : exotic, seed));

/** `document` with `value` added in one of its collections, picked by `seed`. */
function plant(document: unknown, value: unknown, seed: number): unknown {
  const collections: object[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    collections.push(node);
    for (const item of Object.values(node)) walk(item);
  };
  walk(document);
  const target = collections[seed % collections.length]!;
  if (Array.isArray(target)) target.push(value);
  else (target as Record<string, unknown>)[`planted${seed}`] = value;
  return document;
}

/** Values and the exact text the library writes for them (so the writer's agreement is pinned down, not only asserted). */
export const EXACT: ReadonlyArray<readonly [string, unknown, string]> = [
  ['plain, quoted and escaped one-line strings', { a: '', b: 'on', c: "it's", d: 'say "hi"', e: '"hi"', f: `'x' "y"`, g: 'a: b', h: 'x #y', i: ' lead', j: 'trail ', k: '0o17', m: '12:30', o: '~', p: 'e5', q: '- x', r: '-', s: '@x', v: 'a\tb', w: 'é😀' },
    'a: ""\nb: "on"\nc: it\'s\nd: say "hi"\ne: \'"hi"\'\nf: "\'x\' \\"y\\""\ng: "a: b"\nh: "x #y"\ni: " lead"\nj: "trail "\nk: "0o17"\nm: "12:30"\no: "~"\np: "e5"\nq: "- x"\nr: "-"\ns: "@x"\nv: a\tb\nw: é😀\n'],
  ['literal blocks: clip, strip, keep, indentation indicator, leading blank lines', { s1: 'a\nb\n', s2: 'a\nb', s3: 'a\n\n', s4: '  indented\nx\n', s5: '\n\nx\n', s6: '#!/bin/sh\n\necho "$1: done"\n', s7: 'a\n\n\nb\n\n\n', s8: '\n', s9: ' \n x' },
    's1: |\n  a\n  b\ns2: |-\n  a\n  b\ns3: |+\n  a\n\ns4: |2\n    indented\n  x\ns5: |\n  \n\n  x\ns6: |\n  #!/bin/sh\n\n  echo "$1: done"\ns7: |+\n  a\n\n\n  b\n\n\ns8: |+\n  \ns9: |2-\n   \n   x\n'],
  ['lists in lists, maps in lists, empty collections', { l: [['a', 'b'], [], {}, [[1]], { m: [{ n: null }] }] },
    'l:\n  - - a\n    - b\n  - []\n  - {}\n  - - - 1\n  - m:\n      - "n": null\n'],
  ['a list at the top', [{ a: 1, b: { c: 2 } }, 'x\ny\n', [], {}], '- a: 1\n  b:\n    c: 2\n- |\n  x\n  y\n- []\n- {}\n'],
  ['numbers, booleans and null', { n: [-0, 0, NaN, Infinity, -Infinity, 1e21, 1e-7, 0.1, 5e-324, 2 ** 53, -1.5], t: true, f: false, z: null },
    'f: false\n"n":\n  - -0\n  - 0\n  - .nan\n  - .inf\n  - -.inf\n  - 1e+21\n  - 1e-7\n  - 0.1\n  - 5e-324\n  - 9007199254740992\n  - -1.5\nt: true\nz: null\n'],
  ['keys that need quotes', { '80': 1, yes: 2, 'a b': 3, 'a: b': 4, '-': 5, '---': 6, '%x': 7, '': 8, '<<': 9, 'x\ny': 10, 'a \nb': 11, "it's \"q\"": 12, '"q"': 13 },
    '"80": 1\n"": 8\n\'"q"\': 13\n"%x": 7\n"-": 5\n"---": 6\n"<<": 9\n"a\\ \\nb": 11\na b: 3\n"a: b": 4\nit\'s "q": 12\n"x\\ny": 10\n"yes": 2\n'],
  ['a document-marker key is quoted only at the top', { '...x': 1, sub: { '...x': 2, '---x': 'a' }, l: [{ '...x': 3 }], '---x': 4 },
    '"---x": 4\n"...x": 1\nl:\n  - ...x: 3\nsub:\n  ---x: a\n  ...x: 2\n'],
  ['array-index keys first, as canonical() leaves them', { b: 1, '10': 2, '9': 3, a: 4, '01': 5, '4294967295': 6, '4294967294': 7 },
    '"9": 3\n"10": 2\n"4294967294": 7\n"01": 5\n"4294967295": 6\na: 4\nb: 1\n'],
  ['empty documents', {}, '{}\n'],
  ['an empty list document', [], '[]\n'],
  ['leading keys first, undefined dropped', { spec: { b: undefined, a: [undefined, 1] }, kind: 'K', apiVersion: 'v1', metadata: { name: 'n', labels: {} } },
    'apiVersion: v1\nkind: K\nmetadata:\n  name: "n"\n  labels: {}\nspec:\n  a:\n    - 1\n'],
];

/** What the writer leaves to the library, one case each. */
export const FALLBACKS: ReadonlyArray<readonly [string, unknown]> = [
  ['a string document', 'text'],
  ['a number document', 42],
  ['a null document', null],
  ['a control character in a value', { a: 'bell\x07' }],
  ['a carriage return in a key', { 'a\rb': 1 }],
  ['DEL', { a: ['\x7f'] }],
  ['a C1 control (NEL)', { a: 'x\x85y' }],
  ['a lone surrogate', { a: '\ud800x' }],
  ['multi-line text ending in a blank line', { a: 'x\n  ' }],
  ['multi-line text ending in a tab line', { a: { b: 'x\n\t' } }],
  ['a key over 1024 characters (an explicit `? key`)', { ['k'.repeat(1030)]: 1 }],
  ['a bigint', { n: 12n }],
  ['a Date (canonical makes it {})', { d: new Date(0) }],
  ['a Map (canonical makes it {})', { m: new Map([['a', 1]]) }],
  ['a class instance', { c: new (class Point { x = 1 })() }],
];
