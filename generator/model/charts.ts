// What the Helm charts make of a release name: the Service, Deployment and pod labels flexmesh routes to.
// Each fact lives here once; the real-chart render test (test/istio-charts.render.test.ts) checks Istio's.

/** istio/gateway 1.21.2 `_helpers.tpl`: name = values.name or the release; pods app=<name>, istio=<name without "istio-">. */
export const GATEWAY_CHART = {
  serviceName: (release: string) => release,
  deploymentName: (release: string) => release,
  podLabels: (release: string): Record<string, string> => ({ app: release, istio: release.replace(/^istio-/, '') }),
} as const;

/** istiod 1.21.2 without a revision: Deployment and Service `istiod`; the validation webhook calls its port 443. */
export const ISTIOD = { service: 'istiod', deployment: 'istiod', webhookPort: 443 } as const;

// ASSUMPTION (tutorial, UNVERIFIED for the 1.7.0 chart): the flex-gateway chart names its Service and Deployment
// after the release, labels pods app=<release>, and runs the gateway in container `app` (the tutorial's `exec -c app`).
export const FLEX_CHART = {
  serviceName: (release: string) => release,
  deploymentName: (release: string) => release,
  podLabels: (release: string): Record<string, string> => ({ app: release }),
  container: 'app',
  /** Key of registration.yaml in the registration Secret (the chart's own Secret uses it; an external one too: UNVERIFIED). */
  registrationKey: 'registration.yaml',
} as const;
