// The verification RBAC is exactly what the probes need: namespaced Roles only, each bound to the workflow's
// ServiceAccount, and a grant disappears with the probe that needed it.
import assert from 'node:assert/strict';
import type { Manifest } from '../generator/resources/types.ts';
import type { Edit } from './support/fixtures.ts';
import { RATINGS_API, RENAMED_FLEX, docsOfKind, generated, requireWorkflowTemplate, taskNames, type Generated } from './support/verification/bundle.ts';

interface Rule { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }
const rulesOf = (role: Manifest) => (role.rules ?? []) as Rule[];
const grant = (rule: Rule) => `${(rule.apiGroups ?? []).join(',') || 'core'} ${(rule.resources ?? []).join(',')} ${(rule.verbs ?? []).join(',')}${rule.resourceNames ? ` [${rule.resourceNames.join(' ')}]` : ''}`;

/** namespace → sorted grants, over every Role of the bundle. */
function access(bundle: Generated): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const role of docsOfKind(bundle, 'Role')) {
    const namespace = role.metadata.namespace ?? '(none)';
    result[namespace] = [...(result[namespace] ?? []), ...rulesOf(role).map(grant)].sort();
  }
  return result;
}

const POD_READ = 'core pods get,list';
const POD_EXEC = 'core pods/exec create,get';
const POD_LOG = 'core pods/log get';
const DEPLOYMENT_READ = 'apps deployments get';
const TASK_RESULTS = 'argoproj.io workflowtaskresults create,patch';
const applicationsGet = (names: string) => `argoproj.io applications get [${names}]`;

/**
 * What the probes of a WorkflowTemplate need, with every namespace and name taken from the environment as written
 * and the Application manifests of the bundle, never from the WorkflowTemplate's own parameters: the Roles must
 * grant exactly this. (Which probes are present is verification.test.ts's subject.)
 */
function neededAccess(bundle: Generated): Record<string, string[]> {
  const { env } = bundle;
  const wt = requireWorkflowTemplate(bundle);
  const flex = env.flex.namespace;
  const client = env.namespaces.test;
  const meshNamespaces = [flex, env.namespaces.bookinfo, client];
  const applications = bundle.docs.filter((entry) => entry.path.startsWith('apps/') && entry.doc.kind === 'Application').map((entry) => entry.doc.metadata.name);
  const needed: Record<string, Set<string>> = {};
  const need = (namespace: string, ...grants: string[]) => grants.forEach((g) => (needed[namespace] ??= new Set()).add(g));
  need(env.verification.namespace, TASK_RESULTS);
  for (const probe of taskNames(wt)) {
    if (probe === 'argocd-apps') need(env.argocd.namespace, applicationsGet(applications.join(' ')));
    if (probe === 'workloads-ready') {
      for (const namespace of meshNamespaces) need(namespace, POD_READ);
      // istiod and the ingress gateway, Flex, Bookinfo, sleep.
      for (const namespace of [env.istio.namespace, ...meshNamespaces]) need(namespace, DEPLOYMENT_READ);
    }
    if (probe === 'lockdown') need(client, POD_READ, POD_EXEC);
    if (probe === 'flexctl-check') need(flex, POD_READ, POD_EXEC);
    // The trigger is a kubectl exec into the client pod; the evidence is Flex's log.
    if (probe.startsWith('east-west-log-')) need(client, POD_READ, POD_EXEC), need(flex, POD_READ, POD_LOG);
  }
  return Object.fromEntries(Object.entries(needed).map(([namespace, grants]) => [namespace, [...grants].sort()]));
}

const DEV_APPS = 'dev-istio-base dev-prerequisites dev-istiod dev-istio-ingress dev-flex-gateway dev-bookinfo dev-sleep dev-flex-apis dev-mesh-routing dev-verification';

const VARIATIONS: Array<{ name: string; edits: readonly Edit[]; expect?: (access: Record<string, string[]>) => void }> = [
  { name: 'dev as committed', edits: [] },
  { name: 'lockdown disabled: the east-west trigger still execs in test', edits: [[['lockdown', 'enabled'], false]], expect: (a) => assert.deepEqual(a.test, [DEPLOYMENT_READ, POD_READ, POD_EXEC].sort()) },
  { name: 'no message-logging and no lockdown: no pods/exec in test, no pods/log in flex', edits: [[['apis', 1, 'policies', 0], undefined], [['lockdown', 'enabled'], false]], expect: (a) => assert.deepEqual([a.flex, a.test], [[DEPLOYMENT_READ, POD_READ, POD_EXEC].sort(), [DEPLOYMENT_READ, POD_READ].sort()]) },
  { name: 'no north-south API: the east-west log probe still reads Flex logs', edits: [[['apis', 0], undefined]], expect: (a) => assert.ok(a.flex?.includes(POD_LOG)) },
  { name: 'remote destination: nothing in the Argo CD namespace of the workload cluster', edits: [[['argocd', 'destination'], { server: 'https://edge.example.com:6443' }]], expect: (a) => assert.equal(a.argocd, undefined) },
  { name: 'no rate-limiting: the same access as dev', edits: [[['apis', 1, 'policies', 1], undefined]], expect: (a) => assert.deepEqual(a, access(generated())) },
  { name: 'a second east-west API', edits: [[['apis', 2], RATINGS_API]] },
  { name: 'renamed flex namespace: the flex grants move to gw', edits: RENAMED_FLEX, expect: (a) => assert.deepEqual([a.flex, a.gw], [undefined, [DEPLOYMENT_READ, POD_READ, POD_EXEC, POD_LOG].sort()]) },
  { name: 'renamed test namespace', edits: [[['namespaces', 'test'], 'sandbox']], expect: (a) => assert.deepEqual([a.test, a.sandbox], [undefined, [DEPLOYMENT_READ, POD_READ, POD_EXEC].sort()]) },
  { name: 'renamed Istio namespace: Deployment reads move to mesh-system', edits: [[['istio', 'namespace'], 'mesh-system']], expect: (a) => assert.deepEqual([a['istio-system'], a['mesh-system']], [undefined, [DEPLOYMENT_READ]]) },
  { name: 'verification namespace workflows', edits: [[['verification', 'namespace'], 'workflows']], expect: (a) => assert.deepEqual([a.argo, a.workflows], [undefined, [TASK_RESULTS]]) },
  { name: 'argocd namespace gitops', edits: [[['argocd', 'namespace'], 'gitops']], expect: (a) => assert.deepEqual([a.argocd, a.gitops], [undefined, [applicationsGet(DEV_APPS)]]) },
];

describe('verification RBAC', () => {
  let dev: Generated;
  before(() => {
    dev = generated();
  });

  it('dev: exactly the Roles the probes need, namespace by namespace', () => {
    assert.deepEqual(access(dev), {
      argo: [TASK_RESULTS],
      argocd: [applicationsGet(DEV_APPS)],
      bookinfo: [DEPLOYMENT_READ, POD_READ].sort(),
      flex: [DEPLOYMENT_READ, POD_READ, POD_EXEC, POD_LOG].sort(),
      'istio-system': [DEPLOYMENT_READ],
      test: [DEPLOYMENT_READ, POD_READ, POD_EXEC].sort(),
    });
  });

  it('dev: the Applications a Role may read are the Application manifests of this bundle', () => {
    const apps = dev.docs.filter((entry) => entry.path.startsWith('apps/') && entry.doc.kind === 'Application').map((entry) => entry.doc.metadata.name);
    const [role] = docsOfKind(dev, 'Role').filter((candidate) => candidate.metadata.namespace === 'argocd');
    assert.deepEqual([...(rulesOf(role!)[0]?.resourceNames ?? [])].sort(), apps.sort());
  });

  describe('grants exactly what the present probes need, and no more', () => {
    for (const { name, edits, expect } of VARIATIONS) {
      it(name, () => {
        const bundle = generated(...edits);
        assert.deepEqual(access(bundle), neededAccess(bundle));
        expect?.(access(bundle));
      });
    }
  });

  describe('is least privilege and correctly bound', () => {
    for (const { name, edits } of VARIATIONS) {
      it(name, () => {
        const bundle = generated(...edits);
        const wt = requireWorkflowTemplate(bundle);
        const kinds = new Set(bundle.docs.map((entry) => entry.doc.kind));
        for (const kind of ['ClusterRole', 'ClusterRoleBinding']) assert.ok(!kinds.has(kind), `no ${kind}`);
        const roles = docsOfKind(bundle, 'Role');
        for (const rule of roles.flatMap(rulesOf)) {
          const fields = [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.verbs ?? []), ...(rule.resourceNames ?? [])];
          assert.ok(!fields.some((field) => field.includes('*')), `wildcard in ${grant(rule)}`);
          assert.ok(!(rule.resources ?? []).some((resource) => /secret|configmap|role|serviceaccount/i.test(resource)), `sensitive resource in ${grant(rule)}`);
          assert.equal(rule.nonResourceURLs, undefined);
          assert.ok(rule.verbs?.length, 'verbs listed');
        }
        const [account, ...more] = docsOfKind(bundle, 'ServiceAccount').filter((candidate) => candidate.metadata.name === wt.spec.serviceAccountName);
        assert.equal(more.length, 0);
        assert.equal(account?.metadata.namespace, wt.metadata.namespace, "the workflow's ServiceAccount lives beside the WorkflowTemplate");
        const bindings = docsOfKind(bundle, 'RoleBinding');
        assert.equal(bindings.length, roles.length);
        for (const role of roles) {
          const bound = bindings.filter((binding) => binding.metadata.namespace === role.metadata.namespace && (binding.roleRef as { name?: string }).name === role.metadata.name);
          assert.equal(bound.length, 1, `one RoleBinding for Role ${role.metadata.namespace}/${role.metadata.name}`);
          assert.deepEqual(bound[0]!.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
          assert.deepEqual(bound[0]!.subjects, [{ kind: 'ServiceAccount', name: wt.spec.serviceAccountName, namespace: wt.metadata.namespace }]);
        }
      });
    }
  });

  it('disappears with verification', () => {
    const bundle = generated([['verification', 'enabled'], false]);
    const kinds = new Set(bundle.docs.map((entry) => entry.doc.kind));
    for (const kind of ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']) assert.ok(!kinds.has(kind), kind);
    assert.deepEqual(docsOfKind(bundle, 'ServiceAccount').filter((account) => account.metadata.name === 'dev-verification'), []);
  });
});
