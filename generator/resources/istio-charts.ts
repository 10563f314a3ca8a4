// Values of Istio's Helm charts (base, istiod, gateway) at the pinned Istio version.
import type { Topology } from '../model/topology.ts';

// global.istioNamespace is where base points its default validating webhook and istiod its Service, RBAC and
// mesh rootNamespace (istiod's configmap.yaml defaults rootNamespace to it); left at the chart default they would
// stay istio-system whatever namespace the Applications install into.

/** defaultRevision=default makes base create the istiod-default-validator webhook, as the tutorial's install does. */
export function istioBaseValues(topology: Topology): Record<string, unknown> {
  return { defaultRevision: 'default', global: { istioNamespace: topology.istio.namespace } };
}

export function istiodValues(topology: Topology): Record<string, unknown> {
  return { global: { istioNamespace: topology.istio.namespace } };
}

export function gatewayValues(topology: Topology): Record<string, unknown> {
  return { service: { type: topology.env.istio.ingressGateway.serviceType } };
}
