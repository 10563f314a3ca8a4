// Values of Istio's Helm charts (base, istiod, gateway) at the pinned Istio version.
import type { Environment } from '../env/types.ts';

/** defaultRevision=default makes base create the istiod-default-validator webhook, as the tutorial's install does. */
export function istioBaseValues(): Record<string, unknown> {
  return { defaultRevision: 'default' };
}

export function istiodValues(): Record<string, unknown> {
  return {};
}

export function gatewayValues(env: Environment): Record<string, unknown> {
  return { service: { type: env.istio.ingressGateway.serviceType } };
}
