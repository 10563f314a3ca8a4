// Where a value ends up in a bundle: every string of every generated document (and README line) containing it,
// as `file#/json/pointer`, so a test can say "this value reaches these places" without re-deriving them.
import { generatedDocuments } from './fixtures.ts';

function walk(value: unknown, pointer: string, visit: (pointer: string, text: string) => void): void {
  if (typeof value === 'string' || typeof value === 'number') visit(pointer, String(value));
  else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${pointer}/${index}`, visit));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, visit);
}

/** `file#pointer` of every scalar that contains `needle` (whole value when `exact`). */
export function occurrences(bundle: Map<string, string>, needle: string, exact = false): string[] {
  const found: string[] = [];
  generatedDocuments(bundle).forEach(({ path, doc }) => {
    walk(doc, '', (pointer, text) => {
      if (exact ? text === needle : text.includes(needle)) found.push(`${path}#${pointer}`);
    });
  });
  return found;
}
