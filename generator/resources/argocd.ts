// Argo CD: the AppProject, the root app-of-apps and the child Applications in sync-wave order,
// plus the argocd-cm health check without which waves do not wait for child Applications.
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { Environment } from '../env/types.ts';
import { gatewayValues, istioBaseValues, istiodValues } from './istio-charts.ts';
import { flexChartValues } from './flex.ts';
import { DIRS, environmentLabels, repoPath } from './layout.ts';
import { manifest } from './manifest.ts';
import type { BundleFile, Manifest } from './types.ts';

type Source = NonNullable<IApplication['spec']>['source'];

export interface ChildApp {
  /** Short name; the Application is `<env>-<key>`. */
  key: string;
  wave: number;
  namespace: string;
  source: NonNullable<Source>;
  createNamespace?: boolean;
  /** Istio's webhooks get failurePolicy and caBundle patched at run time; without this they never stay in sync. */
  ignoreWebhookDrift?: boolean;
}

const WEBHOOK_DRIFT = [
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.failurePolicy', '.webhooks[]?.clientConfig.caBundle'] },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
];

export function applicationName(env: Environment, key: string): string {
  return `${env.name}-${key}`;
}

function helmSource(repoURL: string, chart: string, version: string, releaseName: string, values: Record<string, unknown>): NonNullable<Source> {
  return { repoURL, chart, targetRevision: version, helm: { releaseName, valuesObject: Object.keys(values).length > 0 ? values : undefined } };
}

function gitSource(env: Environment, dir: string): NonNullable<Source> {
  return { repoURL: env.gitops.repoURL, targetRevision: env.gitops.targetRevision, path: repoPath(env, dir) };
}

/** Every child Application in sync order; `extra` lets later families (verification) join the list. */
export function childApps(env: Environment, extra: readonly ChildApp[] = []): ChildApp[] {
  const { istio, flex } = env;
  const apps: ChildApp[] = [
    { key: 'prerequisites', wave: 0, namespace: flex.namespace, source: gitSource(env, DIRS.prerequisites) },
    { key: 'istio-base', wave: 0, namespace: istio.namespace, createNamespace: true, ignoreWebhookDrift: true, source: helmSource(istio.chartRepository, 'base', istio.version, 'istio-base', istioBaseValues()) },
    { key: 'istiod', wave: 1, namespace: istio.namespace, ignoreWebhookDrift: true, source: helmSource(istio.chartRepository, 'istiod', istio.version, 'istiod', istiodValues()) },
    { key: 'istio-ingress', wave: 2, namespace: istio.namespace, source: helmSource(istio.chartRepository, 'gateway', istio.version, istio.ingressGateway.releaseName, gatewayValues(env)) },
    { key: 'flex-gateway', wave: 3, namespace: flex.namespace, source: helmSource(flex.chartRepository, 'flex-gateway', flex.version, flex.releaseName, flexChartValues(env)) },
    { key: 'bookinfo', wave: 4, namespace: env.namespaces.bookinfo, source: gitSource(env, DIRS.bookinfo) },
    { key: 'sleep', wave: 4, namespace: env.namespaces.test, source: gitSource(env, DIRS.sleep) },
    { key: 'mesh-routing', wave: 5, namespace: flex.namespace, source: gitSource(env, DIRS.mesh) },
  ];
  if (flex.mode === 'local') apps.push({ key: 'flex-apis', wave: 5, namespace: flex.namespace, source: gitSource(env, DIRS.flexApis) });
  return [...apps, ...extra].sort((a, b) => a.wave - b.wave || a.key.localeCompare(b.key));
}

/** Names of every child Application of the environment, in sync order. */
export function childApplicationNames(env: Environment, extra: readonly ChildApp[] = []): string[] {
  return childApps(env, extra).map((app) => applicationName(env, app.key));
}

function syncPolicy(createNamespace: boolean, respectIgnoreDifferences: boolean) {
  const syncOptions = [...(createNamespace ? ['CreateNamespace=true'] : []), ...(respectIgnoreDifferences ? ['RespectIgnoreDifferences=true'] : [])];
  return {
    automated: { prune: true, selfHeal: true },
    syncOptions: syncOptions.length > 0 ? syncOptions : undefined,
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
  };
}

function application(env: Environment, name: string, wave: number | undefined, spec: NonNullable<IApplication['spec']>): Manifest {
  return manifest<IApplication>({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: env.argocd.namespace,
      labels: environmentLabels(env),
      annotations: wave === undefined ? undefined : { 'argocd.argoproj.io/sync-wave': String(wave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec,
  });
}

export function childApplication(env: Environment, app: ChildApp): Manifest {
  return application(env, applicationName(env, app.key), app.wave, {
    project: env.argocd.project,
    source: app.source,
    destination: { server: env.argocd.destination.server, namespace: app.namespace },
    ignoreDifferences: app.ignoreWebhookDrift ? WEBHOOK_DRIFT : undefined,
    syncPolicy: syncPolicy(app.createNamespace ?? false, app.ignoreWebhookDrift ?? false),
  });
}

export function rootApplication(env: Environment): Manifest {
  return application(env, applicationName(env, 'root'), undefined, {
    project: env.argocd.project,
    source: { ...gitSource(env, DIRS.apps), directory: { recurse: false } },
    destination: { server: env.argocd.destination.server, namespace: env.argocd.namespace },
    syncPolicy: syncPolicy(false, false),
  });
}

// Cluster-scoped kinds the charts create: Istio's CRDs, RBAC and webhooks; Flex's CRDs and IngressClass.
const CLUSTER_KINDS = [
  { group: '', kind: 'Namespace' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
];

export function appProject(env: Environment, apps: readonly ChildApp[]): Manifest {
  const namespaces = [...new Set([env.argocd.namespace, ...apps.map((app) => app.namespace)])].sort();
  const repos = [...new Set([env.gitops.repoURL, env.istio.chartRepository, env.flex.chartRepository])].sort();
  return manifest<IAppProject>({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: env.argocd.project, namespace: env.argocd.namespace, labels: environmentLabels(env) },
    spec: {
      description: `flexmesh environment ${env.name}: Flex Gateway in the Istio mesh`,
      sourceRepos: repos,
      destinations: namespaces.map((namespace) => ({ server: env.argocd.destination.server, namespace })),
      clusterResourceWhitelist: CLUSTER_KINDS,
    },
  });
}

export const HEALTH_CHECK_KEY = 'resource.customizations.health.argoproj.io_Application';

/** A merge patch for argocd-cm (applied once, by hand: see the bundle README). */
export function applicationHealthPatch(env: Environment, lua: string): Manifest {
  return manifest<IConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: env.argocd.namespace }, data: { [HEALTH_CHECK_KEY]: lua } });
}

export function argocdFiles(env: Environment, lua: string, extra: readonly ChildApp[] = []): BundleFile[] {
  const apps = childApps(env, extra);
  return [
    { path: `${DIRS.bootstrap}/argocd-cm-application-health.yaml`, documents: [applicationHealthPatch(env, lua)] },
    { path: `${DIRS.bootstrap}/appproject.yaml`, documents: [appProject(env, apps)] },
    { path: `${DIRS.bootstrap}/root-application.yaml`, documents: [rootApplication(env)] },
    ...apps.map((app) => ({ path: `${DIRS.apps}/${String(app.wave).padStart(2, '0')}-${app.key}.yaml`, documents: [childApplication(env, app)] })),
  ];
}
