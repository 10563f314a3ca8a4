// Runs each mutation against the whole bundle (only the mutated document differs) through checkManifests, the
// same check generate and validate use, and sorts the outcome: caught where expected, reported elsewhere, missed.
import { stringify } from 'yaml';
import type { Diagnostic } from '../../../generator/diagnostics.ts';
import { checkManifests } from '../../../generator/validate/check-manifests.ts';
import type { LocatedDoc } from '../../../generator/validate/cross-references/index.ts';
import { locateDocuments } from '../../../generator/validate/located.ts';
import type { TargetVersions } from '../../../generator/validate/types.ts';
import type { Mutation } from './mutations.ts';
import type { JsonObject } from './schema.ts';

export type Verdict = 'caught' | 'elsewhere' | 'missed' | 'crashed';
export interface Outcome { mutation: Mutation; verdict: Verdict; diagnostics: Diagnostic[] }

/** `Kind/name` as checkManifests names a document (see `objectName` in check-manifests.ts). */
export function objectName(doc: JsonObject): string {
  const name = (doc['metadata'] as JsonObject | undefined)?.['name'];
  return `${String(doc['kind'])}/${name === undefined || name === null || name === '' ? '(unnamed)' : String(name)}`;
}

/**
 * The JSON pointer a diagnostic about `object` points at, in either form checkManifests has used:
 * path `Kind/name /spec/x` with the bare message, or path `Kind/name` with the message `/spec/x: problem`.
 * undefined when the diagnostic is about another object.
 */
export function pointerIn(diagnostic: Diagnostic, object: string): string | undefined {
  if (diagnostic.path.startsWith(`${object} /`)) return diagnostic.path.slice(object.length + 1);
  if (diagnostic.path !== object) return undefined;
  return /^(\/\S*): /.exec(diagnostic.problem)?.[1] ?? '';
}

export function runMutation(bundle: readonly LocatedDoc[], mutation: Mutation, preExisting: readonly string[], targets: TargetVersions): Outcome {
  const original = bundle[mutation.doc];
  if (!original) throw new Error(`no document ${mutation.doc}`);
  const doc = structuredClone(original.doc) as unknown as JsonObject;
  mutation.apply(doc);
  // A change to a top-level field (apiVersion, kind, metadata, …) goes through YAML text and locateDocuments, as
  // generate and validate read it: a document without a string apiVersion or kind is reported there and never reaches
  // checkManifests. Deeper changes cannot affect that step, so they skip the
  // (slow) text round trip and keep the original positions.
  const relocated = mutation.at.split('/').length <= 2
    ? locateDocuments(original.file, stringify(doc))
    : { docs: [{ ...original, doc: doc as unknown as LocatedDoc['doc'] }], problems: [] };
  const docs = [...bundle.slice(0, mutation.doc), ...relocated.docs, ...bundle.slice(mutation.doc + 1)];
  let diagnostics: Diagnostic[];
  try {
    diagnostics = [...relocated.problems, ...checkManifests(docs, preExisting, targets)];
  } catch (error) {
    const where = String((error as Error).stack).split('\n').find((line) => line.includes('/generator/'))?.trim() ?? '';
    return { mutation, verdict: 'crashed', diagnostics: [{ file: original.file, line: 0, col: 0, path: '(crash)', problem: `${String(error)} ${where}`, expected: 'a diagnostic' }] };
  }
  const object = objectName((relocated.docs[0]?.doc ?? doc) as unknown as JsonObject);
  const hit = (d: Diagnostic) => d.file === original.file && pointerIn(d, object) === mutation.expect.pointer && d.problem.includes(mutation.expect.mentions);
  const notAnObject = relocated.docs.length === 0 && diagnostics.some((d) => d.file === original.file && d.path === '(document)');
  const verdict = notAnObject || diagnostics.some(hit)
    ? 'caught'
    : diagnostics.length > 0 ? 'elsewhere' : 'missed';
  return { mutation, verdict, diagnostics };
}
