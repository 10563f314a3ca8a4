// Names, labels and paths shared by every builder, so a rename happens in one place.
import type { Environment } from '../env/types.ts';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'flexmesh' } as const;

export function environmentLabels(env: Environment): Record<string, string> {
  return { ...MANAGED_BY, 'flexmesh.dev/environment': env.name };
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
export function repoPath(env: Environment, dir: string): string {
  return `${env.gitops.path}/${dir}`;
}

export function fqdn(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/** Namespaces the bundle creates (with sidecar injection), in a fixed order. */
export function meshNamespaces(env: Environment): string[] {
  return [...new Set([env.flex.namespace, env.namespaces.bookinfo, env.namespaces.test])];
}
