// The plain data of a YAML text that is only a few nested maps of simple scalars — what a fleet's overlay files are
// (`extends: _base.yaml`, a cluster URL) — read without the yaml library, which took ~8% of a fleet worker's time for
// them. Anything outside that small subset returns undefined and goes to the library, which decides what it means
// and reports its errors; the subset is chosen so that the library reads each text in it to exactly this data, with
// no error or warning and nothing the strict checks refuse (test/simple-mapping.test.ts holds the two equal).
//
// The subset, line by line (printable ASCII and LF only: no tabs, CR, BOM or control characters; no directives or
// document markers):
//   - a blank line, or a comment line (spaces, then `#`);
//   - `key:` or `key: value`, optionally followed by spaces and a `# comment`, indented by spaces.
// A key is a letter followed by letters, digits, `_` and `-`, and not a word the core schema reads as null or a
// boolean. A value has no spaces and none of YAML's indicators; it reads as null, a boolean, a small decimal integer
// or a string, as the core schema reads it; anything starting with a digit, a sign or a dot must be such an integer.
// `key:` with deeper lines under it opens a map, without them it is null. Every map keeps one indentation, the top one
// none; keys are unique.

// Not ending in `:`, which the library reads as a nested map where none may be.
const VALUE = /^[A-Za-z_/][A-Za-z0-9_./:@+=~-]*(?<!:)$/;
const SMALL_INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
const NUMBER_LIKE = /^[0-9+.-]/;
const NULLS = new Set(['null', 'Null', 'NULL']);
const BOOLEANS = new Map([['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false]]);
const ENTRY = /^( *)([A-Za-z][A-Za-z0-9_-]*):(?: +([^ #][^ ]*))?(?: +#.*)? *$/;
const BLANK_OR_COMMENT = /^ *(?:#.*)?$/;
const PRINTABLE_ASCII = /^[\x20-\x7E\n]*$/;

type PlainMap = Record<string, unknown>;

/** The value a plain scalar reads as, or undefined when it is outside the subset. */
function scalarOf(text: string): unknown {
  if (NULLS.has(text)) return null;
  const boolean = BOOLEANS.get(text);
  if (boolean !== undefined) return boolean;
  if (NUMBER_LIKE.test(text)) return SMALL_INTEGER.test(text) ? Number(text) : undefined;
  return VALUE.test(text) ? text : undefined;
}

interface Open { indent: number; map: PlainMap }

/** The data of `text` when it is in the subset above; undefined when the yaml library must read it. */
export function simpleMapping(text: string): PlainMap | undefined {
  if (text.length > MAX_TEXT || !PRINTABLE_ASCII.test(text)) return undefined;
  const root: PlainMap = {};
  const open: Open[] = [{ indent: 0, map: root }];
  // A key written as `key:` alone: its map, once the next entry shows whether it is deeper.
  let pending: { parent: Open; key: string } | undefined;
  let entries = 0;
  for (const line of text.split('\n')) {
    if (BLANK_OR_COMMENT.test(line)) continue;
    const match = ENTRY.exec(line);
    if (!match) return undefined;
    const [, spaces, key, value] = match as unknown as [string, string, string, string | undefined];
    if (NULLS.has(key) || BOOLEANS.has(key)) return undefined;
    const indent = spaces.length;
    if (pending) {
      if (indent > pending.parent.indent) {
        const map: PlainMap = {};
        pending.parent.map[pending.key] = map;
        open.push({ indent, map });
      } else pending.parent.map[pending.key] = null;
      pending = undefined;
    }
    while (open.length > 1 && indent < open.at(-1)!.indent) open.pop();
    const current = open.at(-1)!;
    if (indent !== current.indent || Object.hasOwn(current.map, key)) return undefined;
    entries++;
    if (value === undefined) {
      // Null until a deeper line says it is a map; the key is taken now, so a repeat of it is refused above.
      current.map[key] = null;
      pending = { parent: current, key };
      continue;
    }
    const scalar = scalarOf(value);
    if (scalar === undefined) return undefined;
    current.map[key] = scalar;
  }
  return entries > 0 ? root : undefined;
}

/** Larger texts are not overlays; they go to the library, which reads them with positions anyway. */
const MAX_TEXT = 4096;
