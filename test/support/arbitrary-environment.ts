// fast-check arbitrary of *valid* environment files: every knob of schemas/environment.schema.json, drawn so that
// shrinking goes towards the defaults (fc.option drops a field, constantFrom's first value is the default) and so that
// cross-references stay valid by construction (basic-auth picks an existing credential by index, a custom upstream
// namespace is declared pre-existing, at most one API is north-south, names and base paths are unique).
// Knobs the schema does not (yet) declare are left out: see `knob()` (the schema is read when this module loads).
// The YAML text is written with `yaml`'s stringify.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { anypoint, apiAssets } from './arbitrary-anypoint.ts';
import { defAt, enumAt, schemaAt, schemaHas, schemaRequires } from './property-schema.ts';

export interface ArbitraryEnvironment {
  /** The environment name (file environments/<name>.yaml). */
  name: string;
  /** The environment file's YAML text. */
  text: string;
}

export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const BOOKINFO_SERVICE_NAMES = ['productpage', 'details', 'reviews', 'ratings'] as const;

type Json = Record<string, unknown>;
const none = fc.constant(undefined);
const opt = <T>(arbitrary: fc.Arbitrary<T>, freq = 3) => fc.option(arbitrary, { nil: undefined, freq });
/** Mostly true (9 in 10); shrinks to true. */
const usually = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
/** Mostly false (4 in 5); shrinks to false. */
const rarely = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
/** Almost always false (19 in 20); shrinks to false. */
const seldom = fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

/** `arbitrary` when the schema declares `path`, nothing otherwise: add a knob here once the schema has it. */
function knob<T>(path: readonly string[], arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return schemaHas(path) ? arbitrary : none;
}

/** A DNS label: mostly from `pool` (its first entry is where shrinking lands), sometimes random. */
function label(...pool: [string, ...string[]]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/) });
}

const enumOf = <T>(path: readonly string[], fallback: readonly T[]) => fc.constantFrom(...enumAt(path, fallback));

const clusterRef = (remoteHosts: string[], names: [string, ...string[]], path: string[]) =>
  fc.oneof(
    fc.constant({ server: IN_CLUSTER }),
    fc.constantFrom(...remoteHosts).map((host) => ({ server: `https://${host}:6443` })),
    ...(schemaHas([...path, 'name']) ? [label(...names).map((name) => ({ name }))] : []),
  );

const gitops = fc.record({
  repoURL: fc.constantFrom('https://github.com/example-org/platform-gitops.git', 'git@github.com:acme/gitops.git', 'ssh://git@git.example.com/infra/gitops.git', 'https://gitlab.example.com/team/deploy'),
  targetRevision: opt(fc.constantFrom('main', 'HEAD', 'v1.2.3', 'release/2024-06')),
  path: schemaRequires(['gitops'], 'path')
    ? fc.constantFrom('out/dev', 'clusters/edge', 'bundles/mesh/prod')
    : opt(fc.oneof(fc.constantFrom('out/dev', 'clusters/edge', 'bundles/mesh/prod'), fc.stringMatching(/^[a-z][a-z0-9._-]{0,6}(\/[a-z0-9][a-z0-9._-]{0,6}){0,2}$/))),
});

const argocd = fc.record({
  version: opt(enumOf(['argocd', 'version'], ['v2.13.9'])),
  namespace: opt(label('argocd', 'gitops', 'argo-cd')),
  project: schemaRequires(['argocd'], 'project') ? label('flexmesh', 'platform') : opt(label('flexmesh', 'platform', 'mesh-team')),
  destination: opt(clusterRef(['10.0.0.12', 'prod.k8s.example.com', 'api.edge-1.example.net'], ['prod-eu', 'edge'], ['argocd', 'destination'])),
  cluster: knob(['argocd', 'cluster'], opt(clusterRef(['argocd-mgmt.example.com'], ['mgmt'], ['argocd', 'cluster']), 3)),
});

const istio = fc.record({
  version: opt(enumOf(['istio', 'version'], ['1.21.2'])),
  chartRepository: opt(fc.constantFrom('https://istio-release.storage.googleapis.com/charts', 'https://charts.example.com/istio')),
  namespace: opt(label('istio-system', 'mesh-system', 'istio')),
  ingressGateway: opt(fc.record({
    releaseName: opt(label('istio-ingress', 'istio-ingressgateway', 'ingress', 'edge-gw')),
    serviceType: opt(enumOf(['istio', 'ingressGateway', 'serviceType'], ['LoadBalancer', 'NodePort', 'ClusterIP'])),
    port: opt(enumOf(['istio', 'ingressGateway', 'port'], [80])),
  })),
});

const flex = fc.record({
  version: opt(enumOf(['flex', 'version'], ['1.7.0'])),
  chartRepository: opt(fc.constantFrom('https://flex-packages.anypoint.mulesoft.com/helm', 'https://charts.example.com/flex')),
  releaseName: opt(label('flex', 'flex-gw', 'gateway')),
  namespace: opt(label('flex', 'flex-gw', 'gateway')),
  mode: opt(enumOf(['flex', 'mode'], ['local', 'connected'])),
  // Any port; the sidecar's own (15000-15090) are a legitimate refusal.
  port: opt(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(8081, 8080, 8082, 9000) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 65535 }) })),
  registrationSecret: opt(label('flex-registration', 'flex-reg')),
  replicas: opt(fc.integer({ min: 1, max: 3 })),
});

const namespaces = fc.record({
  bookinfo: opt(label('bookinfo', 'books', 'shop')),
  test: opt(label('test', 'clients', 'qa')),
  preExisting: opt(fc.uniqueArray(label('monitoring', 'payments', 'legacy'), { maxLength: 3 })),
});

const credential = fc.record({
  name: label('ingress-users', 'partners', 'ops'),
  // Absent: <name>-basic-auth (distinct per credential); a shared name is a legitimate refusal when one is a demo Secret.
  secretName: opt(label('flex-basic-auth', 'partner-creds'), 4),
  usernameKey: opt(fc.constantFrom('username', 'user', 'login.name')),
  passwordKey: opt(fc.constantFrom('password', 'pass', 'secret_value')),
  insecureDemoUser: opt(fc.record({ username: fc.constantFrom('demo', 'alice'), password: fc.constantFrom('demo-password', 's3cret!') }), 3),
});

const logLevels = enumAt(['level'], ['INFO', 'WARN', 'ERROR', 'DEBUG'], defAt('messageLoggingPolicy', ['items', '[]', 'level']));
const logItem = fc.record({
  name: fc.constantFrom('Request', 'Response', 'Audit'),
  message: fc.constantFrom("#['> ' ++ attributes.method ++ ' ' ++ attributes.requestUri]", "#['< Status=' ++ attributes.statusCode]"),
  level: fc.constantFrom(...logLevels),
  conditional: opt(fc.constant("#[attributes.method == 'GET']"), 4),
  category: opt(fc.constantFrom('audit', 'flexmesh'), 4),
  firstSection: opt(fc.boolean()),
  secondSection: opt(fc.boolean()),
});

const rateLimiting = fc.record({
  order: opt(fc.nat(3)),
  rateLimits: fc.array(
    fc.record({
      maximumRequests: fc.oneof(fc.constantFrom(2, 5, 100), fc.integer({ min: 1, max: 1500 })),
      timePeriodInMilliseconds: fc.oneof(fc.constantFrom(60000, 1000, 10000), fc.integer({ min: 1, max: 3_600_000 })),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  exposeHeaders: opt(fc.boolean()),
  keySelector: opt(fc.constant("#[attributes.headers['x-client-id']]"), 4),
  clusterizable: opt(fc.boolean(), 4),
});

const upstream = fc.oneof(
  { weight: 16, arbitrary: fc.record({ kind: fc.constant('bookinfo' as const), service: fc.constantFrom(...BOOKINFO_SERVICE_NAMES), explicitNamespace: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sleep' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('other' as const), service: label('orders', 'inventory', 'httpbin'), namespace: opt(label('payments', 'legacy', 'orders')), port: fc.oneof(fc.constantFrom(80, 8080, 3000), fc.integer({ min: 1, max: 65535 })) }) },
);

const smoke = fc.record({
  path: fc.constantFrom('/reviews/0', '/health', '/api/v1/products/1', '/status/200', '/'),
  expectStatus: opt(fc.constantFrom(200, 204, 302)),
  expectBodyPattern: opt(fc.constantFrom('ok', '"id"', '^[{]')),
});

const api = fc.record({
  name: label('ingress', 'bookinfo-reviews', 'reviews', 'details-api', 'products', 'ratings'),
  basePath: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('/ingress/', '/bookinfo/reviews/', '/api/', '/details/') },
    { weight: 2, arbitrary: fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,7}$/), { minLength: 1, maxLength: 3 }).map((segments) => `/${segments.join('/')}/`) },
    { weight: 1, arbitrary: fc.constant('/') },
  ),
  northSouth: fc.boolean(),
  nestedBasePath: seldom,
  upstream,
  basicAuth: opt(fc.nat(2)),
  // basic-auth on an east-west route to a Service other Bookinfo Services call breaks Bookinfo: mostly not drawn.
  eastWestAuth: rarely,
  basicAuthOrder: opt(fc.nat(3), 4),
  logging: opt(fc.record({ order: opt(fc.nat(3)), items: fc.array(logItem, { minLength: 1, maxLength: 2 }) })),
  rateLimiting: opt(rateLimiting),
  permutation: fc.nat(5),
  smoke: knob(['apis', '[]', 'smoke'], opt(smoke)),
});

const lockdown = fc.record({
  enabled: opt(fc.boolean()),
  // Who may call Bookinfo besides Flex (left out rarely: the generator should then refuse or keep Flex out).
  allowFrom: opt(fc.record({ flex: usually, bookinfo: usually, others: fc.subarray(['test', 'monitoring'] as const) })),
});

const verification = fc.record({
  enabled: opt(fc.boolean()),
  argoWorkflowsVersion: opt(enumOf(['verification', 'argoWorkflowsVersion'], ['v3.6.19'])),
  namespace: opt(label('argo', 'workflows', 'verify', 'argocd')),
  probeImage: opt(fc.constantFrom('alpine/k8s:1.29.15', 'registry.example.com:5000/tools/probe:1.0')),
  credentialsSecret: opt(label('probe-basic-auth', 'flex-basic-auth')),
});

export const environmentParts = fc.record({
  name: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('dev', 'staging', 'prod-eu', 'qa') }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/) }),
  gitops,
  argocd: opt(argocd),
  kubernetes: opt(fc.record({ version: opt(enumOf(['kubernetes', 'version'], ['v1.29.0'])) })),
  istio: opt(istio),
  flex: opt(flex),
  namespaces: opt(namespaces),
  credentials: opt(fc.uniqueArray(credential, { maxLength: 3, selector: (entry) => entry.name }), 3),
  apis: fc.uniqueArray(api, { minLength: 1, maxLength: 5, selector: (entry) => entry.name }),
  lockdown: opt(lockdown),
  excludeVersions: opt(fc.subarray(enumAt<string>(['samples', 'bookinfo', 'excludeVersions', '[]'], ['v1', 'v2', 'v3']))),
  sleepSource: opt(enumOf(['samples', 'sleep', 'source'], ['vendored'])),
  bookinfoSource: opt(enumOf(['samples', 'bookinfo', 'source'], ['vendored'])),
  verification: opt(verification),
  anypoint: knob(['anypoint'], anypoint),
  apiAssets,
});
export type EnvironmentParts = typeof environmentParts extends fc.Arbitrary<infer T> ? T : never;

/** Removes undefined fields and the objects left empty, so the YAML only says what was drawn. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, item]) => [key, compact(item)] as const).filter(([, item]) => item !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

const PERMUTATIONS = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

/** The environment object the parts describe (cross-references resolved), before YAML. */
export function environmentOf(parts: EnvironmentParts): Json {
  const credentials = parts.credentials ?? [];
  // The anypoint block is required in Connected Mode and refused in Local Mode.
  const connected = parts.flex?.mode === 'connected';
  const flexNamespace = parts.flex?.namespace ?? 'flex';
  const bookinfoNamespace = parts.namespaces?.bookinfo ?? 'bookinfo';
  const testNamespace = parts.namespaces?.test ?? 'test';
  const known = new Set([flexNamespace, bookinfoNamespace, testNamespace, parts.istio?.namespace ?? 'istio-system', parts.argocd?.namespace ?? 'argocd', parts.verification?.namespace ?? 'argo']);
  const preExisting = [...(parts.namespaces?.preExisting ?? [])];
  const usedPaths = new Set<string>();
  const eastWestUpstreams = new Set<string>();
  let northSouthTaken = false;
  const apis = parts.apis.map((entry, index) => {
    // Equal base paths are a refusal, and so are nested ones (a request under the inner one matches both): both are
    // moved to a path of their own, except that nesting is sometimes kept to exercise that refusal.
    // "/" contains every path, so it is kept only for a lone API. The search is bounded: an earlier API kept on "/"
    // leaves no free path, and the environment is then (rightly) refused.
    const clashes = (path: string) => (path === '/' && parts.apis.length > 1 && !entry.nestedBasePath) || [...usedPaths].some((used) => used === path || (!entry.nestedBasePath && (used.startsWith(path) || path.startsWith(used))));
    let basePath = entry.basePath;
    for (let n = 1; n <= 5 && clashes(basePath); n++) basePath = `/${entry.name}${n > 1 ? `-${n}` : ''}/`;
    usedPaths.add(basePath);
    const traffic = entry.northSouth && !northSouthTaken ? 'north-south' : 'east-west';
    if (traffic === 'north-south') northSouthTaken = true;
    const up = entry.upstream;
    let upstreamJson: { service: string; namespace?: string; port: number };
    if (up.kind === 'bookinfo') {
      // Two east-west APIs on one Service would be two routes for one host (a legitimate refusal): take the next free one.
      let service: string = up.service;
      for (let shift = 1; traffic === 'east-west' && eastWestUpstreams.has(`${service}.${bookinfoNamespace}`) && shift < 4; shift++) {
        service = BOOKINFO_SERVICE_NAMES[(BOOKINFO_SERVICE_NAMES.indexOf(up.service) + shift) % 4]!;
      }
      upstreamJson = { service, namespace: up.explicitNamespace ? bookinfoNamespace : undefined, port: 9080 };
    } else if (up.kind === 'sleep') upstreamJson = { service: 'sleep', namespace: testNamespace, port: 80 };
    else upstreamJson = { service: up.service, namespace: up.namespace, port: up.port };
    if (traffic === 'east-west') eastWestUpstreams.add(`${upstreamJson.service}.${upstreamJson.namespace ?? bookinfoNamespace}`);
    if (up.kind === 'other' && up.namespace && !known.has(up.namespace) && !preExisting.includes(up.namespace)) preExisting.push(up.namespace);
    const wantsAuth = entry.basicAuth !== undefined && credentials.length > 0 && (traffic === 'north-south' || entry.eastWestAuth);
    const credentialName = wantsAuth ? credentials[entry.basicAuth! % credentials.length]!.name : undefined;
    const policies = [
      credentialName ? { type: 'basic-auth', order: entry.basicAuthOrder, credentials: credentialName } : undefined,
      entry.logging ? { type: 'message-logging', order: entry.logging.order, items: entry.logging.items } : undefined,
      entry.rateLimiting ? { type: 'rate-limiting', ...entry.rateLimiting } : undefined,
    ];
    const ordered = PERMUTATIONS[entry.permutation % PERMUTATIONS.length]!.map((i) => policies[i]).filter((policy) => policy !== undefined);
    const apiAsset = connected ? parts.apiAssets[index] : undefined;
    return { name: entry.name, basePath, traffic, upstream: upstreamJson, policies: ordered.length > 0 ? ordered : undefined, smoke: entry.smoke, apiAsset };
  });
  const allowFrom = parts.lockdown?.allowFrom;
  const allowFromNamespaces = allowFrom === undefined ? undefined : [...new Set([
    ...(allowFrom.flex ? [flexNamespace] : []),
    ...(allowFrom.bookinfo ? [bookinfoNamespace] : []),
    ...allowFrom.others.map((which) => (which === 'test' ? testNamespace : which)),
  ])];
  const { allowFrom: _allowFrom, ...lockdownRest } = parts.lockdown ?? {};
  return compact({
    apiVersion: enumAt(['apiVersion'], ['flexmesh/v1alpha1'])[0],
    kind: enumAt(['kind'], ['Environment'])[0],
    gitops: parts.gitops,
    argocd: parts.argocd,
    kubernetes: parts.kubernetes,
    istio: parts.istio,
    flex: parts.flex,
    anypoint: connected ? parts.anypoint : undefined,
    namespaces: { ...parts.namespaces, preExisting: preExisting.length > 0 || parts.namespaces?.preExisting ? preExisting : undefined },
    credentials: parts.credentials?.map((entry) => ({ ...entry, secretName: entry.secretName ?? `${entry.name}-basic-auth` })),
    apis,
    lockdown: { ...lockdownRest, allowFromNamespaces: allowFromNamespaces && allowFromNamespaces.length > 0 ? allowFromNamespaces : undefined },
    samples: { bookinfo: { source: parts.bookinfoSource, excludeVersions: parts.excludeVersions }, sleep: { source: parts.sleepSource } },
    verification: parts.verification,
  }) as Json;
}

/** Valid environments as `{ name, text }`; the schema file is read when this is called. */
export function arbitraryEnvironment(): fc.Arbitrary<ArbitraryEnvironment> {
  if (!schemaAt(['apis'])) throw new Error('schemas/environment.schema.json has no apis: is it the environment schema?');
  return environmentParts.map((parts) => ({ name: parts.name, text: stringify(environmentOf(parts)) }));
}
