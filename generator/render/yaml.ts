// Deterministic YAML: fixed key order, YAML 1.1 quoting (so `on`/`yes`/`no` stay strings for 1.1 readers
// such as older tooling), no line folding, no anchors, undefined dropped.
//
// Documents are written directly from the JS value: building and stringifying a `yaml` Document was the largest
// single cost of a run. The direct writer reproduces the library's output byte for byte for what our documents hold
// and gives up (Unsupported, see yaml-scalar.ts) on anything else, which then goes through the library as before;
// toYamlViaLibrary stays the reference test/yaml.test.ts compares the writer against.
import { Document, visit } from 'yaml';
import { numberScalar, readsAsOtherType, stringScalar, Unsupported, withoutMergeKey } from './yaml-scalar.ts';

// Kubernetes readers expect these first; everything else follows alphabetically.
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec'];

const RANK = new Map(LEADING_KEYS.map((key, index) => [key, index]));

function keyRank(key: string): number {
  return RANK.get(key) ?? LEADING_KEYS.length;
}

export function compareKeys(a: string, b: string): number {
  return keyRank(a) - keyRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A copy with keys in canonical order and undefined values removed. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => compareKeys(a, b));
    return Object.fromEntries(entries.map(([key, item]) => [key, canonical(item)]));
  }
  return value;
}

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
  if (value === null || typeof value !== 'object') return undefined;
  try {
    return `${collection(value, '', mode)}\n`;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
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

// `indent` is the collection's own indent: its lines after the first start with it (the first follows a key or `- `).
function collection(value: object, indent: string, mode: Mode): string {
  if (Array.isArray(value)) return list(value, indent, mode);
  const prototype: unknown = Object.getPrototypeOf(value);
  // canonical() turns any other object (Date, Map, class instance) into a plain object of its own entries.
  if (prototype !== Object.prototype && prototype !== null) throw new Unsupported('not a plain object');
  const text = map(value as Record<string, unknown>, indent, mode);
  if (mode.views && prototype === null) lastView = canonical(value);
  return text;
}

function map(value: Record<string, unknown>, indent: string, mode: Mode): string {
  const keys = mode.keysOf(value);
  const given = mode.views ? Object.keys(value) : undefined;
  const views: unknown[] | undefined = given ? new Array<unknown>(keys.length) : undefined;
  let shared = given?.length === keys.length;
  const inner = indent + STEP;
  let text = '';
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const keyText = stringScalar(key, inner, true);
    // The library writes a longer key as an explicit `? key` pair.
    if (keyText.length > 1024) throw new Unsupported('key over 1024 characters');
    if (text) text += `\n${indent}`;
    const item = value[key];
    text += `${keyText}:${afterKey(item, inner, mode)}`;
    if (views) {
      const view = item !== null && typeof item === 'object' ? lastView : item;
      views[index] = view;
      if (view !== item || given![index] !== key) shared = false;
    }
  }
  if (given) {
    // fromEntries, not assignment: a key `__proto__` stays an own property, as in canonical().
    lastView = given.some(isIndexLike) ? canonical(value) : shared ? value : Object.fromEntries(keys.map((key, index) => [key, views![index]]));
  }
  return text || '{}';
}

const STARTS_WITH_DIGIT = /^[0-9]/;

/** The keys in the order canonical() leaves them: sorted, except that an object lists array-index keys first. */
function orderedKeys(value: Record<string, unknown>): string[] {
  const keys: string[] = [];
  let sorted = true;
  let digit = false;
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) continue;
    if (sorted && keys.length > 0 && compareKeys(keys[keys.length - 1]!, key) >= 0) sorted = false;
    if (!digit && STARTS_WITH_DIGIT.test(key)) digit = true;
    keys.push(key);
  }
  // Builders mostly write keys in order already: then no sort.
  if (!sorted) keys.sort(compareKeys);
  // The engine's own property order, rather than a re-implementation of which keys count as array indices.
  return digit ? Object.keys(Object.fromEntries(keys.map((key) => [key, true]))) : keys;
}

function afterKey(value: unknown, inner: string, mode: Mode): string {
  if (value === null || typeof value !== 'object') return ` ${scalar(value, inner)}`;
  const text = collection(value, inner, mode);
  // An empty collection stays on the key's line as `{}` or `[]`; a filled one starts on the next.
  return text === '{}' || text === '[]' ? ` ${text}` : `\n${inner}${text}`;
}

function list(value: readonly unknown[], indent: string, mode: Mode): string {
  const inner = indent + STEP;
  const views: unknown[] | undefined = mode.views ? [] : undefined;
  let shared = true;
  let text = '';
  // Holes read as undefined: dropped, as canonical() drops them.
  for (const item of value) {
    if (item === undefined) {
      shared = false;
      continue;
    }
    if (text) text += `\n${indent}`;
    const scalarItem = item === null || typeof item !== 'object';
    text += `- ${scalarItem ? scalar(item, inner) : collection(item, inner, mode)}`;
    if (views) {
      const view = scalarItem ? item : lastView;
      if (view !== item) shared = false;
      views.push(view);
    }
  }
  if (views) lastView = shared ? value : views;
  return text || '[]';
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
