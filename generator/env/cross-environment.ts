// Rules between environments: two environments that share a GitOps folder or an AppProject overwrite each other in
// Argo CD (one syncs the other's Applications, or prunes them). Checked whenever generate or check runs, against every
// environment of the project, so a copied file is refused even when only the copy is generated.
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import type { FleetFacts } from '../model/fleet-facts.ts';
import type { Locate } from './schema-errors.ts';
import { positionOf, type PathSegment } from './source-positions.ts';

export interface LoadedEnvironment {
  file: string;
  text: string;
  topology: FleetFacts;
  /** Where a field was written when the environment extends bases (the value may be in a base). */
  locate?: Locate;
}

function located(entry: LoadedEnvironment, path: PathSegment[]): { file?: string; line: number; col: number } {
  if (entry.locate) {
    const { note: _note, ...where } = entry.locate(path, 'value');
    return where;
  }
  const lines = new LineCounter();
  return positionOf(parseDocument(entry.text, { lineCounter: lines }), lines, path);
}

const clusterKey = (cluster: FleetFacts['argocd']['cluster']) => cluster.server ?? `name:${cluster.name}`;

const SHARED: Array<{ path: PathSegment[]; what: string; key: (topology: FleetFacts) => string; fix: string }> = [
  { path: ['gitops', 'path'], what: 'GitOps folder', key: (t) => `${t.gitops.repoURL} ${t.gitops.targetRevision} ${t.gitops.path}`, fix: 'give each environment its own gitops.path (the default is out/<name>)' },
  { path: ['argocd', 'project'], what: 'AppProject', key: (t) => `${clusterKey(t.argocd.cluster)} ${t.argocd.namespace} ${t.argocd.project}`, fix: 'give each environment its own argocd.project (the default is flexmesh-<name>)' },
];

/** host + organization + environment of API Manager; undefined in Local Mode. */
function apiManagerScope(topology: FleetFacts): string | undefined {
  const anypoint = topology.env.anypoint;
  if (!topology.apiManager || !anypoint) return undefined;
  return `${anypoint.host} ${anypoint.organizationId} ${anypoint.environment.id ?? `name:${anypoint.environment.name}`}`;
}

/**
 * Each environment owns the API Manager instances whose label starts with its prefix; when one prefix starts with
 * another's in the same API Manager environment, the shorter one's reconcile would update or prune the other's APIs.
 */
function ownershipOverlaps(entry: LoadedEnvironment, byScope: Grouped): Diagnostic[] {
  const scope = apiManagerScope(entry.topology);
  const prefix = entry.topology.apiManager?.ownership.instanceLabelPrefix;
  if (!scope || !prefix) return [];
  const others = (byScope.get(scope) ?? []).filter((other) => {
    const theirs = other.topology.apiManager?.ownership.instanceLabelPrefix;
    return other.topology.name !== entry.topology.name && theirs !== undefined && (theirs.startsWith(prefix) || prefix.startsWith(theirs));
  });
  if (others.length === 0) return [];
  const path: PathSegment[] = ['anypoint', 'instanceLabelPrefix'];
  const explicit = entry.topology.env.anypoint?.instanceLabelPrefix !== undefined;
  return [{
    file: entry.file,
    ...located(entry, explicit ? path : ['anypoint']),
    path: path.join('.'),
    problem: `environment ${entry.topology.name} owns API Manager instances labelled ${prefix}*, which overlap those of ${others.map((other) => `${other.topology.name} (${other.topology.apiManager!.ownership.instanceLabelPrefix}*, ${other.file})`).join(', ')} in the same API Manager environment`,
    expected: 'prefixes of which neither starts with the other (the default flexmesh.<name>. never overlaps)',
  }];
}

/**
 * Two Flex releases in one namespace of one cluster: a Namespace-scoped Flex reads every ApiInstance and Secret of
 * its namespace, so each would serve the other's APIs (the same release from two environments is the same Flex).
 */
const flexPlace = (t: FleetFacts) => `${clusterKey(t.argocd.destination)} ${t.flex.namespace}`;

function flexReleaseClashes(entry: LoadedEnvironment, byPlace: Grouped): Diagnostic[] {
  const others = (byPlace.get(flexPlace(entry.topology)) ?? []).filter((other) => other.topology.name !== entry.topology.name && other.topology.flex.release !== entry.topology.flex.release);
  if (others.length === 0) return [];
  return [{
    file: entry.file,
    ...located(entry, ['flex', 'namespace']),
    path: 'flex.namespace',
    problem: `environment ${entry.topology.name} deploys Flex release ${entry.topology.flex.release} to namespace ${entry.topology.flex.namespace} of cluster ${clusterKey(entry.topology.argocd.destination)}, where ${others.map((other) => `${other.topology.name} (${other.file}) deploys release ${other.topology.flex.release}`).join(', ')}`,
    expected: 'another flex.namespace or another argocd.destination for one of them',
  }];
}

/** Environments by a rule's key, in the order of `all`: each rule compares an environment with its group only. */
type Grouped = Map<string, LoadedEnvironment[]>;

function groupBy(all: readonly LoadedEnvironment[], key: (topology: FleetFacts) => string | undefined): Grouped {
  const groups: Grouped = new Map();
  for (const entry of all) {
    const value = key(entry.topology);
    if (value === undefined) continue;
    const group = groups.get(value);
    if (group) group.push(entry);
    else groups.set(value, [entry]);
  }
  return groups;
}

/**
 * Problems of the `selected` environments against every other environment in `all` (selected ones included).
 * Grouped by each rule's key first, so a fleet of n environments costs n lookups per rule rather than n².
 */
export function crossEnvironmentProblems(selected: readonly LoadedEnvironment[], all: readonly LoadedEnvironment[]): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const shared = SHARED.map((rule) => groupBy(all, rule.key));
  const byScope = groupBy(all, apiManagerScope);
  const byPlace = groupBy(all, flexPlace);
  for (const entry of selected) {
    for (const [index, rule] of SHARED.entries()) {
      const key = rule.key(entry.topology);
      const others = (shared[index]!.get(key) ?? []).filter((other) => other.topology.name !== entry.topology.name);
      if (others.length === 0) continue;
      problems.push({
        file: entry.file,
        ...located(entry, rule.path),
        path: rule.path.join('.'),
        problem: `environment ${entry.topology.name} shares its ${rule.what} ${key.split(' ').pop()} with ${others.map((other) => `${other.topology.name} (${other.file})`).join(', ')}`,
        expected: rule.fix,
      });
    }
    problems.push(...ownershipOverlaps(entry, byScope), ...flexReleaseClashes(entry, byPlace));
  }
  return problems;
}
