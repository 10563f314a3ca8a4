// Where Argo CD's own objects go versus the workloads, and the names derived from the environment's name:
// regression tests for a remote destination (Application CRs were created on the remote cluster), a copied
// environment (it kept syncing out/dev), and an AppProject nothing kept in step with the bundle.
import assert from 'node:assert/strict';
import { APP_PROJECT_FILE, APP_PROJECT_WAVE, appProject, childApplication, rootApplication } from '../generator/resources/argocd.ts';
import type { Manifest } from '../generator/resources/types.ts';
import { bundleWith, devTextWith, devTopologyWith, documentsOf, type Edit } from './support/fixtures.ts';
import { parseTopology } from '../generator/env/load.ts';

type Spec = Record<string, any>; // read field by field below
const spec = (doc: Manifest): Spec => doc.spec as Spec;
const REMOTE = 'https://edge-cluster.example.com:6443';
const IN_CLUSTER = 'https://kubernetes.default.svc';

describe('argocd: clusters and derived names', () => {
  const cases: Array<{ name: string; edits: Edit[]; root: object; child: object; project: object[] }> = [
    {
      name: 'in-cluster (the tutorial)',
      edits: [],
      root: { server: IN_CLUSTER, namespace: 'argocd' },
      child: { server: IN_CLUSTER, namespace: 'bookinfo' },
      project: [{ server: IN_CLUSTER, namespace: 'argocd' }, { server: IN_CLUSTER, namespace: 'bookinfo' }],
    },
    {
      name: 'remote destination by server: Application CRs stay on Argo CD\'s cluster',
      edits: [[['argocd', 'destination'], { server: REMOTE }]],
      root: { server: IN_CLUSTER, namespace: 'argocd' },
      child: { server: REMOTE, namespace: 'bookinfo' },
      project: [{ server: IN_CLUSTER, namespace: 'argocd' }, { server: REMOTE, namespace: 'bookinfo' }],
    },
    {
      name: 'remote destination by cluster name, Argo CD cluster named too',
      edits: [[['argocd', 'destination'], { name: 'edge' }], [['argocd', 'cluster'], { name: 'hub' }]],
      root: { name: 'hub', namespace: 'argocd' },
      child: { name: 'edge', namespace: 'bookinfo' },
      project: [{ name: 'hub', namespace: 'argocd' }, { name: 'edge', namespace: 'bookinfo' }],
    },
  ];
  for (const { name, edits, root, child, project } of cases) {
    it(name, () => {
      const topology = devTopologyWith(...edits);
      assert.deepEqual(spec(rootApplication(topology)).destination, root);
      const bookinfo = topology.applications.children.find((app) => app.key === 'bookinfo')!;
      assert.deepEqual(spec(childApplication(topology, bookinfo)).destination, child);
      const destinations = spec(appProject(topology)).destinations as object[];
      for (const expected of project) assert.ok(destinations.some((entry) => JSON.stringify(entry) === JSON.stringify(expected)), `AppProject lacks ${JSON.stringify(expected)}`);
    });
  }

  it('a remote destination drops the argocd-apps probe (the Applications are not on that cluster) and says why', () => {
    const bundle = bundleWith([['argocd', 'destination'], { server: REMOTE }]);
    const template = bundle.get('manifests/verification/workflowtemplate-argo-dev-verify.yaml')!;
    assert.doesNotMatch(template, /argocd-apps/);
    assert.match(bundle.get('README.md')!, /`argocd-apps`: the workloads run on another cluster/);
    assert.match(bundle.get('README.md')!, /argocd cluster add/);
    assert.match(bundle.get('README.md')!, /Argo Workflows v3\.6\.19 into `argo` on the destination cluster/);
    assert.equal([...bundle.keys()].some((path) => path.includes('role-argocd-')), false, 'no Role in the Argo CD namespace of the remote cluster');
  });

  it('gitops.path and argocd.project default from the environment name, not from dev', () => {
    const text = devTextWith([['gitops', 'path'], undefined], [['argocd', 'project'], undefined]);
    const topology = parseTopology(text, 'environments/staging-eu.yaml');
    assert.equal(topology.gitops.path, 'out/staging-eu');
    assert.equal(topology.argocd.project, 'flexmesh-staging-eu');
    assert.equal(spec(rootApplication(topology)).source.path, 'out/staging-eu/apps');
    assert.equal(spec(rootApplication(topology)).project, 'flexmesh-staging-eu');
  });

  it('the AppProject is synced by the root app one wave before every child, so a change reaches Argo CD with the commit', () => {
    const bundle = bundleWith();
    assert.ok(APP_PROJECT_FILE.startsWith('apps/'), 'the root app syncs apps/');
    const project = documentsOf(bundle.get(APP_PROJECT_FILE)!)[0]!;
    assert.equal(project.metadata.annotations?.['argocd.argoproj.io/sync-wave'], String(APP_PROJECT_WAVE));
    const childWaves = [...bundle].filter(([path]) => /^apps\/\d\d-/.test(path)).map(([, content]) => Number(documentsOf(content)[0]!.metadata.annotations?.['argocd.argoproj.io/sync-wave']));
    assert.ok(childWaves.every((wave) => wave > APP_PROJECT_WAVE));
    assert.equal(bundle.has('bootstrap/appproject.yaml'), false);
    assert.match(bundle.get('README.md')!, new RegExp(`kubectl apply -f ${APP_PROJECT_FILE} -f bootstrap/root-application.yaml`));
  });
});
