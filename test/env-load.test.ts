// Loading an environment file: every problem is reported as `file:line:col: path: problem (expected)`,
// pointing at the spot to edit; valid files get the schema's documented defaults.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { formatDiagnostic, InputError } from '../generator/diagnostics.ts';
import { readFileSync as readSchemaFile } from 'node:fs';

const environmentSchema = JSON.parse(readSchemaFile(new URL('../schemas/environment.schema.json', import.meta.url), 'utf8')) as unknown;
import { parseEnvironment, parseTopology, parseYaml } from '../generator/env/load.ts';
import { parseChain } from '../generator/env/extends.ts';
import { simpleMapping } from '../generator/env/simple-mapping.ts';
import { DEV_FILE, devText, generateCommitted } from './support/fixtures.ts';

// Line numbers in the expected messages refer to this text.
const BASE = `apiVersion: flexmesh/v1alpha1
kind: Environment
gitops:
  repoURL: https://example.com/gitops.git
  path: out/dev
flex:
  releaseName: flex
  mode: local
  port: 8081
credentials:
  - name: users
    secretName: flex-basic-auth
apis:
  - name: ingress
    basePath: /ingress/
    traffic: north-south
    upstream: { service: productpage, port: 9080 }
    policies:
      - type: basic-auth
        credentials: users
  - name: reviews
    basePath: /reviews/
    traffic: east-west
    upstream: { service: reviews, port: 9080 }
`;

/** BASE with each [from, to] replacement applied once; a `from` that is missing is a broken test. */
function edited(...replacements: Array<[string, string]>): string {
  return replacements.reduce((text, [from, to]) => {
    assert.ok(text.includes(from), `fixture does not contain ${JSON.stringify(from)}`);
    return text.replace(from, to);
  }, BASE);
}

function messagesFor(text: string): string[] {
  try {
    parseEnvironment(text, DEV_FILE);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.equal(error.message, error.diagnostics.map(formatDiagnostic).join('\n'));
    return error.diagnostics.map(formatDiagnostic);
  }
  assert.fail('the environment was accepted');
}

const F = DEV_FILE;
const DNS = 'expected a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

const CASES: Array<{ name: string; edits: Array<[string, string]>; messages: string[] }> = [
  { name: 'unknown key, with did-you-mean', edits: [['  releaseName: flex', '  relaseName: flex']], messages: [`${F}:7:3: flex.relaseName: unknown field "relaseName" (did you mean "releaseName"?)`] },
  {
    name: 'unknown key, far from every field',
    edits: [['  port: 8081', '  port: 8081\n  colour: blue']],
    messages: [`${F}:10:3: flex.colour: unknown field "colour" (allowed fields: version, chartRepository, releaseName, namespace, mode, port, replicas, registrationSecret)`],
  },
  { name: 'unknown top-level key', edits: [['credentials:', 'credential:']], messages: [`${F}:10:1: credential: unknown field "credential" (did you mean "credentials"?)`] },
  { name: 'wrong type', edits: [['  port: 8081', '  port: "8081"']], messages: [`${F}:9:9: flex.port: "8081" has the wrong type (expected integer)`] },
  { name: 'wrong type: map for list', edits: [['credentials:\n  - name: users\n    secretName: flex-basic-auth', 'credentials: { name: users }']], messages: [`${F}:10:14: credentials: object {"name":"users"} has the wrong type (expected array)`] },
  { name: 'null value', edits: [['  path: out/dev', '  path:']], messages: [`${F}:5:8: gitops.path: null has the wrong type (expected string)`] },
  { name: 'bad enum, with did-you-mean', edits: [['  mode: local', '  mode: lokal']], messages: [`${F}:8:9: flex.mode: "lokal" is not allowed (one of local, connected; did you mean "local"?)`] },
  { name: 'bad enum, no close value', edits: [['  mode: local', '  mode: cloud']], messages: [`${F}:8:9: flex.mode: "cloud" is not allowed (one of local, connected)`] },
  { name: 'bad enum in a list item', edits: [['traffic: east-west', 'traffic: eastwest']], messages: [`${F}:23:14: apis[1].traffic: "eastwest" is not allowed (one of north-south, east-west; did you mean "east-west"?)`] },
  { name: 'wrong constant', edits: [['apiVersion: flexmesh/v1alpha1', 'apiVersion: flexmesh/v1']], messages: [`${F}:1:13: apiVersion: "flexmesh/v1" is not allowed (must be "flexmesh/v1alpha1")`] },
  { name: 'bad pattern: DNS label', edits: [['  releaseName: flex', '  releaseName: Flex_GW']], messages: [`${F}:7:16: flex.releaseName: "Flex_GW" is not valid (${DNS})`] },
  { name: 'too long DNS label', edits: [['  releaseName: flex', `  releaseName: ${'a'.repeat(64)}`]], messages: [`${F}:7:16: flex.releaseName: "${'a'.repeat(64)}" is too long (at most 63 characters)`] },
  { name: 'bad pattern: basePath', edits: [['/ingress/', 'ingress/']], messages: [`${F}:15:15: apis[0].basePath: "ingress/" is not valid (expected a path that starts and ends with "/", e.g. /ingress/)`] },
  { name: 'bad pattern: repoURL', edits: [['https://example.com/gitops.git', 'example.com/gitops.git']], messages: [`${F}:4:12: gitops.repoURL: "example.com/gitops.git" is not valid (expected a Git URL starting with https://, http://, ssh:// or git@)`] },
  { name: 'port out of range', edits: [['port: 9080 }\n    policies', 'port: 0 }\n    policies']], messages: [`${F}:17:45: apis[0].upstream.port: number 0 is out of range (at least 1)`] },
  { name: 'empty list', edits: [[BASE.slice(BASE.indexOf('apis:')), 'apis: []\n']], messages: [`${F}:13:7: apis: array [] is too short (at least 1 item(s))`] },
  { name: 'missing required field', edits: [['    secretName: flex-basic-auth\n', '']], messages: [`${F}:11:5: credentials[0]: missing required field "secretName" (add secretName)`] },
  { name: 'missing required top-level field', edits: [['kind: Environment\n', '']], messages: [`${F}:1:1: (root): missing required field "kind" (add kind)`] },
  { name: 'YAML syntax error', edits: [['  mode: local', '  mode: local: x']], messages: [`${F}:8:9: (yaml): Nested mappings are not allowed in compact mappings (fix the YAML syntax)`] },
  { name: 'duplicate key', edits: [['  mode: local\n', '  mode: local\n  mode: connected\n']], messages: [`${F}:9:3: (yaml): Map keys must be unique (fix the YAML syntax)`] },
  {
    name: 'unknown policy type, with did-you-mean',
    edits: [['type: basic-auth', 'type: basic-auht']],
    messages: [`${F}:19:15: apis[0].policies[0].type: policy type "basic-auht" is unknown (one of basic-auth, message-logging, rate-limiting; did you mean "basic-auth"?)`],
  },
  { name: 'policy without type', edits: [['      - type: basic-auth\n        credentials', '      - credentials']], messages: [`${F}:19:9: apis[0].policies[0].type: policy type is missing (one of basic-auth, message-logging, rate-limiting)`] },
  { name: 'unknown key inside a policy', edits: [['        credentials: users', '        credentials: users\n        realm: x']], messages: [`${F}:21:9: apis[0].policies[0].realm: unknown field "realm" (allowed fields: type, order, credentials)`] },
  { name: 'undefined credentials reference', edits: [['credentials: users', 'credentials: user']], messages: [`${F}:20:22: apis[0].policies[0].credentials: credentials "user" are not defined (one of users)`] },
  { name: 'duplicate API name', edits: [['  - name: reviews', '  - name: ingress']], messages: [`${F}:21:11: apis[1].name: API name "ingress" is used twice (also at apis[0]; names must be unique)`] },
  { name: 'duplicate base path', edits: [['/reviews/', '/ingress/']], messages: [`${F}:22:15: apis[1].basePath: base path "/ingress/" is used twice on port 8081 (also at apis[0]; give each API its own base path)`] },
  {
    name: 'second north-south API',
    edits: [['traffic: east-west', 'traffic: north-south']],
    messages: [`${F}:23:14: apis[1].traffic: a second north-south API (the ingress gateway sends all traffic to one API (apis[0]); make this one east-west)`],
  },
  {
    name: 'duplicate credentials name',
    edits: [['    secretName: flex-basic-auth\n', '    secretName: flex-basic-auth\n  - name: users\n    secretName: other\n']],
    messages: [`${F}:13:11: credentials[1].name: credentials name "users" is used twice (also at credentials[0])`],
  },
  {
    name: 'the same policy twice on one API',
    edits: [['        credentials: users\n', '        credentials: users\n      - type: basic-auth\n        credentials: users\n']],
    messages: [`${F}:21:15: apis[0].policies[1].type: policy "basic-auth" is applied twice (merge it with policies[0])`],
  },
  {
    name: 'several schema errors in one file, in line order',
    edits: [['  releaseName: flex', '  relaseName: flex'], ['  port: 8081', '  port: "8081"'], ['traffic: east-west', 'traffic: eastwest']],
    messages: [
      `${F}:7:3: flex.relaseName: unknown field "relaseName" (did you mean "releaseName"?)`,
      `${F}:9:9: flex.port: "8081" has the wrong type (expected integer)`,
      `${F}:23:14: apis[1].traffic: "eastwest" is not allowed (one of north-south, east-west; did you mean "east-west"?)`,
    ],
  },
  {
    name: 'several rule violations in one file, in line order',
    edits: [['credentials: users', 'credentials: user'], ['  - name: reviews', '  - name: ingress'], ['traffic: east-west', 'traffic: north-south']],
    messages: [
      `${F}:20:22: apis[0].policies[0].credentials: credentials "user" are not defined (one of users)`,
      `${F}:21:11: apis[1].name: API name "ingress" is used twice (also at apis[0]; names must be unique)`,
      `${F}:23:14: apis[1].traffic: a second north-south API (the ingress gateway sends all traffic to one API (apis[0]); make this one east-west)`,
    ],
  },
];

describe('environment loading', () => {
  it('accepts the base fixture and the committed dev.yaml', () => {
    assert.equal(parseEnvironment(BASE, DEV_FILE).name, 'dev');
    assert.equal(parseEnvironment(devText(), DEV_FILE).apis.length, 2);
  });

  describe('reports bad input as file:line:col: path: problem (expected)', () => {
    for (const { name, edits, messages } of CASES) {
      it(name, () => assert.deepEqual(messagesFor(edited(...edits)), messages));
    }
  });

  it('names the file it was given, and the environment after it', () => {
    assert.match(messagesFor(edited(['  mode: local', '  mode: lokal']))[0]!, /^environments\/dev\.yaml:8:9: /);
    assert.equal(parseEnvironment(BASE, 'environments/staging-eu.yaml').name, 'staging-eu');
  });

  it('applies the documented defaults to a minimal file (apiVersion, kind, gitops, apis)', () => {
    const minimal = `apiVersion: flexmesh/v1alpha1
kind: Environment
gitops: { repoURL: "git@example.com:org/gitops.git", path: out/min }
apis:
  - { name: ingress, basePath: /ingress/, traffic: north-south, upstream: { service: productpage, port: 9080 } }
`;
    assert.deepEqual(parseEnvironment(minimal, 'environments/min.yaml'), {
      name: 'min',
      apiVersion: 'flexmesh/v1alpha1',
      kind: 'Environment',
      gitops: { repoURL: 'git@example.com:org/gitops.git', targetRevision: 'HEAD', path: 'out/min' },
      argocd: { version: 'v2.13.9', namespace: 'argocd', cluster: { server: 'https://kubernetes.default.svc' }, destination: { server: 'https://kubernetes.default.svc' } },
      kubernetes: { version: 'v1.29.0' },
      istio: {
        version: '1.21.2',
        chartRepository: 'https://istio-release.storage.googleapis.com/charts',
        namespace: 'istio-system',
        ingressGateway: { releaseName: 'istio-ingress', serviceType: 'LoadBalancer', port: 80 },
      },
      flex: {
        version: '1.7.0',
        chartRepository: 'https://flex-packages.anypoint.mulesoft.com/helm',
        releaseName: 'flex',
        namespace: 'flex',
        mode: 'local',
        port: 8081,
        registrationSecret: 'flex-registration',
      },
      namespaces: { bookinfo: 'bookinfo', test: 'test', preExisting: [] },
      credentials: [],
      apis: [{ name: 'ingress', basePath: '/ingress/', traffic: 'north-south', upstream: { service: 'productpage', port: 9080 }, policies: [] }],
      lockdown: { enabled: true },
      samples: { bookinfo: { source: 'vendored', excludeVersions: ['v2', 'v3'] }, sleep: { source: 'vendored' } },
      verification: { enabled: true, argoWorkflowsVersion: 'v3.6.19', namespace: 'argo', probeImage: 'alpine/k8s:1.29.15' },
    });
  });

  it('derived defaults (project, gitops path, upstream namespace) are resolved from the environment, not literals', () => {
    const minimal = `apiVersion: flexmesh/v1alpha1
kind: Environment
gitops: { repoURL: "git@example.com:org/gitops.git" }
namespaces: { bookinfo: store }
apis:
  - { name: ingress, basePath: /ingress/, traffic: north-south, upstream: { service: productpage, port: 9080 } }
`;
    const topology = parseTopology(minimal, 'environments/shop-eu.yaml');
    assert.equal(topology.gitops.path, 'out/shop-eu');
    assert.equal(topology.argocd.project, 'flexmesh-shop-eu');
    assert.deepEqual(topology.apis[0]!.upstream, { name: 'productpage', namespace: 'store', port: 9080, host: 'productpage.store.svc.cluster.local' });
    assert.deepEqual(topology.lockdown.allowFrom, ['flex', 'store']);
  });

  it('applies defaults inside list items (credential keys, policy flags)', () => {
    const env = parseEnvironment(
      edited(['        credentials: users\n', '        credentials: users\n      - type: rate-limiting\n        rateLimits: [{ maximumRequests: 1, timePeriodInMilliseconds: 1000 }]\n']),
      DEV_FILE,
    );
    assert.deepEqual(env.credentials, [{ name: 'users', secretName: 'flex-basic-auth', usernameKey: 'username', passwordKey: 'password' }]);
    assert.deepEqual(env.apis[0]!.policies[1], { type: 'rate-limiting', rateLimits: [{ maximumRequests: 1, timePeriodInMilliseconds: 1000 }], exposeHeaders: false });
  });

  it('dev.yaml round-trips: the loaded environment, written back, loads to the same value', () => {
    const env = parseEnvironment(devText(), DEV_FILE);
    const { name, ...written } = env;
    assert.equal(name, 'dev');
    assert.deepEqual(parseEnvironment(stringify(written), DEV_FILE), env);
    // With defaults applied every top-level section of the schema is present: types.ts and the schema are in step.
    // anypoint alone has no default: it exists only in Connected Mode (staging.yaml round-trips it below).
    assert.deepEqual(Object.keys(written).sort(), Object.keys((environmentSchema as { properties: object }).properties).filter((key) => key !== 'anypoint').sort());
  });

  it('staging.yaml (Connected Mode) round-trips, anypoint defaults applied', () => {
    const { env } = generateCommitted('staging').topology;
    const { name, ...written } = env;
    assert.equal(name, 'staging');
    assert.deepEqual(parseEnvironment(stringify(written), 'environments/staging.yaml'), env);
    assert.deepEqual(Object.keys(written).sort(), Object.keys((environmentSchema as { properties: object }).properties).sort());
    assert.deepEqual([env.anypoint!.driftCheck, env.anypoint!.policyAssets, env.anypoint!.connectedApp.clientIdKey], [{ schedule: '0 * * * *', suspend: false }, {}, 'client_id']);
  });
});

describe('parseYaml: simple texts read without the yaml library', () => {
  const diagnostics = (run: () => unknown): string[] => {
    try {
      run();
    } catch (error) {
      if (error instanceof InputError) return error.diagnostics.map(formatDiagnostic);
      throw error;
    }
    return [];
  };
  // Each overlay is simple; the same text with a last comment of non-ASCII is not, so the library reads it, and the
  // diagnostics of the two must be the same (the library parses a simple text when a diagnostic needs a position).
  const overlays: Array<[string, string]> = [
    ['a bad cluster URL', 'extends: _base.yaml\nargocd:\n  destination:\n    server: not-a-url\n'],
    ['an unknown key, deep', 'extends: _base.yaml\nflex:\n  # the gateway\n  surprise: 1\n'],
    ['a value out of range', 'extends: _base.yaml\nflex:\n  port: 80810\n'],
    ['a required key removed', 'extends: _base.yaml\ngitops:\n  repoURL: null\n'],
    ['a map where a string belongs', 'extends: _base.yaml\ngitops:\n  path:\n    deeper: x\n'],
  ];
  for (const [what, overlay] of overlays) {
    it(`${what}: the same diagnostics, at the same line and column, as through the library`, () => {
      assert.notEqual(simpleMapping(overlay), undefined);
      assert.equal(simpleMapping(`${overlay}# é\n`), undefined);
      const chain = (text: string) => () => parseChain([{ file: 'environments/qa.yaml', text }, { file: 'environments/_base.yaml', text: devText() }]);
      const fast = diagnostics(chain(overlay));
      assert.ok(fast.length > 0);
      assert.deepEqual(fast, diagnostics(chain(`${overlay}# é\n`)));
    });
  }

  it('answers get as Document.get does: a scalar, nothing, or the node of a map (which readChain reports)', () => {
    for (const text of ['extends: _base.yaml\n', 'flex:\n  port: 1\n', 'extends:\n  file: _base.yaml\n', 'extends:\n']) {
      assert.notEqual(simpleMapping(text), undefined);
      const library = parseYaml(`${text}# é\n`, 'library.yaml').get('extends');
      assert.equal(JSON.stringify(parseYaml(text, 'simple.yaml').get('extends')), JSON.stringify(library), text);
    }
  });

  it('hands out a fresh copy of the data at each call, for simple and library-read texts alike', () => {
    for (const text of ['a:\n  b: x\n', 'a:\n  b: [x]\n']) {
      const parsed = parseYaml(text, `copies-${text.length}.yaml`);
      const first = parsed.toJS() as { a: { b: unknown; c?: number } };
      first.a.c = 1;
      assert.deepEqual(parsed.toJS(), { a: { b: first.a.b } });
      assert.notEqual(parsed.toJS(), parsed.toJS());
    }
  });

  it('keeps an own __proto__ key of a library-read text as an own key in every copy', () => {
    const copy = parseYaml('__proto__:\n  polluted: 1\n', 'proto.yaml').toJS() as object;
    assert.deepEqual(Object.keys(copy), ['__proto__']);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });
});
