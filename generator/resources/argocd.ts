// Argo CD: the root app-of-apps, the AppProject and the child Applications in sync-wave order, plus the argocd-cm
// health check without which waves do not wait for child Applications. Application CRs and the AppProject live on
// the Argo CD cluster (argocd.cluster); only the workloads go to argocd.destination, which may be another cluster.
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ClusterRef } from '../env/types.ts';
import type { AppKey, AppSlot } from '../model/applications.ts';
import type { Topology } from '../model/topology.ts';
import { gatewayValues, istioBaseValues, istiodValues } from './istio-charts.ts';
import { flexChartValues } from './flex.ts';
import { DIRS, environmentLabels, repoPath } from './layout.ts';
import { manifest } from './manifest.ts';
import type { BundleFile, Manifest } from './types.ts';

type Source = NonNullable<NonNullable<IApplication['spec']>['source']>;

const WEBHOOK_DRIFT = [
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.failurePolicy', '.webhooks[]?.clientConfig.caBundle'] },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
];
/** Istio's webhooks get failurePolicy and caBundle patched at run time; without ignoring them they never stay in sync. */
const IGNORES_WEBHOOK_DRIFT: ReadonlySet<AppKey> = new Set(['istio-base', 'istiod']);
const CREATES_NAMESPACE: ReadonlySet<AppKey> = new Set(['istio-base']);

function helmSource(repoURL: string, chart: string, version: string, releaseName: string, values: Record<string, unknown>): Source {
  return { repoURL, chart, targetRevision: version, helm: { releaseName, valuesObject: Object.keys(values).length > 0 ? values : undefined } };
}

function gitSource(topology: Topology, dir: string): Source {
  return { repoURL: topology.gitops.repoURL, targetRevision: topology.gitops.targetRevision, path: repoPath(topology, dir) };
}

export function applicationSource(topology: Topology, key: AppKey): Source {
  const { istio, flex } = topology.env;
  switch (key) {
    case 'prerequisites': return gitSource(topology, DIRS.prerequisites);
    case 'istio-base': return helmSource(istio.chartRepository, 'base', istio.version, 'istio-base', istioBaseValues(topology));
    case 'istiod': return helmSource(istio.chartRepository, 'istiod', istio.version, 'istiod', istiodValues(topology));
    case 'istio-ingress': return helmSource(istio.chartRepository, 'gateway', istio.version, topology.istio.gateway.release, gatewayValues(topology));
    case 'flex-gateway': return helmSource(flex.chartRepository, 'flex-gateway', flex.version, flex.releaseName, flexChartValues(topology));
    case 'bookinfo': return gitSource(topology, DIRS.bookinfo);
    case 'sleep': return gitSource(topology, DIRS.sleep);
    case 'mesh-routing': return gitSource(topology, DIRS.mesh);
    case 'flex-apis': return gitSource(topology, DIRS.flexApis);
    case 'verification': return gitSource(topology, DIRS.verification);
  }
}

function destination(cluster: ClusterRef, namespace: string) {
  return cluster.server !== undefined ? { server: cluster.server, namespace } : { name: cluster.name, namespace };
}

function syncPolicy(createNamespace: boolean, respectIgnoreDifferences: boolean) {
  const syncOptions = [...(createNamespace ? ['CreateNamespace=true'] : []), ...(respectIgnoreDifferences ? ['RespectIgnoreDifferences=true'] : [])];
  return {
    automated: { prune: true, selfHeal: true },
    syncOptions: syncOptions.length > 0 ? syncOptions : undefined,
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
  };
}

function application(topology: Topology, name: string, wave: number | undefined, spec: NonNullable<IApplication['spec']>): Manifest {
  return manifest<IApplication>({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: topology.argocd.namespace,
      labels: environmentLabels(topology),
      annotations: wave === undefined ? undefined : { 'argocd.argoproj.io/sync-wave': String(wave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec,
  });
}

export function childApplication(topology: Topology, app: AppSlot): Manifest {
  const ignoreDrift = IGNORES_WEBHOOK_DRIFT.has(app.key);
  return application(topology, app.name, app.wave, {
    project: topology.argocd.project,
    source: applicationSource(topology, app.key),
    destination: destination(topology.argocd.destination, app.namespace),
    ignoreDifferences: ignoreDrift ? WEBHOOK_DRIFT : undefined,
    syncPolicy: syncPolicy(CREATES_NAMESPACE.has(app.key), ignoreDrift),
  });
}

/** The root app creates the child Application CRs and the AppProject, so it deploys into Argo CD's own namespace and cluster. */
export function rootApplication(topology: Topology): Manifest {
  return application(topology, topology.applications.root, undefined, {
    project: topology.argocd.project,
    source: { ...gitSource(topology, DIRS.apps), directory: { recurse: false } },
    destination: destination(topology.argocd.cluster, topology.argocd.namespace),
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

/** Synced by the root app one wave before the children, so a change of namespaces or repos reaches Argo CD with the commit. */
export const APP_PROJECT_WAVE = -1;

export function appProject(topology: Topology): Manifest {
  const workloadNamespaces = [...new Set(topology.applications.children.map((app) => app.namespace))].sort();
  const repos = [...new Set([topology.gitops.repoURL, topology.env.istio.chartRepository, topology.env.flex.chartRepository])].sort();
  const destinations = [destination(topology.argocd.cluster, topology.argocd.namespace), ...workloadNamespaces.map((namespace) => destination(topology.argocd.destination, namespace))];
  const unique = [...new Map(destinations.map((entry) => [JSON.stringify(entry), entry])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
  return manifest<IAppProject>({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: topology.argocd.project, namespace: topology.argocd.namespace, labels: environmentLabels(topology), annotations: { 'argocd.argoproj.io/sync-wave': String(APP_PROJECT_WAVE) } },
    spec: {
      description: `flexmesh environment ${topology.name}: Flex Gateway in the Istio mesh`,
      sourceRepos: repos,
      destinations: unique,
      clusterResourceWhitelist: CLUSTER_KINDS,
    },
  });
}

export const HEALTH_CHECK_KEY = 'resource.customizations.health.argoproj.io_Application';

/** A merge patch for argocd-cm (applied once, by hand: see the bundle README). */
export function applicationHealthPatch(topology: Topology, lua: string): Manifest {
  return manifest<IConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: topology.argocd.namespace }, data: { [HEALTH_CHECK_KEY]: lua } });
}

export const APP_PROJECT_FILE = `${DIRS.apps}/appproject.yaml`;

export function argocdFiles(topology: Topology, lua: string): BundleFile[] {
  return [
    { path: `${DIRS.bootstrap}/argocd-cm-application-health.yaml`, documents: [applicationHealthPatch(topology, lua)] },
    { path: `${DIRS.bootstrap}/root-application.yaml`, documents: [rootApplication(topology)] },
    { path: APP_PROJECT_FILE, documents: [appProject(topology)] },
    ...topology.applications.children.map((app) => ({ path: `${DIRS.apps}/${String(app.wave).padStart(2, '0')}-${app.key}.yaml`, documents: [childApplication(topology, app)] })),
  ];
}
