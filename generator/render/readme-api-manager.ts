// The bundle README's Connected-Mode section: exactly what the reconcile Job configures in API Manager, per API,
// and how to set up, run and check it. Read from the same desired state the Job reads, so the two cannot differ.
import type { DesiredPolicy } from '../model/api-manager.ts';
import { reconcileNames } from '../model/api-manager.ts';
import type { Topology } from '../model/topology.ts';

/** Connected App scopes for API Manager automation (MuleSoft's flex-conn-jenkins-cli page; see anypoint-api-manager.md §1.4). */
export const CONNECTED_APP_SCOPES = [
  'API Manager: Manage APIs Configuration, Manage Policies, View Policies, Deploy API Proxies',
  'Runtime Manager: Read Servers',
  'Exchange: Exchange Viewer',
  'General: View Organization',
];

export interface ReadmeApiManager {
  host: string;
  organizationId: string;
  environment: string;
  target: string;
  prune: string;
  prefix: string;
  names: { configMap: string; job: string; cronJob: string; application: string };
  schedule: string;
  scopes: string[];
  registrationCommand: string;
  apis: Array<{ name: string; rows: Array<{ field: string; value: string }>; policies: Array<{ order: number; type: string; asset: string; configuration: string }> }>;
}

/** A Markdown table cell holding code: pipes escaped, and a delimiter longer than any backtick run inside. */
export function codeCell(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  const padded = longest > 0 ? ` ${text} ` : text;
  return `${fence}${padded.replaceAll('|', '\\|')}${fence}`;
}

function configuration(topology: Topology, apiName: string, policy: DesiredPolicy): string {
  if (!policy.secretConfiguration) return codeCell(JSON.stringify(policy.configurationData));
  const credentialName = topology.apis.find((api) => api.name === apiName)?.basicAuth;
  const credential = topology.usedCredentials.find((candidate) => candidate.name === credentialName)!;
  return `username and password from Secret \`${credential.secretName}\` (keys \`${credential.usernameKey}\`, \`${credential.passwordKey}\`), read by the Job at run time`;
}

export function readmeApiManager(topology: Topology): ReadmeApiManager | undefined {
  const state = topology.apiManager;
  const anypoint = topology.env.anypoint;
  if (!state || !anypoint) return undefined;
  const names = reconcileNames(topology.name);
  const application = topology.applications.children.find((app) => app.key === 'flex-apis')!.name;
  const environment = anypoint.environment.id !== undefined ? `id \`${anypoint.environment.id}\`` : `named \`${anypoint.environment.name}\` (looked up at run time)`;
  const euFlag = anypoint.host === 'anypoint.mulesoft.com' ? '' : ` --anypoint-url=https://${anypoint.host}`;
  return {
    host: anypoint.host,
    organizationId: anypoint.organizationId,
    environment,
    target: anypoint.targetId !== undefined ? `\`${anypoint.targetId}\` (anypoint.targetId)` : `the agentId in \`registration.yaml\` of Secret \`${topology.env.flex.registrationSecret}\``,
    prune: anypoint.prune ? 'deleted (anypoint.prune is true)' : 'kept and listed (anypoint.prune is false)',
    prefix: state.ownership.instanceLabelPrefix,
    names: { ...names, application },
    schedule: anypoint.driftCheck.suspend ? `suspended (schedule \`${anypoint.driftCheck.schedule}\`)` : `\`${anypoint.driftCheck.schedule}\``,
    scopes: CONNECTED_APP_SCOPES,
    registrationCommand: `docker run --entrypoint flexctl -v "$(pwd)":/registration -u $UID mulesoft/flex-gateway:${topology.env.flex.version} registration create --client-id=<client-id> --client-secret=<client-secret> --organization=${anypoint.organizationId} --environment=${anypoint.environment.id ?? '<environment-id>'} --connected=true${euFlag} --output-directory=/registration ${topology.name}-${topology.flex.release}`,
    apis: state.apis.map((api) => ({
      name: api.name,
      rows: [
        { field: 'instance label', value: `\`${api.instanceLabel}\`` },
        { field: 'runtime', value: `Flex Gateway (\`${api.technology}\`), deployed to the target above as gateway ${state.anypoint.gatewayVersion}` },
        { field: 'proxy URI (port + base path)', value: `\`${api.endpoint.proxyUri}\`` },
        { field: 'upstream URL', value: `\`${api.endpoint.uri}\`` },
        { field: 'route label', value: `\`${api.routing.label}\`` },
        { field: 'Exchange asset', value: `\`${api.spec.groupId}/${api.spec.assetId}/${api.spec.version}\`` },
      ],
      policies: api.policies.map((policy) => ({ order: policy.order, type: policy.type, asset: `\`${policy.assetId}\` ${policy.assetVersion}`, configuration: configuration(topology, api.name, policy) })),
    })),
  };
}
