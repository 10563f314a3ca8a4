// Scalar styling for the direct writer in yaml.ts: the same choice of plain, single-quoted, double-quoted or literal
// block that the `yaml` 2.9.1 stringifier makes with our options (YAML 1.1 schema, lineWidth 0, blockQuote 'literal'),
// ported from its stringifyString.js for the contexts our documents have. Every scalar sits inside a block
// collection, so its indent is never empty and it is never in a flow collection; that removes the library's top-level
// and flow branches. Anything outside what is ported here throws Unsupported, and toYaml renders that document
// through the library instead. test/yaml.test.ts compares the two, so a `yaml` upgrade that changes its output fails
// there rather than changing bundles.
import { Document, isScalar, parseDocument, type Tags } from 'yaml';

/** Thrown for a value the direct writer does not reproduce; the caller falls back to the library for the document. */
export class Unsupported extends Error {}

export const withoutMergeKey = (tags: Tags): Tags => tags.filter((tag) => typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:merge');

/**
 * The 1.1 stringifier quotes what 1.1 would misread; a one-line string a YAML 1.2 reader would misread (`0o17`)
 * or the 1.1 merge key `<<` gets double quotes too, so every reader sees the same string.
 */
export function readsAsOtherType(text: string): boolean {
  if (text === '<<') return true;
  // Core-schema nulls, booleans and numbers all start with one of these; anything else stays a string.
  if (text.includes('\n') || !/^(?:$|[-+.0-9~nNtTfF])/.test(text)) return false;
  // Text starting with a letter reads as a string unless it is a null or boolean word (the core schema's numbers
  // start with a digit, a sign or a dot); a comment could follow the word, so only text without `#` is decided here.
  // This spares a parse for most names; test/yaml.test.ts checks the shortcut against the parse.
  if (/^[A-Za-z]/.test(text) && !text.includes('#')) return /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)\s*$/.test(text);
  let known = parsedAsOtherType.get(text);
  if (known === undefined) {
    const doc = parseDocument(text, { version: '1.2' });
    known = doc.errors.length === 0 && (doc.contents === null || (isScalar(doc.contents) && typeof doc.contents.value !== 'string'));
    parsedAsOtherType.set(text, known);
  }
  return known;
}

/** Answers of the parse above, by text: the same values (units, counts, label keys) recur across documents. */
const parsedAsOtherType = new Map<string, boolean>();

// The library's own 1.1 resolvers for non-string scalars (null, bool, int, float, sexagesimal, timestamp), taken
// from the schema it stringifies with, so a plain string is quoted exactly when the library would quote it.
const OTHER_TYPE_TESTS: RegExp[] = new Document(null, { version: '1.1', customTags: withoutMergeKey }).schema.tags.flatMap((tag) =>
  tag.default && tag.tag !== 'tag:yaml.org,2002:str' && 'test' in tag && tag.test instanceof RegExp ? [tag.test] : [],
);

// The library double-quotes (with escapes) strings holding control characters or lone surrogates; its escaping of
// them is not ported. Most text has no surrogate at all, which the cheap test without the `u` flag settles.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\u{D800}-\u{DFFF}]/u;
// stringifyString.js's test for text a plain scalar cannot hold (indicators, `: `, ` #`, edge whitespace).
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const INDENT_STEP = '  ';

/**
 * A string as a mapping key (`implicitKey`) or as a value. `indent` is where the library's context stands for it:
 * one step in from the map holding the pair or the list holding the item.
 */
export function stringScalar(value: string, indent: string, implicitKey: boolean): string {
  if (isPlainName(value)) return value;
  if (value.includes('\n')) return multiLine(value, indent, implicitKey);
  let text = singleLines.get(value);
  if (text === undefined) {
    text = singleLine(value);
    if (singleLines.size >= SINGLE_LINES_KEPT) singleLines.clear();
    singleLines.set(value, text);
  }
  // A top-level key starting like a directive or document marker would be read as one; the library checks this
  // after its other reasons to quote, so it only changes a plain key.
  if (implicitKey && indent === INDENT_STEP && text === value && DOCUMENT_MARKER.test(value)) return quoted(value, implicitKey);
  return text;
}

/**
 * Most scalars are names: a letter, then letters, digits and `-._/`. Six characters or more of these can be nothing
 * but a string to any YAML reader, so they stay plain without a look-up (a fleet renders millions): none of the
 * characters is an indicator, and of the resolvers above only null and boolean words (five letters at most) and the
 * 1.1 float `E5` (an `e` first) start with a letter.
 */
function isPlainName(value: string): boolean {
  const length = value.length;
  if (length < 6 || length > 200) return false;
  const first = value.charCodeAt(0) | 0x20;
  if (first < 0x61 || first > 0x7a || first === 0x65) return false;
  for (let index = 1; index < length; index++) {
    const code = value.charCodeAt(index);
    // a-z, A-Z, 0-9, '-', '.', '/', '_'
    if (!((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x2d && code <= 0x39) || code === 0x5f)) return false;
  }
  return true;
}

/** One-line strings as rendered, by text: names, labels and keys recur across and within documents. */
const singleLines = new Map<string, string>();
const SINGLE_LINES_KEPT = 50_000;

// Without a newline a string renders the same as a key and as a value at any depth (but for the marker rule above).
function singleLine(value: string): string {
  if (needsEscapes(value)) throw new Unsupported('control character or lone surrogate');
  if (readsAsOtherType(value)) return JSON.stringify(value);
  if (NOT_PLAIN.test(value)) return quoted(value, false);
  for (const test of OTHER_TYPE_TESTS) if (test.test(value)) return quoted(value, false);
  return value;
}

function multiLine(value: string, indent: string, implicitKey: boolean): string {
  const key = implicitKey ? `?${indent}` : indent;
  let byPlace = multiLines.get(value);
  const known = byPlace?.get(key);
  if (known !== undefined) return known;
  if (needsEscapes(value)) throw new Unsupported('control character or lone surrogate');
  // readsAsOtherType is false for any text with a newline: nothing forces double quotes here.
  const text = implicitKey ? quoted(value, implicitKey) : literalBlock(value, indent);
  if (!byPlace) {
    if (multiLines.size >= MULTI_LINES_KEPT) multiLines.clear();
    multiLines.set(value, (byPlace = new Map()));
  }
  byPlace.set(key, text);
  return text;
}

/**
 * Multi-line strings as rendered, by text and place: every bundle of a fleet carries the same probe scripts (~45 kB),
 * whose scan for control characters and re-indenting was a tenth of the writer's time.
 */
const multiLines = new Map<string, Map<string, string>>();
const MULTI_LINES_KEPT = 2_000;

const needsEscapes = (value: string): boolean => CONTROL.test(value) || (SURROGATE.test(value) && LONE_SURROGATE.test(value));

// The library prefers single quotes only for text with a double quote and no single quote (and, in a key, no newline).
function quoted(value: string, implicitKey: boolean): string {
  const single = value.includes('"') && !value.includes("'") && !value.includes('\n');
  return single ? `'${value.replace(/'/g, "''")}'` : doubleQuoted(value, implicitKey);
}

function doubleQuoted(value: string, implicitKey: boolean): string {
  if (!value.includes('\n')) return JSON.stringify(value);
  // A multi-line double-quoted value is folded across lines with escapes: not ported.
  if (!implicitKey) throw new Unsupported('multi-line double-quoted value');
  // In a key newlines stay `\n` escapes; a space before one is escaped too (a folding reader would drop it).
  return JSON.stringify(value).replace(/ (?=\\n)/g, '\\ ');
}

// Runs of newlines not at the start of the trailing whitespace and not at its end (blockString's blockEndNewlines).
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** `|`, `|-` or `|+` with an indentation indicator when the text starts with spaces (blockString with literal). */
function literalBlock(text: string, indent: string): string {
  // A block cannot end in a line of only blanks: the library double-quotes such text (see doubleQuoted).
  if (/\n[\t ]+$/.test(text)) throw new Unsupported('multi-line text ending in a blank line');
  let endStart = text.length;
  while (endStart > 0 && (text[endStart - 1] === '\n' || text[endStart - 1] === '\t' || text[endStart - 1] === ' ')) endStart--;
  let end = text.substring(endStart);
  const endNewline = end.indexOf('\n');
  const chomp = endNewline === -1 ? '-' : text === end || endNewline !== end.length - 1 ? '+' : '';
  let body = text;
  if (end) {
    body = text.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNewline = -1;
  for (; startEnd < body.length; ++startEnd) {
    const ch = body[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNewline = startEnd;
    else break;
  }
  // The leading blank lines, through the last newline before the first content (blockString's `start`).
  let start = body.substring(0, startNewline + 1);
  if (start) {
    body = body.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${body.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/** stringifyNumber.js for the schema's int and float tags (no format, no minimum fraction digits). */
export function numberScalar(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}
