// The resolved topology, field by field: a value changed in the environment reaches every place it must
// (the list of places is written here from what each consumer does, not read back from the bundle), and the
// tutorial's default for that field appears in none of them.
import assert from 'node:assert/strict';
import { bundleWith, devTopologyWith, type Edit } from './support/fixtures.ts';
import { occurrences } from './support/occurrences.ts';

const WT = 'manifests/verification/workflowtemplate-argo-dev-verify.yaml';
/** The WorkflowTemplate parameter named `name` (its index varies with the probes). */
const param = (bundle: Map<string, string>, name: string) => {
  const wt = bundle.get(WT) ?? '';
  const names = [...wt.matchAll(/^ {6}- name: (\S+)$/gm)].map((match) => match[1]);
  return `${WT}#/spec/arguments/parameters/${names.indexOf(name)}/value`;
};

/** Where a default may legitimately remain: the probe scripts' comments (examples), and same-named non-namespace objects. */
const PROBE_SCRIPTS = /configmap-argo-dev-verification-probes\.yaml#\/data\//;
/** A namespace's default still in use: as a namespace field, or inside a Service host `name.<ns>.svc`. */
function namespaceUses(bundle: Map<string, string>, namespace: string): string[] {
  const asField = occurrences(bundle, namespace, true).filter((place) => /\/namespaces?(\/\d+)?$/.test(place));
  const inHost = occurrences(bundle, `.${namespace}.svc`).filter((place) => !PROBE_SCRIPTS.test(place));
  return [...asField, ...inHost];
}
function valueUses(bundle: Map<string, string>, value: string): string[] {
  return occurrences(bundle, value).filter((place) => !PROBE_SCRIPTS.test(place));
}

const FIELDS: Array<{ field: string; edits: Edit[]; value: string; places: (bundle: Map<string, string>) => string[]; absent?: { value: string; uses: (bundle: Map<string, string>, value: string) => string[] } }> = [
  {
    field: 'istio.namespace',
    edits: [[['istio', 'namespace'], 'mesh-x']],
    value: 'mesh-x',
    places: (b) => [
      'apps/00-istio-base.yaml#/spec/destination/namespace',
      'apps/00-istio-base.yaml#/spec/source/helm/valuesObject/global/istioNamespace',
      'apps/01-istiod.yaml#/spec/source/helm/valuesObject/global/istioNamespace',
      'apps/02-istio-ingress.yaml#/spec/destination/namespace',
      'manifests/mesh/virtualservice-mesh-x-bookinfo-reviews.yaml#/metadata/namespace',
      param(b, 'north-south-gateway-url'),
      param(b, 'workloads-ready-deployments'),
    ],
    absent: { value: 'istio-system', uses: valueUses },
  },
  {
    field: 'flex.namespace',
    edits: [[['flex', 'namespace'], 'gw-x']],
    value: 'gw-x',
    places: (b) => [
      'manifests/prerequisites/namespace-gw-x.yaml#/metadata/name',
      'apps/03-flex-gateway.yaml#/spec/destination/namespace',
      'manifests/flex-apis/apiinstance-ingress.yaml#/metadata/namespace',
      'manifests/mesh/gateway-gw-x-flex.yaml#/metadata/namespace',
      'manifests/mesh/virtualservice-gw-x-flex.yaml#/spec/http/0/route/0/destination/host',
      'manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml#/spec/http/1/route/0/destination/host',
      'manifests/mesh/authorizationpolicy-bookinfo-flex-allow.yaml#/spec/rules/0/from/0/source/namespaces/0',
      param(b, 'rate-limit-bookinfo-reviews-api-url'),
      param(b, 'east-west-log-bookinfo-reviews-log-match-api'),
      param(b, 'flexctl-check-flex-namespace'),
    ],
    absent: { value: 'flex', uses: namespaceUses },
  },
  {
    field: 'namespaces.bookinfo',
    edits: [[['namespaces', 'bookinfo'], 'store-x']],
    value: 'store-x',
    places: (b) => [
      'apps/04-bookinfo.yaml#/spec/destination/namespace',
      'manifests/flex-apis/apiinstance-ingress.yaml#/spec/services/productpage/address',
      'manifests/flex-apis/apiinstance-bookinfo-reviews.yaml#/spec/services/reviews/address',
      'manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml#/spec/hosts/0',
      'manifests/mesh/authorizationpolicy-store-x-flex-allow.yaml#/metadata/namespace',
      param(b, 'lockdown-target-url'),
      param(b, 'east-west-log-bookinfo-reviews-trigger-url'),
    ],
    absent: { value: 'bookinfo', uses: namespaceUses },
  },
  {
    field: 'flex.port',
    edits: [[['flex', 'port'], 9123]],
    value: '9123',
    places: (b) => [
      'apps/03-flex-gateway.yaml#/spec/source/helm/valuesObject/service/http/port',
      'manifests/flex-apis/apiinstance-ingress.yaml#/spec/address',
      'manifests/mesh/virtualservice-flex-flex.yaml#/spec/http/0/route/0/destination/port/number',
      param(b, 'rate-limit-bookinfo-reviews-api-url'),
    ],
    absent: { value: '8081', uses: valueUses },
  },
  {
    field: 'istio.ingressGateway.releaseName',
    edits: [[['istio', 'ingressGateway', 'releaseName'], 'edge-x']],
    value: 'edge-x',
    places: (b) => ['apps/02-istio-ingress.yaml#/spec/source/helm/releaseName', 'manifests/mesh/gateway-flex-flex.yaml#/spec/selector/app', param(b, 'north-south-gateway-url'), param(b, 'workloads-ready-deployments')],
    // The Application key dev-istio-ingress is a name of flexmesh's, not the release; look for the release itself.
    absent: { value: 'istio-ingress', uses: (bundle, release) => [...occurrences(bundle, release, true), ...valueUses(bundle, `${release}.`), ...valueUses(bundle, `/${release}`)] },
  },
  {
    field: 'apis[1].basePath',
    edits: [[['apis', 1, 'basePath'], '/rv-x/']],
    value: '/rv-x/',
    places: (b) => [
      'manifests/flex-apis/apiinstance-bookinfo-reviews.yaml#/spec/address',
      'manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml#/spec/http/1/rewrite/uri',
      param(b, 'east-west-log-bookinfo-reviews-log-match-path'),
      param(b, 'rate-limit-bookinfo-reviews-api-url'),
    ],
    absent: { value: '/bookinfo/reviews/', uses: valueUses },
  },
];

describe('topology: each value reaches every place it must, and its default none', () => {
  for (const { field, edits, value, places, absent } of FIELDS) {
    it(field, () => {
      const bundle = bundleWith(...edits);
      const found = new Set(occurrences(bundle, value));
      const missing = places(bundle).filter((place) => !found.has(place));
      assert.deepEqual(missing, [], `${value} is missing from these places`);
      if (absent) assert.deepEqual(absent.uses(bundle, absent.value), [], `the default ${absent.value} still appears`);
    });
  }

  it('derived names follow the environment name', () => {
    const topology = devTopologyWith();
    assert.deepEqual(
      { root: topology.applications.root, template: topology.verification.workflowTemplate, account: topology.verification.serviceAccount, configMap: topology.verification.probeConfigMap, project: topology.argocd.project, path: topology.gitops.path },
      { root: 'dev-root', template: 'dev-verify', account: 'dev-verification', configMap: 'dev-verification-probes', project: 'flexmesh-dev', path: 'out/dev' },
    );
  });

  it('Services the routes and probes use are the ones the charts and samples create', () => {
    const topology = devTopologyWith([['flex', 'releaseName'], 'fgw'], [['istio', 'ingressGateway', 'releaseName'], 'public']);
    assert.deepEqual(topology.flex.service, { name: 'fgw', namespace: 'flex', port: 8081, host: 'fgw.flex.svc.cluster.local' });
    assert.deepEqual(topology.istio.gateway.service, { name: 'public', namespace: 'istio-system', port: 80, host: 'public.istio-system.svc.cluster.local' });
    // The gateway chart trims "istio-" only as a prefix: a release without it keeps its name in both labels.
    assert.deepEqual(topology.istio.gateway.podLabels, { app: 'public', istio: 'public' });
    assert.deepEqual(devTopologyWith().istio.gateway.podLabels, { app: 'istio-ingress', istio: 'ingress' });
  });
});
