// The tutorial's manual checks as probes, derived from the same Environment that built the bundle, so the
// expectations (paths, ports, limits, namespaces, Secret references) cannot drift from the configuration.
import type { Api, Environment, RateLimitingPolicy } from '../../env/types.ts';
import { FLEX_CONTAINER, flexPodLabels, flexServiceName } from '../flex.ts';
import { lockdownAllowedNamespaces } from '../istio.ts';
import { fqdn, meshNamespaces } from '../layout.ts';

export interface SecretRef { name: string; key: string }

export interface Probe {
  /** DAG task and template name. */
  name: string;
  /** File in templates/probes/. */
  script: string;
  description: string;
  dependsOn: string[];
  /** Environment variables with plain values; they become workflow parameters. */
  env: Record<string, string>;
  /** Environment variables read from a Secret in the verification namespace. */
  secretEnv: Record<string, SecretRef>;
  timeoutSeconds: number;
}

// Bookinfo's own endpoints, as the tutorial calls them.
export const BOOKINFO_PATHS = { products: '/api/v1/products/1', page: '/productpage', details: '/details/0' };

function labelSelector(labels: Record<string, string>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',');
}

function basicAuthSecret(env: Environment, api: Api): Record<string, SecretRef> {
  const policy = api.policies.find((candidate) => candidate.type === 'basic-auth');
  if (!policy || policy.type !== 'basic-auth') return {};
  const credential = env.credentials.find((candidate) => candidate.name === policy.credentials)!;
  const secret = env.verification.credentialsSecret ?? credential.secretName;
  return { BASIC_AUTH_USERNAME: { name: secret, key: credential.usernameKey }, BASIC_AUTH_PASSWORD: { name: secret, key: credential.passwordKey } };
}

function rateLimiting(api: Api): RateLimitingPolicy | undefined {
  return api.policies.find((policy): policy is RateLimitingPolicy => policy.type === 'rate-limiting');
}

export function gatewayUrl(env: Environment): string {
  const { releaseName, port } = env.istio.ingressGateway;
  return `http://${fqdn(releaseName, env.istio.namespace)}:${port}`;
}

/** `applications`: every Application the bundle syncs, the verification's own included. */
export function verificationProbes(env: Environment, applications: readonly string[]): Probe[] {
  const flex = { FLEX_NAMESPACE: env.flex.namespace, FLEX_SELECTOR: labelSelector(flexPodLabels(env)), FLEX_CONTAINER };
  const detailsUrl = `http://details.${env.namespaces.bookinfo}:9080${BOOKINFO_PATHS.details}`;
  const probes: Probe[] = [
    { name: 'argocd-apps', script: 'argocd-apps.sh', description: "this environment's Argo CD Applications are Synced and Healthy", dependsOn: [], env: { ARGOCD_NAMESPACE: env.argocd.namespace, APPLICATIONS: applications.join(' '), WAIT_SECONDS: '300', POLL_SECONDS: '10' }, secretEnv: {}, timeoutSeconds: 360 },
    { name: 'workloads-ready', script: 'workloads-ready.sh', description: `pods in ${meshNamespaces(env).join(', ')} are Ready with the istio-proxy sidecar`, dependsOn: ['argocd-apps'], env: { NAMESPACES: meshNamespaces(env).join(' '), SIDECAR_CONTAINER: 'istio-proxy' }, secretEnv: {}, timeoutSeconds: 120 },
  ];
  const northSouth = env.apis.find((api) => api.traffic === 'north-south');
  const auth = northSouth ? basicAuthSecret(env, northSouth) : {};
  if (northSouth) {
    probes.push({
      name: 'north-south',
      script: 'north-south.sh',
      description: `through the ingress gateway: ${Object.keys(auth).length ? '401 without credentials, ' : ''}200 with JSON from ${BOOKINFO_PATHS.products}, 200 from ${BOOKINFO_PATHS.page}`,
      dependsOn: ['workloads-ready'],
      env: { GATEWAY_URL: gatewayUrl(env), EXPECT_AUTH: String(Object.keys(auth).length > 0), PRODUCTS_PATH: BOOKINFO_PATHS.products, PAGE_PATH: BOOKINFO_PATHS.page },
      secretEnv: auth,
      timeoutSeconds: 120,
    });
  }
  const eastWest = env.apis.filter((api) => api.traffic === 'east-west');
  const logged = northSouth ? eastWest.filter((api) => api.policies.some((policy) => policy.type === 'message-logging')) : [];
  for (const api of logged) {
    probes.push({
      name: `east-west-log-${api.name}`,
      script: 'east-west-log.sh',
      description: `after a ${BOOKINFO_PATHS.page} call, Flex's log holds the message-logging line of API ${api.name} (${api.basePath})`,
      dependsOn: ['north-south'],
      env: { GATEWAY_URL: gatewayUrl(env), PAGE_PATH: BOOKINFO_PATHS.page, ...flex, API_NAME: api.name, API_BASE_PATH: api.basePath, LOG_SINCE: '120s' },
      secretEnv: auth,
      timeoutSeconds: 120,
    });
  }
  for (const api of eastWest) {
    const policy = rateLimiting(api);
    const limit = policy?.rateLimits[0];
    if (!policy || !limit) continue;
    const afterLog = logged.some((candidate) => candidate.name === api.name) ? [`east-west-log-${api.name}`] : ['workloads-ready'];
    probes.push({
      name: `rate-limit-${api.name}`,
      script: 'rate-limit.sh',
      description: `${limit.maximumRequests + 1} calls to API ${api.name} within ${limit.timePeriodInMilliseconds} ms: the last is 429${policy.exposeHeaders ? ` with x-ratelimit-limit ${limit.maximumRequests}` : ''}`,
      dependsOn: afterLog,
      env: { API_URL: `http://${fqdn(flexServiceName(env), env.flex.namespace)}:${env.flex.port}${api.basePath}`, MAXIMUM_REQUESTS: String(limit.maximumRequests), EXPECT_HEADERS: String(policy.exposeHeaders) },
      secretEnv: {},
      timeoutSeconds: 120,
    });
  }
  if (env.lockdown.enabled && !lockdownAllowedNamespaces(env).includes(env.namespaces.test)) {
    probes.push({
      name: 'lockdown',
      script: 'lockdown.sh',
      description: `from the sleep pod in ${env.namespaces.test}, ${detailsUrl} is refused with 403 "RBAC: access denied"`,
      dependsOn: ['workloads-ready'],
      env: { FROM_NAMESPACE: env.namespaces.test, FROM_SELECTOR: 'app=sleep', FROM_CONTAINER: 'sleep', TARGET_URL: detailsUrl, EXPECT_STATUS: '403', EXPECT_BODY: 'RBAC: access denied' },
      secretEnv: {},
      timeoutSeconds: 120,
    });
  }
  probes.push({
    name: 'flexctl-check',
    script: 'flexctl-check.sh',
    description: `flexctl check http ${detailsUrl} from the Flex pod reports ok`,
    dependsOn: ['workloads-ready'],
    env: { ...flex, TARGET_URL: detailsUrl },
    secretEnv: {},
    timeoutSeconds: 120,
  });
  return probes;
}
