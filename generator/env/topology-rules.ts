// Environments the schema accepts but a cluster would not run as written: each rule names the field to change and why.
// They read the resolved topology, so defaults (an upstream's namespace, say) are judged as the builders will use them.
import { BOOKINFO_CALLERS, BOOKINFO_PORT, BOOKINFO_SERVICES, SLEEP, VERSIONED_APP, type BookinfoService } from '../model/bookinfo-catalog.ts';
import { reconcileNames } from '../model/api-manager.ts';
import type { Topology } from '../model/topology.ts';
import type { RuleViolation } from './rules.ts';

/** Ports Envoy itself binds in an injected pod (Istio's "ports used by Istio" list); Flex cannot listen on them. */
export const ENVOY_RESERVED_PORTS: readonly number[] = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];

type Check = (topology: Topology) => RuleViolation[];

const flexPort: Check = ({ flex }) =>
  ENVOY_RESERVED_PORTS.includes(flex.port)
    ? [{ path: ['flex', 'port'], problem: `port ${flex.port} is bound by the istio-proxy sidecar in every injected pod`, expected: `a port outside ${ENVOY_RESERVED_PORTS.join(', ')}, e.g. 8081` }]
    : [];

const namespaceRoles: Check = ({ env, istio, flex, namespaces, argocd, verification }) => {
  const violations: RuleViolation[] = [];
  const mesh: Array<[string[], string, string]> = [
    [['flex', 'namespace'], flex.namespace, 'Flex Gateway'],
    [['namespaces', 'bookinfo'], namespaces.bookinfo, 'Bookinfo'],
    [['namespaces', 'test'], namespaces.test, 'the sleep test client'],
  ];
  for (const [path, namespace, what] of mesh) {
    if (namespace === istio.namespace) violations.push({ path, problem: `${what} would share the Istio namespace "${namespace}"`, expected: 'its own namespace: the bundle labels it istio-injection=enabled, which Istio\'s own namespace must not carry' });
    for (const [other, label] of [[argocd.namespace, 'Argo CD'], [verification.namespace, 'the verification (Argo Workflows)']] as const) {
      if (namespace === other) violations.push({ path, problem: `${what} would share the namespace "${namespace}" of ${label}`, expected: `another namespace: sidecar injection there would also inject ${label}'s own pods` });
    }
  }
  if (namespaces.test === namespaces.bookinfo) {
    violations.push({ path: ['namespaces', 'test'], problem: `the test namespace equals the Bookinfo namespace "${namespaces.bookinfo}"`, expected: 'a namespace of its own: the lockdown is proven by a call from outside Bookinfo\'s namespace' });
  }
  if (env.verification.enabled && [istio.namespace].includes(verification.namespace)) {
    violations.push({ path: ['verification', 'namespace'], problem: `the verification namespace equals the Istio namespace "${istio.namespace}"`, expected: 'the namespace Argo Workflows runs in, e.g. argo' });
  }
  return violations;
};

const upstreams: Check = ({ apis, bookinfo, sleep }) =>
  apis.flatMap((api, index) => {
    const { name, namespace, port } = api.upstream;
    const known =
      namespace === bookinfo.namespace && (BOOKINFO_SERVICES as readonly string[]).includes(name) ? BOOKINFO_PORT
      : namespace === sleep.namespace && name === SLEEP.service ? SLEEP.port
      : undefined;
    if (known === undefined) {
      return [{ path: ['apis', index, 'upstream'], problem: `Service ${namespace}/${name} is not deployed by this bundle`, expected: `one of ${BOOKINFO_SERVICES.map((service) => `${bookinfo.namespace}/${service}`).join(', ')} (port ${BOOKINFO_PORT}) or ${sleep.namespace}/${SLEEP.service} (port ${SLEEP.port}); routes and probes can only be checked against Services flexmesh deploys` }];
    }
    return port === known ? [] : [{ path: ['apis', index, 'upstream', 'port'], problem: `Service ${namespace}/${name} serves port ${known}, not ${port}`, expected: String(known) }];
  });

const eastWestHosts: Check = ({ apis }) => {
  const first = new Map<string, number>();
  return apis.flatMap((api, index) => {
    if (api.traffic !== 'east-west') return [];
    const seen = first.get(api.upstream.host);
    if (seen === undefined) return (first.set(api.upstream.host, index), []);
    return [{ path: ['apis', index, 'upstream'], problem: `a second east-west API for ${api.upstream.host}`, expected: `apis[${seen}] already routes that Service through Flex; Istio would merge two VirtualServices for one host unpredictably` }];
  });
};

// Bookinfo sends no credentials on its own calls, so basic-auth in front of a Service it calls breaks Bookinfo itself.
const bookinfoCallsUnauthenticated: Check = ({ apis, bookinfo }) =>
  apis.flatMap((api, index) => {
    if (api.traffic !== 'east-west' || !api.basicAuth || api.upstream.namespace !== bookinfo.namespace) return [];
    const callers = (BOOKINFO_CALLERS[api.upstream.name as BookinfoService] ?? []).filter((caller) => bookinfo.deployments.includes(caller));
    if (callers.length === 0) return [];
    const policy = api.policies.findIndex((candidate) => candidate.type === 'basic-auth');
    return [{ path: ['apis', index, 'policies', policy], problem: `basic-auth on east-west API ${api.name} would refuse the calls ${callers.join(', ')} make to ${api.upstream.name} without credentials`, expected: 'no basic-auth on this API (keep it on the north-south API), or an upstream Bookinfo does not call' }];
  });

// All APIs share Flex's port, and a base path that contains another makes requests under the inner one ambiguous.
const nestedBasePaths: Check = ({ apis }) =>
  apis.flatMap((api, index) => {
    const outer = apis.findIndex((other, otherIndex) => otherIndex !== index && api.basePath !== other.basePath && api.basePath.startsWith(other.basePath));
    return outer < 0 ? [] : [{ path: ['apis', index, 'basePath'], problem: `base path ${api.basePath} lies under ${apis[outer]!.basePath} of apis[${outer}] on the same Flex port`, expected: 'base paths that do not contain one another: a request under the inner one would match both APIs' }];
  });

const reviewsRemain: Check = ({ bookinfo }) =>
  bookinfo.deployments.some((name) => name.startsWith(`${VERSIONED_APP}-`))
    ? []
    : [{ path: ['samples', 'bookinfo', 'excludeVersions'], problem: 'every reviews version is excluded', expected: 'keep at least one of v1, v2, v3: productpage calls reviews, which would have no pod' }];

const lockdownAdmits: Check = ({ lockdown, flex, bookinfo }) => {
  if (!lockdown.enabled) return [];
  const path = ['lockdown', 'allowFromNamespaces'];
  return [
    ...(lockdown.allowFrom.includes(flex.namespace) ? [] : [{ path, problem: `Flex's namespace "${flex.namespace}" is not admitted`, expected: `add ${flex.namespace}: every API call reaches Bookinfo from Flex` }]),
    ...(lockdown.allowFrom.includes(bookinfo.namespace) ? [] : [{ path, problem: `Bookinfo's own namespace "${bookinfo.namespace}" is not admitted`, expected: `add ${bookinfo.namespace}: productpage calls details and reviews directly` }]),
  ];
};

// Istio matches sourceLabels and Gateway selectors in every namespace, so pod labels of different workloads must differ.
const podLabels: Check = ({ flex, istio }) => {
  const taken: string[] = [...BOOKINFO_SERVICES, SLEEP.service];
  return [
    ...(taken.includes(flex.release) || flex.release === istio.gateway.release
      ? [{ path: ['flex', 'releaseName'], problem: `release "${flex.release}" gives Flex's pods the label app=${flex.release}, which other pods of the bundle carry`, expected: `a name other than ${[...taken, istio.gateway.release].join(', ')}: the east-west routes let pods with that label bypass Flex` }]
      : []),
    ...(taken.includes(istio.gateway.release) || istio.gateway.release === istio.istiod.deployment
      ? [{ path: ['istio', 'ingressGateway', 'releaseName'], problem: `release "${istio.gateway.release}" collides with a workload of the same name`, expected: `a name other than ${[...taken, istio.istiod.deployment].join(', ')}, e.g. istio-ingress` }]
      : []),
  ];
};

const credentialSecrets: Check = ({ env, usedCredentials }) => {
  const violations: RuleViolation[] = [];
  const shared = env.verification.enabled ? env.verification.credentialsSecret : undefined;
  const keyOwners = new Map<string, string>();
  for (const credential of shared ? usedCredentials : []) {
    for (const key of [credential.usernameKey, credential.passwordKey]) {
      const owner = keyOwners.get(key);
      if (owner && owner !== credential.name) violations.push({ path: ['verification', 'credentialsSecret'], problem: `Secret ${shared} would hold key "${key}" for both "${owner}" and "${credential.name}"`, expected: 'distinct usernameKey/passwordKey per credentials entry, or drop credentialsSecret so each probe reads its own Secret' });
      keyOwners.set(key, credential.name);
    }
  }
  env.credentials.forEach((credential, index) => {
    if (!credential.insecureDemoUser) return;
    const clash = env.credentials.findIndex((other, otherIndex) => otherIndex !== index && other.secretName === credential.secretName);
    if (clash >= 0 && clash < index) violations.push({ path: ['credentials', index, 'secretName'], problem: `demo Secret "${credential.secretName}" is also named by credentials[${clash}]`, expected: 'a Secret name of its own: the bundle writes this Secret whole' });
    if (credential.secretName === env.flex.registrationSecret) violations.push({ path: ['credentials', index, 'secretName'], problem: `demo Secret "${credential.secretName}" is the Flex registration Secret`, expected: 'another name' });
  });
  return violations;
};

// Application names become the app.kubernetes.io/instance label of everything they sync: 63 characters at most.
const nameLengths: Check = ({ name, applications, argocd, apiManager }) => {
  const longest = [applications.root, ...applications.children.map((app) => app.name)].reduce((a, b) => (b.length > a.length ? b : a));
  return [
    ...(longest.length > 63 ? [{ path: [], problem: `environment name "${name}" makes the Application name ${longest} (${longest.length} characters)`, expected: `a file name of at most ${63 - (longest.length - name.length)} characters: Application names are label values, at most 63` }] : []),
    ...(argocd.project.length > 63 ? [{ path: ['argocd', 'project'], problem: `the AppProject name ${argocd.project} has ${argocd.project.length} characters`, expected: 'at most 63: set argocd.project' }] : []),
    ...reconcileNameLengths(name, apiManager !== undefined),
  ];
};

// Kubernetes adds an 11-character suffix to a CronJob's Jobs, so CronJob names have at most 52; Job names 63 (a label).
function reconcileNameLengths(name: string, connected: boolean): RuleViolation[] {
  if (!connected) return [];
  const names = reconcileNames(name);
  const tooLong = [{ what: 'CronJob', value: names.cronJob, max: 52 }, { what: 'Job', value: names.job, max: 63 }].filter((entry) => entry.value.length > entry.max);
  return tooLong.map((entry) => ({ path: [], problem: `environment name "${name}" makes the ${entry.what} ${entry.value} (${entry.value.length} characters)`, expected: `a file name of at most ${entry.max - (entry.value.length - name.length)} characters in Connected Mode` }));
}

const CHECKS: readonly Check[] = [nameLengths, flexPort, namespaceRoles, upstreams, eastWestHosts, nestedBasePaths, bookinfoCallsUnauthenticated, reviewsRemain, lockdownAdmits, podLabels, credentialSecrets];

export function topologyRuleViolations(topology: Topology): RuleViolation[] {
  return CHECKS.flatMap((check) => check(topology));
}
