// Argo CD builder: child Applications in sync-wave order, the root app-of-apps, the AppProject, the health check.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_PROJECT_FILE, appProject, applicationSource, argocdFiles, HEALTH_CHECK_KEY, rootApplication } from '../generator/resources/argocd.ts';
import type { Manifest } from '../generator/resources/types.ts';
import { bundleWith, devTopologyWith, documentsOf, generatedDocuments, PROJECT_ROOT, type Edit } from './support/fixtures.ts';
import { connectedEdits } from './support/api-manager/connected.ts';

type App = Manifest & { spec: Record<string, any> }; // checked field by field below

const LUA = readFileSync(join(PROJECT_ROOT, 'templates/argocd/application-health.lua'), 'utf8');
const CONNECTED = connectedEdits();
const NO_VERIFY: Edit = [['verification', 'enabled'], false];

function apps(...edits: Edit[]): Map<string, App> {
  const files = argocdFiles(devTopologyWith(...edits), LUA).filter((file) => file.path.startsWith('apps/') && file.path !== APP_PROJECT_FILE);
  return new Map(files.map((file) => [file.path, ('documents' in file ? file.documents[0] : undefined) as App]));
}
const wave = (app: App): number => Number(app.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
const waveOf = (all: Map<string, App>, key: string): number => wave([...all.values()].find((app) => app.metadata.name === `dev-${key}`)!);

describe('argocd builder', () => {
  describe('child Applications', () => {
    const SPINE = ['apps/00-istio-base.yaml', 'apps/00-prerequisites.yaml', 'apps/01-istiod.yaml', 'apps/02-istio-ingress.yaml', 'apps/03-flex-gateway.yaml', 'apps/04-bookinfo.yaml', 'apps/04-sleep.yaml'];
    const cases: Array<{ name: string; edits: Edit[]; files: string[] }> = [
      { name: 'local mode', edits: [NO_VERIFY], files: [...SPINE, 'apps/05-flex-apis.yaml', 'apps/05-mesh-routing.yaml'] },
      { name: 'connected mode: flex-apis carries the API Manager reconcile', edits: [NO_VERIFY, ...CONNECTED], files: [...SPINE, 'apps/05-flex-apis.yaml', 'apps/05-mesh-routing.yaml'] },
    ];
    for (const { name, edits, files } of cases) {
      it(name, () => assert.deepEqual([...apps(...edits).keys()], files));
    }
  });

  it('sync waves: istio-base < istiod < istio-ingress < flex-gateway < bookinfo = sleep < mesh-routing = flex-apis', () => {
    const all = apps();
    const order = ['istio-base', 'istiod', 'istio-ingress', 'flex-gateway', 'bookinfo', 'mesh-routing'];
    for (let i = 1; i < order.length; i++) assert.ok(waveOf(all, order[i - 1]!) < waveOf(all, order[i]!), `${order[i - 1]} before ${order[i]}`);
    assert.equal(waveOf(all, 'sleep'), waveOf(all, 'bookinfo'));
    assert.equal(waveOf(all, 'flex-apis'), waveOf(all, 'mesh-routing'));
    assert.equal(waveOf(all, 'prerequisites'), waveOf(all, 'istio-base'));
  });

  it('file names carry the wave and the key; Applications are <env>-<key> in the Argo CD namespace', () => {
    for (const [path, app] of apps([['argocd', 'namespace'], 'gitops'])) {
      const [, number, key] = /^apps\/(\d\d)-(.+)\.yaml$/.exec(path)!;
      assert.equal(Number(number), wave(app), path);
      assert.equal(app.metadata.name, `dev-${key}`);
      assert.equal(app.metadata.namespace, 'gitops');
      assert.deepEqual(app.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
      assert.equal(app.spec.project, 'flexmesh-dev');
    }
  });

  it('only istio-base and istiod ignore webhook drift, and only they respect ignoreDifferences', () => {
    for (const [path, app] of apps()) {
      const istio = /istio-base|istiod/.test(path);
      const options: string[] = app.spec.syncPolicy.syncOptions ?? [];
      assert.equal(options.includes('RespectIgnoreDifferences=true'), istio, path);
      assert.equal(app.spec.ignoreDifferences !== undefined, istio, path);
      if (istio) {
        assert.deepEqual(app.spec.ignoreDifferences.map((entry: { kind: string }) => entry.kind), ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);
        assert.ok(app.spec.ignoreDifferences.every((entry: { group: string }) => entry.group === 'admissionregistration.k8s.io'));
      }
      assert.equal(options.includes('CreateNamespace=true'), path.endsWith('istio-base.yaml'), path);
    }
  });

  it('sync policy: automated prune and self-heal, without `enabled` (Argo CD 2.13 has no such field)', () => {
    const topology = devTopologyWith();
    for (const app of [...apps().values(), rootApplication(topology) as App]) {
      assert.deepEqual(app.spec.syncPolicy.automated, { prune: true, selfHeal: true }, app.metadata.name);
      assert.deepEqual(app.spec.syncPolicy.retry, { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } });
    }
    for (const { path, doc } of generatedDocuments(bundleWith())) {
      if (doc.kind === 'Application') assert.equal(((doc.spec as App['spec']).syncPolicy.automated as object & { enabled?: unknown }).enabled, undefined, path);
    }
  });

  describe('sources', () => {
    const cases: Array<{ key: string; source: Record<string, unknown> }> = [
      // global.istioNamespace: where base's webhook and istiod's Service, RBAC and rootNamespace point (defect: stayed istio-system).
      { key: 'istio-base', source: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'base', targetRevision: '1.21.2', helm: { releaseName: 'istio-base', valuesObject: { defaultRevision: 'default', global: { istioNamespace: 'mesh-system' } } } } },
      { key: 'istiod', source: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'istiod', targetRevision: '1.21.2', helm: { releaseName: 'istiod', valuesObject: { global: { istioNamespace: 'mesh-system' } } } } },
      { key: 'istio-ingress', source: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'gateway', targetRevision: '1.21.2', helm: { releaseName: 'edge-gw', valuesObject: { service: { type: 'NodePort' } } } } },
      { key: 'bookinfo', source: { repoURL: 'https://github.com/example-org/platform-gitops.git', targetRevision: 'main', path: 'clusters/dev/manifests/bookinfo' } },
      { key: 'mesh-routing', source: { repoURL: 'https://github.com/example-org/platform-gitops.git', targetRevision: 'main', path: 'clusters/dev/manifests/mesh' } },
    ];
    const topology = devTopologyWith([['istio', 'ingressGateway', 'releaseName'], 'edge-gw'], [['istio', 'ingressGateway', 'serviceType'], 'NodePort'], [['gitops', 'path'], 'clusters/dev'], [['istio', 'namespace'], 'mesh-system']);
    for (const { key, source } of cases) {
      it(key, () => {
        const app = topology.applications.children.find((candidate) => candidate.key === key)!;
        assert.deepEqual(JSON.parse(JSON.stringify(applicationSource(topology, app.key))), source);
      });
    }
  });

  it('the root Application syncs apps/ (not recursively), has no wave, and lands in the Argo CD namespace', () => {
    const root = rootApplication(devTopologyWith([['gitops', 'path'], 'clusters/dev'])) as App;
    assert.equal(root.metadata.name, 'dev-root');
    assert.equal(root.metadata.annotations, undefined);
    assert.deepEqual(root.spec.source, { repoURL: 'https://github.com/example-org/platform-gitops.git', targetRevision: 'main', path: 'clusters/dev/apps', directory: { recurse: false } });
    assert.deepEqual(root.spec.destination, { server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });

  it('the AppProject allows every destination namespace and source repository the bundle uses', () => {
    for (const edits of [[], [NO_VERIFY], [[['flex', 'namespace'], 'edge'], [['lockdown', 'allowFromNamespaces'], undefined]] as Edit[]]) {
      const bundle = bundleWith(...edits);
      const project = documentsOf(bundle.get(APP_PROJECT_FILE)!)[0]!;
      const spec = project.spec as { sourceRepos: string[]; destinations: Array<{ namespace: string; server: string }>; clusterResourceWhitelist: Array<{ kind: string }> };
      const allowed = new Set(spec.destinations.map((destination) => destination.namespace));
      const clusterKinds = new Set(spec.clusterResourceWhitelist.map((entry) => entry.kind));
      for (const { path, doc } of generatedDocuments(bundle)) {
        if (doc.kind === 'Application' || doc.kind === 'AppProject' || path.startsWith('bootstrap/') || path.endsWith('kustomization.yaml')) continue;
        if (doc.metadata.namespace) assert.ok(allowed.has(doc.metadata.namespace), `${path}: namespace ${doc.metadata.namespace} not in the AppProject`);
        else assert.ok(clusterKinds.has(doc.kind), `${path}: cluster-scoped ${doc.kind} not whitelisted`);
      }
      for (const { doc } of generatedDocuments(bundle).filter((entry) => entry.doc.kind === 'Application')) {
        const app = doc as App;
        assert.ok(allowed.has(app.spec.destination.namespace), `${doc.metadata.name}: destination not allowed`);
        assert.ok(spec.sourceRepos.includes(app.spec.source.repoURL), `${doc.metadata.name}: repo not allowed`);
      }
    }
  });

  it('the AppProject is named after argocd.project and allows exactly the namespaces the environment names, sorted', () => {
    const project = appProject(devTopologyWith([['argocd', 'project'], 'team-a'], [['flex', 'namespace'], 'edge'], [['lockdown', 'allowFromNamespaces'], undefined], [['verification', 'namespace'], 'workflows']));
    const spec = project.spec as { destinations: Array<{ namespace: string; server: string }> };
    assert.equal(project.metadata.name, 'team-a');
    // dev.yaml's argocd.namespace, namespaces.bookinfo, istio.namespace, namespaces.test, and the two edited above.
    const server = 'https://kubernetes.default.svc';
    assert.deepEqual(spec.destinations, ['argocd', 'bookinfo', 'edge', 'istio-system', 'test', 'workflows'].map((namespace) => ({ namespace, server })));
  });

  it('the argocd-cm patch carries the Application health check verbatim', () => {
    const file = argocdFiles(devTopologyWith([['argocd', 'namespace'], 'gitops']), LUA).find((candidate) => candidate.path === 'bootstrap/argocd-cm-application-health.yaml')!;
    const [patch] = (file as { documents: Manifest[] }).documents;
    assert.deepEqual(patch, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'gitops' }, data: { [HEALTH_CHECK_KEY]: LUA } });
    assert.equal(HEALTH_CHECK_KEY, 'resource.customizations.health.argoproj.io_Application');
  });
});
