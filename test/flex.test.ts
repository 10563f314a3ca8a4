// Flex builder: chart values and, in Local Mode, one ApiInstance per API with its policies.
// Credentials reach Flex only as environment variables fed from Secrets; no secret value is ever rendered.
import assert from 'node:assert/strict';
import { apiInstance, flexApiFiles, flexChartValues, POLICY_NAMES } from '../generator/resources/flex.ts';
import { credentialEnvNames } from '../generator/model/policy-config.ts';
import { connectedEdits } from './support/api-manager/connected.ts';
import { bundleWith, devTopologyWith, documentsOf, type Edit } from './support/fixtures.ts';

const CONNECTED = connectedEdits();
const ENV_REF = (name: string, key: string) => ({ secretKeyRef: { name, key } });

describe('flex builder', () => {
  describe('ApiInstance files', () => {
    const cases: Array<{ name: string; edits: Edit[]; files: string[] }> = [
      { name: 'local mode: one per API', edits: [], files: ['manifests/flex-apis/apiinstance-ingress.yaml', 'manifests/flex-apis/apiinstance-bookinfo-reviews.yaml'] },
      { name: 'connected mode: none (APIs live in API Manager)', edits: CONNECTED, files: [] },
      { name: 'renamed API', edits: [[['apis', 1, 'name'], 'reviews']], files: ['manifests/flex-apis/apiinstance-ingress.yaml', 'manifests/flex-apis/apiinstance-reviews.yaml'] },
    ];
    for (const { name, edits, files } of cases) {
      it(name, () => assert.deepEqual(flexApiFiles(devTopologyWith(...edits)).map((file) => file.path), files));
    }

    it('connected mode renders no ApiInstance anywhere in the bundle, and Flex reads no credential', () => {
      const bundle = bundleWith(...CONNECTED);
      assert.deepEqual([...bundle.keys()].filter((path) => path.includes('flex-apis/apiinstance')), []);
      for (const [path, content] of bundle) assert.doesNotMatch(content, /kind: ApiInstance/, path);
      assert.equal(flexChartValues(devTopologyWith(...CONNECTED)).extraEnvs, undefined, 'nothing in Connected-Mode Flex reads the credential variables');
      assert.doesNotMatch(bundle.get('apps/03-flex-gateway.yaml')!, /FLEXMESH_|secretKeyRef/);
    });
  });

  describe('ApiInstance shape', () => {
    const cases: Array<{ name: string; edits: Edit[]; address: string; namespace: string }> = [
      { name: 'dev', edits: [], address: 'http://0.0.0.0:8081/ingress/', namespace: 'flex' },
      { name: 'renamed namespace and port', edits: [[['flex', 'namespace'], 'edge'], [['flex', 'port'], 9000]], address: 'http://0.0.0.0:9000/ingress/', namespace: 'edge' },
      { name: 'nested base path', edits: [[['apis', 0, 'basePath'], '/api/v1/shop/']], address: 'http://0.0.0.0:8081/api/v1/shop/', namespace: 'flex' },
    ];
    for (const { name, edits, address, namespace } of cases) {
      it(`${name}: listens on ${address}`, () => {
        const env = devTopologyWith(...edits);
        const doc = apiInstance(env, env.apis[0]!);
        assert.equal(doc.apiVersion, 'gateway.mulesoft.com/v1alpha1');
        assert.equal(doc.kind, 'ApiInstance');
        assert.deepEqual(doc.metadata, { name: 'ingress', namespace, labels: { 'app.kubernetes.io/managed-by': 'flexmesh', 'flexmesh.dev/environment': 'dev' } });
        const spec = doc.spec as { address: string; services: unknown };
        assert.equal(spec.address, address);
        assert.deepEqual(spec.services, { productpage: { address: 'http://productpage.bookinfo.svc:9080' } });
      });
    }
  });

  it('policies keep their order and map to the Flex policy names with their config', () => {
    const env = devTopologyWith([['apis', 1, 'policies', 1, 'keySelector'], '#[attributes.headers.client]'], [['apis', 1, 'policies', 1, 'clusterizable'], false]);
    const spec = apiInstance(env, env.apis[1]!).spec as { policies: unknown[] };
    assert.deepEqual(JSON.parse(JSON.stringify(spec.policies)), [
      {
        policyRef: { name: 'message-logging-flex' },
        order: 0,
        config: {
          loggingConfiguration: [
            { itemName: 'Request', itemData: { message: env.env.apis[1]!.policies[0]!.type === 'message-logging' ? env.env.apis[1]!.policies[0]!.items[0]!.message : '', level: 'INFO', firstSection: true } },
            { itemName: 'Response', itemData: { message: env.env.apis[1]!.policies[0]!.type === 'message-logging' ? env.env.apis[1]!.policies[0]!.items[1]!.message : '', level: 'INFO', secondSection: true } },
          ],
        },
      },
      {
        policyRef: { name: 'rate-limiting-flex' },
        config: { rateLimits: [{ maximumRequests: 2, timePeriodInMilliseconds: 60000 }], exposeHeaders: true, keySelector: '#[attributes.headers.client]', clusterizable: false },
      },
    ]);
    assert.deepEqual(POLICY_NAMES, { 'basic-auth': 'http-basic-authentication-flex', 'message-logging': 'message-logging-flex', 'rate-limiting': 'rate-limiting-flex' });
  });

  describe('credentials become environment variables fed from Secrets', () => {
    const cases: Array<{ name: string; edits: Edit[]; secret: string; userKey: string; passKey: string; stem: string }> = [
      { name: 'dev', edits: [], secret: 'flex-basic-auth', userKey: 'username', passKey: 'password', stem: 'FLEXMESH_INGRESS_USERS' },
      {
        name: 'custom Secret keys and credentials name',
        edits: [
          [['credentials', 0], { name: 'shop-admins', secretName: 'admins', usernameKey: 'user.name', passwordKey: 'pass_word' }],
          [['apis', 0, 'policies', 0, 'credentials'], 'shop-admins'],
        ],
        secret: 'admins',
        userKey: 'user.name',
        passKey: 'pass_word',
        stem: 'FLEXMESH_SHOP_ADMINS',
      },
    ];
    for (const { name, edits, secret, userKey, passKey, stem } of cases) {
      it(name, () => {
        const env = devTopologyWith(...edits);
        assert.deepEqual(credentialEnvNames(env.env.credentials[0]!), { username: `${stem}_USERNAME`, password: `${stem}_PASSWORD` });
        assert.deepEqual(flexChartValues(env).extraEnvs, [
          { name: `${stem}_USERNAME`, valueFrom: ENV_REF(secret, userKey) },
          { name: `${stem}_PASSWORD`, valueFrom: ENV_REF(secret, passKey) },
        ]);
        const basicAuth = (apiInstance(env, env.apis[0]!).spec as { policies: Array<{ policyRef: { name: string }; config: unknown }> }).policies[0]!;
        assert.equal(basicAuth.policyRef.name, 'http-basic-authentication-flex');
        assert.deepEqual(basicAuth.config, { username: `$${stem}_USERNAME`, password: `$${stem}_PASSWORD` });
      });
    }

    it('credentials no policy uses add no environment variables; no basic-auth means no extraEnvs', () => {
      const unused = devTopologyWith([['credentials', 1], { name: 'spare', secretName: 'spare' }]);
      assert.equal(unused.env.credentials.length, 2);
      assert.equal((flexChartValues(unused).extraEnvs as unknown[]).length, 2);
      const none = devTopologyWith([['apis', 0, 'policies'], []]);
      assert.equal(flexChartValues(none).extraEnvs, undefined);
    });

    it('a demo password never reaches the Flex values, the ApiInstances, the README: only Secrets hold it', () => {
      const password = 'pw-9f2c-do-not-leak';
      const bundle = bundleWith([['credentials', 0, 'insecureDemoUser'], { username: 'max', password }]);
      const holders = [...bundle].filter(([, content]) => content.includes(password));
      assert.ok(holders.some(([path]) => path === 'manifests/prerequisites/secret-flex-basic-auth.yaml'));
      for (const [path, content] of holders) {
        assert.deepEqual(documentsOf(content).map((doc) => doc.kind), ['Secret'], `${path} holds the demo password`);
      }
    });

    it('without insecureDemoUser no Secret is rendered and no password-like value appears', () => {
      const bundle = bundleWith();
      for (const [path, content] of bundle) {
        assert.doesNotMatch(content, /^kind: Secret$/m, path);
        assert.doesNotMatch(content, /stringData:|password: (?!\$FLEXMESH_)/, path);
      }
    });
  });

  describe('chart values', () => {
    const cases: Array<{ name: string; edits: Edit[]; mode: string; port: number; registration: string }> = [
      { name: 'dev', edits: [], mode: 'local', port: 8081, registration: 'flex-registration' },
      { name: 'connected, other port and registration Secret', edits: [...CONNECTED, [['flex', 'port'], 9000], [['flex', 'registrationSecret'], 'reg']], mode: 'connected', port: 9000, registration: 'reg' },
    ];
    for (const { name, edits, mode, port, registration } of cases) {
      it(name, () => {
        const values = flexChartValues(devTopologyWith(...edits));
        assert.deepEqual(values.gateway, { mode, scope: 'Namespace' });
        assert.deepEqual(values.registration, { secretName: registration });
        assert.deepEqual(values.service, { type: 'ClusterIP', http: { port }, https: { enabled: false } });
      });
    }
  });

  it('the Flex Service and pod labels follow the release name', () => {
    const topology = devTopologyWith([['flex', 'releaseName'], 'fgw']);
    assert.deepEqual(topology.flex.service, { name: 'fgw', namespace: 'flex', port: 8081, host: 'fgw.flex.svc.cluster.local' });
    assert.deepEqual(topology.flex.podLabels, { app: 'fgw' });
  });

  describe('the upstream namespace defaults to namespaces.bookinfo, not to the literal "bookinfo"', () => {
    const cases: Array<{ name: string; edits: Edit[]; address: string }> = [
      { name: 'omitted, Bookinfo in store', edits: [[['namespaces', 'bookinfo'], 'store'], [['apis', 0, 'upstream', 'namespace'], undefined], [['apis', 1, 'upstream', 'namespace'], undefined], [['lockdown', 'allowFromNamespaces'], undefined]], address: 'http://productpage.store.svc:9080' },
      { name: 'given explicitly', edits: [[['namespaces', 'bookinfo'], 'store'], [['apis', 0, 'upstream', 'namespace'], 'store'], [['apis', 1, 'upstream', 'namespace'], 'store'], [['lockdown', 'allowFromNamespaces'], undefined]], address: 'http://productpage.store.svc:9080' },
    ];
    for (const { name, edits, address } of cases) {
      it(name, () => {
        const topology = devTopologyWith(...edits);
        const spec = apiInstance(topology, topology.apis[0]!).spec as { services: Record<string, { address: string }> };
        assert.equal(spec.services.productpage!.address, address);
      });
    }
  });
});
