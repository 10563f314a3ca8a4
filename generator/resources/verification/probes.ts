// The tutorial's manual checks as probes, derived from the resolved topology that built the bundle, so every
// request, expectation and trigger comes from the API it checks. A probe that cannot be meaningful for this
// environment is left out with the reason, which the bundle README prints.
import type { ResolvedApi, Topology } from '../../model/topology.ts';
import { BOOKINFO_SERVICES, BOOKINFO_SMOKE, LOCKDOWN_TARGET } from '../../model/bookinfo-catalog.ts';
import { serviceUrl } from '../../model/service-ref.ts';
import { desiredStateSha256, reconcileNames } from '../../model/api-manager.ts';
import { NOT_RECONCILE_PODS } from '../api-manager.ts';
import { probeAccess, type Access } from './access.ts';

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
  /** Seconds before a retry: a probe of a rate-limited API waits out one window so its retry is not refused with 429. */
  retryBackoffSeconds: number;
  /** What its ServiceAccount may do, per namespace. */
  access: Access[];
}

export interface OmittedProbe { name: string; reason: string }
export interface ProbePlan { probes: Probe[]; omitted: OmittedProbe[] }

/** The rate-limit probe sends maximumRequests + 1 requests back to back; beyond this it would load the gateway. */
export const MAX_PROBE_BURST = 1000;
/** A fixed window shorter than this may close in the middle of the burst, and the last request is not refused. */
export const MIN_RATE_WINDOW_MS = 1000;
const DEFAULT_TIMEOUT = 120;
const DEFAULT_BACKOFF = 10;
/** How long argocd-apps polls, and how often. */
const ARGOCD_WAIT_SECONDS = 300;
const ARGOCD_POLL_SECONDS = 10;
/** probe-lib.sh's read_max_time default (CURL_MAX_TIME): the bound of each kubectl or curl call a probe makes. */
const CALL_MAX_SECONDS = 10;
/** Pod start and the probe's own checks, around its polling. */
const PROBE_SLACK_SECONDS = 30;

function selector(labels: Record<string, string>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',');
}

/** BASIC_AUTH_* from the Secret the probes read in their own namespace, when the API has basic-auth. */
export function credentialEnv(topology: Topology, api: ResolvedApi): Record<string, SecretRef> {
  const credential = topology.usedCredentials.find((candidate) => candidate.name === api.basicAuth);
  if (!credential) return {};
  const secret = topology.env.verification.credentialsSecret ?? credential.secretName;
  return { BASIC_AUTH_USERNAME: { name: secret, key: credential.usernameKey }, BASIC_AUTH_PASSWORD: { name: secret, key: credential.passwordKey } };
}

function backoffFor(api: ResolvedApi): number {
  return api.rateLimit ? Math.max(DEFAULT_BACKOFF, Math.ceil(api.rateLimit.timePeriodInMilliseconds / 1000)) : DEFAULT_BACKOFF;
}

function probe(topology: Topology, fields: Omit<Probe, 'timeoutSeconds' | 'retryBackoffSeconds' | 'secretEnv' | 'access'> & Partial<Probe>): Probe {
  return { timeoutSeconds: DEFAULT_TIMEOUT, retryBackoffSeconds: DEFAULT_BACKOFF, secretEnv: {}, ...fields, access: probeAccess(topology, fields.script) };
}

/** Requests a probe sends to an API before the rate-limit probe spends its quota. */
function withinQuota(api: ResolvedApi, requests: number): boolean {
  return !api.rateLimit || api.rateLimit.maximumRequests >= requests;
}

export function planProbes(topology: Topology): ProbePlan {
  const probes: Probe[] = [];
  const omitted: OmittedProbe[] = [];
  const { flex, sleep } = topology;
  const flexEnv = { FLEX_NAMESPACE: flex.namespace, FLEX_SELECTOR: selector(flex.podLabels), FLEX_CONTAINER: flex.container };
  const fromSleep = { FROM_NAMESPACE: sleep.namespace, FROM_SELECTOR: selector(sleep.podLabels), FROM_CONTAINER: sleep.container };
  const applications = topology.applications.children.map((app) => app.name);

  if (topology.argocd.remoteDestination) {
    omitted.push({ name: 'argocd-apps', reason: "the workloads run on another cluster than Argo CD, so the probes (running beside them) cannot read the Applications; check them with `argocd app list -l flexmesh.dev/environment=" + topology.name + '`' });
  } else {
    // The last poll may start just before the wait ends and ask for every Application, each call bounded.
    const timeoutSeconds = ARGOCD_WAIT_SECONDS + applications.length * CALL_MAX_SECONDS + PROBE_SLACK_SECONDS;
    probes.push(probe(topology, { name: 'argocd-apps', script: 'argocd-apps.sh', description: "this environment's Argo CD Applications are Synced and Healthy", dependsOn: [], env: { ARGOCD_NAMESPACE: topology.argocd.namespace, APPLICATIONS: applications.join(' '), WAIT_SECONDS: String(ARGOCD_WAIT_SECONDS), POLL_SECONDS: String(ARGOCD_POLL_SECONDS) }, timeoutSeconds }));
  }
  const reconcile = topology.apiManager && reconcileNames(topology.name);
  if (topology.apiManager && reconcile) {
    // Every behaviour probe runs after this one: in Connected Mode the routes and policies exist only once API Manager has them.
    probes.push(probe(topology, {
      name: 'api-manager-reconciled',
      script: 'api-manager-reconciled.sh',
      description: `the reconcile Job ${flex.namespace}/${reconcile.job} succeeded for this bundle's desired state: API Manager holds ${topology.apiManager.apis.map((api) => api.instanceLabel).join(', ')} with their policies, deployed to this gateway`,
      dependsOn: probes.map((entry) => entry.name),
      env: { JOB_NAMESPACE: flex.namespace, JOB_NAME: reconcile.job, EXPECT_SHA256: desiredStateSha256(topology.apiManager), WAIT_SECONDS: '300', POLL_SECONDS: '10' },
      timeoutSeconds: 360,
    }));
  }
  const deployments = [
    `${topology.istio.namespace}/${topology.istio.istiod.deployment}`,
    `${topology.istio.namespace}/${topology.istio.gateway.deployment}`,
    `${flex.namespace}/${flex.deployment}`,
    ...topology.bookinfo.deployments.map((name) => `${topology.bookinfo.namespace}/${name}`),
    `${sleep.namespace}/${sleep.deployment}`,
  ];
  probes.push(probe(topology, {
    name: 'workloads-ready',
    script: 'workloads-ready.sh',
    description: `Deployments ${deployments.join(', ')} have every replica ready, and pods in ${topology.namespaces.mesh.join(', ')} carry the istio-proxy sidecar`,
    dependsOn: probes.map((entry) => entry.name),
    env: { NAMESPACES: topology.namespaces.mesh.join(' '), SIDECAR_CONTAINER: 'istio-proxy', DEPLOYMENTS: deployments.join(' '), ...(reconcile ? { POD_SELECTOR: NOT_RECONCILE_PODS } : {}) },
  }));

  const requestProbes: string[] = [];
  const ns = topology.northSouth;
  if (ns && !ns.smoke) omitted.push({ name: 'north-south', reason: `API ${ns.name} has no smoke request (apis[].smoke) and its upstream is not a Bookinfo Service` });
  else if (ns?.smoke && !withinQuota(ns, ns.basicAuth ? 2 : 1)) omitted.push({ name: 'north-south', reason: `API ${ns.name} allows ${ns.rateLimit!.maximumRequests} request(s) per window, fewer than the probe sends` });
  else if (ns?.smoke) {
    const auth = credentialEnv(topology, ns);
    const expectations = { EXPECT_STATUS: String(ns.smoke.expectStatus), ...(ns.smoke.expectBodyPattern ? { EXPECT_BODY_PATTERN: ns.smoke.expectBodyPattern } : {}) };
    probes.push(probe(topology, {
      name: 'north-south',
      script: 'north-south.sh',
      description: `through the ingress gateway to API ${ns.name}: ${ns.basicAuth ? `GET ${ns.smoke.path} without credentials is 401 with WWW-Authenticate: Basic, then with credentials ` : `GET ${ns.smoke.path} `}returns ${ns.smoke.expectStatus}${ns.smoke.expectBodyPattern ? ' with the expected body' : ''}`,
      dependsOn: ['workloads-ready'],
      env: { GATEWAY_URL: serviceUrl(topology.istio.gateway.service), API_PATH: ns.smoke.path, EXPECT_AUTH: String(ns.basicAuth !== undefined), ...expectations },
      secretEnv: auth,
      retryBackoffSeconds: backoffFor(ns),
    }));
    requestProbes.push('north-south');
  }

  for (const api of topology.eastWest) {
    const name = `east-west-log-${api.name}`;
    if (!api.logging) omitted.push({ name, reason: `API ${api.name} has no message-logging policy, so its hop leaves no line in Flex's log` });
    else if (!api.smoke || !api.smokeHop) omitted.push({ name, reason: `API ${api.name} has no smoke request (apis[].smoke) and its upstream is not a Bookinfo Service` });
    else {
      probes.push(probe(topology, {
        name,
        script: 'east-west-log.sh',
        description: `GET ${api.upstream.host}:${api.upstream.port}${api.smoke.path} from the sleep pod in ${sleep.namespace} is routed through Flex: ${api.smoke.expectStatus}, and Flex logs the hop ${api.smokeHop} of API ${api.name} after the call`,
        dependsOn: ['workloads-ready'],
        env: { ...fromSleep, TRIGGER_URL: serviceUrl(api.upstream, api.smoke.path), EXPECT_STATUS: String(api.smoke.expectStatus), ...flexEnv, ...(topology.apiManager ? {} : { LOG_MATCH_API: `${api.name}.${flex.namespace}.svc` }), LOG_MATCH_PATH: api.smokeHop },
        secretEnv: credentialEnv(topology, api),
        retryBackoffSeconds: backoffFor(api),
      }));
      requestProbes.push(name);
    }
  }

  for (const api of topology.apis) {
    const limit = api.rateLimit;
    if (!limit) continue;
    const name = `rate-limit-${api.name}`;
    if (!api.smoke) omitted.push({ name, reason: `API ${api.name} has no smoke request (apis[].smoke) and its upstream is not a Bookinfo Service` });
    else if (limit.maximumRequests > MAX_PROBE_BURST) omitted.push({ name, reason: `exhausting ${limit.maximumRequests} requests per window would take a burst of more than ${MAX_PROBE_BURST} requests` });
    else if (limit.timePeriodInMilliseconds < MIN_RATE_WINDOW_MS) omitted.push({ name, reason: `a window of ${limit.timePeriodInMilliseconds} ms may close during the burst, so a 429 is not certain` });
    else {
      const url = `${api.flexUrl}${api.smoke.path.replace(/^\//, '')}`;
      probes.push(probe(topology, {
        name,
        script: 'rate-limit.sh',
        description: `${limit.maximumRequests + 1} calls to ${url} within ${limit.timePeriodInMilliseconds} ms: the last is 429${limit.exposeHeaders ? ` with x-ratelimit-limit ${limit.maximumRequests}` : ''}`,
        // After every request probe: its burst would make their calls to this API 429 for one window.
        dependsOn: requestProbes.length > 0 ? [...requestProbes] : ['workloads-ready'],
        env: { API_URL: url, MAXIMUM_REQUESTS: String(limit.maximumRequests), EXPECT_HEADERS: String(limit.exposeHeaders) },
        secretEnv: credentialEnv(topology, api),
        retryBackoffSeconds: backoffFor(api),
      }));
    }
  }

  const lockdown = lockdownTarget(topology);
  if (!topology.lockdown.enabled) omitted.push({ name: 'lockdown', reason: 'lockdown.enabled is false: Bookinfo accepts calls from every namespace' });
  else if (topology.lockdown.allowFrom.includes(sleep.namespace)) omitted.push({ name: 'lockdown', reason: `lockdown.allowFromNamespaces admits ${sleep.namespace}, where the sleep client runs, so no refusal can be observed` });
  else if (!lockdown) omitted.push({ name: 'lockdown', reason: 'every Bookinfo Service is routed through Flex (an east-west API each), so no direct call can be made from the mesh' });
  else {
    probes.push(probe(topology, {
      name: 'lockdown',
      script: 'lockdown.sh',
      description: `from the sleep pod in ${sleep.namespace}, ${lockdown} is refused with 403 "RBAC: access denied"`,
      dependsOn: ['workloads-ready'],
      env: { ...fromSleep, TARGET_URL: lockdown, EXPECT_STATUS: '403', EXPECT_BODY: 'RBAC: access denied' },
    }));
  }
  // Flex's own calls bypass the east-west routes (sourceLabels), so details is reached directly whatever the APIs are.
  const flexctlTarget = serviceUrl(topology.bookinfo.services[LOCKDOWN_TARGET.service]!, LOCKDOWN_TARGET.path);
  probes.push(probe(topology, { name: 'flexctl-check', script: 'flexctl-check.sh', description: `flexctl check http ${flexctlTarget} from the Flex pod reports ok`, dependsOn: ['workloads-ready'], env: { ...flexEnv, TARGET_URL: flexctlTarget } }));
  return { probes, omitted };
}

/** A Bookinfo Service no east-west API routes through Flex: a call to it from the test namespace meets the AuthorizationPolicy. */
function lockdownTarget(topology: Topology): string | undefined {
  const routed = new Set(topology.eastWest.map((api) => api.upstream.host));
  const service = BOOKINFO_SERVICES.map((name) => topology.bookinfo.services[name]!).find((candidate) => !routed.has(candidate.host));
  if (!service) return undefined;
  return serviceUrl(service, BOOKINFO_SMOKE[service.name as keyof typeof BOOKINFO_SMOKE].path);
}

