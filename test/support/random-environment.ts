// Random valid environments for property tests: every knob of the schema varied, written as YAML the way a user
// would. Values are drawn so most environments are coherent (distinct namespaces per role), while collisions and
// odd mixes still occur, so the rules' refusals are exercised too.
import fc from 'fast-check';
import { stringify } from 'yaml';

export interface RandomEnvironment { name: string; text: string; raw: Record<string, any> } // raw: the document as written

const label = (prefix: string) => fc.constantFrom('a', 'b', 'x', 'prod', 'eu-1').map((suffix) => `${prefix}-${suffix}`);
const BOOKINFO = [
  { service: 'productpage', port: 9080 },
  { service: 'details', port: 9080 },
  { service: 'reviews', port: 9080 },
  { service: 'ratings', port: 9080 },
];

const logging = fc.record({
  type: fc.constant('message-logging'),
  items: fc.constant([{ name: 'Request', message: "#[attributes.method ++ ' ' ++ attributes.requestUri]", level: 'INFO', firstSection: true }]),
});
const rateLimiting = fc.record({
  type: fc.constant('rate-limiting'),
  rateLimits: fc.array(fc.record({ maximumRequests: fc.integer({ min: 1, max: 1500 }), timePeriodInMilliseconds: fc.constantFrom(500, 1000, 10000, 60000, 600000) }), { minLength: 1, maxLength: 2 }),
  exposeHeaders: fc.boolean(),
});

/** One API per upstream: two east-west APIs for one Service are refused by a rule (tested on its own). */
function apiArbitrary(index: number, upstream: (typeof BOOKINFO)[number], credentialNames: readonly string[], bookinfoNamespace: string) {
  // Basic-auth in front of a Service Bookinfo calls is refused (tested on its own): mostly on the first API only.
  const authWeight = index === 0 ? 5 : 1;
  return fc.record({
    upstream: fc.constantFrom<Record<string, unknown>>(upstream, { ...upstream, namespace: bookinfoNamespace }),
    basicAuth: credentialNames.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...credentialNames), weight: authWeight }, { arbitrary: fc.constant(undefined), weight: 9 }) : fc.constant(undefined),
    logging: fc.option(logging, { nil: undefined }),
    rateLimiting: fc.option(rateLimiting, { nil: undefined }),
    smoke: fc.option(fc.record({ path: fc.constantFrom('/health', '/details/3', '/reviews/9'), expectStatus: fc.constantFrom(200, 204) }), { nil: undefined }),
    firstPath: fc.constantFrom('/shop/', '/v1/api/', '/ingress-x/'),
  }).map(({ upstream, basicAuth, logging: log, rateLimiting: limit, smoke, firstPath }) => ({
    name: `api-${index}`,
    basePath: index === 0 ? firstPath : `/p${index}/`,
    upstream,
    policies: [...(basicAuth ? [{ type: 'basic-auth', credentials: basicAuth }] : []), ...(log ? [log] : []), ...(limit ? [limit] : [])],
    ...(smoke ? { smoke } : {}),
  }));
}

export const randomEnvironment: fc.Arbitrary<RandomEnvironment> = fc
  .record({
    name: fc.constantFrom('dev', 'stage', 'prod-eu', 'team-a'),
    flexNamespace: fc.constantFrom('flex', 'gateways', 'api-gw'),
    bookinfoNamespace: fc.constantFrom('bookinfo', 'store', 'shop'),
    testNamespace: fc.constantFrom('test', 'clients', 'flex'),
    istioNamespace: fc.constantFrom('istio-system', 'mesh-system'),
    argocdNamespace: fc.constantFrom('argocd', 'gitops'),
    verificationNamespace: fc.constantFrom('argo', 'workflows'),
    gatewayRelease: fc.constantFrom('istio-ingress', 'edge', 'istio-public'),
    flexRelease: fc.constantFrom('flex', 'apigw', 'fgw'),
    flexPort: fc.oneof({ arbitrary: fc.constantFrom(8081, 9000, 30080), weight: 9 }, { arbitrary: fc.constant(15001), weight: 1 }),
    mode: fc.constantFrom('local', 'connected'),
    serviceType: fc.constantFrom('LoadBalancer', 'NodePort', 'ClusterIP'),
    destination: fc.constantFrom<object | undefined>(undefined, { server: 'https://edge.example.com:6443' }, { name: 'edge-1' }),
    path: fc.option(label('clusters'), { nil: undefined }),
    project: fc.option(label('proj'), { nil: undefined }),
    credentials: fc.uniqueArray(fc.constantFrom('users', 'partners', 'ops'), { maxLength: 3 }),
    demo: fc.boolean(),
    upstreams: fc.shuffledSubarray(BOOKINFO, { minLength: 1 }),
    northSouth: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
    lockdown: fc.boolean(),
    allowExtra: fc.option(label('ops'), { nil: undefined }),
    exclude: fc.subarray(['v1', 'v2', 'v3']),
    verification: fc.boolean(),
    credentialsSecret: fc.option(fc.constant('probe-credentials'), { nil: undefined }),
    preExisting: fc.subarray(['monitoring', 'ops-a']),
  })
  .chain((knobs) =>
    fc.tuple(...knobs.upstreams.map((upstream, index) => apiArbitrary(index, upstream, knobs.credentials, knobs.bookinfoNamespace))).map((apis) => ({ knobs, apis })),
  )
  .map(({ knobs, apis }) => {
    const raw: Record<string, any> = {
      apiVersion: 'flexmesh/v1alpha1',
      kind: 'Environment',
      gitops: { repoURL: 'https://git.example.com/org/gitops.git', targetRevision: 'main', ...(knobs.path ? { path: knobs.path } : {}) },
      argocd: { namespace: knobs.argocdNamespace, ...(knobs.project ? { project: knobs.project } : {}), ...(knobs.destination ? { destination: knobs.destination } : {}) },
      istio: { namespace: knobs.istioNamespace, ingressGateway: { releaseName: knobs.gatewayRelease, serviceType: knobs.serviceType } },
      flex: { releaseName: knobs.flexRelease, namespace: knobs.flexNamespace, mode: knobs.mode, port: knobs.flexPort, registrationSecret: `${knobs.flexRelease}-registration` },
      namespaces: { bookinfo: knobs.bookinfoNamespace, test: knobs.testNamespace, preExisting: knobs.preExisting },
      credentials: knobs.credentials.map((name, index) => ({
        name,
        secretName: `${name}-auth`,
        usernameKey: `user-${index}`,
        passwordKey: `pass-${index}`,
        ...(knobs.demo && index === 0 ? { insecureDemoUser: { username: 'demo', password: 'demo-secret-value' } } : {}),
      })),
      apis: apis.map((api, index) => ({ ...api, traffic: index === 0 && knobs.northSouth ? 'north-south' : 'east-west' })),
      lockdown: { enabled: knobs.lockdown, ...(knobs.allowExtra ? { allowFromNamespaces: [knobs.flexNamespace, knobs.bookinfoNamespace, ...knobs.preExisting.slice(0, 1)] } : {}) },
      samples: { bookinfo: { excludeVersions: knobs.exclude } },
      verification: { enabled: knobs.verification, namespace: knobs.verificationNamespace, ...(knobs.credentialsSecret ? { credentialsSecret: knobs.credentialsSecret } : {}) },
    };
    return { name: knobs.name, text: stringify(raw, { aliasDuplicateObjects: false }), raw };
  });
