// Each API of the environment resolved against the topology: where Flex listens for it, the upstream Service it
// forwards to, the policies that shape what a probe must send and expect, and the smoke request that proves it.
import type { Api, Environment, Policy, RateLimit, Smoke, TrafficDirection } from '../env/types.ts';
import { BOOKINFO_SERVICES, BOOKINFO_SMOKE, type BookinfoService } from './bookinfo-catalog.ts';
import { serviceRef, serviceUrl, type ServiceRef } from './service-ref.ts';

export interface ResolvedApi {
  name: string;
  basePath: string;
  traffic: TrafficDirection;
  policies: Policy[];
  upstream: ServiceRef;
  /** The ApiInstance's spec.address: Flex listens on every interface of its pod. */
  listenAddress: string;
  /** The API through Flex's Service, e.g. http://flex.flex.svc.cluster.local:8081/bookinfo/reviews/. */
  flexUrl: string;
  /** Name of the credentials entry its basic-auth policy uses. */
  basicAuth?: string;
  logging: boolean;
  /** The limit a burst of requests exhausts first: the one with the fewest requests per window. */
  rateLimit?: RateLimit & { exposeHeaders: boolean };
  /** The request that proves the API works; undefined when the environment gave none and the upstream is not Bookinfo's. */
  smoke?: Smoke & { origin: 'environment' | 'bookinfo-default' };
  /** The smoke request's path as Flex receives it (base path + smoke path), which message-logging records. */
  smokeHop?: string;
}

/** `/bookinfo/reviews/` + `/reviews/0` → `/bookinfo/reviews/reviews/0`: base paths end with "/", smoke paths start with one. */
export function joinPath(basePath: string, path: string): string {
  return `${basePath}${path.replace(/^\//, '')}`;
}

export function upstreamNamespace(env: Environment, api: Api): string {
  return api.upstream.namespace ?? env.namespaces.bookinfo;
}

function bookinfoService(env: Environment, api: Api): BookinfoService | undefined {
  const name = api.upstream.service as BookinfoService;
  return upstreamNamespace(env, api) === env.namespaces.bookinfo && BOOKINFO_SERVICES.includes(name) ? name : undefined;
}

function smokeOf(env: Environment, api: Api): ResolvedApi['smoke'] {
  if (api.smoke) return { ...api.smoke, origin: 'environment' };
  const service = bookinfoService(env, api);
  return service ? { ...BOOKINFO_SMOKE[service], origin: 'bookinfo-default' } : undefined;
}

function tightestLimit(policies: readonly Policy[]): ResolvedApi['rateLimit'] {
  const policy = policies.find((candidate) => candidate.type === 'rate-limiting');
  if (!policy || policy.type !== 'rate-limiting') return undefined;
  const [first, ...rest] = policy.rateLimits;
  if (!first) return undefined;
  const tightest = rest.reduce((best, limit) => (limit.maximumRequests < best.maximumRequests ? limit : best), first);
  return { ...tightest, exposeHeaders: policy.exposeHeaders };
}

export function resolveApis(env: Environment, flexService: ServiceRef): ResolvedApi[] {
  return env.apis.map((api) => {
    const basicAuth = api.policies.find((policy) => policy.type === 'basic-auth');
    const smoke = smokeOf(env, api);
    return {
      name: api.name,
      basePath: api.basePath,
      traffic: api.traffic,
      policies: api.policies,
      upstream: serviceRef(api.upstream.service, upstreamNamespace(env, api), api.upstream.port),
      listenAddress: `http://0.0.0.0:${env.flex.port}${api.basePath}`,
      flexUrl: serviceUrl(flexService, api.basePath),
      basicAuth: basicAuth?.type === 'basic-auth' ? basicAuth.credentials : undefined,
      logging: api.policies.some((policy) => policy.type === 'message-logging'),
      rateLimit: tightestLimit(api.policies),
      smoke,
      smokeHop: smoke ? joinPath(api.basePath, smoke.path) : undefined,
    };
  });
}
