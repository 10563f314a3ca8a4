// Words ajv errors the way a person fixing a manifest needs them: which field,
// what was expected, and the likely intended name for a typo.
import type { ErrorObject } from 'ajv';
import { closestMatch } from '../util/did-you-mean.ts';
import { describePattern } from './patterns.ts';
import type { SchemaIssue } from './types.ts';

/** Allowed-field lists longer than this are cut so one typo does not print a screenful. */
const MAX_LISTED_FIELDS = 40;

/** ajv errors from a validator run → deduplicated issues sorted by path. */
export function issuesFromAjvErrors(errors: readonly ErrorObject[]): SchemaIssue[] {
  return sortedUniqueIssues(errors.flatMap((error) => issueFor(error) ?? []));
}

function issueFor(error: ErrorObject): SchemaIssue | undefined {
  const at = (message: string): SchemaIssue => ({ path: error.instancePath, message });
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'propertyNames': // companion of the enum/false-schema error that names the field
    case 'if': // wrapper; the failing `then` reports the real problem
      return undefined;
    case 'enum':
      if (error.propertyName !== undefined) {
        return unknownField(error.instancePath, error.propertyName, stringList(params['allowedValues']));
      }
      return at(`must be one of ${formatList(params['allowedValues'])}`);
    case 'false schema':
      if (error.propertyName !== undefined) return unknownField(error.instancePath, error.propertyName, []);
      return mutuallyExclusive(error) ?? at('is not allowed here');
    case 'required':
      return at(`missing required field "${String(params['missingProperty'])}"`);
    case 'type':
      return at(`must be ${String(params['type']).split(',').join(' or ')}`);
    case 'const':
      return at(`must be ${formatValue(params['allowedValue'])}`);
    case 'pattern': {
      const pattern = String(params['pattern']);
      return at(`must be ${describePattern(pattern) ?? `a string matching ${pattern}`}`);
    }
    default:
      return at(limitMessage(error.keyword, params) ?? `fails the "${error.keyword}" check`);
  }
}

function unknownField(objectPath: string, field: string, allowed: string[]): SchemaIssue {
  const path = `${objectPath}/${escapePointer(field)}`;
  if (allowed.length === 0) return { path, message: `unknown field "${field}" (no fields are allowed here)` };
  const listed = allowed.length > MAX_LISTED_FIELDS
    ? `${allowed.slice(0, MAX_LISTED_FIELDS).join(', ')}, … ${allowed.length - MAX_LISTED_FIELDS} more`
    : allowed.join(', ');
  const suggestion = closestMatch(field, allowed);
  const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
  return { path, message: `unknown field "${field}" (allowed: ${listed}${hint})` };
}

/** Istio's "at most one of" groups compile to dependentSchemas/<a>/properties/<b>: false. */
function mutuallyExclusive(error: ErrorObject): SchemaIssue | undefined {
  const match = /\/dependentSchemas\/([^/]+)\/properties\/([^/]+)\/false schema$/.exec(error.schemaPath);
  if (!match?.[1] || !match[2]) return undefined;
  const [first, second] = [unescapePointer(match[1]), unescapePointer(match[2])].sort();
  const objectPath = error.instancePath.slice(0, error.instancePath.lastIndexOf('/'));
  return { path: objectPath, message: `fields "${first}" and "${second}" are mutually exclusive (set at most one)` };
}

function limitMessage(keyword: string, params: Record<string, unknown>): string | undefined {
  const limit = params['limit'];
  switch (keyword) {
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params['comparison'])} ${String(limit)}`;
    case 'minLength':
      return `must be at least ${String(limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(limit)} characters long`;
    case 'minItems':
      return `must have at least ${String(limit)} items`;
    case 'maxItems':
      return `must have at most ${String(limit)} items`;
    case 'minProperties':
      return `must have at least ${String(limit)} fields`;
    case 'maxProperties':
      return `must have at most ${String(limit)} fields`;
    case 'uniqueItems':
      return `must not contain duplicates (items ${String(params['j'])} and ${String(params['i'])} are equal)`;
    case 'multipleOf':
      return `must be a multiple of ${String(params['multipleOf'])}`;
    case 'oneOf':
      return 'must match exactly one of the allowed alternatives';
    case 'anyOf':
      return 'must match at least one of the allowed alternatives';
    case 'not':
      return 'must not match the excluded form';
    default:
      return undefined;
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function formatList(value: unknown): string {
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ') : '';
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
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
