// The fleet (generator/resources/fleet.ts, render/fleet-bundle.ts): one ApplicationSet whose template, filled with
// each bundle's fleet.json, is that environment's own root Application (in the fleet's AppProject); schema-checked
// against the pinned Argo CD 2.13 ApplicationSet CRD; the rule on Flex releases sharing a namespace.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { crossEnvironmentProblems } from '../generator/env/cross-environment.ts';
import { fleetBundle } from '../generator/render/fleet-bundle.ts';
import { rootApplication } from '../generator/resources/argocd.ts';
import { FLEET_PROJECT, fleets } from '../generator/resources/fleet.ts';
import { checkManifests } from '../generator/validate/check-manifests.ts';
import { locateDocuments } from '../generator/validate/located.ts';
import { parseTopology } from '../generator/env/load.ts';
import { devTextWith, devTopologyWith, generateCommitted, PROJECT_ROOT, type Edit } from './support/fixtures.ts';

const committed = ['dev', 'prod', 'staging'].map((name) => generateCommitted(name));

/** What Argo CD's go template does with `{{ .a.b }}` over the record (missingkey=error: an unknown key fails). */
function render(value: unknown, record: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{ \.([\w.]+) \}\}/g, (_, path: string) => {
      const found = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], record);
      assert.equal(typeof found, 'string', `missing key ${path}`);
      return found as string;
    });
  }
  if (Array.isArray(value)) return value.map((item) => render(item, record));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, render(item, record)]));
  return value;
}

describe('fleet: one ApplicationSet for the committed environments', () => {
  const fleet = fleetBundle(committed.map((entry) => entry.topology), (topology) => topology)!;
  const docs = parseAllDocuments(fleet.find((file) => file.path === 'flexmesh-fleet.yaml')!.content).map((doc) => doc.toJS());
  const applicationSet = docs.find((doc) => doc.kind === 'ApplicationSet');

  it('is committed as out/_fleet, byte for byte', () => {
    for (const file of fleet) assert.equal(readFileSync(join(PROJECT_ROOT, 'out/_fleet', file.path), 'utf8'), file.content, file.path);
  });

  it('its git files generator matches every committed fleet.json', () => {
    const globs = applicationSet.spec.generators[0].git.files.map((entry: { path: string }) => entry.path);
    assert.deepEqual(globs, ['out/*/fleet.json']);
    for (const { topology } of committed) assert.match(`${topology.gitops.path}/fleet.json`, /^out\/[^/]+\/fleet\.json$/);
  });

  for (const { env, topology, files } of committed) {
    it(`its template over out/${env.name}/fleet.json is ${env.name}'s root Application, in project ${FLEET_PROJECT}`, () => {
      const record = JSON.parse(files.find((file) => file.path === 'fleet.json')!.content) as Record<string, unknown>;
      const generated = render(applicationSet.spec.template, record) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
      const own = JSON.parse(JSON.stringify(rootApplication(topology))) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
      assert.deepEqual({ ...generated.metadata, namespace: applicationSet.metadata.namespace }, own.metadata);
      assert.deepEqual(generated.spec, { ...own.spec, project: FLEET_PROJECT });
    });
  }

  it('its AppProject lets root Applications create only Applications and AppProjects in Argo CD\'s namespace', () => {
    const project = docs.find((doc) => doc.kind === 'AppProject');
    assert.deepEqual([project.metadata.name, project.spec.destinations, project.spec.clusterResourceWhitelist], [FLEET_PROJECT, [{ namespace: 'argocd', server: 'https://kubernetes.default.svc' }], []]);
    const kinds = new Set(committed.flatMap(({ files }) => files.filter((file) => file.path.startsWith('apps/')).flatMap((file) => parseAllDocuments(file.content).map((doc) => doc.toJS().kind))));
    assert.deepEqual([...kinds].sort(), project.spec.namespaceResourceWhitelist.map((entry: { kind: string }) => entry.kind).sort());
  });

  const breaks: Array<{ name: string; edit: (doc: Record<string, any>) => void; message: RegExp }> = [
    { name: 'an unknown generator', edit: (doc) => { doc.spec.generators[0].gitt = doc.spec.generators[0].git; delete doc.spec.generators[0].git; }, message: /gitt/ },
    { name: 'goTemplate as a string', edit: (doc) => { doc.spec.goTemplate = 'yes'; }, message: /goTemplate/ },
    { name: 'a template without spec', edit: (doc) => { delete doc.spec.template.spec; }, message: /spec/ },
  ];
  for (const { name, edit, message } of breaks) {
    it(`the pinned ApplicationSet schema refuses ${name}`, () => {
      const broken = structuredClone(applicationSet);
      edit(broken);
      const located = locateDocuments('out/_fleet/x.yaml', JSON.stringify(broken));
      const problems = checkManifests(located.docs, ['argocd']);
      assert.ok(problems.some((problem) => message.test(`${problem.path} ${problem.problem}`)), JSON.stringify(problems));
    });
  }

  it('environments whose Argo CD runs elsewhere keep their own bootstrap and are listed outside the fleet', () => {
    const remote = devTopologyWith([['argocd', 'cluster'], { server: 'https://argocd.example.com' }]);
    const result = fleets([committed[0]!.topology, remote], (topology) => topology);
    assert.deepEqual([result.fleets.map((entry) => entry.members.map((member) => member.name)), result.outside.map((entry) => entry.name)], [[['dev']], ['dev']]);
  });

  it('two fleets in one Argo CD namespace (other repositories) each get an AppProject of their own name, which their root Applications use', () => {
    const elsewhere = devTopologyWith([['gitops', 'repoURL'], 'https://git.example.com/other/gitops.git']);
    const result = fleets([committed[0]!.topology, elsewhere], (topology) => topology);
    assert.equal(result.fleets.length, 2);
    const named = result.fleets.map((fleet) => {
      const [project, applicationSet] = fleet.documents as unknown as Array<{ kind: string; metadata: { name: string; namespace: string }; spec: { template?: { spec: { project: string } } } }>;
      assert.deepEqual([project!.kind, applicationSet!.kind, project!.metadata.name, applicationSet!.spec.template!.spec.project], ['AppProject', 'ApplicationSet', fleet.name, fleet.name]);
      return `${project!.metadata.namespace}/${project!.metadata.name}`;
    });
    assert.equal(new Set(named).size, 2, named.join(', '));
  });

  it('root Application names of a fleet are unique', () => {
    const names = committed.map(({ topology }) => topology.applications.root);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((name) => name.length <= 63));
  });
});

describe('fleet: two Flex releases in one namespace of one cluster are refused', () => {
  const loaded = (name: string, ...edits: Edit[]) => {
    const text = devTextWith(...edits);
    return { file: `environments/${name}.yaml`, text, topology: parseTopology(text, `environments/${name}.yaml`) };
  };
  it('a different release in the same namespace and cluster', () => {
    const a = loaded('a');
    const b = loaded('b', [['flex', 'releaseName'], 'flex-b']);
    const problems = crossEnvironmentProblems([b], [a, b]).filter((problem) => problem.path === 'flex.namespace');
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0]!.problem, /deploys Flex release flex-b to namespace flex of cluster https:\/\/kubernetes\.default\.svc, where a \(environments\/a\.yaml\) deploys release flex/);
    assert.equal(problems[0]!.path, 'flex.namespace');
  });
  it('the same release, another namespace, or another cluster is allowed', () => {
    const a = loaded('a');
    for (const b of [loaded('b'), loaded('b', [['flex', 'releaseName'], 'flex-b'], [['flex', 'namespace'], 'flex-b']), loaded('b', [['flex', 'releaseName'], 'flex-b'], [['argocd', 'destination'], { name: 'other' }])]) {
      assert.deepEqual(crossEnvironmentProblems([b], [a, b]).filter((problem) => problem.path === 'flex.namespace'), []);
    }
  });
});
