// The Secrets a user creates before the first sync, with the command for each. One row per Secret: when the probes'
// credentials come from one Secret (verification.credentialsSecret) it holds every credential's keys.
import type { Topology } from '../model/topology.ts';

export interface RequiredSecret { name: string; namespace: string; keys: string; purpose: string; command: string }

interface Key { key: string; placeholder: string }

function secretRow(name: string, namespace: string, keys: readonly Key[], purpose: string): RequiredSecret {
  const literals = keys.map(({ key, placeholder }) => `--from-literal=${key}=<${placeholder}>`).join(' ');
  return { name, namespace, keys: keys.map(({ key }) => key).join(', '), purpose, command: `kubectl create secret generic ${name} -n ${namespace} ${literals}` };
}

function credentialKeys(credential: { name: string; usernameKey: string; passwordKey: string }, many: boolean): Key[] {
  const suffix = many ? ` of ${credential.name}` : '';
  return [{ key: credential.usernameKey, placeholder: `user${suffix}` }, { key: credential.passwordKey, placeholder: `password${suffix}` }];
}

/** Rows keyed by Secret name and namespace; several credentials in one Secret become one row with all their keys. */
function merged(rows: ReadonlyArray<{ name: string; namespace: string; keys: Key[]; purpose: string }>): RequiredSecret[] {
  const byId = new Map<string, { name: string; namespace: string; keys: Key[]; purposes: string[] }>();
  for (const row of rows) {
    const id = `${row.namespace}/${row.name}`;
    const entry = byId.get(id) ?? { name: row.name, namespace: row.namespace, keys: [], purposes: [] };
    entry.keys.push(...row.keys.filter((key) => !entry.keys.some((known) => known.key === key.key)));
    if (!entry.purposes.includes(row.purpose)) entry.purposes.push(row.purpose);
    byId.set(id, entry);
  }
  return [...byId.values()].map((entry) => secretRow(entry.name, entry.namespace, entry.keys, entry.purposes.join('; ')));
}

export function requiredSecrets(topology: Topology): RequiredSecret[] {
  const { flex } = topology;
  const registration: RequiredSecret = {
    name: topology.env.flex.registrationSecret,
    namespace: flex.namespace,
    keys: 'registration.yaml',
    purpose: 'Flex Gateway registration (flexctl registration create)',
    command: `kubectl create secret generic ${topology.env.flex.registrationSecret} -n ${flex.namespace} --from-file=registration.yaml`,
  };
  const referenced = topology.usedCredentials.filter((credential) => !credential.insecureDemoUser);
  const sharing = (secret: string) => topology.usedCredentials.filter((credential) => credential.secretName === secret).length > 1;
  const reader = topology.apiManager ? 'sent to API Manager by the reconcile Job' : 'read by Flex Gateway';
  const credentials = referenced.map((credential) => ({ name: credential.secretName, namespace: flex.namespace, keys: credentialKeys(credential, sharing(credential.secretName)), purpose: `basic-auth credentials "${credential.name}", ${reader}` }));
  const anypoint = topology.apiManager && topology.env.anypoint;
  const connectedApp = anypoint
    ? [secretRow(anypoint.connectedApp.secretName, flex.namespace, [{ key: anypoint.connectedApp.clientIdKey, placeholder: 'connected app client id' }, { key: anypoint.connectedApp.clientSecretKey, placeholder: 'connected app client secret' }], 'the Connected App the reconcile Job signs in to API Manager with (scopes below)')]
    : [];
  // Probe pods run in the verification namespace and can only read Secrets there; demo Secrets are mirrored unless
  // the probes were pointed at a Secret of their own.
  const shared = topology.env.verification.credentialsSecret;
  const probeCredentials = topology.verification.enabled
    ? topology.usedCredentials.filter((credential) => !credential.insecureDemoUser || shared).map((credential) => ({
        name: shared ?? credential.secretName,
        namespace: topology.verification.namespace,
        keys: credentialKeys(credential, shared ? topology.usedCredentials.length > 1 : sharing(credential.secretName)),
        purpose: `the same credentials "${credential.name}", sent by the verification probes`,
      }))
    : [];
  return [registration, ...connectedApp, ...merged(credentials), ...merged(probeCredentials)];
}
