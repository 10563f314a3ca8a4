// The environment's topology, resolved once after schema validation: every namespace, release, Service, port, pod
// label, Application and API route the bundle uses. Builders, rules, the README and the probes read it instead of
// re-deriving names from the raw environment, so a value changed in the environment reaches every place at once.
// Resolution is total on any schema-valid environment (rules report what is inconsistent; nothing here throws).
import type { ClusterRef, Credential, Environment } from '../env/types.ts';
import { BOOKINFO_DEPLOYMENTS, BOOKINFO_PORT, BOOKINFO_SERVICES, SLEEP, VERSIONED_APP } from './bookinfo-catalog.ts';
import { resolveApis, type ResolvedApi } from './apis.ts';
import { resolveApiManager, type DesiredState } from './api-manager.ts';
import { applicationSlots, type AppSlot } from './applications.ts';
import { FLEX_CHART, GATEWAY_CHART, ISTIOD } from './charts.ts';
import { serviceRef, type ServiceRef } from './service-ref.ts';

export type { ResolvedApi } from './apis.ts';
export type { AppSlot } from './applications.ts';
export type { ServiceRef } from './service-ref.ts';

export interface Topology {
  env: Environment;
  /** The environment file and its bases (`extends`), relative to the project root; undefined when built from one text. */
  sources?: string[];
  name: string;
  gitops: { repoURL: string; targetRevision: string; path: string };
  argocd: { namespace: string; project: string; cluster: ClusterRef; destination: ClusterRef; remoteDestination: boolean };
  istio: {
    namespace: string;
    gateway: { release: string; podLabels: Record<string, string>; service: ServiceRef; deployment: string; serverPort: number };
    istiod: { service: ServiceRef; deployment: string };
  };
  flex: { namespace: string; release: string; port: number; service: ServiceRef; podLabels: Record<string, string>; container: string; deployment: string };
  namespaces: {
    bookinfo: string;
    test: string;
    /** Created by the bundle with sidecar injection, in a fixed order. */
    mesh: string[];
    /** Used by the bundle without being created: Argo CD's, Argo Workflows', namespaces.preExisting. */
    preExisting: string[];
  };
  bookinfo: { namespace: string; services: Record<string, ServiceRef>; deployments: string[]; excludedDeployments: string[] };
  sleep: { namespace: string; service: ServiceRef; deployment: string; podLabels: Record<string, string>; container: string };
  apis: ResolvedApi[];
  northSouth?: ResolvedApi;
  eastWest: ResolvedApi[];
  /** Credentials some basic-auth policy uses, in the order of `credentials`. */
  usedCredentials: Credential[];
  /** Connected Mode: what the reconcile Job makes API Manager equal to; undefined in Local Mode. */
  apiManager?: DesiredState;
  lockdown: { enabled: boolean; allowFrom: string[] };
  applications: { root: string; children: AppSlot[] };
  verification: { enabled: boolean; namespace: string; workflowTemplate: string; serviceAccount: string; probeConfigMap: string };
}

function sameCluster(a: ClusterRef, b: ClusterRef): boolean {
  return a.server === b.server && a.name === b.name;
}

export function resolveTopology(env: Environment): Topology {
  const istioNamespace = env.istio.namespace;
  const gatewayRelease = env.istio.ingressGateway.releaseName;
  const flexService = serviceRef(FLEX_CHART.serviceName(env.flex.releaseName), env.flex.namespace, env.flex.port);
  const bookinfoNamespace = env.namespaces.bookinfo;
  const services = Object.fromEntries(BOOKINFO_SERVICES.map((name) => [name, serviceRef(name, bookinfoNamespace, BOOKINFO_PORT)]));
  const excluded = new Set<string>(env.samples.bookinfo.excludeVersions);
  const isExcluded = (deployment: (typeof BOOKINFO_DEPLOYMENTS)[number]) => deployment.app === VERSIONED_APP && excluded.has(deployment.version);
  const sleep = { namespace: env.namespaces.test, service: serviceRef(SLEEP.service, env.namespaces.test, SLEEP.port), deployment: SLEEP.deployment, podLabels: { ...SLEEP.podLabels }, container: SLEEP.container };
  const used = new Set(env.apis.flatMap((api) => api.policies.flatMap((policy) => (policy.type === 'basic-auth' ? [policy.credentials] : []))));
  const apis = resolveApis(env, flexService);
  const usedCredentials = env.credentials.filter((credential) => used.has(credential.name));
  const cluster = env.argocd.cluster;
  return {
    env,
    name: env.name,
    gitops: { repoURL: env.gitops.repoURL, targetRevision: env.gitops.targetRevision, path: env.gitops.path ?? `out/${env.name}` },
    argocd: { namespace: env.argocd.namespace, project: env.argocd.project ?? `flexmesh-${env.name}`, cluster, destination: env.argocd.destination, remoteDestination: !sameCluster(cluster, env.argocd.destination) },
    istio: {
      namespace: istioNamespace,
      gateway: {
        release: gatewayRelease,
        podLabels: GATEWAY_CHART.podLabels(gatewayRelease),
        service: serviceRef(GATEWAY_CHART.serviceName(gatewayRelease), istioNamespace, env.istio.ingressGateway.port),
        deployment: GATEWAY_CHART.deploymentName(gatewayRelease),
        serverPort: env.istio.ingressGateway.port,
      },
      istiod: { service: serviceRef(ISTIOD.service, istioNamespace, ISTIOD.webhookPort), deployment: ISTIOD.deployment },
    },
    flex: {
      namespace: env.flex.namespace,
      release: env.flex.releaseName,
      port: env.flex.port,
      service: flexService,
      podLabels: FLEX_CHART.podLabels(env.flex.releaseName),
      container: FLEX_CHART.container,
      deployment: FLEX_CHART.deploymentName(env.flex.releaseName),
    },
    namespaces: {
      bookinfo: bookinfoNamespace,
      test: env.namespaces.test,
      mesh: [...new Set([env.flex.namespace, bookinfoNamespace, env.namespaces.test])],
      preExisting: [...new Set([env.argocd.namespace, env.verification.namespace, ...env.namespaces.preExisting])],
    },
    bookinfo: {
      namespace: bookinfoNamespace,
      services,
      deployments: BOOKINFO_DEPLOYMENTS.filter((deployment) => !isExcluded(deployment)).map((deployment) => deployment.name),
      excludedDeployments: BOOKINFO_DEPLOYMENTS.filter(isExcluded).map((deployment) => deployment.name),
    },
    sleep,
    apis,
    northSouth: apis.find((api) => api.traffic === 'north-south'),
    eastWest: apis.filter((api) => api.traffic === 'east-west'),
    usedCredentials,
    apiManager: resolveApiManager(env, apis, usedCredentials),
    lockdown: { enabled: env.lockdown.enabled, allowFrom: env.lockdown.allowFromNamespaces ?? [env.flex.namespace, bookinfoNamespace] },
    applications: applicationSlots(env),
    verification: {
      enabled: env.verification.enabled,
      namespace: env.verification.namespace,
      workflowTemplate: `${env.name}-verify`,
      serviceAccount: `${env.name}-verification`,
      probeConfigMap: `${env.name}-verification-probes`,
    },
  };
}
