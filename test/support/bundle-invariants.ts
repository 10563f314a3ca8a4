// What must hold of any bundle, judged from the environment as written plus what the samples and charts create:
// namespaces exist, routes and probes target real Services and ports, credentials go where basic-auth is, no
// tutorial default survives where the environment set another value, Argo CD objects stay on Argo CD's cluster.
import { parseAllDocuments } from 'yaml';
import type { Manifest } from '../../generator/resources/types.ts';

type Raw = Record<string, any>; // the environment document as the test wrote it
type Doc = { path: string; doc: Manifest };
const IN_CLUSTER = 'https://kubernetes.default.svc';
/** JSON with sorted keys: the renderer orders keys its own way. */
const canonical = (value: unknown): string => JSON.stringify(value, (_key, item) => (item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item));
const VERSION_OF: Record<string, string> = { 'details-v1': 'v1', 'ratings-v1': 'v1', 'reviews-v1': 'v1', 'reviews-v2': 'v2', 'reviews-v3': 'v3', 'productpage-v1': 'v1' };

/** Services the bundle runs, `name.namespace` → ports, from the environment (not from the generator). */
function expectedServices(env: Raw): Map<string, number[]> {
  const services = new Map<string, number[]>();
  for (const name of ['details', 'productpage', 'ratings', 'reviews']) services.set(`${name}.${env.namespaces.bookinfo}`, [9080]);
  services.set(`sleep.${env.namespaces.test}`, [80]);
  services.set(`${env.flex.releaseName}.${env.flex.namespace}`, [env.flex.port]);
  services.set(`${env.istio.ingressGateway.releaseName}.${env.istio.namespace}`, [80, 443, 15021]);
  return services;
}

function hostKey(host: string): string {
  return host.replace(/\.svc\.cluster\.local$/, '').replace(/\.svc$/, '');
}

function urlTarget(url: string): { key: string; port: number } | undefined {
  const match = /^https?:\/\/([^/:]+)(?::(\d+))?/.exec(url);
  return match ? { key: hostKey(match[1]!), port: Number(match[2] ?? 80) } : undefined;
}

/** Pattern selectors of the kustomization (`k=v`, `k in (a,b)`, comma = AND) applied to a Deployment's labels. */
function selects(selector: string, labels: Record<string, string>): boolean {
  return selector.split(/,(?![^(]*\))/).every((term) => {
    const set = /^\s*(\S+)\s+in\s+\(([^)]*)\)\s*$/.exec(term);
    if (set) return set[2]!.split(',').map((value) => value.trim()).includes(labels[set[1]!] ?? '\u0000');
    const [key, value] = term.split('=').map((part) => part.trim());
    return labels[key!] === value;
  });
}

export function bundleProblems(env: Raw, name: string, files: Map<string, string>, docs: readonly Doc[]): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(message);
  const services = expectedServices(env);
  const served = (key: string, port?: number) => services.has(key) && (port === undefined || services.get(key)!.includes(port));
  const created = new Set(docs.filter((entry) => entry.doc.kind === 'Namespace').map((entry) => entry.doc.metadata.name));
  for (const { doc } of docs) if (doc.kind === 'Application' && JSON.stringify((doc.spec as any).syncPolicy?.syncOptions ?? []).includes('CreateNamespace=true')) created.add((doc.spec as any).destination.namespace);
  const known = new Set([...created, env.argocd.namespace, env.verification.namespace, ...env.namespaces.preExisting]);
  const wt = docs.find((entry) => entry.doc.kind === 'WorkflowTemplate')?.doc as any;
  const parameters: Array<{ name: string; value: string }> = wt?.spec.arguments.parameters ?? [];

  // 2. every namespace used exists
  for (const { path, doc } of docs) {
    const spec = doc.spec as any;
    const used = [doc.metadata.namespace, doc.kind === 'Application' ? spec.destination.namespace : undefined, ...(doc.kind === 'RoleBinding' ? (doc as any).subjects.map((s: any) => s.namespace) : [])];
    for (const namespace of used) if (namespace && !known.has(namespace)) fail(`${path}: namespace ${namespace} neither created nor pre-existing`);
  }
  for (const { name: parameter, value } of parameters) {
    if (/-namespaces?$/.test(parameter)) for (const namespace of value.split(' ')) if (!known.has(namespace)) fail(`parameter ${parameter}: unknown namespace ${namespace}`);
  }
  // 3. routes and ApiInstances target Services of the bundle; the ApiInstance upstream is the API's
  for (const { path, doc } of docs) {
    const spec = doc.spec as any;
    if (doc.kind === 'VirtualService') {
      for (const host of spec.hosts) if (host !== '*' && !served(hostKey(host))) fail(`${path}: host ${host} is no Service of the bundle`);
      for (const route of spec.http) for (const { destination } of route.route) if (!served(hostKey(destination.host), destination.port?.number)) fail(`${path}: destination ${destination.host}:${destination.port?.number}`);
    }
    if (doc.kind === 'ApiInstance') {
      const api = env.apis.find((candidate: Raw) => candidate.name === doc.metadata.name);
      const [address] = Object.values(spec.services as Record<string, { address: string }>).map((service) => service.address);
      const expected = `http://${api.upstream.service}.${api.upstream.namespace ?? env.namespaces.bookinfo}.svc:${api.upstream.port}`;
      if (address !== expected) fail(`${path}: upstream ${address}, expected ${expected}`);
      if (spec.address !== `http://0.0.0.0:${env.flex.port}${api.basePath}`) fail(`${path}: listens on ${spec.address}`);
    }
  }
  // 4. probes target Services of the bundle, and send credentials exactly for APIs with basic-auth
  for (const { name: parameter, value } of parameters) {
    if (!parameter.endsWith('-url')) continue;
    const target = urlTarget(value);
    if (!target || !served(target.key, target.port)) fail(`parameter ${parameter}: ${value} is no Service port of the bundle`);
  }
  for (const template of wt?.spec.templates ?? []) {
    const api = env.apis.find((candidate: Raw) => template.name === `rate-limit-${candidate.name}` || template.name === `east-west-log-${candidate.name}` || (template.name === 'north-south' && candidate.traffic === 'north-south'));
    if (!api) continue;
    const sends = (template.container.env as Array<{ name: string; valueFrom?: unknown }>).some((variable) => variable.name === 'BASIC_AUTH_PASSWORD' && variable.valueFrom);
    const needs = api.policies.some((policy: Raw) => policy.type === 'basic-auth');
    if (sends !== needs) fail(`probe ${template.name}: sends credentials ${sends}, API ${api.name} has basic-auth ${needs}`);
  }
  // 5. no tutorial default where the environment set another value
  const text = docs.filter((entry) => !entry.path.endsWith('-probes.yaml')).map((entry) => JSON.stringify(entry.doc)).join('\n');
  const namespaceDefaults: Array<[string, string]> = [['flex', env.flex.namespace], ['bookinfo', env.namespaces.bookinfo], ['istio-system', env.istio.namespace], ['argocd', env.argocd.namespace], ['argo', env.verification.namespace], ['test', env.namespaces.test]];
  for (const [fallback, actual] of namespaceDefaults) {
    const roles = [env.flex.namespace, env.namespaces.bookinfo, env.istio.namespace, env.argocd.namespace, env.verification.namespace, env.namespaces.test, ...env.namespaces.preExisting];
    if (fallback === actual || roles.includes(fallback)) continue;
    if (text.includes(`"namespace":"${fallback}"`) || text.includes(`.${fallback}.svc`)) fail(`default namespace ${fallback} still used (set: ${actual})`);
  }
  if (env.flex.port !== 8081 && /8081/.test(text)) fail('port 8081 appears though flex.port is another');
  if (!env.apis.some((api: Raw) => api.basePath === '/ingress/') && text.includes('/ingress/')) fail('/ingress/ appears though no API has it');
  const gitopsPath = env.gitops.path ?? `out/${name}`;
  if (gitopsPath !== 'out/dev' && text.includes('out/dev')) fail('out/dev appears though gitops.path is another');
  // 6. the kustomization deletes only the excluded reviews Deployments
  const kustomization = parseAllDocuments(files.get('manifests/bookinfo/kustomization.yaml')!)[0]!.toJS() as any;
  const deleted = Object.keys(VERSION_OF).filter((deployment) => (kustomization.patches ?? []).some((patch: any) => selects(patch.target.labelSelector, { app: deployment.replace(/-v\d$/, ''), version: VERSION_OF[deployment]! })));
  const expectedDeleted = Object.keys(VERSION_OF).filter((deployment) => deployment.startsWith('reviews-') && env.samples.bookinfo.excludeVersions.includes(VERSION_OF[deployment]));
  if (JSON.stringify(deleted) !== JSON.stringify(expectedDeleted)) fail(`kustomization deletes ${deleted.join(',')}, expected ${expectedDeleted.join(',')}`);
  if (expectedDeleted.length === 3) fail('every reviews version deleted, yet accepted');
  // 7. Application CRs and the AppProject on Argo CD's cluster; workloads at the destination
  const destination = env.argocd.destination ?? { server: IN_CLUSTER };
  for (const { path, doc } of docs.filter((entry) => entry.doc.kind === 'Application')) {
    const target = (doc.spec as any).destination;
    const expected = path === 'bootstrap/root-application.yaml' ? { server: IN_CLUSTER, namespace: env.argocd.namespace } : { ...destination, namespace: target.namespace };
    if (canonical(target) !== canonical(expected)) fail(`${path}: destination ${JSON.stringify(target)}, expected ${JSON.stringify(expected)}`);
  }
  // 8. the Istio charts carry the Istio namespace
  for (const file of ['apps/00-istio-base.yaml', 'apps/01-istiod.yaml']) {
    const app = docs.find((entry) => entry.path === file)?.doc as any;
    if (app?.spec.source.helm.valuesObject?.global?.istioNamespace !== env.istio.namespace) fail(`${file}: global.istioNamespace is not ${env.istio.namespace}`);
  }
  // 9. probe names unique, dependencies exist
  const tasks: Array<{ name: string; dependencies?: string[] }> = wt?.spec.templates.find((template: any) => template.name === wt.spec.entrypoint).dag.tasks ?? [];
  const names = tasks.map((task) => task.name);
  if (new Set(names).size !== names.length) fail(`duplicate probe names: ${names.join(',')}`);
  for (const task of tasks) for (const dependency of task.dependencies ?? []) if (!names.includes(dependency)) fail(`probe ${task.name} depends on missing ${dependency}`);
  // the AppProject permits every destination the Applications use
  const project = docs.find((entry) => entry.doc.kind === 'AppProject')?.doc as any;
  for (const { doc } of docs.filter((entry) => entry.doc.kind === 'Application')) {
    const target = canonical((doc.spec as any).destination);
    if (!project.spec.destinations.some((allowed: any) => canonical(allowed) === target)) fail(`AppProject does not permit ${target}`);
  }
  return problems;
}
