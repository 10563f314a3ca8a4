// The child Applications of an environment: name, sync wave and destination namespace. Sources are built by the
// argocd family; probes, RBAC and the README read the names from here.
import type { Environment } from '../env/types.ts';

export type AppKey = 'prerequisites' | 'istio-base' | 'istiod' | 'istio-ingress' | 'flex-gateway' | 'bookinfo' | 'sleep' | 'mesh-routing' | 'flex-apis' | 'verification';

export interface AppSlot { key: AppKey; name: string; wave: number; namespace: string }

export function applicationSlots(env: Environment): { root: string; children: AppSlot[] } {
  const { istio, flex } = env;
  const slot = (key: AppKey, wave: number, namespace: string): AppSlot => ({ key, name: `${env.name}-${key}`, wave, namespace });
  const children = [
    slot('prerequisites', 0, flex.namespace),
    slot('istio-base', 0, istio.namespace),
    slot('istiod', 1, istio.namespace),
    slot('istio-ingress', 2, istio.namespace),
    slot('flex-gateway', 3, flex.namespace),
    slot('bookinfo', 4, env.namespaces.bookinfo),
    slot('sleep', 4, env.namespaces.test),
    slot('mesh-routing', 5, flex.namespace),
    // Local Mode: the ApiInstances; Connected Mode: the job that configures API Manager.
    slot('flex-apis', 5, flex.namespace),
    ...(env.verification.enabled ? [slot('verification', 6, env.verification.namespace)] : []),
  ];
  // Code-point order: localeCompare would load ICU's collator (several ms of a cold run) to sort fixed ASCII keys.
  return { root: `${env.name}-root`, children: children.sort((a, b) => a.wave - b.wave || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}
