// What the charts the bundle installs create, as the output checks know them, stated here from the upstream chart
// sources and not taken from the builders: a builder's mistake then shows up as a mismatch instead of being agreed
// with. test/validator-chart-facts.test.ts checks these facts against the real `helm template` of the Istio charts.
import { obj } from './json.ts';

export interface ChartService { name: string; ports: number[] }

/**
 * istio/gateway 1.21.2 templates/_helpers.tpl: name = values.name, else the release name; selector labels
 * app=<labels.app or name>, istio=<labels.istio or name without a leading "istio-">; pods carry the other labels too.
 */
export function gatewayChartPodLabels(release: string, values: Record<string, unknown>): Record<string, string> {
  const name = typeof values.name === 'string' && values.name !== '' ? values.name : release;
  const labels = obj(values.labels) as Record<string, string>;
  return { ...labels, app: labels.app ?? name, istio: labels.istio ?? name.replace(/^istio-/, '') };
}

/** Services a chart creates, with their ports (istio/gateway and istiod 1.21.2 templates; Flex's http port). */
export function chartServices(chart: string | undefined, release: string, values: Record<string, unknown>): ChartService[] {
  if (chart === 'flex-gateway') return [{ name: release, ports: [Number(obj(obj(values.service).http).port ?? 80)] }];
  if (chart === 'gateway') return [{ name: typeof values.name === 'string' && values.name !== '' ? values.name : release, ports: [15021, 80, 443] }];
  // istiod without a revision: Service istiod (grpc-xds 15010, https-dns 15012, https-webhook 443, http-monitoring 15014).
  if (chart === 'istiod') return [{ name: 'istiod', ports: [15010, 15012, 443, 15014] }];
  return [];
}

/** Deployments a chart creates (same sources; ASSUMPTION, UNVERIFIED for Flex 1.7.0: named after the release). */
export function chartDeployments(chart: string | undefined, release: string, values: Record<string, unknown>): string[] {
  if (chart === 'flex-gateway') return [release];
  if (chart === 'gateway') return [typeof values.name === 'string' && values.name !== '' ? values.name : release];
  if (chart === 'istiod') return ['istiod'];
  return [];
}
