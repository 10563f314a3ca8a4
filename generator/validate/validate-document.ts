// Checks one emitted Kubernetes document against the schema pinned for the exact
// product versions the bundle targets.
import { closestMatch } from '../util/did-you-mean.ts';
import { issuesFromAjvErrors } from './issues.ts';
import { loadValidator } from './load-validator.ts';
import { pinnedKindNames, pinnedKinds } from './pinned-index.ts';
import { validatedByShape } from './validated-shapes.ts';
import {
  documentSchemaPath,
  joinApiVersion,
  normalizeVersion,
  productLabel,
  splitApiVersion,
  supportedVersions,
} from './products.ts';
import type { SchemaIssue, TargetVersions } from './types.ts';

export interface UncheckedKind {
  readonly group: string;
  readonly kind: string;
  /** Why skipping it is safe; shown to whoever extends this list. */
  readonly reason: string;
}

/** Kinds flexmesh emits on purpose without a pinned schema; any other unknown kind is an issue. */
export const UNCHECKED_KINDS: readonly UncheckedKind[] = [
  {
    group: 'kustomize.config.k8s.io',
    kind: 'Kustomization',
    reason: 'build input read by kustomize in the Argo CD repo-server; never sent to the API server',
  },
];

export function validateDocument(doc: unknown, versions: TargetVersions): SchemaIssue[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return [{ path: '', message: 'document must be a mapping with apiVersion and kind' }];
  }
  const { apiVersion, kind } = doc as { apiVersion?: unknown; kind?: unknown };
  const envelope = [...envelopeIssues('apiVersion', apiVersion), ...envelopeIssues('kind', kind)];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || envelope.length > 0) return envelope;

  const [group, version] = splitApiVersion(apiVersion);
  if (UNCHECKED_KINDS.some((unchecked) => unchecked.group === group && unchecked.kind === kind)) return [];
  const candidates = pinnedKinds(group, kind);
  const first = candidates[0];
  if (!first) return [{ path: '', message: noSchemaMessage(apiVersion, group, kind) }];

  const label = productLabel(first.product);
  const given: unknown = versions[first.product];
  if (typeof given !== 'string') return [{ path: '', message: `no ${label} version given; cannot check ${apiVersion} ${kind}` }];
  const requested = normalizeVersion(given);
  const pinned = candidates.find((candidate) => candidate.productVersion === requested);
  if (!pinned) {
    const supported = supportedVersions[first.product].join(', ');
    return [{ path: '', message: `${label} ${requested} has no pinned schemas (supported: ${supported}); cannot check ${apiVersion} ${kind}` }];
  }
  if (!pinned.served.includes(version)) {
    const served = pinned.served.map((name) => joinApiVersion(group, name)).join(', ');
    return [{ path: '/apiVersion', message: `apiVersion ${apiVersion} is not served by ${label} ${requested} (served: ${served})` }];
  }
  const schemaPath = documentSchemaPath(pinned.product, requested, apiVersion, kind);
  const validate = loadValidator(schemaPath);
  return validatedByShape(schemaPath, doc, () => (validate(doc) ? [] : issuesFromAjvErrors(validate.errors ?? [])));
}

function envelopeIssues(field: 'apiVersion' | 'kind', value: unknown): SchemaIssue[] {
  if (value === undefined) return [{ path: '', message: `missing required field "${field}"` }];
  if (typeof value !== 'string' || value === '') return [{ path: `/${field}`, message: 'must be a non-empty string' }];
  return [];
}

function noSchemaMessage(apiVersion: string, group: string, kind: string): string {
  const suggestion = closestMatch(kind, pinnedKindNames(group));
  const hint = suggestion === undefined ? '' : ` Did you mean kind "${suggestion}"?`;
  return (
    `no pinned schema exists for ${apiVersion} ${kind}, so it cannot be checked.${hint} ` +
    'Add it to scripts/build-schemas/targets.ts, or to UNCHECKED_KINDS if it never reaches the API server.'
  );
}
