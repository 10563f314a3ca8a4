// The Exchange assets behind each policy type in Connected Mode: the one table to change when MuleSoft publishes
// new versions (anypoint.policyAssets overrides it per environment). Versions are the official Terraform provider's
// defaults (mulesoft/terraform-provider-anypoint, apipolicy.go); that they run on Flex 1.7.0 is UNVERIFIED —
// confirm with `anypoint-cli-v4 api-mgr:policy:list -m` on your organisation.
import type { ExchangeAsset, Policy } from '../env/types.ts';

/** MuleSoft's own policy group (MULESOFT_GROUP_ID in anypoint-cli-api-mgr-plugin). */
export const MULESOFT_POLICY_GROUP = '68ef9520-24e9-4cf2-b2f5-620025690913';

export const DEFAULT_POLICY_ASSETS = {
  'basic-auth': { assetId: 'http-basic-authentication', version: '1.3.2' },
  'message-logging': { assetId: 'message-logging', version: '2.0.2' },
  'rate-limiting': { assetId: 'rate-limiting', version: '1.4.1' },
} as const satisfies Record<Policy['type'], ExchangeAsset>;

/** The API asset version `flexmesh init` writes until the user publishes theirs (an Exchange asset version, not a product's). */
export const PLACEHOLDER_API_ASSET_VERSION = '1.0.0';

export function policyAsset(type: Policy['type'], overrides: Partial<Record<Policy['type'], ExchangeAsset>>): Required<ExchangeAsset> {
  const asset: ExchangeAsset = overrides[type] ?? DEFAULT_POLICY_ASSETS[type];
  return { groupId: asset.groupId ?? MULESOFT_POLICY_GROUP, assetId: asset.assetId, version: asset.version };
}
