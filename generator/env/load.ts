// Environment file → validated Environment, or every problem found with file:line:col.
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { compareDiagnostics, InputError, type Diagnostic } from '../diagnostics.ts';
import { environmentValidator } from './env-schema.ts';
import { resolveTopology, type Topology } from '../model/topology.ts';
import { environmentRuleViolations } from './rules.ts';
import { topologyRuleViolations } from './topology-rules.ts';
import { schemaDiagnostics, type Locate } from './schema-errors.ts';
import { displayPath, positionOf } from './source-positions.ts';
import type { Environment } from './types.ts';

export function environmentNameOf(file: string): string {
  return basename(file, extname(file));
}

/** Pure: text in, Environment out; throws InputError with all diagnostics. */
export function parseEnvironment(text: string, file: string): Environment {
  return parseTopology(text, file).env;
}

/** Pure: YAML text → its document (positions kept); throws InputError on syntax errors. Bases are parsed the same way. */
export function parseYaml(text: string, file: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { file, line, col, path: '(yaml)', problem: error.message.split('\n')[0] ?? 'invalid YAML', expected: 'fix the YAML syntax' };
      }),
    );
  }
  return { doc, lines };
}

/** Pure: text in, the validated environment resolved into its topology; throws InputError with all diagnostics. */
export function parseTopology(text: string, file: string): Topology {
  const { doc, lines } = parseYaml(text, file);
  return checkEnvironment(doc.toJS(), environmentNameOf(file), (path, at) => ({ file, ...positionOf(doc, lines, path, at) }));
}

/** Validates (and defaults) plain data as environment `name`; `locate` says where each field path was written. */
export function checkEnvironment(data: unknown, name: string, locate: Locate): Topology {
  const validate = environmentValidator();
  if (!validate(data)) throw new InputError(schemaDiagnostics(validate.errors ?? [], locate).sort(compareDiagnostics));
  const env = { ...(data as Omit<Environment, 'name'>), name } as Environment;
  const references = environmentRuleViolations(env);
  // Topology rules judge resolved values, which are only meaningful once references between entries hold.
  const topology = resolveTopology(env);
  const violations: Diagnostic[] = [...references, ...(references.length === 0 ? topologyRuleViolations(topology) : [])].map((violation) => {
    const { note, ...where } = locate(violation.path, 'value');
    return { ...where, path: displayPath(violation.path), problem: note ? `${violation.problem} (${note})` : violation.problem, expected: violation.expected };
  });
  if (violations.length > 0) throw new InputError(violations.sort(compareDiagnostics));
  return topology;
}
