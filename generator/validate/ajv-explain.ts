// The one wording of JSON-Schema (ajv) errors, for the environment file on the way in and for every generated or
// validated document on the way out: what is wrong (the value shown quoted, escaped, secrets hidden), what was
// expected, and the likely intended name for a typo. Callers add only where it is: file:line:col or Kind/name + pointer.
import type { ErrorObject } from 'ajv';
import { pointerToPath, type PathSegment } from '../util/json-pointer.ts';
import { closestMatch as didYouMean } from '../util/did-you-mean.ts';
import { escapeUnsafe, quote, redactUrlCredentials } from '../util/quote.ts';
import { describePattern } from './patterns.ts';

export interface Explained { path: PathSegment[]; at: 'key' | 'value'; problem: string; expected?: string }

/** Allowed-field lists longer than this are cut so one typo does not print a screenful. */
const MAX_LISTED_FIELDS = 40;

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
  const pattern = String(error.params.pattern);
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  // The pinned schemas' grammars (quantities, timestamps, base64, ...) are named by patterns.ts.
  return describePattern(pattern) ?? description ?? `a value matching ${pattern}`;
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
  // The output validators are compiled without ajv's `verbose`, so their errors carry no data to show.
  if (value === undefined) return 'the value';
  if (typeof value === 'string') return quote(value);
  if (value === null) return 'null';
  return `${Array.isArray(value) ? 'array' : typeof value} ${escapeUnsafe(redactUrlCredentials(JSON.stringify(withoutSecrets(value)) ?? String(value)))}`;
}

function unknownField(path: PathSegment[], field: string, allowed: readonly string[]): Explained {
  const guess = didYouMean(field, [...allowed]);
  const listed = allowed.length > MAX_LISTED_FIELDS ? `${allowed.slice(0, MAX_LISTED_FIELDS).join(', ')}, … ${allowed.length - MAX_LISTED_FIELDS} more` : allowed.join(', ');
  const expected = allowed.length === 0 ? 'no fields are allowed here' : guess ? `did you mean "${guess}"?` : `allowed fields: ${listed}`;
  return { path: [...path, field], at: 'key', problem: `unknown field ${quote(field)}`, expected };
}

/** Istio's "at most one of" groups compile to dependentSchemas/<a>/properties/<b>: false. */
function mutuallyExclusive(error: ErrorObject): Explained | undefined {
  const match = /\/dependentSchemas\/([^/]+)\/properties\/([^/]+)\/false schema$/.exec(error.schemaPath);
  if (!match?.[1] || !match[2]) return undefined;
  const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');
  const [first, second] = [unescape(match[1]), unescape(match[2])].sort();
  return { path: pointerToPath(error.instancePath).slice(0, -1), at: 'key', problem: `fields "${first}" and "${second}" are mutually exclusive`, expected: 'set at most one' };
}

const list = (values: unknown): string[] => (Array.isArray(values) ? values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))) : []);

/** undefined for wrapper errors (`if`, `propertyNames`) whose branch errors say what is wrong. */
export function explainAjvError(error: ErrorObject): Explained | undefined {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const value = (problem: string, expected?: string): Explained => ({ path, at: 'value', problem, ...(expected ? { expected } : {}) });
  switch (error.keyword) {
    case 'if':
    case 'propertyNames':
      return undefined;
    case 'additionalProperties':
      return unknownField(path, String(params.additionalProperty), Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}));
    case 'false schema':
      if (error.propertyName !== undefined) return unknownField(path, error.propertyName, []);
      return mutuallyExclusive(error) ?? { path, at: 'key', problem: 'is not allowed here', expected: 'remove this field' };
    case 'required':
      return value(`missing required field "${String(params.missingProperty)}"`, `add ${String(params.missingProperty)}`);
    case 'enum': {
      const allowed = list(params.allowedValues);
      if (error.propertyName !== undefined) return unknownField(path, error.propertyName, allowed);
      const guess = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
      return value(`${shown(error.data, path)} is not allowed`, `one of ${allowed.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}`);
    }
    case 'const':
      return value(`${shown(error.data, path)} is not allowed`, `must be ${JSON.stringify(params.allowedValue)}`);
    case 'type':
      return value(`${shown(error.data, path)} has the wrong type`, `expected ${String(params.type).split(',').join(' or ')}`);
    case 'pattern':
      return value(`${shown(error.data, path)} is not valid`, `expected ${patternHint(error)}`);
    case 'discriminator': {
      const tag = String(params.tag);
      const choices = ['basic-auth', 'message-logging', 'rate-limiting'];
      const data = (error.data as Record<string, unknown> | undefined)?.[tag];
      const guess = typeof data === 'string' ? didYouMean(data, choices) : undefined;
      return { path: [...path, tag], at: 'value', problem: `policy ${tag} ${data === undefined ? 'is missing' : `${shown(data, [...path, tag])} is unknown`}`, expected: `one of ${choices.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const bound = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'more than', exclusiveMaximum: 'less than' }[error.keyword];
      return value(`${shown(error.data, path)} is out of range`, `${bound} ${String(params.limit)}`);
    }
    case 'minItems':
    case 'minLength':
      return value(`${shown(error.data, path)} is too short`, `at least ${String(params.limit)} ${error.keyword === 'minItems' ? 'item(s)' : 'character(s)'}`);
    case 'maxItems':
    case 'maxLength':
      return value(`${shown(error.data, path)} is too long`, `at most ${String(params.limit)} ${error.keyword === 'maxItems' ? 'item(s)' : 'characters'}`);
    case 'minProperties':
    case 'maxProperties':
      return value(`has ${error.keyword === 'minProperties' ? 'too few' : 'too many'} fields`, `${error.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(params.limit)} field(s)`);
    case 'uniqueItems':
      return value('has duplicate entries', `items ${String(params.j)} and ${String(params.i)} are equal; remove one`);
    case 'multipleOf':
      return value(`${shown(error.data, path)} is not a multiple of ${String(params.multipleOf)}`);
    case 'oneOf':
      return value('matches none or several of the allowed forms', 'exactly one of them');
    case 'anyOf':
      return value('matches none of the allowed forms', 'at least one of them');
    case 'not':
      return value('has a form that is not allowed here');
    default:
      return value(error.message ?? `fails the "${error.keyword}" check`);
  }
}
