// The fleet: one ApplicationSet that creates every environment's root Application, so onboarding a cluster is
// `flexmesh init` + `generate` + commit. Generator: git files over `fleet.json`, a small record each bundle carries
// (not in a synced folder), so the root Application's name, project and path come from flexmesh and not from folder
// names; a git directories generator would only know the folder's name.
// Root Applications of the fleet live where the ApplicationSet does (its namespace on Argo CD's own cluster), in the
// AppProject of the same name shipped beside it (flexmesh-fleet; one per fleet when a project has several), which may only create Applications and AppProjects there: the
// environment's own AppProject is created by its root app (wave -1), so it cannot hold that root app.
import { createHash } from 'node:crypto';
import type { FleetFacts } from '../model/fleet-facts.ts';
import type { Topology } from '../model/topology.ts';
import { DIRS } from './layout.ts';
import { rootApplication } from './argocd.ts';
import type { BundleFile, Manifest } from './types.ts';

export const FLEET_RECORD = 'fleet.json';
export const FLEET_DIR = '_fleet';
/** The fleet's name (ApplicationSet and AppProject) when the project has one fleet. */
export const FLEET_PROJECT = 'flexmesh-fleet';
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** What the ApplicationSet template reads of one environment (go template: `{{ .root.name }}`). */
export function fleetRecord(topology: Topology): { environment: string; root: { name: string; path: string } } {
  return { environment: topology.name, root: { name: topology.applications.root, path: `${topology.gitops.path}/${DIRS.apps}` } };
}

export function fleetRecordFiles(topology: Topology): BundleFile[] {
  return [{ path: FLEET_RECORD, text: `${JSON.stringify(fleetRecord(topology), null, 2)}\n` }];
}

/** Environments one ApplicationSet can serve: same Argo CD namespace, repository and revision, Argo CD in-cluster. */
export function fleetKey(topology: FleetFacts): string | undefined {
  if (topology.argocd.cluster.server !== IN_CLUSTER) return undefined;
  return JSON.stringify([topology.argocd.namespace, topology.gitops.repoURL, topology.gitops.targetRevision]);
}

export interface Fleet<T extends FleetFacts = FleetFacts> { name: string; members: T[]; documents: Manifest[] }

function globsOf(members: readonly FleetFacts[]): string[] {
  // One glob per parent folder of the bundles (out/* for the default out/<name>), so a new environment there joins
  // without changing the ApplicationSet.
  return [...new Set(members.map((member) => `${member.gitops.path.split('/').slice(0, -1).concat('*').join('/')}/${FLEET_RECORD}`))].sort();
}

function fleetDocuments(name: string, members: readonly FleetFacts[], first: Topology): Manifest[] {
  const { namespace } = first.argocd;
  const labels = { 'app.kubernetes.io/managed-by': 'flexmesh' };
  // The template is the environment's own root Application with the per-environment fields read from fleet.json.
  const root = rootApplication(first) as unknown as { metadata: Record<string, unknown>; spec: { source: Record<string, unknown> } & Record<string, unknown> };
  const template = {
    metadata: { ...root.metadata, name: '{{ .root.name }}', namespace: undefined, labels: { ...(root.metadata.labels as object), 'flexmesh.dev/environment': '{{ .environment }}' } },
    spec: { ...root.spec, project: name, source: { ...root.spec.source, path: '{{ .root.path }}' } },
  };
  const project: Manifest = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    // Named as its ApplicationSet: two fleets in one Argo CD namespace (other repositories) must not share one.
    metadata: { name, namespace, labels },
    spec: {
      description: 'Root Applications of the flexmesh fleet: they create Applications and AppProjects in Argo CD\'s namespace',
      sourceRepos: [first.gitops.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'Application' }, { group: 'argoproj.io', kind: 'AppProject' }],
    },
  } as unknown as Manifest;
  const applicationSet: Manifest = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name, namespace, labels },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: first.gitops.repoURL, revision: first.gitops.targetRevision, files: globsOf(members).map((path) => ({ path })) } }],
      // Removing an environment's record must not cascade-delete its running workloads by surprise.
      syncPolicy: { preserveResourcesOnDeletion: true },
      template,
    },
  } as unknown as Manifest;
  return [project, applicationSet];
}

/**
 * One ApplicationSet per group of environments that can share one; environments outside any group keep bootstrap/.
 * `whole` gives the whole topology of an environment: each ApplicationSet's template is its first member's root
 * Application.
 */
export function fleets<T extends FleetFacts>(topologies: readonly T[], whole: (member: T) => Topology): { fleets: Fleet<T>[]; outside: T[] } {
  const groups = new Map<string, T[]>();
  const outside: T[] = [];
  for (const topology of topologies) {
    const key = fleetKey(topology);
    if (key === undefined) outside.push(topology);
    else if (groups.has(key)) groups.get(key)!.push(topology);
    else groups.set(key, [topology]);
  }
  const keys = [...groups.keys()].sort();
  return {
    outside,
    fleets: keys.map((key) => {
      const members = groups.get(key)!;
      const name = keys.length === 1 ? FLEET_PROJECT : `${FLEET_PROJECT}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
      return { name, members, documents: fleetDocuments(name, members, whole(members[0]!)) };
    }),
  };
}
