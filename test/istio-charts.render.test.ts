// The Istio charts, rendered by the real `helm template` with exactly the values, release names and namespaces the
// bundle's Applications carry, produce objects that fit the rest of the bundle: webhooks and sidecars reach istiod
// in the Istio namespace, the ingress pods carry the Gateway's selector, and every Service the Gateway, the
// VirtualServices and the north-south probe name exists with that port. Expectations come from the bundle and the
// rendered output only, never from the generator's helpers, so a wrong value fails here as it would on a cluster.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseEnvironment } from '../generator/env/load.ts';
import { generateFromText } from '../generator/pipeline.ts';
import { DEV_FILE, devText, devTextWith, documentsOf, PROJECT_ROOT } from './support/fixtures.ts';
import { ALLOW_MISSING_VARIABLE, helmTemplate, istioChartPath, missingChartsProblem, type IstioChart, type RenderedObject } from './support/helm.ts';

const CHARTS: readonly IstioChart[] = ['base', 'istiod', 'gateway'];
const FIXTURE_DIR = 'test/fixtures/environments';
// Objects of these kinds have no namespace; every other kind the charts render is namespaced.
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'CustomResourceDefinition', 'Namespace']);

interface Case { label: string; file: string; text: () => string }
interface Port { port: number }
interface Route { destination?: { host: string; port?: { number: number } } }
interface Webhook { name: string; clientConfig: { url?: string; service?: { name: string; namespace: string; port?: number } } }
interface Container { name: string; env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }> }
interface ChartApp { release: string; namespace: string; values: Record<string, unknown> }
interface Rendered {
  docs: RenderedObject[]; // every document of the bundle, vendored samples included
  istioNamespace: string;
  serviceType: string;
  apps: Record<IstioChart, ChartApp>;
  otherChartReleases: Array<{ name: string; namespace: string }>; // e.g. Flex Gateway: Services we cannot render
  charts: Record<IstioChart, RenderedObject[]>;
}

const EDGE = (release: string): Case => ({ label: `dev with ingressGateway.releaseName ${release}`, file: DEV_FILE, text: () => devTextWith([['istio', 'ingressGateway', 'releaseName'], release]) });
const CASES: Case[] = [
  { label: DEV_FILE, file: DEV_FILE, text: devText },
  // Listed when the file loads, so environments another engineer adds there are picked up without editing this.
  ...(existsSync(join(PROJECT_ROOT, FIXTURE_DIR)) ? readdirSync(join(PROJECT_ROOT, FIXTURE_DIR)) : [])
    .filter((name) => name.endsWith('.yaml')).sort()
    .map((name): Case => ({ label: `${FIXTURE_DIR}/${name}`, file: `${FIXTURE_DIR}/${name}`, text: () => readFileSync(join(PROJECT_ROOT, FIXTURE_DIR, name), 'utf8') })),
  { label: 'dev with istio.namespace mesh-system', file: DEV_FILE, text: () => devTextWith([['istio', 'namespace'], 'mesh-system']) },
  EDGE('edge'),
  EDGE('istio-public'),
  {
    label: 'dev with flex.namespace api-gateway and namespaces.bookinfo shop',
    file: DEV_FILE,
    text: () => devTextWith([['flex', 'namespace'], 'api-gateway'], [['namespaces', 'bookinfo'], 'shop'], [['apis', 0, 'upstream', 'namespace'], 'shop'],
      [['apis', 1, 'upstream', 'namespace'], 'shop'], [['lockdown', 'allowFromNamespaces'], ['api-gateway', 'shop']]),
  },
];

const ofKind = (objects: readonly RenderedObject[], kind: string) => objects.filter((object) => object.kind === kind);
const spec = <T>(object: RenderedObject) => object.spec as T;
const ref = (object: { metadata: { name: string; namespace?: string } }) => `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
const portsOf = (service: RenderedObject) => (spec<{ ports?: Port[] }>(service).ports ?? []).map((port) => port.port);

/** `name.ns.svc.cluster.local`, `name.ns.svc`, `name.ns` or a bare name (relative to `namespace`), as Kubernetes DNS resolves it. */
function serviceOfHost(host: string, namespace: string): { name: string; namespace: string } {
  const [name = '', ns = namespace] = host.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
  return { name, namespace: ns };
}

function renderCase(testCase: Case): Rendered {
  const generated = generateFromText(testCase.text(), testCase.file);
  const docs = generated.files.filter((file) => file.path.endsWith('.yaml'))
    .flatMap((file) => documentsOf(file.content)).filter((doc): doc is RenderedObject => doc !== null);
  const apps = {} as Record<IstioChart, ChartApp & { version: string }>;
  const otherChartReleases: Rendered['otherChartReleases'] = [];
  for (const app of ofKind(docs, 'Application')) {
    const { source, sources, destination } = spec<{ source?: Record<string, any>; sources?: unknown; destination: { namespace: string } }>(app);
    assert.equal(sources, undefined, `Application ${app.metadata.name}: multi-source Applications are not rendered by this test`);
    if (!source?.chart) continue;
    const helm = (source.helm ?? {}) as Record<string, unknown>;
    // Argo CD also reads these; rendering without them would test values the cluster never sees.
    for (const unsupported of ['values', 'valueFiles', 'parameters', 'fileParameters']) assert.equal(helm[unsupported], undefined, `Application ${app.metadata.name}: helm.${unsupported} is not rendered by this test`);
    const release = (helm.releaseName as string | undefined) ?? app.metadata.name; // Argo CD's default release name
    if (!CHARTS.includes(source.chart)) {
      otherChartReleases.push({ name: release, namespace: destination.namespace });
      continue;
    }
    const chart = source.chart as IstioChart;
    assert.equal(apps[chart], undefined, `two Applications install the Istio ${chart} chart`);
    apps[chart] = { release, namespace: destination.namespace, values: (helm.valuesObject ?? {}) as Record<string, unknown>, version: source.targetRevision };
  }
  for (const chart of CHARTS) assert.ok(apps[chart], `no Application installs the Istio ${chart} chart`);
  const charts = {} as Record<IstioChart, RenderedObject[]>;
  for (const chart of CHARTS) {
    const { release, namespace, values, version } = apps[chart];
    const problem = missingChartsProblem(version);
    if (problem) throw new Error(problem);
    charts[chart] = helmTemplate({ release, chart: istioChartPath(version, chart), namespace, values, kubeVersion: generated.env.kubernetes.version });
  }
  return { docs, istioNamespace: apps.base.namespace, serviceType: generated.env.istio.ingressGateway.serviceType, apps, otherChartReleases, charts };
}

// One generation and one render of each chart per environment per run; a failure is kept and reported by every test.
const renders = new Map<string, Rendered | Error>();
function rendered(testCase: Case): Rendered {
  if (!renders.has(testCase.label)) {
    try {
      renders.set(testCase.label, renderCase(testCase));
    } catch (error) {
      renders.set(testCase.label, error instanceof Error ? error : new Error(String(error)));
    }
  }
  const result = renders.get(testCase.label)!;
  if (result instanceof Error) throw result;
  return result;
}

/** Every webhook of `kind` rendered by base and istiod calls a Service istiod renders, in the Istio namespace, on a port it has. */
function assertWebhooksReachIstiod(r: Rendered, kind: string): number {
  const istiodServices = ofKind(r.charts.istiod, 'Service');
  let count = 0;
  for (const config of ofKind([...r.charts.base, ...r.charts.istiod], kind)) {
    for (const webhook of (config as unknown as { webhooks: Webhook[] }).webhooks) {
      count++;
      const at = `${kind}/${config.metadata.name} webhook ${webhook.name}`;
      const service = webhook.clientConfig.service;
      assert.ok(service, `${at}: calls ${webhook.clientConfig.url ?? 'nothing'} instead of the istiod Service`);
      assert.equal(service.namespace, r.istioNamespace, `${at}: calls a Service in ${service.namespace}, the Istio namespace is ${r.istioNamespace}`);
      const target = istiodServices.find((candidate) => candidate.metadata.name === service.name && candidate.metadata.namespace === service.namespace);
      assert.ok(target, `${at}: calls Service ${service.namespace}/${service.name}; istiod renders ${istiodServices.map(ref).join(', ')}`);
      assert.ok(portsOf(target).includes(service.port ?? 443), `${at}: port ${service.port ?? 443} is not a port of ${ref(target)} (${portsOf(target).join(', ')})`);
    }
  }
  return count;
}

/** Problems of VirtualService destinations that name a Service of the Istio charts; a function so the self-check can feed it. */
function chartDestinationProblems(r: Rendered, virtualServices: readonly RenderedObject[]): string[] {
  const bundleServices = new Set(ofKind(r.docs, 'Service').map(ref));
  const otherReleases = new Set(r.otherChartReleases.map((release) => `${release.namespace}/${release.name}`));
  const chartNamespaces = new Set(CHARTS.map((chart) => r.apps[chart].namespace));
  const chartServices = CHARTS.flatMap((chart) => ofKind(r.charts[chart], 'Service'));
  const problems: string[] = [];
  for (const vs of virtualServices) {
    const routes = ['http', 'tcp', 'tls'].flatMap((protocol) => ((vs.spec as Record<string, Array<{ route?: Route[] }>>)[protocol] ?? []).flatMap((rule) => rule.route ?? []));
    for (const { destination } of routes) {
      if (!destination) continue;
      const target = serviceOfHost(destination.host, vs.metadata.namespace ?? 'default');
      const key = `${target.namespace}/${target.name}`;
      // A chart Service lives in an Istio chart's namespace and is neither the bundle's own nor another chart's release.
      if (!chartNamespaces.has(target.namespace) || bundleServices.has(key) || otherReleases.has(key)) continue;
      const service = chartServices.find((candidate) => ref(candidate) === key);
      if (!service) problems.push(`${ref(vs)} routes to ${destination.host}: the charts render no Service ${key} (they render ${chartServices.map(ref).join(', ')})`);
      else if (destination.port && !portsOf(service).includes(destination.port.number)) problems.push(`${ref(vs)} routes to ${destination.host}:${destination.port.number}; ${key} has ports ${portsOf(service).join(', ')}`);
    }
  }
  return problems;
}

describe('Istio charts rendered by helm template with the bundle values', function () {
  this.timeout(120_000);

  before(function () {
    // The target version every environment pins; other versions are checked (and fail) when their case renders.
    const problem = missingChartsProblem(parseEnvironment(devText(), DEV_FILE).istio.version);
    if (!problem) return;
    if (process.env[ALLOW_MISSING_VARIABLE] !== '1') throw new Error(problem);
    console.warn(`      skipped (${ALLOW_MISSING_VARIABLE}=1): ${problem}`);
    this.skip();
  });

  for (const testCase of CASES) {
    describe(testCase.label, () => {
      it('base: every ValidatingWebhookConfiguration calls the istiod Service in the Istio namespace', () => {
        const r = rendered(testCase);
        assert.ok(assertWebhooksReachIstiod(r, 'ValidatingWebhookConfiguration') > 0, 'neither base nor istiod renders a validating webhook: Istio config would go unvalidated');
        assert.ok(ofKind(r.charts.base, 'ValidatingWebhookConfiguration').length > 0, 'base renders no ValidatingWebhookConfiguration (defaultRevision unset?)');
      });

      it('istiod: its Service is in the Istio namespace and the sidecar injector webhook calls it', () => {
        const r = rendered(testCase);
        const services = ofKind(r.charts.istiod, 'Service');
        assert.ok(services.length > 0, 'istiod renders no Service');
        for (const service of services) assert.equal(service.metadata.namespace, r.istioNamespace, `Service ${ref(service)}`);
        assert.ok(ofKind(r.charts.istiod, 'MutatingWebhookConfiguration').length > 0, 'istiod renders no sidecar injector MutatingWebhookConfiguration');
        assertWebhooksReachIstiod(r, 'MutatingWebhookConfiguration');
      });

      it('istiod: the mesh config has rootNamespace = the Istio namespace and a discoveryAddress istiod serves', () => {
        const r = rendered(testCase);
        const meshMaps = ofKind(r.charts.istiod, 'ConfigMap').filter((map) => typeof (map.data as Record<string, string> | undefined)?.mesh === 'string');
        assert.deepEqual(meshMaps.map(ref), [`${r.istioNamespace}/istio`], 'the mesh config is the `istio` ConfigMap in the Istio namespace');
        const mesh = parse((meshMaps[0]!.data as { mesh: string }).mesh) as { rootNamespace?: string; defaultConfig?: { discoveryAddress?: string } };
        assert.equal(mesh.rootNamespace, r.istioNamespace, 'meshConfig.rootNamespace');
        const [host = '', port = ''] = (mesh.defaultConfig?.discoveryAddress ?? '').split(':');
        const target = serviceOfHost(host, r.istioNamespace);
        const service = ofKind(r.charts.istiod, 'Service').find((candidate) => ref(candidate) === `${target.namespace}/${target.name}`);
        assert.ok(service && portsOf(service).includes(Number(port)), `defaultConfig.discoveryAddress ${mesh.defaultConfig?.discoveryAddress} is no istiod Service port`);
      });

      it('istiod: injected sidecars and the discovery container locate Istio in the Istio namespace', () => {
        const r = rendered(testCase);
        // The injector templates build CA_ADDR (istiod.<ns>.svc:15012) from these values when a pod is injected.
        const injector = ofKind(r.charts.istiod, 'ConfigMap').find((map) => map.metadata.name.startsWith('istio-sidecar-injector'));
        assert.ok(injector, 'istiod renders no istio-sidecar-injector ConfigMap');
        const { global } = JSON.parse((injector.data as { values: string }).values) as { global: { istioNamespace?: string; caAddress?: string } };
        if (!global.caAddress) assert.equal(global.istioNamespace, r.istioNamespace, `${ref(injector)} values: sidecars would look for istiod (their CA) in ${global.istioNamespace}`);
        const deployments = ofKind(r.charts.istiod, 'Deployment');
        assert.equal(deployments.length, 1, 'istiod renders one Deployment');
        const deployment = deployments[0]!;
        assert.equal(deployment.metadata.namespace, r.istioNamespace, `Deployment ${ref(deployment)}`);
        const containers = spec<{ template: { spec: { containers: Container[] } } }>(deployment).template.spec.containers;
        const discovery = containers.find((container) => container.name === 'discovery');
        assert.ok(discovery, 'the istiod Deployment has no discovery container');
        for (const variable of (discovery.env ?? []).filter((entry) => /namespace/i.test(entry.name))) {
          const value: string | undefined = variable.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace' ? deployment.metadata.namespace : variable.value;
          assert.equal(value, r.istioNamespace, `discovery env ${variable.name}`);
        }
      });

      it('every chart object lands in its Application namespace and its ServiceAccounts exist there', () => {
        const r = rendered(testCase);
        const all = CHARTS.flatMap((chart) => r.charts[chart].map((object) => ({ chart, object })));
        const accounts = new Set(ofKind(all.map(({ object }) => object), 'ServiceAccount').map(ref));
        const problems: string[] = [];
        for (const { chart, object } of all) {
          const at = `${chart}: ${object.kind}/${object.metadata.name}`;
          if (!CLUSTER_SCOPED.has(object.kind) && object.metadata.namespace !== r.apps[chart].namespace) problems.push(`${at} is in ${object.metadata.namespace}, its Application installs into ${r.apps[chart].namespace}`);
          for (const subject of (object as { subjects?: Array<{ kind: string; name: string; namespace?: string }> }).subjects ?? []) {
            // A RoleBinding's ServiceAccount subject without a namespace means the binding's own (Kubernetes RBAC rule).
            const account = `${subject.namespace ?? object.metadata.namespace}/${subject.name}`;
            if (subject.kind === 'ServiceAccount' && !accounts.has(account)) problems.push(`${at} binds ServiceAccount ${account}, which no chart renders`);
          }
          const account = object.kind === 'Deployment' ? spec<{ template: { spec: { serviceAccountName?: string } } }>(object).template.spec.serviceAccountName : undefined;
          if (account && !accounts.has(`${object.metadata.namespace}/${account}`)) problems.push(`${at} runs as ServiceAccount ${account}, which no chart renders in ${object.metadata.namespace}`);
        }
        assert.deepEqual(problems, []);
      });

      it('gateway: its pods carry every label of the Gateway selector and its Service maps every server port', () => {
        const r = rendered(testCase);
        const gateways = ofKind(r.docs, 'Gateway').filter((doc) => doc.apiVersion.startsWith('networking.istio.io/'));
        assert.ok(gateways.length > 0, 'the bundle has no Istio Gateway');
        const deployments = ofKind(r.charts.gateway, 'Deployment');
        const services = ofKind(r.charts.gateway, 'Service');
        assert.equal(deployments.length, 1, 'the gateway chart renders one Deployment');
        assert.equal(services.length, 1, 'the gateway chart renders one Service');
        const podLabels = spec<{ template: { metadata: { labels: Record<string, string> } } }>(deployments[0]!).template.metadata.labels;
        const ports = portsOf(services[0]!);
        for (const gateway of gateways) {
          const { selector, servers } = spec<{ selector: Record<string, string>; servers: Array<{ port: { number: number } }> }>(gateway);
          assert.ok(Object.keys(selector).length > 0, `Gateway ${ref(gateway)} selects every pod`);
          for (const [key, value] of Object.entries(selector)) assert.equal(podLabels[key], value, `Gateway ${ref(gateway)} selects ${key}=${value}; the gateway pods have ${JSON.stringify(podLabels)}`);
          for (const { port } of servers) assert.ok(ports.includes(port.number), `Gateway ${ref(gateway)} listens on ${port.number}; Service ${ref(services[0]!)} maps ${ports.join(', ')}`);
        }
        const serviceSelector = spec<{ selector: Record<string, string> }>(services[0]!).selector;
        for (const [key, value] of Object.entries(serviceSelector)) assert.equal(podLabels[key], value, `Service selector ${key}=${value}`);
      });

      it('gateway: its Service has the type the environment asks for and is what the north-south probe calls', () => {
        const r = rendered(testCase);
        const service = ofKind(r.charts.gateway, 'Service')[0];
        assert.ok(service, 'the gateway chart renders no Service');
        assert.equal(spec<{ type: string }>(service).type, r.serviceType, `Service ${ref(service)} type`);
        const parameters = ofKind(r.docs, 'WorkflowTemplate')
          .flatMap((template) => spec<{ arguments?: { parameters?: Array<{ name: string; value?: string }> } }>(template).arguments?.parameters ?? [])
          .filter((parameter) => parameter.name.endsWith('gateway-url'));
        for (const parameter of parameters) {
          const url = new URL(parameter.value ?? '');
          const target = serviceOfHost(url.hostname, '');
          assert.equal(`${target.namespace}/${target.name}`, ref(service), `${parameter.name} ${parameter.value}`);
          const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
          assert.ok(portsOf(service).includes(port), `${parameter.name} ${parameter.value}: ${ref(service)} has ports ${portsOf(service).join(', ')}`);
        }
      });

      it('every VirtualService destination that is a chart Service exists in the rendered charts with that port', () => {
        const r = rendered(testCase);
        assert.deepEqual(chartDestinationProblems(r, ofKind(r.docs, 'VirtualService')), []);
      });
    });
  }

  // The destination check passes vacuously when no route names a chart Service (today's bundles): prove it bites.
  it('the VirtualService destination check finds a missing chart Service and a wrong port', () => {
    const r = rendered(CASES[0]!);
    const gateway = ofKind(r.charts.gateway, 'Service')[0]!;
    const routeTo = (host: string, number: number): RenderedObject => ({ apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'probe', namespace: 'elsewhere' }, spec: { http: [{ route: [{ destination: { host, port: { number } } }] }] } });
    const fqdn = (name: string) => `${name}.${gateway.metadata.namespace}.svc.cluster.local`;
    assert.deepEqual(chartDestinationProblems(r, [routeTo(fqdn(gateway.metadata.name), 80)]), []);
    assert.equal(chartDestinationProblems(r, [routeTo(fqdn(gateway.metadata.name), 8080)]).length, 1);
    assert.equal(chartDestinationProblems(r, [routeTo(fqdn('no-such-gateway'), 80)]).length, 1);
  });
});
