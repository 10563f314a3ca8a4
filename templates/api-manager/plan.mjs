// Pure comparisons between what API Manager returns and the desired state; no I/O, so tests and the Job agree.
// Response shapes follow anypoint-api-manager.md (§1.4, §1.5); where API Manager's shape is UNVERIFIED the readers
// below accept each documented variant, so a different one changes one function.

/** JSON with object keys sorted, for equality that ignores key order. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).filter((key) => value[key] !== undefined).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const same = (a, b) => canonical(a) === canonical(b);

/** GET .../apis answers {assets:[{apis:[…]}]} (anypoint-cli api:list); a flat {apis:[…]} is accepted too. */
export function listedApis(body) {
  if (Array.isArray(body?.assets)) return body.assets.flatMap((asset) => (Array.isArray(asset.apis) ? asset.apis : []));
  return Array.isArray(body?.apis) ? body.apis : [];
}

export function listedTotal(body) {
  return typeof body?.total === 'number' ? body.total : undefined;
}

/** GET .../policies: an array, or {policies:[…]}. */
export function listedPolicies(body) {
  return Array.isArray(body) ? body : Array.isArray(body?.policies) ? body.policies : [];
}

/** GET .../upstreams: {upstreams:[…]} or an array. */
export function listedUpstreams(body) {
  return Array.isArray(body) ? body : Array.isArray(body?.upstreams) ? body.upstreams : [];
}

/** The spec an instance is backed by: flat groupId/assetId/assetVersion on a read, `spec` on a create. */
export function specOf(api) {
  return { groupId: api.groupId ?? api.spec?.groupId, assetId: api.assetId ?? api.spec?.assetId, version: api.assetVersion ?? api.spec?.version };
}

/** Fields of the instance that differ and that a PATCH can change. */
export function instanceChanges(desired, current) {
  const changes = [];
  if ((current.endpoint?.uri ?? null) !== desired.endpoint.uri) changes.push('endpoint.uri');
  if ((current.endpoint?.proxyUri ?? null) !== desired.endpoint.proxyUri) changes.push('endpoint.proxyUri');
  if ((current.endpoint?.deploymentType ?? null) !== desired.endpoint.deploymentType) changes.push('endpoint.deploymentType');
  if (specOf(current).version !== desired.spec.version) changes.push('assetVersion');
  return changes;
}

/** An instance backed by another Exchange asset cannot be edited into this one. */
export function assetConflict(desired, current) {
  const spec = specOf(current);
  return spec.assetId !== desired.spec.assetId || spec.groupId !== desired.spec.groupId ? `${spec.groupId}/${spec.assetId}` : undefined;
}

export function desiredRouting(desired, upstreamId) {
  return [{ label: desired.routing.label, upstreams: [{ id: upstreamId, weight: 100 }] }];
}

/** Routing as compared: label and weighted upstream ids; empty rules are how API Manager writes "no rules". */
export function routingOf(api) {
  const routes = Array.isArray(api.routing) ? api.routing : [];
  return routes.map((route) => ({
    label: route.label ?? null,
    ...(route.rules && Object.keys(route.rules).length > 0 ? { rules: route.rules } : {}),
    upstreams: (route.upstreams ?? []).map((upstream) => ({ id: upstream.id, weight: upstream.weight ?? 100 })),
  }));
}

/** The configurationData to send: the desired one plus the credentials read from the Job's environment. */
export function fullConfiguration(policy, env) {
  const secrets = Object.fromEntries(Object.entries(policy.secretConfiguration ?? {}).map(([field, variable]) => [field, env[variable]]));
  return { ...policy.configurationData, ...secrets };
}

/** What differs between a desired policy and the applied one of the same asset. */
export function policyChanges(desired, current, configuration) {
  const changes = [];
  if (current.assetVersion !== desired.assetVersion) changes.push('assetVersion');
  if (current.order !== desired.order) changes.push('order');
  if (!same(current.configurationData ?? {}, configuration)) changes.push('configurationData');
  if (current.disabled === true) changes.push('disabled');
  return changes;
}

export function deploymentOf(api) {
  return api.deployment && typeof api.deployment === 'object' ? api.deployment : undefined;
}
