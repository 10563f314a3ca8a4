// Checks values flexmesh passes to a Helm chart against the schema pinned for that chart version.
import { issuesFromAjvErrors } from './issues.ts';
import { loadValidator } from './load-validator.ts';
import { validatedByShape } from './validated-shapes.ts';
import { chartLabel, helmValuesSchemaPath, normalizeVersion, supportedVersions, type HelmChartId } from './products.ts';
import type { SchemaIssue } from './types.ts';

export function validateHelmValues(chart: HelmChartId, chartVersion: string, values: unknown): SchemaIssue[] {
  const supported = supportedVersions.helmCharts[chart];
  if (!supported) return [{ path: '', message: `no pinned values schema exists for chart "${String(chart)}"` }];
  const requested = normalizeVersion(chartVersion);
  if (!supported.includes(requested)) {
    return [{ path: '', message: `${chartLabel(chart)} ${requested} has no pinned values schema (supported: ${supported.join(', ')})` }];
  }
  const schemaPath = helmValuesSchemaPath(chart, requested);
  const validate = loadValidator(schemaPath);
  // Helm treats an empty values file (null) like {}.
  const effective = values ?? {};
  return validatedByShape(schemaPath, effective, () => (validate(effective) ? [] : issuesFromAjvErrors(validate.errors ?? [])));
}
