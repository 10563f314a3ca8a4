// Istio: the ingress Gateway and the VirtualServices that send north-south and east-west traffic through Flex,
// and the AuthorizationPolicy that only lets Flex (and Bookinfo itself) call Bookinfo.
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { Api, Environment } from '../env/types.ts';
import { flexPodLabels, flexServiceName } from './flex.ts';
import { DIRS, environmentLabels, fqdn, objectFile } from './layout.ts';
import { manifest } from './manifest.ts';
import type { BundleFile, Manifest } from './types.ts';

// Istio 1.21.2 serves networking.istio.io v1alpha3/v1beta1 (not v1) and security.istio.io v1beta1/v1.
export const NETWORKING_API = 'networking.istio.io/v1beta1';
export const SECURITY_API = 'security.istio.io/v1';

/** The labels the istio/gateway chart puts on its pods (its _helpers.tpl): app=<name>, istio=<name without "istio-">. */
export function gatewayPodLabels(releaseName: string): { app: string; istio: string } {
  return { app: releaseName, istio: releaseName.replace(/^istio-/, '') };
}

export const NORTH_SOUTH_NAME = 'flex';

function flexDestination(env: Environment) {
  return { host: fqdn(flexServiceName(env), env.flex.namespace), port: { number: env.flex.port } };
}

export function ingressGateway(env: Environment): Manifest {
  const spec: IGateway['spec'] = {
    selector: { app: gatewayPodLabels(env.istio.ingressGateway.releaseName).app },
    servers: [{ port: { number: env.istio.ingressGateway.port, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
  };
  return manifest<IGateway>({ apiVersion: NETWORKING_API, kind: 'Gateway', metadata: { name: NORTH_SOUTH_NAME, namespace: env.flex.namespace, labels: environmentLabels(env) }, spec });
}

export function northSouthRoute(env: Environment, api: Api): Manifest {
  const spec: IVirtualService['spec'] = {
    hosts: ['*'],
    gateways: [NORTH_SOUTH_NAME],
    http: [{ route: [{ destination: flexDestination(env) }], rewrite: { uri: api.basePath } }],
  };
  return manifest<IVirtualService>({ apiVersion: NETWORKING_API, kind: 'VirtualService', metadata: { name: NORTH_SOUTH_NAME, namespace: env.flex.namespace, labels: environmentLabels(env) }, spec });
}

/** Calls to the upstream go through Flex, except Flex's own calls (matched by its pod labels), which go straight on. */
export function eastWestRoute(env: Environment, api: Api): Manifest {
  const upstreamHost = fqdn(api.upstream.service, api.upstream.namespace);
  const spec: IVirtualService['spec'] = {
    hosts: [upstreamHost],
    http: [
      { match: [{ sourceLabels: flexPodLabels(env) }], route: [{ destination: { host: upstreamHost, port: { number: api.upstream.port } } }] },
      { route: [{ destination: flexDestination(env) }], rewrite: { uri: api.basePath } },
    ],
  };
  return manifest<IVirtualService>({ apiVersion: NETWORKING_API, kind: 'VirtualService', metadata: { name: api.name, namespace: env.istio.namespace, labels: environmentLabels(env) }, spec });
}

export function lockdownAllowedNamespaces(env: Environment): string[] {
  return env.lockdown.allowFromNamespaces ?? [env.flex.namespace, env.namespaces.bookinfo];
}

export function bookinfoLockdown(env: Environment): Manifest {
  const spec: IAuthorizationPolicy['spec'] = { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: lockdownAllowedNamespaces(env) } }] }] };
  return manifest<IAuthorizationPolicy>({ apiVersion: SECURITY_API, kind: 'AuthorizationPolicy', metadata: { name: 'flex-allow', namespace: env.namespaces.bookinfo, labels: environmentLabels(env) }, spec });
}

export function meshRoutingFiles(env: Environment): BundleFile[] {
  const documents: Manifest[] = [];
  const northSouth = env.apis.find((api) => api.traffic === 'north-south');
  if (northSouth) documents.push(ingressGateway(env), northSouthRoute(env, northSouth));
  for (const api of env.apis.filter((candidate) => candidate.traffic === 'east-west')) documents.push(eastWestRoute(env, api));
  if (env.lockdown.enabled) documents.push(bookinfoLockdown(env));
  return documents.map((doc) => ({ path: objectFile(DIRS.mesh, doc.kind, `${doc.metadata.namespace}-${doc.metadata.name}`), documents: [doc] }));
}
