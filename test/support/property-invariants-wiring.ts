// Invariants 6-9 of test/environments.property.test.ts: the Bookinfo kustomization, where Argo CD objects live,
// the Istio charts' namespace, and the verification DAG. Same contract as property-invariants.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { documentsOf, PROJECT_ROOT } from './fixtures.ts';
import type { BundleDoc, Case } from './property-bundle.ts';
import type { Check } from './property-invariants.ts';
import { arr, globMatch, obj, selects, str } from './property-k8s.ts';

const accepted = (c: Case) => (c.outcome.kind === 'accepted' ? c.outcome : undefined);
const ofKind = (docs: readonly BundleDoc[], kind: string) => docs.filter((entry) => entry.doc.kind === kind);
const label = (entry: BundleDoc) => `${entry.path} ${entry.doc.kind}/${entry.doc.metadata?.name}`;

export const KUSTOMIZATION = 'manifests/bookinfo/kustomization.yaml';
type Deployment = { name: string; labels: Record<string, string> };
const sampleDeployments = new Map<string, Deployment[]>();

/** The Deployments of the vendored Bookinfo sample (the file Argo CD applies), with their labels. */
export function bookinfoDeployments(istioVersion: string): Deployment[] {
  let deployments = sampleDeployments.get(istioVersion);
  if (!deployments) {
    const text = readFileSync(join(PROJECT_ROOT, 'templates', 'samples', `istio-${istioVersion}`, 'bookinfo.yaml'), 'utf8');
    deployments = documentsOf(text).filter((doc) => doc?.kind === 'Deployment').map((doc) => ({ name: doc.metadata.name, labels: doc.metadata.labels ?? {} }));
    sampleDeployments.set(istioVersion, deployments);
  }
  return deployments;
}

/** The Deployments a kustomization's `$patch: delete` patches remove, by target (kind, name, labelSelector). */
export function deletedBy(kustomization: Record<string, unknown>, deployments: readonly Deployment[]): { deleted: Set<string>; problems: string[] } {
  const deleted = new Set<string>();
  const problems: string[] = [];
  arr(kustomization.patches).map(obj).forEach((patch, i) => {
    const body = typeof patch.patch === 'string' ? (parse(patch.patch) as Record<string, unknown>) : obj(patch.patch);
    if (body?.$patch !== 'delete') return;
    const target = patch.target === undefined ? undefined : obj(patch.target);
    const kind = target ? str(target.kind) : str(body.kind);
    if (kind !== '' && kind !== 'Deployment') return;
    const name = target ? str(target.name) : str(obj(body.metadata).name);
    const selector = target ? str(target.labelSelector) : '';
    for (const deployment of deployments) {
      const nameMatches = name === '' || new RegExp(`^(?:${name})$`).test(deployment.name);
      let labelMatches = true;
      try {
        labelMatches = selector === '' || selects(selector, deployment.labels);
      } catch (error) {
        problems.push(`patches[${i}]: ${(error as Error).message}`);
      }
      if (nameMatches && labelMatches) deleted.add(deployment.name);
    }
  });
  return { deleted, problems };
}

/** 6. The Bookinfo kustomization deletes exactly the excluded reviews versions, and some reviews version remains. */
export const bookinfoKeepsReviews: Check = (c) => {
  const bundle = accepted(c);
  if (!bundle) return [];
  const env = c.env as typeof c.env & { istio: { version: string } };
  const deployments = bookinfoDeployments(env.istio.version);
  const excluded = new Set(env.samples.bookinfo.excludeVersions);
  const expected = deployments.filter((d) => !(d.labels.app === 'reviews' && excluded.has(d.labels.version ?? ''))).map((d) => d.name);
  const problems: string[] = [];
  if (!expected.some((name) => deployments.find((d) => d.name === name)?.labels.app === 'reviews')) {
    problems.push(`excludeVersions [${[...excluded].join(', ')}] excludes every reviews version, yet the environment was accepted`);
  }
  const text = bundle.files.get(KUSTOMIZATION);
  if (text === undefined) return [...problems, `${KUSTOMIZATION} is missing`];
  const { deleted, problems: selectorProblems } = deletedBy(parse(text) as Record<string, unknown>, deployments);
  const remaining = deployments.map((d) => d.name).filter((name) => !deleted.has(name));
  const notReviews = [...deleted].filter((name) => deployments.find((d) => d.name === name)?.labels.app !== 'reviews');
  if (notReviews.length > 0) problems.push(`the kustomization deletes ${notReviews.join(', ')}, which are not reviews Deployments`);
  if (remaining.join(' ') !== expected.join(' ')) problems.push(`Deployments left by the kustomization: ${remaining.join(', ') || 'none'}; expected ${expected.join(', ')}`);
  return [...problems, ...selectorProblems];
};

type Destination = { server?: unknown; name?: unknown; namespace?: unknown };
const clusterOf = (destination: Destination) => (destination.server !== undefined ? `server ${str(destination.server)}` : `name ${str(destination.name)}`);

/** 7. Application CRs and the AppProject are on Argo CD's cluster; workloads go to the environment's destination. */
export const argocdObjectsOnArgocdCluster: Check = (c) => {
  const bundle = accepted(c);
  if (!bundle) return [];
  const env = c.env;
  const problems: string[] = [];
  const applications = ofKind(bundle.docs, 'Application');
  const appsPath = `${env.gitops.path}/apps`;
  const roots = applications.filter((entry) => str(obj(obj(entry.doc.spec).source).path).replace(/\/+$/, '') === appsPath);
  if (roots.length !== 1) return [`expected one root Application syncing ${appsPath}, found ${roots.map(label).join(', ') || 'none'}`];
  const root = roots[0]!;
  const sameCluster = (destination: Destination, cluster: { server?: string; name?: string }) =>
    cluster.server !== undefined ? destination.server === cluster.server && destination.name === undefined : destination.name === cluster.name && destination.server === undefined;
  const rootDestination = obj(obj(root.doc.spec).destination) as Destination;
  if (!sameCluster(rootDestination, env.argocd.cluster) || rootDestination.namespace !== env.argocd.namespace) {
    problems.push(`root ${label(root)} deploys to ${clusterOf(rootDestination)} namespace ${str(rootDestination.namespace)}, but it creates the child Applications and the AppProject: expected Argo CD's cluster (${clusterOf(env.argocd.cluster)}) namespace ${env.argocd.namespace}`);
  }
  for (const entry of applications) {
    if (entry.doc.metadata.namespace !== env.argocd.namespace) problems.push(`${label(entry)} is in namespace ${entry.doc.metadata.namespace ?? '(none)'}, not Argo CD's ${env.argocd.namespace}`);
    if (str(obj(entry.doc.spec).project) !== env.argocd.project) problems.push(`${label(entry)} is in project ${str(obj(entry.doc.spec).project)}, not ${env.argocd.project}`);
    if (entry === root) continue;
    const destination = obj(obj(entry.doc.spec).destination) as Destination;
    if (!sameCluster(destination, env.argocd.destination)) problems.push(`child ${label(entry)} deploys to ${clusterOf(destination)}, not the environment's destination (${clusterOf(env.argocd.destination)})`);
  }
  const projects = ofKind(bundle.docs, 'AppProject');
  if (projects.length !== 1) return [...problems, `expected one AppProject, found ${projects.length}`];
  const project = projects[0]!;
  if (project.doc.metadata.name !== env.argocd.project || project.doc.metadata.namespace !== env.argocd.namespace) {
    problems.push(`${label(project)} in namespace ${project.doc.metadata.namespace}: expected AppProject ${env.argocd.project} in ${env.argocd.namespace}`);
  }
  const allowed = arr(obj(project.doc.spec).destinations).map(obj);
  const sources = arr(obj(project.doc.spec).sourceRepos).map(str);
  for (const entry of applications) {
    const destination = obj(obj(entry.doc.spec).destination) as Destination;
    const permitted = allowed.some((rule) =>
      globMatch(str(rule.namespace ?? '*'), str(destination.namespace)) &&
      (destination.server !== undefined ? rule.server !== undefined && globMatch(str(rule.server), str(destination.server)) : rule.name !== undefined && globMatch(str(rule.name), str(destination.name))));
    if (!permitted) problems.push(`AppProject ${project.doc.metadata.name} does not permit ${label(entry)}'s destination ${clusterOf(destination)} namespace ${str(destination.namespace)}`);
    const repo = str(obj(obj(entry.doc.spec).source).repoURL);
    if (!sources.some((pattern) => globMatch(pattern, repo))) problems.push(`AppProject ${project.doc.metadata.name} does not permit source ${repo} of ${label(entry)}`);
  }
  return problems;
};

/** 8. The istio/base and istio/istiod Applications pass the Istio namespace when it is not istio-system. */
export const istioChartsKnowTheirNamespace: Check = (c) => {
  const bundle = accepted(c);
  if (!bundle) return [];
  const namespace = c.env.istio.namespace;
  const problems: string[] = [];
  for (const chart of ['base', 'istiod']) {
    const apps = ofKind(bundle.docs, 'Application').filter((entry) => str(obj(obj(entry.doc.spec).source).chart) === chart);
    if (apps.length !== 1) {
      problems.push(`expected one Application of chart ${chart}, found ${apps.length}`);
      continue;
    }
    const helm = obj(obj(obj(apps[0]!.doc.spec).source).helm);
    const values = { ...obj(typeof helm.values === 'string' ? parse(helm.values) : {}), ...obj(helm.valuesObject) };
    const value = obj(values.global).istioNamespace;
    if (namespace !== 'istio-system' ? value !== namespace : value !== undefined && value !== namespace) {
      problems.push(`${label(apps[0]!)}: global.istioNamespace is ${value === undefined ? 'not set' : JSON.stringify(value)}, but istio.namespace is ${namespace}`);
    }
  }
  return problems;
};

/** 9. The verification DAG: unique probe names, dependencies and templates that exist, parameters that are declared. */
export const verificationDagIsWellFormed: Check = (c) => {
  const bundle = accepted(c);
  if (!bundle) return [];
  const templates = ofKind(bundle.docs, 'WorkflowTemplate');
  if (!c.env.verification.enabled) return templates.map((entry) => `${label(entry)} although verification.enabled is false`);
  if (templates.length !== 1) return [`expected one WorkflowTemplate with verification enabled, found ${templates.length}`];
  const entry = templates[0]!;
  const problems: string[] = [];
  if (entry.doc.metadata.namespace !== c.env.verification.namespace) problems.push(`${label(entry)} is in ${entry.doc.metadata.namespace}, not the verification namespace ${c.env.verification.namespace}`);
  const spec = obj(entry.doc.spec);
  const templateList = arr(spec.templates).map(obj);
  const templateNames = templateList.map((template) => str(template.name));
  const duplicate = (names: string[]) => names.filter((name, i) => names.indexOf(name) !== i);
  if (duplicate(templateNames).length) problems.push(`template names used twice: ${[...new Set(duplicate(templateNames))].join(', ')}`);
  for (const ref of [spec.entrypoint, spec.onExit].filter((ref) => ref !== undefined).map(str)) {
    if (!templateNames.includes(ref)) problems.push(`entrypoint/onExit ${ref} names no template`);
  }
  const declared = new Set(arr(obj(spec.arguments).parameters).map((parameter) => str(obj(parameter).name)));
  for (const template of templateList.filter((candidate) => candidate.dag !== undefined)) {
    const tasks = arr(obj(template.dag).tasks).map(obj);
    const names = tasks.map((task) => str(task.name));
    if (duplicate(names).length) problems.push(`probes named twice in DAG ${str(template.name)}: ${[...new Set(duplicate(names))].join(', ')}`);
    for (const task of tasks) {
      for (const dependency of arr(task.dependencies).map(str)) if (!names.includes(dependency)) problems.push(`probe ${str(task.name)} depends on ${dependency}, which is no task of the DAG`);
      if (!templateNames.includes(str(task.template))) problems.push(`probe ${str(task.name)} runs template ${str(task.template)}, which does not exist`);
      for (const match of JSON.stringify(task.arguments ?? {}).matchAll(/\{\{workflow\.parameters\.([\w-]+)\}\}/g)) {
        if (!declared.has(match[1]!)) problems.push(`probe ${str(task.name)} reads workflow parameter ${match[1]}, which is not declared`);
      }
    }
  }
  return problems;
};
