// Argo CD rules judged from what the real charts install, never from the generator's own lists: each Istio chart is
// rendered by the real `helm template` with exactly the release, namespace and values its Application carries.
//   appproject-whitelists-cluster-kinds  every cluster-scoped kind a chart or the bundle creates is in the AppProject's
//                                        clusterResourceWhitelist, or Argo CD refuses to sync it
//   webhook-drift-ignored                a webhook field istiod rewrites at run time is in the Application's
//                                        ignoreDifferences, or the Application is OutOfSync forever (and a sync
//                                        puts failurePolicy back to Ignore)
import assert from 'node:assert/strict';
import { devTextWith, documentsOf, DEV_FILE, type Edit } from './support/fixtures.ts';
import { generateFromText } from '../generator/pipeline.ts';
import type { Manifest } from '../generator/resources/types.ts';
import { ALLOW_MISSING_VARIABLE, helmTemplate, istioChartPath, missingChartsProblem, type IstioChart, type RenderedObject } from './support/helm.ts';

// Kubernetes 1.29's cluster-scoped kinds (kubectl api-resources --namespaced=false), by API group. A fact of the
// Kubernetes API, not of flexmesh.
const CLUSTER_SCOPED: Record<string, string[]> = {
  '': ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'admissionregistration.k8s.io': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
  'networking.k8s.io': ['IngressClass'],
  'storage.k8s.io': ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment'],
  'scheduling.k8s.io': ['PriorityClass'],
  'node.k8s.io': ['RuntimeClass'],
  'apiregistration.k8s.io': ['APIService'],
  'certificates.k8s.io': ['CertificateSigningRequest'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
};
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');
const isClusterScoped = (object: { apiVersion: string; kind: string }) => (CLUSTER_SCOPED[groupOf(object.apiVersion)] ?? []).includes(object.kind);

// The Flex Gateway chart cannot be rendered here (it is not among ../shared/upstream-charts). What it installs
// cluster-wide, from ../shared/reference/flex-gateway.md: `ingressClass.enabled` true by default (an IngressClass
// named <release>-<namespace>); `gateway.scope` "Cluster", so (UNVERIFIED) a ClusterRole and binding to watch
// every namespace, and (UNVERIFIED) the gateway.mulesoft.com CRDs.
const FLEX_CHART_CLUSTER_KINDS = [
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
];

interface App { name: string; chart?: string; release: string; namespace: string; values: Record<string, unknown>; ignoreDifferences: IgnoreEntry[] }
interface IgnoreEntry { group?: string; kind: string; name?: string; jqPathExpressions?: string[]; jsonPointers?: string[] }
interface Webhook { name: string; failurePolicy?: string; clientConfig: { caBundle?: string } }

const CASES: Array<{ name: string; edits: Edit[] }> = [
  { name: 'dev', edits: [] },
  { name: 'istio.namespace mesh-system', edits: [[['istio', 'namespace'], 'mesh-system']] },
  { name: 'ingress gateway release edge', edits: [[['istio', 'ingressGateway', 'releaseName'], 'edge']] },
];

function bundle(edits: readonly Edit[]) {
  const { env, files } = generateFromText(devTextWith(...edits), DEV_FILE);
  const docs: Manifest[] = files.filter((file) => file.path.endsWith('.yaml')).flatMap((file) => documentsOf(file.content)).filter(Boolean);
  const apps: App[] = docs.filter((doc) => doc.kind === 'Application').map((doc) => {
    const spec = doc.spec as { source: { chart?: string; helm?: { releaseName?: string; valuesObject?: Record<string, unknown> } }; destination: { namespace: string }; ignoreDifferences?: IgnoreEntry[] };
    return { name: doc.metadata.name, chart: spec.source.chart, release: spec.source.helm?.releaseName ?? doc.metadata.name, namespace: spec.destination.namespace, values: spec.source.helm?.valuesObject ?? {}, ignoreDifferences: spec.ignoreDifferences ?? [] };
  });
  const render = (app: App): RenderedObject[] => helmTemplate({ release: app.release, chart: istioChartPath(env.istio.version, app.chart as IstioChart), namespace: app.namespace, values: app.values, kubeVersion: env.kubernetes.version });
  return { env, docs, apps, render, istioApps: apps.filter((app) => ['base', 'istiod', 'gateway'].includes(app.chart ?? '')) };
}

/** Whether an ignoreDifferences entry of the Application covers `field` of every webhook of the object. */
function ignores(app: App, object: RenderedObject, field: 'failurePolicy' | 'clientConfig.caBundle'): boolean {
  const webhooks = (object.webhooks ?? []) as Webhook[];
  return app.ignoreDifferences.some((entry) => {
    if ((entry.group ?? '') !== groupOf(object.apiVersion) || entry.kind !== object.kind || (entry.name !== undefined && entry.name !== object.metadata.name)) return false;
    if ((entry.jqPathExpressions ?? []).some((path) => path === `.webhooks[]?.${field}` || path === `.webhooks[].${field}`)) return true;
    const pointers = new Set(entry.jsonPointers ?? []);
    return webhooks.every((_, i) => pointers.has(`/webhooks/${i}/${field.replace('.', '/')}`));
  });
}

describe('Argo CD rules from the real charts', function () {
  this.timeout(120_000);

  before(function () {
    const problem = missingChartsProblem(bundle([]).env.istio.version);
    if (!problem) return;
    if (process.env[ALLOW_MISSING_VARIABLE] !== '1') throw new Error(problem);
    this.skip();
  });

  for (const { name, edits } of CASES) {
    describe(name, () => {
      it('appproject-whitelists-cluster-kinds: every cluster-scoped kind the charts and the bundle create is whitelisted', () => {
        const { docs, apps, render, istioApps } = bundle(edits);
        const project = docs.find((doc) => doc.kind === 'AppProject')!;
        const whitelist = (project.spec as { clusterResourceWhitelist?: Array<{ group: string; kind: string }> }).clusterResourceWhitelist ?? [];
        const allowed = (group: string, kind: string) => whitelist.some((entry) => (entry.group === '*' || entry.group === group) && (entry.kind === '*' || entry.kind === kind));
        const needed = [
          ...istioApps.flatMap((app) => render(app).filter(isClusterScoped).map((object) => ({ group: groupOf(object.apiVersion), kind: object.kind, by: `chart ${app.chart} (${object.kind}/${object.metadata.name})` }))),
          ...(apps.some((app) => app.chart === 'flex-gateway') ? FLEX_CHART_CLUSTER_KINDS.map((entry) => ({ ...entry, by: 'chart flex-gateway' })) : []),
          // Synced by a child Application of the project (the AppProject and the root app are the bootstrap's).
          ...docs.filter((doc) => isClusterScoped(doc)).map((doc) => ({ group: groupOf(doc.apiVersion), kind: doc.kind, by: `the bundle (${doc.kind}/${doc.metadata.name})` })),
        ];
        assert.ok(needed.some((entry) => entry.kind === 'ValidatingWebhookConfiguration'), 'the rendered charts create cluster-scoped objects');
        const missing = needed.filter((entry) => !allowed(entry.group, entry.kind)).map((entry) => `${entry.group || 'core'}/${entry.kind} from ${entry.by}`);
        assert.deepEqual([...new Set(missing)], []);
      });

      it('webhook-drift-ignored: what istiod rewrites in a rendered webhook is ignored by the Application that renders it', () => {
        const { render, istioApps } = bundle(edits);
        let webhookObjects = 0;
        for (const app of istioApps) {
          for (const object of render(app).filter((candidate) => /^(Validating|Mutating)WebhookConfiguration$/.test(candidate.kind))) {
            webhookObjects++;
            const webhooks = (object.webhooks ?? []) as Webhook[];
            // istiod's webhook controller patches in the caBundle of every webhook the chart leaves without one, and
            // turns a validating failurePolicy of Ignore into Fail once it serves (the chart's own template comment,
            // reference argocd-istio.md).
            if (webhooks.some((webhook) => !webhook.clientConfig.caBundle)) assert.ok(ignores(app, object, 'clientConfig.caBundle'), `${app.name}: ${object.kind}/${object.metadata.name}: caBundle not ignored`);
            if (object.kind === 'ValidatingWebhookConfiguration' && webhooks.some((webhook) => webhook.failurePolicy === 'Ignore')) assert.ok(ignores(app, object, 'failurePolicy'), `${app.name}: ${object.kind}/${object.metadata.name}: failurePolicy not ignored`);
          }
        }
        assert.ok(webhookObjects >= 2, `only ${webhookObjects} webhook configurations rendered`);
      });
    });
  }
});
