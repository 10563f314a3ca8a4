// Every output check over located documents: pinned strict schemas (documents and Helm values, including the
// constraints scripts/build-schemas/constraints.ts adds), then cross-references. One list of diagnostics, nothing stops at the first problem.
import type { Diagnostic } from '../diagnostics.ts';
import { crossReferenceIssues, type LocatedDoc } from './cross-references/index.ts';
import type { TargetVersions } from './index.ts';
import { schemaChecksOf, type SchemaChecks } from './schema-checks.ts';
import { PINNED_PRODUCTS } from './products.ts';

/** The versions with pinned schemas (validate has no environment to take them from). */
export const PINNED_TARGETS = Object.fromEntries(PINNED_PRODUCTS.map((product) => [product.id, product.version])) as unknown as TargetVersions;

export const objectName = (located: LocatedDoc) => `${located.doc.kind}/${located.doc.metadata?.name || '(unnamed)'}`;

/** Where a problem is: the object, and the field's own line when the pointer resolves in the source. */
function at(located: LocatedDoc, pointer = '') {
  const position = pointer && located.positionOf ? located.positionOf(pointer) : { line: located.line, col: located.col };
  return { file: located.file, ...position, path: objectName(withMetadata(located)) };
}

/** The field (JSON pointer) leads the message: `Kind/name: /spec/address: <what is wrong>`. */
function inField(pointer: string | undefined, problem: string): string {
  return pointer ? `${pointer}: ${problem}` : problem;
}

/** Rules read metadata.name everywhere; a document without metadata is reported by its schema, not a crash. */
function withMetadata(located: LocatedDoc): LocatedDoc {
  const metadata = (located.doc as { metadata?: unknown }).metadata;
  if (metadata !== null && typeof metadata === 'object') return located;
  // Not a spread: a located document may keep its position on its prototype (validate/located.ts).
  const doc = { ...located.doc, metadata: { name: '' } };
  return { file: located.file, doc, get line() { return located.line; }, get col() { return located.col; }, ...(located.positionOf ? { positionOf: (pointer: string) => located.positionOf!(pointer) } : {}) };
}

/**
 * `schemaChecks` gives the schema results by document when they are computed elsewhere (the schema worker, while this
 * thread works on): the cross-references are worked out first, so the wait for them comes last. By default they are
 * computed here.
 */
export function checkManifests(sourceDocs: readonly LocatedDoc[], preExistingNamespaces: readonly string[], targets: TargetVersions = PINNED_TARGETS, schemaChecks: (doc: LocatedDoc['doc']) => SchemaChecks = (doc) => schemaChecksOf(doc, targets)): Diagnostic[] {
  const docs = sourceDocs.map(withMetadata);
  const crossReferences = crossReferenceIssues(docs, preExistingNamespaces).map((issue) => ({ ...at(issue.located, issue.pointer), problem: inField(issue.pointer, issue.message), expected: `rule ${issue.rule}` }));
  const checks = sourceDocs.map((located) => schemaChecks(located.doc));
  return [
    ...sourceDocs.flatMap((located, index) => checks[index]!.document.map((issue) => ({ ...at(located, issue.path), problem: inField(issue.path, issue.message), expected: 'the pinned schema' }))),
    ...docs.flatMap((located, index) => {
      const helm = checks[index]!.helmValues;
      return helm ? helm.issues.map((issue) => ({ ...at(located, issue.path), problem: inField(issue.path, issue.message), expected: helm.expected })) : [];
    }),
    ...crossReferences,
  ];
}
