// Environment file → validated Environment, or every problem found with file:line:col.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { compareDiagnostics, InputError, type Diagnostic } from '../diagnostics.ts';
import { environmentValidator } from './env-schema.ts';
import { resolveTopology, type Topology } from '../model/topology.ts';
import { environmentRuleViolations, type RuleViolation } from './rules.ts';
import { urlCredentialViolations } from './url-credentials.ts';
import { topologyRuleViolations } from './topology-rules.ts';
import { schemaDiagnostics, type Locate } from './schema-errors.ts';
import { displayPath, positionOf, type PathSegment, type Position } from './source-positions.ts';
import { simpleMapping } from './simple-mapping.ts';
import { controlCharacterProblems, decodeUtf8, yamlFeatureProblems } from './strict-yaml.ts';
import { plainCopy } from '../util/plain-copy.ts';
import type { Environment } from './types.ts';

export function environmentNameOf(file: string): string {
  return basename(file, extname(file));
}

/** An environment (or base) file's text; `shown` names the file in diagnostics. Not UTF-8 → InputError with the position. */
export function readEnvironmentText(path: string, shown: string): string {
  return decodeUtf8(readFileSync(path), shown);
}

/** Pure: text in, Environment out; throws InputError with all diagnostics. */
export function parseEnvironment(text: string, file: string): Environment {
  return parseTopology(text, file).env;
}

/**
 * A parsed environment (or base) file: its plain data, and the document with source positions for diagnostics. A
 * simple text (simple-mapping.ts: a fleet's overlays) is read without the yaml library, which then parses it only
 * when a diagnostic needs a position.
 */
export interface ParsedYaml {
  /** The plain data, a fresh copy at each call: the schema check applies defaults to what it is given. */
  toJS(): unknown;
  /** A top-level value as Document.get gives it (undefined when absent). */
  get(key: string): unknown;
  /** Where `path` is written (source-positions.ts). */
  positionOf(path: readonly PathSegment[], at?: 'key' | 'value'): Position;
}

/**
 * Pure: YAML text → its data and document (positions kept); throws InputError on syntax errors and on anything but
 * plain data (control characters, aliases, tags, inexact numbers). Bases are parsed the same way.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const known = recentlyParsed.get(file);
  if (known?.text === text) {
    // Most recently used last: a fleet's base stays while its thousand overlays come and go.
    recentlyParsed.delete(file);
    recentlyParsed.set(file, known);
    return known.parsed;
  }
  const parsed = parsedFrom(text, file);
  recentlyParsed.delete(file);
  recentlyParsed.set(file, { text, parsed });
  if (recentlyParsed.size > RECENTLY_PARSED_LIMIT) recentlyParsed.delete(recentlyParsed.keys().next().value!);
  return parsed;
}

/**
 * A chain is parsed when it is read (for `extends`) and again when merged, and every environment of a fleet parses
 * the same bases: the last few successful parses are kept by file, with the text they were parsed from. Nothing
 * mutates a parsed document or its data (toJS hands out copies).
 */
const recentlyParsed = new Map<string, { text: string; parsed: ParsedYaml }>();
const RECENTLY_PARSED_LIMIT = 16;

function parsedFrom(text: string, file: string): ParsedYaml {
  const simple = simpleMapping(text);
  let located = simple === undefined ? parseYamlAfresh(text, file) : undefined;
  const document = () => (located ??= parseYamlAfresh(text, file));
  const positionAt = (path: readonly PathSegment[], at?: 'key' | 'value') => positionOf(document().doc, document().lines, path, at);
  if (simple === undefined) {
    let data: { value: unknown } | undefined;
    return { toJS: () => plainCopy((data ??= { value: document().doc.toJS() }).value), get: (key) => document().doc.get(key), positionOf: positionAt };
  }
  return {
    toJS: () => plainCopy(simple),
    // As Document.get answers: undefined for a null value too, and the node of a map (the document tells).
    get: (key) => {
      const value = Object.hasOwn(simple, key) ? simple[key] : undefined;
      if (value === null) return undefined;
      return typeof value !== 'object' ? value : document().doc.get(key);
    },
    positionOf: positionAt,
  };
}

function parseYamlAfresh(text: string, file: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax: Diagnostic[] = doc.errors.map((error) => {
    const { line, col } = lines.linePos(error.pos[0]);
    return { file, line, col, path: '(yaml)', problem: error.message.split('\n')[0] ?? 'invalid YAML', expected: 'fix the YAML syntax' };
  });
  // Nothing is converted to values while the text holds anything but plain data.
  const refused = [...controlCharacterProblems(text, file), ...syntax, ...yamlFeatureProblems(doc, lines, file)];
  if (refused.length > 0) throw new InputError(refused.sort(compareDiagnostics));
  return { doc, lines };
}

/** Pure: text in, the validated environment resolved into its topology; throws InputError with all diagnostics. */
export function parseTopology(text: string, file: string): Topology {
  const parsed = parseYaml(text, file);
  return checkEnvironment(parsed.toJS(), environmentNameOf(file), (path, at) => ({ file, ...parsed.positionOf(path, at) }));
}

/** Validates (and defaults) plain data as environment `name`; `locate` says where each field path was written. */
export function checkEnvironment(data: unknown, name: string, locate: Locate): Topology {
  const located = (violation: RuleViolation): Diagnostic => {
    const { note, ...where } = locate(violation.path, 'value');
    return { ...where, path: displayPath(violation.path), problem: note ? `${violation.problem} (${note})` : violation.problem, expected: violation.expected };
  };
  // Judged on the data as written, with or without schema errors, so a leaked token is reported in any case.
  const leaks = urlCredentialViolations(data).map(located);
  const validate = environmentValidator();
  if (!validate(data)) throw new InputError([...schemaDiagnostics(validate.errors ?? [], locate), ...leaks].sort(compareDiagnostics));
  if (leaks.length > 0) throw new InputError(leaks.sort(compareDiagnostics));
  const env = { ...(data as Omit<Environment, 'name'>), name } as Environment;
  const references = environmentRuleViolations(env);
  // Topology rules judge resolved values, which are only meaningful once references between entries hold.
  const topology = resolveTopology(env);
  const violations: Diagnostic[] = [...references, ...(references.length === 0 ? topologyRuleViolations(topology) : [])].map(located);
  if (violations.length > 0) throw new InputError(violations.sort(compareDiagnostics));
  return topology;
}
