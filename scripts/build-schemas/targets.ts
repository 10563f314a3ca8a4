// What flexmesh can emit, and where each schema comes from. Adding a kind is a
// one-line change here followed by `npx tsx scripts/build-schemas.ts`.
import type { HelmChartId, ProductId } from '../../generator/validate/products.ts';

export interface CrdTarget {
  readonly product: Exclude<ProductId, 'kubernetes' | 'flex'>;
  /** Folder under the upstream dir whose SOURCE.txt must name the pinned version. */
  readonly folder: string;
  readonly file: string;
  readonly kinds: readonly string[];
}

export const CRD_TARGETS: readonly CrdTarget[] = [
  { product: 'argocd', folder: 'argo-cd', file: 'argo-cd/application-crd.yaml', kinds: ['Application'] },
  { product: 'argocd', folder: 'argo-cd', file: 'argo-cd/appproject-crd.yaml', kinds: ['AppProject'] },
  { product: 'argocd', folder: 'argo-cd', file: 'argo-cd/applicationset-crd.yaml', kinds: ['ApplicationSet'] },
  {
    product: 'argoWorkflows',
    folder: 'argo-workflows',
    // The `full` variant: the default `minimal` CRDs preserve unknown fields and check nothing.
    file: 'argo-workflows/manifests/base/crds/full/argoproj.io_workflowtemplates.yaml',
    kinds: ['WorkflowTemplate'],
  },
  { product: 'istio', folder: 'istio', file: 'istio/crd-all.gen.yaml', kinds: ['Gateway', 'VirtualService', 'AuthorizationPolicy'] },
];

/** Built-in kinds as (group, kind); served versions come from the OpenAPI GVK annotations. */
export const KUBERNETES_TARGETS: readonly { group: string; kind: string }[] = [
  { group: '', kind: 'Namespace' },
  { group: '', kind: 'Secret' },
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'ServiceAccount' },
  { group: '', kind: 'Service' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'batch', kind: 'Job' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];

/** Kinds with no upstream CRD: schemas written by hand (repo-relative paths). */
export const HAND_WRITTEN_DOCUMENTS: readonly { product: ProductId; file: string }[] = [
  { product: 'flex', file: 'schemas/flex-1.7.0/ApiInstance.schema.json' },
];

export type HelmValuesSource = { readonly handWritten: string } | { readonly upstream: string };

export const HELM_VALUES_TARGETS: readonly { chart: HelmChartId; source: HelmValuesSource }[] = [
  { chart: 'istio-base', source: { handWritten: 'schemas/istio-charts-1.21.2/base.values.schema.json' } },
  { chart: 'istiod', source: { handWritten: 'schemas/istio-charts-1.21.2/istiod.values.schema.json' } },
  { chart: 'istio-gateway', source: { upstream: 'istio/gateway-chart-values.schema.json' } },
  { chart: 'flex-gateway', source: { handWritten: 'schemas/flex-1.7.0/flex-gateway.values.schema.json' } },
];
