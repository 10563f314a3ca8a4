// Istio: the ingress Gateway and the VirtualServices that send north-south and east-west traffic through Flex,
// and the AuthorizationPolicy that only lets Flex (and Bookinfo itself) call Bookinfo.
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { GATEWAY_CHART } from '../model/charts.ts';
import type { ResolvedApi, Topology } from '../model/topology.ts';
import { DIRS, environmentLabels, objectFile } from './layout.ts';
import { manifest } from './manifest.ts';
import type { BundleFile, Manifest } from './types.ts';

// Istio 1.21.2 serves networking.istio.io v1alpha3/v1beta1 (not v1) and security.istio.io v1beta1/v1.
export const NETWORKING_API = 'networking.istio.io/v1beta1';
export const SECURITY_API = 'security.istio.io/v1';

/** The labels the istio/gateway chart puts on its pods (its _helpers.tpl): app=<name>, istio=<name without "istio-">. */
export const gatewayPodLabels = GATEWAY_CHART.podLabels;

export const NORTH_SOUTH_NAME = 'flex';

function flexDestination(topology: Topology) {
  return { host: topology.flex.service.host, port: { number: topology.flex.port } };
}

export function ingressGateway(topology: Topology): Manifest {
  const spec: IGateway['spec'] = {
    selector: { app: topology.istio.gateway.podLabels.app! },
    servers: [{ port: { number: topology.istio.gateway.serverPort, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
  };
  return manifest<IGateway>({ apiVersion: NETWORKING_API, kind: 'Gateway', metadata: { name: NORTH_SOUTH_NAME, namespace: topology.flex.namespace, labels: environmentLabels(topology) }, spec });
}

export function northSouthRoute(topology: Topology, api: ResolvedApi): Manifest {
  const spec: IVirtualService['spec'] = {
    hosts: ['*'],
    gateways: [NORTH_SOUTH_NAME],
    http: [{ route: [{ destination: flexDestination(topology) }], rewrite: { uri: api.basePath } }],
  };
  return manifest<IVirtualService>({ apiVersion: NETWORKING_API, kind: 'VirtualService', metadata: { name: NORTH_SOUTH_NAME, namespace: topology.flex.namespace, labels: environmentLabels(topology) }, spec });
}

/** Calls to the upstream go through Flex, except Flex's own calls (matched by its pod labels), which go straight on. */
export function eastWestRoute(topology: Topology, api: ResolvedApi): Manifest {
  const upstreamHost = api.upstream.host;
  const spec: IVirtualService['spec'] = {
    hosts: [upstreamHost],
    http: [
      { match: [{ sourceLabels: topology.flex.podLabels }], route: [{ destination: { host: upstreamHost, port: { number: api.upstream.port } } }] },
      { route: [{ destination: flexDestination(topology) }], rewrite: { uri: api.basePath } },
    ],
  };
  return manifest<IVirtualService>({ apiVersion: NETWORKING_API, kind: 'VirtualService', metadata: { name: api.name, namespace: topology.istio.namespace, labels: environmentLabels(topology) }, spec });
}

export function bookinfoLockdown(topology: Topology): Manifest {
  const spec: IAuthorizationPolicy['spec'] = { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: topology.lockdown.allowFrom } }] }] };
  return manifest<IAuthorizationPolicy>({ apiVersion: SECURITY_API, kind: 'AuthorizationPolicy', metadata: { name: 'flex-allow', namespace: topology.bookinfo.namespace, labels: environmentLabels(topology) }, spec });
}

export function meshRoutingFiles(topology: Topology): BundleFile[] {
  const documents: Manifest[] = [];
  if (topology.northSouth) documents.push(ingressGateway(topology), northSouthRoute(topology, topology.northSouth));
  for (const api of topology.eastWest) documents.push(eastWestRoute(topology, api));
  if (topology.lockdown.enabled) documents.push(bookinfoLockdown(topology));
  return documents.map((doc) => ({ path: objectFile(DIRS.mesh, doc.kind, `${doc.metadata.namespace}-${doc.metadata.name}`), documents: [doc] }));
}
