// Istio builder: the ingress Gateway, the VirtualServices that route through Flex, the Bookinfo lockdown.
import assert from 'node:assert/strict';
import type { Topology } from '../generator/model/topology.ts';
import { bookinfoLockdown, gatewayPodLabels, meshRoutingFiles, NETWORKING_API, SECURITY_API } from '../generator/resources/istio.ts';
import type { Manifest } from '../generator/resources/types.ts';
import { devTopologyWith, type Edit } from './support/fixtures.ts';

type Spec = Record<string, any>; // specs are checked by deepEqual, so loose typing is enough

function mesh(env: Topology): Map<string, Manifest> {
  const files = meshRoutingFiles(env);
  for (const file of files) assert.ok('documents' in file && file.documents.length === 1, `${file.path} holds one document`);
  return new Map(files.map((file) => [file.path, (file as { documents: Manifest[] }).documents[0]!]));
}
const spec = (doc: Manifest | undefined): Spec => (assert.ok(doc, 'document missing'), doc.spec as Spec);

const NS_API: Edit = [['apis', 0, 'traffic'], 'east-west'];

describe('istio builder', () => {
  describe('files per environment', () => {
    const cases: Array<{ name: string; edits: Edit[]; files: string[] }> = [
      {
        name: 'dev',
        edits: [],
        files: [
          'manifests/mesh/gateway-flex-flex.yaml',
          'manifests/mesh/virtualservice-flex-flex.yaml',
          'manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml',
          'manifests/mesh/authorizationpolicy-bookinfo-flex-allow.yaml',
        ],
      },
      { name: 'no north-south API: no Gateway, no ingress route', edits: [NS_API], files: ['manifests/mesh/virtualservice-istio-system-ingress.yaml', 'manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml', 'manifests/mesh/authorizationpolicy-bookinfo-flex-allow.yaml'] },
      { name: 'lockdown disabled: no AuthorizationPolicy', edits: [[['lockdown', 'enabled'], false]], files: ['manifests/mesh/gateway-flex-flex.yaml', 'manifests/mesh/virtualservice-flex-flex.yaml', 'manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml'] },
      {
        name: 'renamed flex namespace and Bookinfo namespace',
        edits: [[['flex', 'namespace'], 'gw'], [['namespaces', 'bookinfo'], 'shop'], [['lockdown', 'allowFromNamespaces'], undefined]],
        files: ['manifests/mesh/gateway-gw-flex.yaml', 'manifests/mesh/virtualservice-gw-flex.yaml', 'manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml', 'manifests/mesh/authorizationpolicy-shop-flex-allow.yaml'],
      },
    ];
    for (const { name, edits, files } of cases) {
      it(name, () => assert.deepEqual([...mesh(devTopologyWith(...edits)).keys()], files));
    }
  });

  it('uses networking.istio.io/v1beta1 and security.istio.io/v1 (what Istio 1.21 serves)', () => {
    assert.equal(NETWORKING_API, 'networking.istio.io/v1beta1');
    assert.equal(SECURITY_API, 'security.istio.io/v1');
    const kinds = [...mesh(devTopologyWith()).values()].map((doc) => `${doc.apiVersion} ${doc.kind}`);
    assert.deepEqual(kinds, ['networking.istio.io/v1beta1 Gateway', 'networking.istio.io/v1beta1 VirtualService', 'networking.istio.io/v1beta1 VirtualService', 'security.istio.io/v1 AuthorizationPolicy']);
  });

  describe('the Gateway selects the ingress gateway pods', () => {
    const cases = [
      { releaseName: 'istio-ingress', labels: { app: 'istio-ingress', istio: 'ingress' } },
      { releaseName: 'istio-ingressgateway', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
      { releaseName: 'edge', labels: { app: 'edge', istio: 'edge' } },
      { releaseName: 'my-istio-gw', labels: { app: 'my-istio-gw', istio: 'my-istio-gw' } },
    ];
    for (const { releaseName, labels } of cases) {
      it(`release ${releaseName} → pods app=${labels.app}, istio=${labels.istio}; selector app=${labels.app}`, () => {
        assert.deepEqual(gatewayPodLabels(releaseName), labels);
        const gateway = spec(mesh(devTopologyWith([['istio', 'ingressGateway', 'releaseName'], releaseName])).get('manifests/mesh/gateway-flex-flex.yaml'));
        assert.deepEqual(gateway.selector, { app: labels.app });
      });
    }
  });

  it('the Gateway listens on port 80 for every host, the only HTTP port the gateway chart\'s Service maps', () => {
    const gateway = spec(mesh(devTopologyWith()).get('manifests/mesh/gateway-flex-flex.yaml'));
    assert.deepEqual(gateway.servers, [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }]);
    assert.throws(() => devTopologyWith([['istio', 'ingressGateway', 'port'], 8080]), /istio\.ingressGateway\.port: number 8080 is not allowed \(one of 80\)/);
  });

  describe('routes go to the Flex Service and rewrite to the API base path', () => {
    const cases: Array<{ name: string; edits: Edit[]; flexHost: string; flexPort: number; flexApp: string; flexNs: string }> = [
      { name: 'dev', edits: [], flexHost: 'flex.flex.svc.cluster.local', flexPort: 8081, flexApp: 'flex', flexNs: 'flex' },
      {
        name: 'renamed flex namespace, release and port',
        edits: [[['flex', 'namespace'], 'edge'], [['flex', 'releaseName'], 'fgw'], [['flex', 'port'], 9000], [['lockdown', 'allowFromNamespaces'], ['edge', 'bookinfo']]],
        flexHost: 'fgw.edge.svc.cluster.local',
        flexPort: 9000,
        flexApp: 'fgw',
        flexNs: 'edge',
      },
    ];
    for (const { name, edits, flexHost, flexPort, flexApp, flexNs } of cases) {
      it(name, () => {
        const files = mesh(devTopologyWith(...edits));
        const toFlex = { destination: { host: flexHost, port: { number: flexPort } } };
        const ingress = files.get(`manifests/mesh/virtualservice-${flexNs}-flex.yaml`);
        assert.equal(ingress?.metadata.namespace, flexNs);
        assert.deepEqual(spec(ingress), { hosts: ['*'], gateways: ['flex'], http: [{ route: [toFlex], rewrite: { uri: '/ingress/' } }] });
        assert.equal(files.get(`manifests/mesh/gateway-${flexNs}-flex.yaml`)?.metadata.namespace, flexNs);

        const reviews = files.get('manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml');
        assert.equal(reviews?.metadata.namespace, 'istio-system');
        const upstream = 'reviews.bookinfo.svc.cluster.local';
        assert.deepEqual(spec(reviews), {
          hosts: [upstream],
          http: [
            // Flex's own calls (its pods carry app=<release>) go straight to the upstream, everyone else through Flex.
            { match: [{ sourceLabels: { app: flexApp } }], route: [{ destination: { host: upstream, port: { number: 9080 } } }] },
            { route: [toFlex], rewrite: { uri: '/bookinfo/reviews/' } },
          ],
        });
      });
    }
  });

  it('an east-west route follows the upstream namespace, service and port', () => {
    const env = devTopologyWith([['namespaces', 'bookinfo'], 'shop'], [['apis', 1, 'upstream'], { service: 'ratings', port: 9080 }], [['apis', 0, 'upstream', 'namespace'], 'shop'], [['lockdown', 'allowFromNamespaces'], ['flex', 'shop']]);
    const route = spec(mesh(env).get('manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml'));
    assert.deepEqual(route.hosts, ['ratings.shop.svc.cluster.local']);
    assert.deepEqual(route.http[0].route, [{ destination: { host: 'ratings.shop.svc.cluster.local', port: { number: 9080 } } }]);
  });

  describe('lockdown allows only the listed namespaces into Bookinfo', () => {
    const cases: Array<{ name: string; edits: Edit[]; allowed: string[]; namespace: string }> = [
      { name: 'dev: flex and bookinfo', edits: [], allowed: ['flex', 'bookinfo'], namespace: 'bookinfo' },
      { name: 'default: the Flex and Bookinfo namespaces', edits: [[['lockdown', 'allowFromNamespaces'], undefined], [['flex', 'namespace'], 'gw'], [['namespaces', 'bookinfo'], 'shop']], allowed: ['gw', 'shop'], namespace: 'shop' },
      { name: 'explicit list', edits: [[['lockdown', 'allowFromNamespaces'], ['flex', 'bookinfo', 'ops']]], allowed: ['flex', 'bookinfo', 'ops'], namespace: 'bookinfo' },
    ];
    for (const { name, edits, allowed, namespace } of cases) {
      it(name, () => {
        const env = devTopologyWith(...edits);
        assert.deepEqual(env.lockdown.allowFrom, allowed);
        const policy = bookinfoLockdown(env);
        assert.equal(policy.metadata.namespace, namespace);
        assert.deepEqual(policy.spec, { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: allowed } }] }] });
      });
    }
  });

  it('labels every object with the environment', () => {
    for (const doc of mesh(devTopologyWith()).values()) {
      assert.deepEqual(doc.metadata.labels, { 'app.kubernetes.io/managed-by': 'flexmesh', 'flexmesh.dev/environment': 'dev' });
    }
  });
});
