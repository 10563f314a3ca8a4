// Every output check over located documents: pinned strict schemas (documents and Helm values, including the
// constraints scripts/build-schemas/constraints.ts adds), then cross-references. One list of diagnostics, nothing stops at the first problem.
import type { Diagnostic } from '../diagnostics.ts';
import { crossReferenceIssues, type LocatedDoc } from './cross-references/index.ts';
import { validateDocument, validateHelmValues, type HelmChartId, type TargetVersions } from './index.ts';
import { PINNED_PRODUCTS } from './products.ts';
import { checkedOnce } from './shared-documents.ts';

/** The versions with pinned schemas (validate has no environment to take them from). */
export const PINNED_TARGETS = Object.fromEntries(PINNED_PRODUCTS.map((product) => [product.id, product.version])) as unknown as TargetVersions;

// Chart name in an Application source → the values schema flexmesh pins for it.
const CHART_IDS: Record<string, HelmChartId> = { base: 'istio-base', istiod: 'istiod', gateway: 'istio-gateway', 'flex-gateway': 'flex-gateway' };

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

function helmValueProblems(located: LocatedDoc): Diagnostic[] {
  if (located.doc.kind !== 'Application') return [];
  const source = (located.doc.spec as { source?: { chart?: string; targetRevision?: string; helm?: { valuesObject?: unknown } } } | undefined)?.source;
  const chart = source?.chart && CHART_IDS[source.chart];
  // A non-string revision is already a schema error; values can only be checked against a known chart version.
  if (!chart || typeof source?.targetRevision !== 'string') return [];
  return validateHelmValues(chart, source.targetRevision, source.helm?.valuesObject ?? {}).map((issue) => ({
    ...at(located, `/spec/source/helm/valuesObject${issue.path}`),
    problem: inField(`/spec/source/helm/valuesObject${issue.path}`, issue.message),
    expected: `values of chart ${source.chart} ${source.targetRevision}`,
  }));
}

/** Rules read metadata.name everywhere; a document without metadata is reported by its schema, not a crash. */
function withMetadata(located: LocatedDoc): LocatedDoc {
  const metadata = (located.doc as { metadata?: unknown }).metadata;
  return metadata !== null && typeof metadata === 'object' ? located : { ...located, doc: { ...located.doc, metadata: { name: '' } } };
}

export function checkManifests(sourceDocs: readonly LocatedDoc[], preExistingNamespaces: readonly string[], targets: TargetVersions = PINNED_TARGETS): Diagnostic[] {
  const docs = sourceDocs.map(withMetadata);
  return [
    ...sourceDocs.flatMap((located) => checkedOnce(located.doc, targets, validateDocument).map((issue) => ({ ...at(located, issue.path), problem: inField(issue.path, issue.message), expected: 'the pinned schema' }))),
    ...docs.flatMap(helmValueProblems),
    ...crossReferenceIssues(docs, preExistingNamespaces).map((issue) => ({ ...at(issue.located, issue.pointer), problem: inField(issue.pointer, issue.message), expected: `rule ${issue.rule}` })),
  ];
}
