// fast-check arbitrary of the Connected-Mode `anypoint` block and per-API Exchange assets, every knob of the schema
// drawn; shrinking goes towards the documented defaults. Used by arbitrary-environment.ts only when the mode is connected.
import fc from 'fast-check';

const opt = <T>(arbitrary: fc.Arbitrary<T>, freq = 3) => fc.option(arbitrary, { nil: undefined, freq });
const UUIDS = ['7f3c2a10-5b8e-4d2a-9c61-0e4b8f2d1a37', '0b5d1c7e-3f2a-4e91-8c3d-6a7b9e0f1d24'] as const;

export const exchangeAsset = fc.record({
  groupId: opt(fc.constantFrom(...UUIDS)),
  assetId: fc.constantFrom('flexmesh-bookinfo', 'products-api', 'http-basic-authentication', 'rate-limiting'),
  version: fc.constantFrom('1.0.0', '2.1.3', '1.3.1-rc.1'),
});

export const anypoint = fc.record({
  host: opt(fc.constantFrom('anypoint.mulesoft.com', 'eu1.anypoint.mulesoft.com', 'gov.anypoint.mulesoft.com')),
  organizationId: fc.constantFrom(...UUIDS),
  environment: fc.oneof(fc.constantFrom(...UUIDS).map((id) => ({ id })), fc.constantFrom('Sandbox', 'Production', 'Design Env').map((name) => ({ name }))),
  connectedApp: fc.record({
    secretName: fc.constantFrom('anypoint-connected-app', 'apim-app'),
    clientIdKey: opt(fc.constantFrom('client_id', 'id')),
    clientSecretKey: opt(fc.constantFrom('client_secret', 'secret')),
  }),
  targetId: opt(fc.constantFrom('4f1c9a7e-agent', 'a1b2c3d4')),
  apiAsset: exchangeAsset,
  instanceLabelPrefix: opt(fc.constantFrom('shop-', 'team.a.', 'x')),
  prune: opt(fc.boolean()),
  policyAssets: opt(fc.record({ 'basic-auth': opt(exchangeAsset), 'message-logging': opt(exchangeAsset), 'rate-limiting': opt(exchangeAsset) })),
  driftCheck: opt(fc.record({ schedule: opt(fc.constantFrom('0 * * * *', '*/15 * * * *')), suspend: opt(fc.boolean()) })),
  reconcileImage: opt(fc.constantFrom('docker.io/library/node:20-alpine', 'registry.example.com:5000/tools/node:20.20')),
});

/** One optional asset per API (index-aligned with the drawn APIs). */
export const apiAssets = fc.array(opt(exchangeAsset, 2), { minLength: 5, maxLength: 5 });
