// Exactly the access the probes need, nothing more: the executor's workflowtaskresults Role (mandatory on
// Argo Workflows 3.6) plus the union of what each probe declares (access.ts).
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { Topology } from '../../model/topology.ts';
import { environmentLabels } from '../layout.ts';
import { manifest } from '../manifest.ts';
import type { Manifest } from '../types.ts';
import { mergeAccess, type Access } from './access.ts';
import type { Probe } from './probes.ts';

export function namespaceAccess(topology: Topology, probes: readonly Probe[]): Access[] {
  const executor: Access = { namespace: topology.verification.namespace, rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }] };
  return mergeAccess([executor], ...probes.map((probe) => probe.access));
}

export function verificationRbac(topology: Topology, access: readonly Access[]): Manifest[] {
  const name = topology.verification.serviceAccount;
  const labels = environmentLabels(topology);
  const account = manifest<IServiceAccount>({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: topology.verification.namespace, labels } });
  return [
    account,
    ...access.flatMap(({ namespace, rules }) => [
      manifest<IRole>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace, labels }, rules }),
      manifest<IRoleBinding>({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name, namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: topology.verification.namespace }],
      }),
    ]),
  ];
}
