// Deterministic YAML: fixed key order, YAML 1.1 quoting (so `on`/`yes`/`no` stay strings for 1.1 readers
// such as older tooling), no line folding, no anchors, undefined dropped.
//
// Documents are written directly from the JS value: building and stringifying a `yaml` Document was the largest
// single cost of a run. The direct writer reproduces the library's output byte for byte for what our documents hold
// and gives up (Unsupported, see yaml-scalar.ts) on anything else, which then goes through the library as before;
// toYamlViaLibrary stays the reference test/yaml.test.ts compares the writer against.
import { Document, visit } from 'yaml';
import { canonical, compareKeys } from './key-order.ts';
import { numberScalar, readsAsOtherType, stringScalar, Unsupported, withoutMergeKey } from './yaml-scalar.ts';

export { canonical, compareKeys } from './key-order.ts';

/** The library rendering: the fallback of toYaml and the reference its direct writer is tested against. */
export function toYamlViaLibrary(value: unknown): string {
  // Without the merge tag a string `<<` is an ordinary string (quoted below) instead of a merge key.
  const doc = new Document(canonical(value), { version: '1.1', aliasDuplicateObjects: false, customTags: withoutMergeKey });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && readsAsOtherType(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', indentSeq: true });
}

export function toYaml(value: unknown): string {
  return directYamlOrUndefined(value) ?? toYamlViaLibrary(value);
}

/** Several documents in one file, `---` separated, in the given order. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}

/**
 * toYamlStream of documents that are canonical() already (validate/canonical-view.ts makes such views for the
 * checks): the same text, without ordering keys again. The keys of a canonical value are in canonical order as
 * the engine lists them, undefined nowhere.
 */
export function canonicalToYamlStream(values: readonly unknown[]): string {
  return values.map((value) => directYamlOrUndefined(value, true) ?? toYamlViaLibrary(value)).join('---\n');
}

/** toYaml's text written directly, or undefined for a document only the library renders (a top-level scalar, or see yaml-scalar.ts). */
export function directYamlOrUndefined(value: unknown, canonicalInput = false): string | undefined {
  return written(value, canonicalInput ? CANONICAL_INPUT : ANY_INPUT);
}

/**
 * toYaml's text and the document's canonical view (deep-equal to canonicalView's, validate/canonical-view.ts) from
 * one walk: a fleet renders and checks every document of a thousand environments, and walking each twice showed.
 */
export function toYamlWithView(value: unknown): { text: string; view: unknown } | undefined {
  const text = written(value, WITH_VIEWS);
  return text === undefined ? undefined : { text, view: lastView };
}

function written(value: unknown, mode: Mode): string | undefined {
  return pieces(value, mode)?.join('');
}

function pieces(value: unknown, mode: Mode): string[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const out: string[] = [];
  try {
    if (!collection(value, 0, mode, out)) out.push(Array.isArray(value) ? '[]' : '{}');
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  out.push('\n');
  return out;
}

/** While piecesWithStrings writes: the piece index and indent of every string value, in writing order. */
let stringsWritten: (number | string)[] | undefined;

/**
 * toYamlWithView's text as its pieces (not joined) and its view, with the index of each string value's piece and
 * the indent stringScalar wrote it at, in writing order (the view's walk order): pairs in `strings`.
 */
export function piecesWithStrings(value: unknown): { pieces: string[]; view: unknown; strings: (number | string)[] } | undefined {
  const strings: (number | string)[] = (stringsWritten = []);
  try {
    const out = pieces(value, WITH_VIEWS);
    return out && { pieces: out, view: lastView, strings };
  } finally {
    stringsWritten = undefined;
  }
}

/**
 * How a map's keys are listed (orderedKeys, or Object.keys for a value known to be canonical), and whether each
 * collection leaves its canonical view in lastView: shared with the input where nothing changes, as canonicalView.
 */
interface Mode { keysOf: (value: Record<string, unknown>) => string[]; views: boolean }
const ANY_INPUT: Mode = { keysOf: orderedKeys, views: false };
const CANONICAL_INPUT: Mode = { keysOf: Object.keys, views: false };
const WITH_VIEWS: Mode = { keysOf: orderedKeys, views: true };
let lastView: unknown;

const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

/** An integer-like key, which an engine lists first whatever the insertion order: views of such objects are canonical()'s copy. */
export function isIndexLike(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && INDEX_LIKE.test(key);
}

const STEP = '  ';
// The indent of each depth, and a line break followed by it: made once, not concatenated for every collection.
const INDENTS: string[] = [''];
const BREAKS: string[] = ['\n'];

function indentAt(depth: number): string {
  while (INDENTS.length <= depth) {
    INDENTS.push(INDENTS[INDENTS.length - 1]! + STEP);
    BREAKS.push(`\n${INDENTS[INDENTS.length - 1]!}`);
  }
  return INDENTS[depth]!;
}

/*
 * The writer appends a document's pieces to one list and joins them once: the text comes out flat, where building
 * it by concatenation made a tree of string pieces for every document that hashing and writing had to flatten.
 * `depth` is the collection's own indent (its lines after the first start with it; the first follows a key or
 * `- `). Each writer says whether it wrote anything: an empty collection is written `{}` or `[]` by its caller.
 */
function collection(value: object, depth: number, mode: Mode, out: string[]): boolean {
  if (Array.isArray(value)) return list(value, depth, mode, out);
  const prototype: unknown = Object.getPrototypeOf(value);
  // canonical() turns any other object (Date, Map, class instance) into a plain object of its own entries.
  if (prototype !== Object.prototype && prototype !== null) throw new Unsupported('not a plain object');
  const wrote = map(value as Record<string, unknown>, depth, mode, out);
  if (mode.views && prototype === null) lastView = canonical(value);
  return wrote;
}

function map(value: Record<string, unknown>, depth: number, mode: Mode, out: string[]): boolean {
  const keys = mode.keysOf(value);
  // orderedKeys tells when the keys are the object's own, in its own order (most builders write them so).
  const asGiven = mode.keysOf === orderedKeys && keysAsGiven;
  // The view is the object itself while every child's view is the child; a copy is made from the first that is not.
  let copy: Record<string, unknown> | undefined = mode.views && !(asGiven || sameKeys(Object.keys(value), keys)) ? {} : undefined;
  const inner = indentAt(depth + 1);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const keyText = stringScalar(key, inner, true);
    // The library writes a longer key as an explicit `? key` pair.
    if (keyText.length > 1024) throw new Unsupported('key over 1024 characters');
    if (index > 0) out.push(BREAKS[depth]!);
    out.push(keyText, ':');
    const item = value[key];
    afterKey(item, depth + 1, mode, out);
    if (mode.views) {
      const view = item !== null && typeof item === 'object' ? lastView : item;
      if (copy === undefined && view !== item) {
        copy = {};
        for (let before = 0; before < index; before++) setOwn(copy, keys[before]!, value[keys[before]!]);
      }
      if (copy !== undefined) setOwn(copy, key, view);
    }
  }
  if (mode.views) lastView = keys.some(isIndexLike) ? canonical(value) : (copy ?? value);
  return keys.length > 0;
}

/** An own data property, as Object.fromEntries and canonical() make it: a key `__proto__` too. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function sameKeys(given: readonly string[], keys: readonly string[]): boolean {
  if (given.length !== keys.length) return false;
  for (let index = 0; index < keys.length; index++) if (given[index] !== keys[index]) return false;
  return true;
}

const STARTS_WITH_DIGIT = /^[0-9]/;
/** Set by orderedKeys: the keys it returned are Object.keys of the value, unchanged. */
let keysAsGiven = false;

/** The keys in the order canonical() leaves them: sorted, except that an object lists array-index keys first. */
function orderedKeys(value: Record<string, unknown>): string[] {
  const own = Object.keys(value);
  let keys = own;
  let sorted = true;
  let digit = false;
  let last: string | undefined;
  for (let index = 0; index < own.length; index++) {
    const key = own[index]!;
    // Undefined values are dropped: from the first one on, the keys are a copy.
    if (value[key] === undefined) {
      if (keys === own) keys = own.slice(0, index);
      continue;
    }
    if (sorted && last !== undefined && compareKeys(last, key) >= 0) sorted = false;
    if (!digit && STARTS_WITH_DIGIT.test(key)) digit = true;
    if (keys !== own) keys.push(key);
    last = key;
  }
  keysAsGiven = keys === own && sorted && !digit;
  if (keysAsGiven) return keys;
  // Builders mostly write keys in order already: then no sort.
  if (!sorted) sortKeys(keys);
  // The engine's own property order, rather than a re-implementation of which keys count as array indices.
  return digit ? Object.keys(Object.fromEntries(keys.map((key) => [key, true]))) : keys;
}

/** compareKeys order in place. Maps hold a handful of keys: an insertion sort, without the engine sort's work arrays. */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort(compareKeys);
    return;
  }
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index]!;
    let at = index;
    while (at > 0 && compareKeys(keys[at - 1]!, key) > 0) {
      keys[at] = keys[at - 1]!;
      at--;
    }
    keys[at] = key;
  }
}

function afterKey(value: unknown, depth: number, mode: Mode, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    if (stringsWritten && typeof value === 'string') stringsWritten.push(out.length + 1, INDENTS[depth]!);
    out.push(' ', scalar(value, INDENTS[depth]!));
    return;
  }
  // A filled collection starts on the next line; an empty one stays on the key's line as `{}` or `[]`.
  const at = out.length;
  out.push(BREAKS[depth]!);
  if (!collection(value, depth, mode, out)) out[at] = Array.isArray(value) ? ' []' : ' {}';
}

function list(value: readonly unknown[], depth: number, mode: Mode, out: string[]): boolean {
  const inner = indentAt(depth + 1);
  const views: unknown[] | undefined = mode.views ? [] : undefined;
  let shared = true;
  let wrote = false;
  // Holes read as undefined: dropped, as canonical() drops them.
  for (const item of value) {
    if (item === undefined) {
      shared = false;
      continue;
    }
    if (wrote) out.push(BREAKS[depth]!);
    wrote = true;
    const scalarItem = item === null || typeof item !== 'object';
    out.push('- ');
    if (scalarItem) {
      if (stringsWritten && typeof item === 'string') stringsWritten.push(out.length, inner);
      out.push(scalar(item, inner));
    } else if (!collection(item, depth + 1, mode, out)) out.push(Array.isArray(item) ? '[]' : '{}');
    if (views) {
      const view = scalarItem ? item : lastView;
      if (view !== item) shared = false;
      views.push(view);
    }
  }
  if (views) lastView = shared ? value : views;
  return wrote;
}

function scalar(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'string':
      return stringScalar(value, indent, false);
    case 'number':
      return numberScalar(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value === null) return 'null';
      throw new Unsupported(`${typeof value} value`);
  }
}
