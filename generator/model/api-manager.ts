// Connected Mode: the state API Manager must be in, derived from the environment. The reconcile Job reads it as JSON
// (schemas/api-manager/desired-state.schema.json) and makes API Manager equal to it; the README prints it as tables.
// Field names follow API Manager's REST API (anypoint-api-manager.md §1.2, §1.5): proxyUri, endpoint.uri, routing.
import { createHash } from 'node:crypto';
import type { Anypoint, Credential, Environment, Policy } from '../env/types.ts';
import type { ResolvedApi } from './apis.ts';
import { policyAsset } from './policy-assets.ts';
import { credentialEnvNames, policyConfiguration, withoutUndefined } from './policy-config.ts';

export const DESIRED_STATE_VERSION = 1;

export interface DesiredPolicy {
  type: Policy['type'];
  groupId: string;
  assetId: string;
  assetVersion: string;
  /** 1 is applied first (API Manager: "order 1 has the highest precedence"). */
  order: number;
  configurationData: Record<string, unknown>;
  /** configurationData fields the Job fills in at run time from its environment: field → variable name. */
  secretConfiguration?: Record<string, string>;
}

export interface DesiredApi {
  name: string;
  instanceLabel: string;
  technology: 'flexGateway';
  spec: { groupId: string; assetId: string; version: string };
  endpoint: { deploymentType: 'HY'; proxyUri: string; uri: string };
  routing: { label: string };
  policies: DesiredPolicy[];
}

export interface DesiredState {
  schemaVersion: typeof DESIRED_STATE_VERSION;
  environment: string;
  anypoint: { organizationId: string; environment: Anypoint['environment']; targetId?: string; gatewayVersion: string };
  ownership: { instanceLabelPrefix: string; prune: boolean };
  apis: DesiredApi[];
}

/**
 * The tutorial's short form `<service>.<namespace>.svc`, as in Local Mode's ApiInstance; API Manager's UI requires an
 * upstream URL that ends with "/" (docs-api-manager api-configuration-tables).
 */
export function upstreamUri(api: Pick<ResolvedApi, 'upstream'>): string {
  return `http://${api.upstream.name}.${api.upstream.namespace}.svc:${api.upstream.port}/`;
}

/** Environment names are DNS labels (no dots), so `flexmesh.dev.` never starts `flexmesh.dev-eu.`'s labels. */
export function instanceLabelPrefix(env: Pick<Environment, 'name'>, anypoint: Pick<Anypoint, 'instanceLabelPrefix'>): string {
  return anypoint.instanceLabelPrefix ?? `flexmesh.${env.name}.`;
}

/**
 * Explicit `order` values first (ascending, as in Local Mode), then the rest in list order; numbered from 1 so the
 * desired list and API Manager's precedence say the same thing.
 */
export function policyOrder(policies: readonly Policy[]): Policy[] {
  return policies
    .map((policy, index) => ({ policy, index }))
    .sort((a, b) => (a.policy.order ?? Number.MAX_SAFE_INTEGER) - (b.policy.order ?? Number.MAX_SAFE_INTEGER) || a.index - b.index)
    .map((entry) => entry.policy);
}

function desiredPolicy(anypoint: Anypoint, credentials: readonly Credential[], policy: Policy, order: number): DesiredPolicy {
  const asset = policyAsset(policy.type, anypoint.policyAssets);
  const base = { type: policy.type, groupId: asset.groupId, assetId: asset.assetId, assetVersion: asset.version, order, configurationData: withoutUndefined(policyConfiguration(policy)) };
  if (policy.type !== 'basic-auth') return base;
  const credential = credentials.find((candidate) => candidate.name === policy.credentials)!;
  const names = credentialEnvNames(credential);
  return { ...base, secretConfiguration: { username: names.username, password: names.password } };
}

export function resolveApiManager(env: Environment, apis: readonly ResolvedApi[], credentials: readonly Credential[]): DesiredState | undefined {
  const anypoint = env.anypoint;
  if (env.flex.mode !== 'connected' || !anypoint) return undefined;
  const prefix = instanceLabelPrefix(env, anypoint);
  return {
    schemaVersion: DESIRED_STATE_VERSION,
    environment: env.name,
    anypoint: { organizationId: anypoint.organizationId, environment: anypoint.environment, targetId: anypoint.targetId, gatewayVersion: env.flex.version },
    ownership: { instanceLabelPrefix: prefix, prune: anypoint.prune },
    apis: apis.map((api) => {
      const source = env.apis.find((candidate) => candidate.name === api.name)!;
      const asset = source.apiAsset ?? anypoint.apiAsset;
      return {
        name: api.name,
        instanceLabel: `${prefix}${api.name}`,
        technology: 'flexGateway',
        spec: { groupId: asset.groupId ?? anypoint.organizationId, assetId: asset.assetId, version: asset.version },
        endpoint: { deploymentType: 'HY', proxyUri: api.listenAddress, uri: upstreamUri(api) },
        routing: { label: api.upstream.name },
        policies: policyOrder(api.policies).map((policy, index) => desiredPolicy(anypoint, credentials, policy, index + 1)),
      };
    }),
  };
}

/** The JSON the Job reads, byte for byte; its sha256 ties the Job to the desired state it ran for. */
export function desiredStateJson(state: DesiredState): string {
  return `${JSON.stringify(withoutUndefined(state), null, 2)}\n`;
}

export function desiredStateSha256(state: DesiredState): string {
  return createHash('sha256').update(desiredStateJson(state)).digest('hex');
}

/** Objects of the reconcile step, in the Flex namespace (its Secrets are there). */
export function reconcileNames(environment: string): { configMap: string; job: string; cronJob: string } {
  return { configMap: `${environment}-api-manager`, job: `${environment}-api-manager-reconcile`, cronJob: `${environment}-api-manager-drift` };
}
