// ajv errors of a checked document as issues at a JSON pointer, in the one wording every schema error has
// (ajv-explain.ts): the problem, then what was expected in parentheses.
import type { ErrorObject } from 'ajv';
import { explainAjvError } from './ajv-explain.ts';
import type { SchemaIssue } from './types.ts';

/** ajv errors from a validator run → deduplicated issues sorted by path. */
export function issuesFromAjvErrors(errors: readonly ErrorObject[]): SchemaIssue[] {
  return sortedUniqueIssues(errors.flatMap((error) => {
    const explained = explainAjvError(error);
    if (!explained) return [];
    const path = explained.path.map((segment) => `/${escapePointer(String(segment))}`).join('');
    return [{ path, message: explained.expected ? `${explained.problem} (${explained.expected})` : explained.problem }];
  }));
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Deduplicates (path, message) pairs and sorts by path, comparing array indexes numerically. */
export function sortedUniqueIssues(issues: readonly SchemaIssue[]): SchemaIssue[] {
  const unique = new Map<string, SchemaIssue>();
  for (const issue of issues) unique.set(`${issue.path}\u0000${issue.message}`, issue);
  return [...unique.values()].sort((a, b) => comparePaths(a.path, b.path) || compareText(a.message, b.message));
}

function comparePaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    return numeric ? Number(x) - Number(y) : compareText(x, y);
  }
  return left.length - right.length;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
