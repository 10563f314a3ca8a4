// Names, labels and paths shared by every builder, so a rename happens in one place.
import type { Topology } from '../model/topology.ts';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'flexmesh' } as const;

export function environmentLabels(topology: Pick<Topology, 'name'>): Record<string, string> {
  return { ...MANAGED_BY, 'flexmesh.dev/environment': topology.name };
}

/** Directories of the bundle, relative to out/<env>/. */
export const DIRS = {
  bootstrap: 'bootstrap',
  apps: 'apps',
  prerequisites: 'manifests/prerequisites',
  bookinfo: 'manifests/bookinfo',
  sleep: 'manifests/sleep',
  mesh: 'manifests/mesh',
  flexApis: 'manifests/flex-apis',
  verification: 'manifests/verification',
} as const;

/** File for one object: `<kind>-<name>.yaml`, lower-case. */
export function objectFile(dir: string, kind: string, name: string): string {
  return `${dir}/${kind.toLowerCase()}-${name}.yaml`;
}

/** Path of a bundle directory inside the GitOps repository, as Argo CD sees it. */
export function repoPath(topology: Pick<Topology, 'gitops'>, dir: string): string {
  return `${topology.gitops.path}/${dir}`;
}
