// Environment-file schema errors as located diagnostics: the wording is the one every schema error has
// (validate/ajv-explain.ts); this adds where each value was written, in the file or in a base.
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics.ts';
import { explainAjvError } from '../validate/ajv-explain.ts';
import { displayPath, type PathSegment } from './source-positions.ts';

/** Where a field path was written: the file, line and column, and a note when it was inherited from a base. */
export type Locate = (path: readonly PathSegment[], at: 'key' | 'value') => { file: string; line: number; col: number; note?: string };

export function schemaDiagnostics(errors: readonly ErrorObject[], locate: Locate): Diagnostic[] {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of errors) {
    // oneOf/if wrappers only repeat what their branch errors already said.
    if (error.keyword === 'oneOf' || error.keyword === 'if') continue;
    const explained = explainAjvError(error);
    if (!explained) continue;
    const { path, at, problem, expected } = explained;
    const { note, ...where } = locate(path, at);
    const diagnostic: Diagnostic = { ...where, path: displayPath(path), problem: note ? `${problem} (${note})` : problem, ...(expected ? { expected } : {}) };
    const key = JSON.stringify(diagnostic);
    if (!seen.has(key)) diagnostics.push(diagnostic);
    seen.add(key);
  }
  return diagnostics;
}
