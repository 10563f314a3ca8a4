// The schema half of the output checks, per document and without positions: what the pinned schema of its kind says,
// and for an Application that installs a chart flexmesh pins, what the chart's values schema says. Pure and
// position-free, so it can run anywhere the document can be sent (generator/validate/schema-worker.ts).
import type { Manifest } from '../resources/types.ts';
import { validateDocument, validateHelmValues, type HelmChartId, type SchemaIssue, type TargetVersions } from './index.ts';
import { checkedOnce } from './shared-documents.ts';

export interface SchemaChecks {
  document: SchemaIssue[];
  /** Issues of the chart values, with pointers from the document root; `expected` names the chart. */
  helmValues?: { expected: string; issues: SchemaIssue[] };
}

// Chart name in an Application source → the values schema flexmesh pins for it.
const CHART_IDS: Record<string, HelmChartId> = { base: 'istio-base', istiod: 'istiod', gateway: 'istio-gateway', 'flex-gateway': 'flex-gateway' };

function helmValueChecks(doc: Manifest): SchemaChecks['helmValues'] {
  if (typeof doc !== 'object' || doc === null || doc.kind !== 'Application') return undefined;
  const source = (doc.spec as { source?: { chart?: string; targetRevision?: string; helm?: { valuesObject?: unknown } } } | undefined)?.source;
  const chart = source?.chart && CHART_IDS[source.chart];
  // A non-string revision is already a schema error; values can only be checked against a known chart version.
  if (!chart || typeof source?.targetRevision !== 'string') return undefined;
  const issues = validateHelmValues(chart, source.targetRevision, source.helm?.valuesObject ?? {});
  return { expected: `values of chart ${source.chart} ${source.targetRevision}`, issues: issues.map((issue) => ({ ...issue, path: `/spec/source/helm/valuesObject${issue.path}` })) };
}

export function schemaChecksOf(doc: Manifest, targets: TargetVersions): SchemaChecks {
  const helmValues = helmValueChecks(doc);
  // The vendored samples are the same objects in every environment of a run: checked once (shared-documents.ts).
  return { document: [...checkedOnce(doc, targets, validateDocument)], ...(helmValues ? { helmValues } : {}) };
}
