// Flex Gateway: the chart's values and, in Local Mode, one ApiInstance per API with its policies.
// Credentials never appear here: Local-Mode policies name environment variables that the chart feeds from Secrets.
import type { Policy } from '../env/types.ts';
import { credentialEnvNames, policyConfiguration } from '../model/policy-config.ts';
import type { ResolvedApi, Topology } from '../model/topology.ts';
import { DIRS, environmentLabels, objectFile } from './layout.ts';
import type { BundleFile, Manifest } from './types.ts';

export const FLEX_API_VERSION = 'gateway.mulesoft.com/v1alpha1';

export const POLICY_NAMES = {
  'basic-auth': 'http-basic-authentication-flex',
  'message-logging': 'message-logging-flex',
  'rate-limiting': 'rate-limiting-flex',
} as const satisfies Record<Policy['type'], string>;

/** Local Mode: Flex substitutes `$NAME` in a policy's config with the container's environment variable. */
function policyConfig(topology: Topology, policy: Policy): Record<string, unknown> {
  if (policy.type !== 'basic-auth') return policyConfiguration(policy);
  const credential = topology.usedCredentials.find((candidate) => candidate.name === policy.credentials)!;
  const names = credentialEnvNames(credential);
  return { username: `$${names.username}`, password: `$${names.password}` };
}

export function apiInstance(topology: Topology, api: ResolvedApi): Manifest {
  return {
    apiVersion: FLEX_API_VERSION,
    kind: 'ApiInstance',
    metadata: { name: api.name, namespace: topology.flex.namespace, labels: environmentLabels(topology) },
    spec: {
      address: api.listenAddress,
      // The tutorial's short form `<service>.<namespace>.svc`; the FQDN would work as well inside the cluster.
      services: { [api.upstream.name]: { address: `http://${api.upstream.name}.${api.upstream.namespace}.svc:${api.upstream.port}` } },
      policies: api.policies.map((policy) => ({ policyRef: { name: POLICY_NAMES[policy.type] }, order: policy.order, config: policyConfig(topology, policy) })),
    },
  };
}

export function flexChartValues(topology: Topology): Record<string, unknown> {
  const { env } = topology;
  // In Connected Mode API Manager holds the credentials (the reconcile Job sends them), so Flex reads none.
  const credentials = env.flex.mode === 'local' ? topology.usedCredentials : [];
  const extraEnvs = credentials.flatMap((credential) => {
    const names = credentialEnvNames(credential);
    return [
      { name: names.username, valueFrom: { secretKeyRef: { name: credential.secretName, key: credential.usernameKey } } },
      { name: names.password, valueFrom: { secretKeyRef: { name: credential.secretName, key: credential.passwordKey } } },
    ];
  });
  return {
    gateway: { mode: env.flex.mode, scope: 'Namespace' },
    replicaCount: env.flex.replicas,
    registration: { secretName: env.flex.registrationSecret },
    service: { type: 'ClusterIP', http: { port: env.flex.port }, https: { enabled: false } },
    extraEnvs: extraEnvs.length > 0 ? extraEnvs : undefined,
  };
}

/** Connected Mode keeps APIs in API Manager, so only Local Mode ships ApiInstances. */
export function flexApiFiles(topology: Topology): BundleFile[] {
  if (topology.env.flex.mode !== 'local') return [];
  return topology.apis.map((api) => ({ path: objectFile(DIRS.flexApis, 'ApiInstance', api.name), documents: [apiInstance(topology, api)] }));
}

