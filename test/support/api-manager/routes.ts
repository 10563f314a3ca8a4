// Routes of the fake control plane. Bodies are checked the way the documented API needs them (a create without
// spec or proxyUri is a 400), so the reconcile script cannot pass by sending less than API Manager requires.
import { randomUUID } from 'node:crypto';
import type { FakeApi, FakeState } from './state.ts';

export interface Result { status: number; body?: unknown }
export interface Route { method: string; path: RegExp; auth?: false; handle(input: { params: string[]; query: Record<string, string>; body: unknown }): Result }

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const bad = (message: string): Result => ({ status: 400, body: { message } });
const ENV = '/organizations/([^/]+)/environments/([^/]+)';
const APIS = `^/apimanager/api/v1${ENV}/apis`;

function summary(api: FakeApi): Json {
  return { id: api.id, instanceLabel: api.instanceLabel, technology: api.technology, assetId: api.assetId, assetVersion: api.assetVersion, endpointUri: api.endpoint.uri };
}

function full(api: FakeApi): Json {
  return { id: api.id, instanceLabel: api.instanceLabel, technology: api.technology, groupId: api.groupId, assetId: api.assetId, assetVersion: api.assetVersion, endpoint: api.endpoint, routing: api.routing, deployment: api.deployment };
}

export function apiRoutes(state: FakeState): Route[] {
  const scope = (params: string[]): Result | undefined => {
    if (params[0] !== state.organizationId) return { status: 403, body: { message: `no access to organization ${params[0]}` } };
    if (!state.environments.some((environment) => environment.id === params[1])) return { status: 404, body: { message: `environment ${params[1]} not found` } };
    return undefined;
  };
  const find = (params: string[]): FakeApi | Result => scope(params) ?? state.apis.find((api) => String(api.id) === params[2]) ?? { status: 404, body: { message: `api ${params[2]} not found` } };
  const isResult = (value: FakeApi | Result): value is Result => 'status' in value;
  const withApi = (params: string[], handle: (api: FakeApi) => Result): Result => {
    const api = find(params);
    return isResult(api) ? api : handle(api);
  };

  return [
    {
      method: 'POST', path: /^\/accounts\/api\/v2\/oauth2\/token$/, auth: false,
      handle: ({ body }) => {
        const { grant_type: grant, client_id: id, client_secret: secret } = obj(body);
        if (grant !== 'client_credentials') return bad('unsupported grant_type');
        if (typeof id !== 'string' || state.clients[id] !== secret) return { status: 401, body: { error: 'invalid_client', error_description: 'Bad client credentials' } };
        const token = randomUUID();
        state.tokens.add(token);
        return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 3600 } };
      },
    },
    {
      method: 'GET', path: /^\/accounts\/api\/organizations\/([^/]+)\/environments$/,
      handle: ({ params }) => (params[0] === state.organizationId ? { status: 200, body: { data: state.environments, total: state.environments.length } } : { status: 403, body: { message: 'Forbidden' } }),
    },
    {
      method: 'GET', path: new RegExp(`${APIS}$`),
      handle: ({ params, query }) => {
        const denied = scope(params);
        if (denied) return denied;
        const offset = Number(query.offset ?? 0);
        const page = state.apis.slice(offset, offset + Number(query.limit ?? 20));
        const assets = [...new Set(page.map((api) => api.assetId))].map((assetId) => ({ assetId, apis: page.filter((api) => api.assetId === assetId).map(summary) }));
        return { status: 200, body: { total: state.apis.length, assets } };
      },
    },
    {
      method: 'POST', path: new RegExp(`${APIS}$`),
      handle: ({ params, body }) => {
        const denied = scope(params);
        if (denied) return denied;
        const { spec, endpoint, technology, instanceLabel } = obj(body);
        const { groupId, assetId, version } = obj(spec);
        const { uri, proxyUri, deploymentType } = obj(endpoint);
        if (typeof groupId !== 'string' || typeof assetId !== 'string' || typeof version !== 'string') return bad('spec.groupId, spec.assetId and spec.version are required');
        if (technology !== 'flexGateway' || deploymentType !== 'HY') return bad('a Flex Gateway instance needs technology flexGateway and endpoint.deploymentType HY');
        if (typeof proxyUri !== 'string' || !/^http:\/\/0\.0\.0\.0:\d+\/\S*$/.test(proxyUri)) return bad('endpoint.proxyUri must be http://0.0.0.0:<port>/<path>');
        if (typeof uri !== 'string' || typeof instanceLabel !== 'string') return bad('endpoint.uri and instanceLabel are required');
        const id = state.nextId++;
        const upstream = { id: `u-${id}`, uri, label: null };
        // "When an API instance of type Flex Gateway is created, it has automatically a default upstream ... and a routing that points to this one."
        const api: FakeApi = { id, instanceLabel, technology, groupId, assetId, assetVersion: version, endpoint: { uri, proxyUri, deploymentType }, routing: [{ label: null, upstreams: [{ id: upstream.id, weight: 100 }] }], deployment: null, upstreams: [upstream], policies: [] };
        state.apis.push(api);
        return { status: 201, body: full(api) };
      },
    },
    { method: 'GET', path: new RegExp(`${APIS}/(\\d+)$`), handle: ({ params }) => withApi(params, (api) => ({ status: 200, body: full(api) })) },
    {
      method: 'PATCH', path: new RegExp(`${APIS}/(\\d+)$`),
      handle: ({ params, body }) => withApi(params, (api) => {
        const patch = obj(body);
        if (patch.endpoint) api.endpoint = { ...api.endpoint, ...(obj(patch.endpoint) as FakeApi['endpoint']) };
        if (typeof patch.assetVersion === 'string') api.assetVersion = patch.assetVersion;
        if (patch.routing) {
          const routing = patch.routing as FakeApi['routing'];
          const unknown = routing.flatMap((route) => route.upstreams).find((ref) => !api.upstreams.some((upstream) => upstream.id === ref.id));
          if (unknown) return bad(`routing names unknown upstream ${unknown.id}`);
          api.routing = routing;
        }
        return { status: 200, body: full(api) };
      }),
    },
    { method: 'DELETE', path: new RegExp(`${APIS}/(\\d+)$`), handle: ({ params }) => withApi(params, (api) => { state.apis.splice(state.apis.indexOf(api), 1); return { status: 204 }; }) },
    { method: 'GET', path: new RegExp(`${APIS}/(\\d+)/upstreams$`), handle: ({ params }) => withApi(params, (api) => ({ status: 200, body: { upstreams: api.upstreams } })) },
    {
      method: 'POST', path: new RegExp(`${APIS}/(\\d+)/upstreams$`),
      handle: ({ params, body }) => withApi(params, (api) => {
        const { uri, label } = obj(body);
        if (typeof uri !== 'string') return bad('uri is required');
        const upstream = { id: `u-${state.nextId++}`, uri, label: typeof label === 'string' ? label : null };
        api.upstreams.push(upstream);
        return { status: 201, body: upstream };
      }),
    },
    ...policyRoutes(state, withApi),
    ...deploymentRoutes(state, withApi),
  ];
}

function policyRoutes(state: FakeState, withApi: (params: string[], handle: (api: FakeApi) => Result) => Result): Route[] {
  const path = (suffix: string) => new RegExp(`${APIS}/(\\d+)/policies${suffix}$`);
  const policyOf = (api: FakeApi, id: string) => api.policies.find((policy) => String(policy.id) === id);
  return [
    { method: 'GET', path: path(''), handle: ({ params }) => withApi(params, (api) => ({ status: 200, body: api.policies })) },
    {
      method: 'POST', path: path(''),
      handle: ({ params, body }) => withApi(params, (api) => {
        const { assetId, assetVersion, groupId, configurationData, order, pointcutData } = obj(body);
        if (typeof assetId !== 'string' || typeof assetVersion !== 'string' || typeof groupId !== 'string') return bad('assetId, assetVersion and groupId are required');
        if (!configurationData || typeof configurationData !== 'object') return bad('configurationData is required');
        const policy = { id: state.nextId++, assetId, assetVersion, groupId, order: typeof order === 'number' ? order : api.policies.length + 1, configurationData: configurationData as Record<string, unknown>, pointcutData: pointcutData ?? null, disabled: false };
        api.policies.push(policy);
        return { status: 201, body: policy };
      }),
    },
    {
      method: 'PATCH', path: path('/(\\d+)'),
      handle: ({ params, body }) => withApi(params, (api) => {
        const policy = policyOf(api, params[3]!);
        if (!policy) return { status: 404, body: { message: 'policy not found' } };
        const patch = obj(body);
        if (patch.configurationData) policy.configurationData = patch.configurationData as Record<string, unknown>;
        if (typeof patch.order === 'number') policy.order = patch.order;
        if (typeof patch.disabled === 'boolean') policy.disabled = patch.disabled;
        return { status: 200, body: policy };
      }),
    },
    {
      method: 'DELETE', path: path('/(\\d+)'),
      handle: ({ params }) => withApi(params, (api) => {
        const policy = policyOf(api, params[3]!);
        if (!policy) return { status: 404, body: { message: 'policy not found' } };
        api.policies.splice(api.policies.indexOf(policy), 1);
        return { status: 204 };
      }),
    },
  ];
}

function deploymentRoutes(state: FakeState, withApi: (params: string[], handle: (api: FakeApi) => Result) => Result): Route[] {
  const path = (suffix: string) => new RegExp(`^/proxies/xapi/v1${ENV}/apis/(\\d+)/deployments${suffix}$`);
  const deploy = (params: string[], body: unknown, existing: boolean): Result => withApi(params, (api) => {
    const { type, targetId, gatewayVersion, environmentId } = obj(body);
    if (type !== 'HY' || typeof targetId !== 'string' || typeof gatewayVersion !== 'string') return bad('type HY, targetId and gatewayVersion are required');
    if (environmentId !== params[1]) return bad('environmentId must be the environment of the path');
    if (existing && String(api.deployment?.id) !== params[3]) return { status: 404, body: { message: 'deployment not found' } };
    if (!existing && api.deployment) return { status: 409, body: { message: 'already deployed' } };
    api.deployment = { id: api.deployment?.id ?? state.nextId++, targetId, gatewayVersion, type };
    return { status: existing ? 200 : 201, body: api.deployment };
  });
  return [
    { method: 'POST', path: path(''), handle: ({ params, body }) => deploy(params, body, false) },
    { method: 'PATCH', path: path('/(\\d+)'), handle: ({ params, body }) => deploy(params, body, true) },
  ];
}
