// What each probe script does in the cluster, as RBAC rules per namespace: the probes' ServiceAccount gets exactly
// the union of these. Kept beside the scripts' needs, so a probe added without its access is caught by the RBAC test.
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { reconcileNames } from '../../model/api-manager.ts';
import type { Topology } from '../../model/topology.ts';

export type Rule = NonNullable<IRole['rules']>[number];
export interface Access { namespace: string; rules: Rule[] }

const POD_READ: Rule = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };
// kubectl exec upgrades a GET to a stream, so pods/exec needs both verbs.
const POD_EXEC: Rule = { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] };
const POD_LOG: Rule = { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] };
const DEPLOYMENT_READ: Rule = { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] };

export function probeAccess(topology: Topology, script: string): Access[] {
  const { flex, sleep } = topology;
  switch (script) {
    case 'argocd-apps.sh':
      return [{ namespace: topology.argocd.namespace, rules: [{ apiGroups: ['argoproj.io'], resources: ['applications'], resourceNames: topology.applications.children.map((app) => app.name), verbs: ['get'] }] }];
    case 'workloads-ready.sh':
      return [
        ...topology.namespaces.mesh.map((namespace) => ({ namespace, rules: [POD_READ, DEPLOYMENT_READ] })),
        { namespace: topology.istio.namespace, rules: [DEPLOYMENT_READ] },
      ];
    case 'east-west-log.sh':
      return [{ namespace: sleep.namespace, rules: [POD_READ, POD_EXEC] }, { namespace: flex.namespace, rules: [POD_READ, POD_LOG] }];
    case 'lockdown.sh':
      return [{ namespace: sleep.namespace, rules: [POD_READ, POD_EXEC] }];
    case 'api-manager-reconciled.sh':
      return [{ namespace: flex.namespace, rules: [{ apiGroups: ['batch'], resources: ['jobs'], resourceNames: [reconcileNames(topology.name).job], verbs: ['get'] }] }];
    case 'flexctl-check.sh':
      return [{ namespace: flex.namespace, rules: [POD_READ, POD_EXEC] }];
    default:
      return [];
  }
}

/** Access per namespace, merged over probes and deduplicated, namespaces in first-use order. */
export function mergeAccess(...sets: ReadonlyArray<readonly Access[]>): Access[] {
  const merged = new Map<string, Map<string, Rule>>();
  for (const { namespace, rules } of sets.flat()) {
    const entry = merged.get(namespace) ?? new Map<string, Rule>();
    for (const rule of rules) entry.set(JSON.stringify(rule), rule);
    merged.set(namespace, entry);
  }
  return [...merged].map(([namespace, rules]) => ({ namespace, rules: [...rules.values()] }));
}
