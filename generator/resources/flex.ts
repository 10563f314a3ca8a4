// Flex Gateway: the chart's values and, in Local Mode, one ApiInstance per API with its policies.
// Credentials never appear here: policies name environment variables that the chart feeds from Secrets.
import type { Api, Credential, Environment, Policy } from '../env/types.ts';
import { DIRS, environmentLabels, objectFile } from './layout.ts';
import type { BundleFile, Manifest } from './types.ts';

export const FLEX_API_VERSION = 'gateway.mulesoft.com/v1alpha1';
/** Container of the Flex pod that runs the gateway (the tutorial's `kubectl exec -c app`). */
export const FLEX_CONTAINER = 'app';

// ASSUMPTION (tutorial): the chart names its Service after the release and labels pods app=<release>.
export function flexServiceName(env: Environment): string {
  return env.flex.releaseName;
}
export function flexPodLabels(env: Environment): { app: string } {
  return { app: env.flex.releaseName };
}

export const POLICY_NAMES = {
  'basic-auth': 'http-basic-authentication-flex',
  'message-logging': 'message-logging-flex',
  'rate-limiting': 'rate-limiting-flex',
} as const satisfies Record<Policy['type'], string>;

/** Environment variable names that carry one credential into the Flex container. */
export function credentialEnvNames(credential: Credential): { username: string; password: string } {
  const stem = `FLEXMESH_${credential.name.toUpperCase().replace(/-/g, '_')}`;
  return { username: `${stem}_USERNAME`, password: `${stem}_PASSWORD` };
}

function policyConfig(env: Environment, policy: Policy): Record<string, unknown> {
  switch (policy.type) {
    case 'basic-auth': {
      const credential = env.credentials.find((candidate) => candidate.name === policy.credentials)!;
      const names = credentialEnvNames(credential);
      return { username: `$${names.username}`, password: `$${names.password}` };
    }
    case 'message-logging':
      return {
        loggingConfiguration: policy.items.map((item) => ({
          itemName: item.name,
          itemData: {
            message: item.message,
            level: item.level,
            conditional: item.conditional,
            category: item.category,
            // The docs' defaults are false; writing only `true` keeps the tutorial's shape.
            firstSection: item.firstSection || undefined,
            secondSection: item.secondSection || undefined,
          },
        })),
      };
    case 'rate-limiting':
      return {
        rateLimits: policy.rateLimits.map((limit) => ({ maximumRequests: limit.maximumRequests, timePeriodInMilliseconds: limit.timePeriodInMilliseconds })),
        exposeHeaders: policy.exposeHeaders,
        keySelector: policy.keySelector,
        clusterizable: policy.clusterizable,
      };
  }
}

export function apiAddress(env: Environment, api: Api): string {
  return `http://0.0.0.0:${env.flex.port}${api.basePath}`;
}

export function apiInstance(env: Environment, api: Api): Manifest {
  return {
    apiVersion: FLEX_API_VERSION,
    kind: 'ApiInstance',
    metadata: { name: api.name, namespace: env.flex.namespace, labels: environmentLabels(env) },
    spec: {
      address: apiAddress(env, api),
      services: { [api.upstream.service]: { address: `http://${api.upstream.service}.${api.upstream.namespace}.svc:${api.upstream.port}` } },
      policies: api.policies.map((policy) => ({ policyRef: { name: POLICY_NAMES[policy.type] }, order: policy.order, config: policyConfig(env, policy) })),
    },
  };
}

/** Credentials that some API's basic-auth policy uses, in the order of `credentials`. */
export function usedCredentials(env: Environment): Credential[] {
  const used = new Set(env.apis.flatMap((api) => api.policies.flatMap((policy) => (policy.type === 'basic-auth' ? [policy.credentials] : []))));
  return env.credentials.filter((credential) => used.has(credential.name));
}

export function flexChartValues(env: Environment): Record<string, unknown> {
  const extraEnvs = usedCredentials(env).flatMap((credential) => {
    const names = credentialEnvNames(credential);
    return [
      { name: names.username, valueFrom: { secretKeyRef: { name: credential.secretName, key: credential.usernameKey } } },
      { name: names.password, valueFrom: { secretKeyRef: { name: credential.secretName, key: credential.passwordKey } } },
    ];
  });
  return {
    gateway: { mode: env.flex.mode, scope: 'Namespace' },
    registration: { secretName: env.flex.registrationSecret },
    service: { type: 'ClusterIP', http: { port: env.flex.port }, https: { enabled: false } },
    extraEnvs: extraEnvs.length > 0 ? extraEnvs : undefined,
  };
}

/** Connected Mode keeps APIs in API Manager, so only Local Mode ships ApiInstances. */
export function flexApiFiles(env: Environment): BundleFile[] {
  if (env.flex.mode !== 'local') return [];
  return env.apis.map((api) => ({ path: objectFile(DIRS.flexApis, 'ApiInstance', api.name), documents: [apiInstance(env, api)] }));
}

