// One shape for every problem flexmesh reports, so the CLI prints them all the same way.
import { escapeUnsafe } from './util/quote.ts';

export interface Diagnostic {
  file: string;
  line?: number;
  col?: number;
  /** Field path (`apis[0].basePath`) or object (`VirtualService/flex`) the problem is about. */
  path: string;
  problem: string;
  /** What was expected, or how to fix it. */
  expected?: string;
}

/** One line per diagnostic: control and bidi characters from the input (a file name, a value) are escaped. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}:${d.col ?? 1}`;
  return escapeUnsafe(`${where}: ${d.path}: ${d.problem}${d.expected ? ` (${d.expected})` : ''}`);
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0) || a.problem.localeCompare(b.problem);
}

/** Thrown for input a person has to fix; the CLI maps it to exit code 2. */
export class InputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'InputError';
  }
}
