// Exactly the access the probes need, nothing more: the executor's workflowtaskresults Role (mandatory on
// Argo Workflows 3.6), get on this environment's Applications, pods get/list where probes look at pods,
// pods/exec where they run a request "from" a namespace, pods/log where they read Flex's log.
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { Environment } from '../../env/types.ts';
import { environmentLabels } from '../layout.ts';
import { manifest } from '../manifest.ts';
import type { Manifest } from '../types.ts';
import { serviceAccountName } from './workflow.ts';

type Rule = NonNullable<IRole['rules']>[number];

export interface NamespaceAccess { namespace: string; rules: Rule[] }

const POD_READ: Rule = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };
// kubectl exec upgrades a GET to a stream, so pods/exec needs both verbs.
const POD_EXEC: Rule = { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] };
const POD_LOG: Rule = { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] };

export function namespaceAccess(env: Environment, applications: readonly string[], probeScripts: ReadonlySet<string>): NamespaceAccess[] {
  const access = new Map<string, Rule[]>();
  const grant = (namespace: string, ...rules: Rule[]) => access.set(namespace, [...(access.get(namespace) ?? []), ...rules]);
  grant(env.verification.namespace, { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] });
  if (probeScripts.has('argocd-apps.sh')) grant(env.argocd.namespace, { apiGroups: ['argoproj.io'], resources: ['applications'], resourceNames: [...applications], verbs: ['get'] });
  if (probeScripts.has('workloads-ready.sh')) for (const namespace of [env.flex.namespace, env.namespaces.bookinfo, env.namespaces.test]) grant(namespace, POD_READ);
  if (probeScripts.has('lockdown.sh')) grant(env.namespaces.test, POD_READ, POD_EXEC);
  if (probeScripts.has('flexctl-check.sh') || probeScripts.has('east-west-log.sh')) grant(env.flex.namespace, POD_READ);
  if (probeScripts.has('flexctl-check.sh')) grant(env.flex.namespace, POD_EXEC);
  if (probeScripts.has('east-west-log.sh')) grant(env.flex.namespace, POD_LOG);
  return [...access].map(([namespace, rules]) => ({ namespace, rules: dedupe(rules) }));
}

function dedupe(rules: readonly Rule[]): Rule[] {
  const seen = new Set<string>();
  return rules.filter((rule) => {
    const key = JSON.stringify(rule);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export function verificationRbac(env: Environment, access: readonly NamespaceAccess[]): Manifest[] {
  const name = serviceAccountName(env);
  const labels = environmentLabels(env);
  const account = manifest<IServiceAccount>({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: env.verification.namespace, labels } });
  return [
    account,
    ...access.flatMap(({ namespace, rules }) => [
      manifest<IRole>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace, labels }, rules }),
      manifest<IRoleBinding>({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name, namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: env.verification.namespace }],
      }),
    ]),
  ];
}
