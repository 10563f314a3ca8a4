// Deterministic YAML: fixed key order, YAML 1.1 quoting (so `on`/`yes`/`no` stay strings for 1.1 readers
// such as older tooling), no line folding, no anchors, undefined dropped.
import { Document, isScalar, parseDocument, visit, type Tags } from 'yaml';

// Kubernetes readers expect these first; everything else follows alphabetically.
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec'];

function keyRank(key: string): number {
  const index = LEADING_KEYS.indexOf(key);
  return index === -1 ? LEADING_KEYS.length : index;
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

/**
 * The 1.1 stringifier quotes what 1.1 would misread; a one-line string a YAML 1.2 reader would misread (`0o17`)
 * or the 1.1 merge key `<<` gets double quotes too, so every reader sees the same string.
 */
function readsAsOtherType(text: string): boolean {
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

const withoutMergeKey = (tags: Tags): Tags => tags.filter((tag) => typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:merge');

export function toYaml(value: unknown): string {
  // Without the merge tag a string `<<` is an ordinary string (quoted below) instead of a merge key.
  const doc = new Document(canonical(value), { version: '1.1', aliasDuplicateObjects: false, customTags: withoutMergeKey });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && readsAsOtherType(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', indentSeq: true });
}

/** Several documents in one file, `---` separated, in the given order. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}
