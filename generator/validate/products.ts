// Single source of truth for which product versions have pinned schemas and
// where their generated files live. Shared by scripts/build-schemas.ts (writer)
// and the runtime validators (reader) so the two can never disagree on paths.

export type ProductId = 'kubernetes' | 'istio' | 'argocd' | 'argoWorkflows' | 'flex';
export type HelmChartId = 'istio-base' | 'istiod' | 'istio-gateway' | 'flex-gateway';

export interface PinnedProduct {
  readonly id: ProductId;
  readonly label: string;
  readonly version: string;
}

export const PINNED_PRODUCTS: readonly PinnedProduct[] = [
  { id: 'kubernetes', label: 'Kubernetes', version: '1.29.0' },
  { id: 'istio', label: 'Istio', version: '1.21.2' },
  { id: 'argocd', label: 'Argo CD', version: '2.13.9' },
  { id: 'argoWorkflows', label: 'Argo Workflows', version: '3.6.19' },
  { id: 'flex', label: 'Flex Gateway', version: '1.7.0' },
];

export interface PinnedChart {
  readonly id: HelmChartId;
  readonly label: string;
  readonly version: string;
}

const productVersion = (id: ProductId): string => PINNED_PRODUCTS.find((product) => product.id === id)!.version;

// Istio releases its charts with its own version, and the Flex Gateway chart carries the gateway's.
export const PINNED_CHARTS: readonly PinnedChart[] = [
  { id: 'istio-base', label: 'Istio base chart', version: productVersion('istio') },
  { id: 'istiod', label: 'Istio istiod chart', version: productVersion('istio') },
  { id: 'istio-gateway', label: 'Istio gateway chart', version: productVersion('istio') },
  { id: 'flex-gateway', label: 'Flex Gateway chart', version: productVersion('flex') },
];

/** Users write "v1.29.0" as often as "1.29.0"; both mean the same release. */
export function normalizeVersion(version: string): string {
  return version.trim().replace(/^v/, '');
}

const PRODUCT_DIR_NAMES: Record<ProductId, string> = {
  kubernetes: 'kubernetes',
  istio: 'istio',
  argocd: 'argocd',
  argoWorkflows: 'argo-workflows',
  flex: 'flex',
};

/** Path (relative to schemas/pinned and schemas/validators, no extension) of one GVK schema. */
export function documentSchemaPath(product: ProductId, productVersion: string, apiVersion: string, kind: string): string {
  const [group, version] = splitApiVersion(apiVersion);
  return `${PRODUCT_DIR_NAMES[product]}-${productVersion}/${group === '' ? 'core' : group}_${version}_${kind}`;
}

/** Path (relative to schemas/pinned and schemas/validators, no extension) of one chart's values schema. */
export function helmValuesSchemaPath(chart: HelmChartId, chartVersion: string): string {
  return `helm-values/${chart}-${chartVersion}`;
}

/** "apps/v1" → ["apps", "v1"]; "v1" → ["", "v1"] (the core group has no name). */
export function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

export function joinApiVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export type SupportedVersions = Readonly<Record<ProductId, readonly string[]>> & {
  readonly helmCharts: Readonly<Record<HelmChartId, readonly string[]>>;
};

function versionsById<Id extends string>(pins: readonly { id: Id; version: string }[]): Record<Id, string[]> {
  const byId = {} as Record<Id, string[]>;
  for (const { id, version } of pins) (byId[id] ??= []).push(version);
  return byId;
}

/** Which product and chart versions have pinned schemas. */
export const supportedVersions: SupportedVersions = {
  ...versionsById(PINNED_PRODUCTS),
  helmCharts: versionsById(PINNED_CHARTS),
};

export function productLabel(product: ProductId): string {
  return PINNED_PRODUCTS.find((pinned) => pinned.id === product)?.label ?? product;
}

export function chartLabel(chart: HelmChartId): string {
  return PINNED_CHARTS.find((pinned) => pinned.id === chart)?.label ?? chart;
}
