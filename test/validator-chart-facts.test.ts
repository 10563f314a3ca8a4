// The output checks state what the Istio charts create (generator/validate/cross-references/chart-facts.ts) on their
// own, apart from the builders; this holds those statements against the real `helm template` of the pinned charts.
import assert from 'node:assert/strict';
import { chartDeployments, chartServices, gatewayChartPodLabels } from '../generator/validate/cross-references/chart-facts.ts';
import { PINNED_PRODUCTS } from '../generator/validate/products.ts';
import { ALLOW_MISSING_VARIABLE, helmTemplate, istioChartPath, missingChartsProblem, type IstioChart, type RenderedObject } from './support/helm.ts';

const ISTIO = PINNED_PRODUCTS.find((product) => product.id === 'istio')!.version;
const KUBERNETES = PINNED_PRODUCTS.find((product) => product.id === 'kubernetes')!.version;

const render = (chart: IstioChart, release: string, values: Record<string, unknown>): RenderedObject[] =>
  helmTemplate({ release, chart: istioChartPath(ISTIO, chart), namespace: 'istio-system', values, kubeVersion: KUBERNETES });
const ofKind = (objects: readonly RenderedObject[], kind: string) => objects.filter((object) => object.kind === kind);
const ports = (service: RenderedObject) => ((service.spec as { ports?: Array<{ port: number }> }).ports ?? []).map((port) => port.port).sort((a, b) => a - b);
const podLabels = (deployment: RenderedObject) => (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;

const GATEWAY_CASES: Array<{ release: string; values: Record<string, unknown> }> = [
  { release: 'istio-ingress', values: {} },
  { release: 'edge', values: {} },
  { release: 'istio-public', values: { service: { type: 'NodePort' } } },
  { release: 'istio-ingress', values: { name: 'istio-edge' } },
  { release: 'gw', values: { labels: { istio: 'ingressgateway', team: 'a' } } },
];

describe('chart facts of the output checks, against helm template of the pinned charts', function () {
  this.timeout(120_000);

  before(function () {
    const problem = missingChartsProblem(ISTIO);
    if (!problem) return;
    if (process.env[ALLOW_MISSING_VARIABLE] !== '1') throw new Error(problem);
    this.skip();
  });

  for (const { release, values } of GATEWAY_CASES) {
    it(`gateway release ${release} with ${JSON.stringify(values)}: pod labels, Service ports and Deployment name`, () => {
      const objects = render('gateway', release, values);
      const [deployment, ...moreDeployments] = ofKind(objects, 'Deployment');
      assert.equal(moreDeployments.length, 0);
      const labels = podLabels(deployment!);
      const stated = gatewayChartPodLabels(release, values);
      for (const [key, value] of Object.entries(stated)) assert.equal(labels[key], value, `pod label ${key}`);
      assert.deepEqual(chartDeployments('gateway', release, values), [deployment!.metadata.name]);
      assert.deepEqual(chartServices('gateway', release, values).map((service) => ({ name: service.name, ports: [...service.ports].sort((a, b) => a - b) })), ofKind(objects, 'Service').map((service) => ({ name: service.metadata.name, ports: ports(service) })));
    });
  }

  it('istiod: its Service and ports, its Deployment', () => {
    const objects = render('istiod', 'istiod', { global: { istioNamespace: 'istio-system' } });
    const stated = chartServices('istiod', 'istiod', {});
    const rendered = ofKind(objects, 'Service').map((service) => ({ name: service.metadata.name, ports: ports(service) }));
    for (const service of stated) assert.deepEqual(rendered.find((candidate) => candidate.name === service.name), { name: service.name, ports: [...service.ports].sort((a, b) => a - b) });
    assert.deepEqual(chartDeployments('istiod', 'istiod', {}), ofKind(objects, 'Deployment').map((deployment) => deployment.metadata.name));
  });
});
