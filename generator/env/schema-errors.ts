// Turns ajv's errors into diagnostics a person can act on: what is wrong, what was expected, did-you-mean.
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics.ts';
import { closestMatch as didYouMean } from '../util/did-you-mean.ts';
import { escapeUnsafe, quote, redactUrlCredentials } from '../util/quote.ts';
import { displayPath, pointerToPath, type PathSegment } from './source-positions.ts';

/** Where a field path was written: the file, line and column, and a note when it was inherited from a base. */
export type Locate = (path: readonly PathSegment[], at: 'key' | 'value') => { file: string; line: number; col: number; note?: string };

// Pattern failures are explained by the definition they come from, not by the regex.
const PATTERN_HINTS: Record<string, string> = {
  dnsLabel: 'a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
  httpUrl: 'an http:// or https:// URL',
  repoPath: 'a relative path inside the repository, e.g. out/dev',
  image: 'a pinned image reference with a tag or digest, e.g. alpine/k8s:1.29.15',
};

// Patterns written inline on a field, by field name.
const FIELD_PATTERN_HINTS: Record<string, string> = {
  basePath: 'a path that starts and ends with "/", e.g. /ingress/',
  repoURL: 'a Git URL starting with https://, http://, ssh:// or git@',
  server: 'an https:// URL',
  usernameKey: 'a Secret key: letters, digits, "-", "_" and "."',
  passwordKey: 'a Secret key: letters, digits, "-", "_" and "."',
  message: 'a DataWeave expression starting with "#[", e.g. #[attributes.method]',
  conditional: 'a DataWeave expression starting with "#[", e.g. #[attributes.method == \'GET\']',
  keySelector: 'a DataWeave expression starting with "#[", e.g. #[attributes.headers[\'client-id\']]',
};

// Paths and image references are refused with "." or ".." segments: they would reach outside the place they name.
const DOT_SEGMENT = /(^|[/:])(\.|%2e){1,2}([/:]|$)/i;

function patternHint(error: ErrorObject): string {
  const hint = basePatternHint(error);
  return typeof error.data === 'string' && DOT_SEGMENT.test(error.data) ? `${hint}; "." and ".." segments are not allowed` : hint;
}

function basePatternHint(error: ErrorObject): string {
  const definition = /#\/\$defs\/([^/]+)\/pattern$/.exec(error.schemaPath)?.[1];
  if (definition && PATTERN_HINTS[definition]) return PATTERN_HINTS[definition]!;
  const field = /\/properties\/([^/]+)\/pattern$/.exec(error.schemaPath)?.[1];
  if (field && FIELD_PATTERN_HINTS[field]) return FIELD_PATTERN_HINTS[field]!;
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  return description ?? `a value matching ${String(error.params.pattern)}`;
}

// Fields holding credentials: their values are never shown, whatever was written there (a number, a list, ...).
const SECRET_FIELD = /^(insecureDemoUser|password|passwd|token|accessToken|clientSecret|apiKey)$/i;
const HIDDEN = '(hidden)';

const isSecretPath = (path: readonly PathSegment[]) => path.some((segment) => typeof segment === 'string' && SECRET_FIELD.test(segment));

/** A copy of `value` with everything under a secret field replaced. */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_FIELD.test(key) ? HIDDEN : withoutSecrets(inner)]));
}

/** How a message shows the value at `path`: quoted and escaped, with secrets and URL credentials hidden. */
function shown(value: unknown, path: readonly PathSegment[]): string {
  if (isSecretPath(path)) return `the value of a secret field ${HIDDEN}`;
  if (typeof value === 'string') return quote(value);
  if (value === null) return 'null';
  return `${Array.isArray(value) ? 'array' : typeof value} ${escapeUnsafe(redactUrlCredentials(JSON.stringify(withoutSecrets(value)) ?? String(value)))}`;
}

function explain(error: ErrorObject): { path: PathSegment[]; at: 'key' | 'value'; problem: string; expected?: string } {
  const path = pointerToPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const guess = didYouMean(field, allowed);
      return {
        path: [...path, field],
        at: 'key',
        problem: `unknown field ${quote(field)}`,
        expected: guess ? `did you mean "${guess}"?` : `allowed fields: ${allowed.join(', ')}`,
      };
    }
    case 'required':
      return { path, at: 'value', problem: `missing required field "${String(error.params.missingProperty)}"`, expected: `add ${String(error.params.missingProperty)}` };
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const guess = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
      return { path, at: 'value', problem: `${shown(error.data, path)} is not allowed`, expected: `one of ${allowed.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}` };
    }
    case 'const':
      return { path, at: 'value', problem: `${shown(error.data, path)} is not allowed`, expected: `must be ${JSON.stringify(error.params.allowedValue)}` };
    case 'type':
      return { path, at: 'value', problem: `${shown(error.data, path)} has the wrong type`, expected: `expected ${String(error.params.type)}` };
    case 'pattern':
      return { path, at: 'value', problem: `${shown(error.data, path)} is not valid`, expected: `expected ${patternHint(error)}` };
    case 'discriminator': {
      const tag = String(error.params.tag);
      const choices = ['basic-auth', 'message-logging', 'rate-limiting'];
      const value = (error.data as Record<string, unknown> | undefined)?.[tag];
      const guess = typeof value === 'string' ? didYouMean(value, choices) : undefined;
      return { path: [...path, tag], at: 'value', problem: `policy ${tag} ${value === undefined ? 'is missing' : `${shown(value, [...path, tag])} is unknown`}`, expected: `one of ${choices.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}` };
    }
    case 'minimum':
    case 'maximum':
      return { path, at: 'value', problem: `${shown(error.data, path)} is out of range`, expected: `${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(error.params.limit)}` };
    case 'minItems':
    case 'minLength':
      return { path, at: 'value', problem: `${shown(error.data, path)} is too short`, expected: `at least ${String(error.params.limit)} ${error.keyword === 'minItems' ? 'item(s)' : 'character(s)'}` };
    case 'maxLength':
      return { path, at: 'value', problem: `${shown(error.data, path)} is too long`, expected: `at most ${String(error.params.limit)} characters` };
    case 'uniqueItems':
      return { path, at: 'value', problem: 'has duplicate entries', expected: `items ${String(error.params.j)} and ${String(error.params.i)} are equal; remove one` };
    default:
      return { path, at: 'value', problem: `${error.message ?? 'is invalid'}`, expected: undefined };
  }
}

export function schemaDiagnostics(errors: readonly ErrorObject[], locate: Locate): Diagnostic[] {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of errors) {
    // oneOf/if wrappers only repeat what their branch errors already said.
    if (error.keyword === 'oneOf' || error.keyword === 'if') continue;
    const { path, at, problem, expected } = explain(error);
    const { note, ...where } = locate(path, at);
    const diagnostic: Diagnostic = { ...where, path: displayPath(path), problem: note ? `${problem} (${note})` : problem, ...(expected ? { expected } : {}) };
    const key = JSON.stringify(diagnostic);
    if (!seen.has(key)) diagnostics.push(diagnostic);
    seen.add(key);
  }
  return diagnostics;
}
