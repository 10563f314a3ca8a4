// Prerequisites builder: the mesh namespaces with sidecar injection and, only on opt-in, the demo Secret.
import assert from 'node:assert/strict';
import { demoSecrets, prerequisiteFiles } from '../generator/resources/prerequisites.ts';
import type { Manifest } from '../generator/resources/types.ts';
import { devTopologyWith, type Edit } from './support/fixtures.ts';

const DEMO: Edit = [['credentials', 0, 'insecureDemoUser'], { username: 'max', password: 'mule' }];
const LABELS = { 'app.kubernetes.io/managed-by': 'flexmesh', 'flexmesh.dev/environment': 'dev' };

function files(...edits: Edit[]): Map<string, Manifest> {
  return new Map(prerequisiteFiles(devTopologyWith(...edits)).map((file) => [file.path, (file as { documents: Manifest[] }).documents[0]!]));
}

describe('prerequisites builder', () => {
  describe('files', () => {
    const NAMESPACES = ['manifests/prerequisites/namespace-flex.yaml', 'manifests/prerequisites/namespace-bookinfo.yaml', 'manifests/prerequisites/namespace-test.yaml'];
    const cases: Array<{ name: string; edits: Edit[]; paths: string[] }> = [
      { name: 'dev: the three mesh namespaces, no Secret', edits: [], paths: NAMESPACES },
      { name: 'insecureDemoUser: plus the demo Secret', edits: [DEMO], paths: [...NAMESPACES, 'manifests/prerequisites/secret-flex-basic-auth.yaml'] },
      {
        name: 'renamed namespaces',
        edits: [[['flex', 'namespace'], 'edge'], [['namespaces', 'bookinfo'], 'shop'], [['namespaces', 'test'], 'clients']],
        paths: ['manifests/prerequisites/namespace-edge.yaml', 'manifests/prerequisites/namespace-shop.yaml', 'manifests/prerequisites/namespace-clients.yaml'],
      },
      { name: 'a namespace shared by two roles is created once', edits: [[['namespaces', 'test'], 'flex']], paths: NAMESPACES.slice(0, 2) },
      {
        name: 'a demo user on credentials no API uses: no Secret',
        edits: [[['credentials', 1], { name: 'spare', secretName: 'spare', insecureDemoUser: { username: 'a', password: 'b' } }]],
        paths: NAMESPACES,
      },
    ];
    for (const { name, edits, paths } of cases) {
      it(name, () => assert.deepEqual([...files(...edits).keys()], paths));
    }
  });

  it('namespaces get sidecar injection and the environment labels', () => {
    for (const [path, doc] of files()) {
      assert.equal(doc.apiVersion, 'v1', path);
      assert.equal(doc.kind, 'Namespace', path);
      assert.equal(doc.metadata.namespace, undefined, path);
      assert.deepEqual(doc.metadata.labels, { ...LABELS, 'istio-injection': 'enabled' }, path);
    }
  });

  describe('demo Secret', () => {
    const cases: Array<{ name: string; edits: Edit[]; secret: Manifest }> = [
      {
        name: 'default keys, in the Flex namespace',
        edits: [DEMO],
        secret: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'flex-basic-auth', namespace: 'flex', labels: { ...LABELS, 'flexmesh.dev/insecure-demo': 'true' } },
          type: 'Opaque',
          stringData: { username: 'max', password: 'mule' },
        },
      },
      {
        name: 'custom keys and namespace',
        edits: [
          [['flex', 'namespace'], 'edge'],
          [['credentials', 0], { name: 'ingress-users', secretName: 'demo', usernameKey: 'u', passwordKey: 'p', insecureDemoUser: { username: 'max', password: 'mule' } }],
        ],
        secret: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'demo', namespace: 'edge', labels: { ...LABELS, 'flexmesh.dev/insecure-demo': 'true' } },
          type: 'Opaque',
          stringData: { u: 'max', p: 'mule' },
        },
      },
    ];
    for (const { name, edits, secret } of cases) {
      it(name, () => assert.deepEqual(demoSecrets(devTopologyWith(...edits)), [secret]));
    }

    it('without insecureDemoUser there is no Secret', () => {
      assert.deepEqual(demoSecrets(devTopologyWith()), []);
    });

    it('a demo user on credentials no API uses renders no Secret', () => {
      const env = devTopologyWith([['credentials', 1], { name: 'spare', secretName: 'spare', insecureDemoUser: { username: 'a', password: 'b' } }]);
      assert.equal(env.env.credentials[1]?.insecureDemoUser?.username, 'a');
      assert.deepEqual(demoSecrets(env), []);
    });
  });
});
