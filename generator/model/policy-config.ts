// One policy model for both modes: Local Mode writes it into an ApiInstance's `config`, Connected Mode sends it to
// API Manager as `configurationData` (same field names, as MuleSoft documents for both). Credentials are the one
// difference: they are never part of it, only named (environment variables fed from the credential's Secret).
import type { Credential, Policy } from '../env/types.ts';

/** Environment variables that carry one credential into the Flex container (Local) or the reconcile Job (Connected). */
export function credentialEnvNames(credential: Pick<Credential, 'name'>): { username: string; password: string } {
  const stem = `FLEXMESH_${credential.name.toUpperCase().replace(/-/g, '_')}`;
  return { username: `${stem}_USERNAME`, password: `${stem}_PASSWORD` };
}

/** The policy's configuration without credentials: basic-auth's username and password are added by each mode. */
export function policyConfiguration(policy: Policy): Record<string, unknown> {
  switch (policy.type) {
    case 'basic-auth':
      return {};
    case 'message-logging':
      return {
        loggingConfiguration: policy.items.map((item) => ({
          itemName: item.name,
          itemData: {
            message: item.message,
            level: item.level,
            conditional: item.conditional,
            category: item.category,
            // The docs' defaults are false; writing only `true` keeps the tutorial's shape.
            firstSection: item.firstSection || undefined,
            secondSection: item.secondSection || undefined,
          },
        })),
      };
    case 'rate-limiting':
      return {
        rateLimits: policy.rateLimits.map((limit) => ({ maximumRequests: limit.maximumRequests, timePeriodInMilliseconds: limit.timePeriodInMilliseconds })),
        exposeHeaders: policy.exposeHeaders,
        keySelector: policy.keySelector,
        clusterizable: policy.clusterizable,
      };
  }
}

/** JSON.stringify drops undefined members; the desired state and API Manager compare on exactly those bytes. */
export function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
