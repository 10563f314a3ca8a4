// The fake control plane's data: one organization with its environments, API instances with their upstreams,
// routing, deployment and policies. Tests read and change it directly to play "someone edited API Manager".

export interface FakeUpstream { id: string; uri: string; label: string | null }
export interface FakePolicy { id: number; assetId: string; assetVersion: string; groupId: string; order: number; configurationData: Record<string, unknown>; pointcutData: unknown; disabled: boolean }
export interface FakeApi {
  id: number;
  instanceLabel: string;
  technology: string;
  groupId: string;
  assetId: string;
  assetVersion: string;
  endpoint: { uri: string; proxyUri: string; deploymentType: string };
  routing: Array<{ label: string | null; upstreams: Array<{ id: string; weight: number }> }>;
  deployment: { id: number; targetId: string; gatewayVersion: string; type: string } | null;
  upstreams: FakeUpstream[];
  policies: FakePolicy[];
}

export interface FakeState {
  organizationId: string;
  environments: Array<{ id: string; name: string }>;
  clients: Record<string, string>;
  tokens: Set<string>;
  apis: FakeApi[];
  nextId: number;
}

export function fakeState(organizationId: string, environments: Array<{ id: string; name: string }>, clients: Record<string, string>): FakeState {
  return { organizationId, environments, clients, tokens: new Set(), apis: [], nextId: 1000 };
}

/** An instance someone else made by hand (or with another tool) in the same environment. */
export function addForeignApi(state: FakeState, instanceLabel: string, assetId = 'someone-elses-api'): FakeApi {
  const id = state.nextId++;
  const upstream = { id: `u-${id}`, uri: 'http://elsewhere.example:80/', label: null };
  const api: FakeApi = {
    id, instanceLabel, technology: 'flexGateway', groupId: state.organizationId, assetId, assetVersion: '1.0.0',
    endpoint: { uri: upstream.uri, proxyUri: 'http://0.0.0.0:8081/other/', deploymentType: 'HY' },
    routing: [{ label: null, upstreams: [{ id: upstream.id, weight: 100 }] }],
    deployment: null, upstreams: [upstream],
    policies: [{ id: state.nextId++, assetId: 'rate-limiting', assetVersion: '1.4.1', groupId: '68ef9520-24e9-4cf2-b2f5-620025690913', order: 1, configurationData: {}, pointcutData: null, disabled: false }],
  };
  state.apis.push(api);
  return api;
}
