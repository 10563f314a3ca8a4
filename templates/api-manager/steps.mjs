// The reconcile steps per API instance: instance → upstream and route → deployment → policies, then a read-back that
// the instance is deployed to this gateway. In check mode every step only reads and reports what it would change.
import {
  assetConflict, deploymentOf, desiredRouting, fullConfiguration, instanceChanges, listedApis, listedPolicies,
  listedTotal, listedUpstreams, policyChanges, routingOf, same,
} from './plan.mjs';

export class ReconcileError extends Error {
  name = 'ReconcileError';
}

const PAGE = 100;

async function environmentId(client, desired) {
  const { environment, organizationId } = desired.anypoint;
  if (environment.id) return environment.id;
  const body = await client.get(`/accounts/api/organizations/${organizationId}/environments`);
  const all = Array.isArray(body?.data) ? body.data : Array.isArray(body) ? body : [];
  const match = all.filter((candidate) => candidate.name === environment.name);
  if (match.length !== 1) {
    throw new ReconcileError(`environment "${environment.name}" ${match.length ? 'is ambiguous' : 'was not found'} in organization ${organizationId} (it has: ${all.map((candidate) => candidate.name).join(', ') || 'none visible to this Connected App'})`);
  }
  return match[0].id;
}

/** Every instance whose label starts with the prefix, by label; nothing else is kept. */
async function ownedInstances(client, apisPath, prefix) {
  const owned = new Map();
  for (let offset = 0; ; offset += PAGE) {
    const body = await client.get(`${apisPath}?limit=${PAGE}&offset=${offset}`);
    const page = listedApis(body);
    for (const api of page) {
      if (typeof api.instanceLabel === 'string' && api.instanceLabel.startsWith(prefix)) owned.set(api.instanceLabel, [...(owned.get(api.instanceLabel) ?? []), api]);
    }
    const total = listedTotal(body);
    if (page.length < PAGE || (total !== undefined && offset + PAGE >= total)) return owned;
  }
}

/** The REST doc's create body; the explicit nulls are what MuleSoft's Terraform provider sends ("the API requires these"). */
function createBody(desired) {
  return {
    spec: desired.spec,
    endpoint: { ...desired.endpoint, isCloudHub: null, muleVersion4OrAbove: null, referencesUserDomain: null, responseTimeout: null },
    technology: desired.technology,
    instanceLabel: desired.instanceLabel,
  };
}

export async function reconcileApis({ client, desired, targetId, mode, env, log }) {
  const apply = mode === 'apply';
  const tally = { created: 0, updated: 0, deleted: 0, unchanged: 0, kept: 0 };
  const KEYS = { create: 'created', update: 'updated', delete: 'deleted', unchanged: 'unchanged', keep: 'kept' };
  const note = (verb, object, detail) => {
    tally[KEYS[verb]]++;
    log(`${verb.padEnd(9)} ${object}${detail ? `: ${detail}` : ''}`);
  };
  const org = desired.anypoint.organizationId;
  const envId = await environmentId(client, desired);
  const apisPath = `/apimanager/api/v1/organizations/${org}/environments/${envId}/apis`;
  const deploymentsPath = (id) => `/proxies/xapi/v1/organizations/${org}/environments/${envId}/apis/${id}/deployments`;
  const { instanceLabelPrefix: prefix, prune } = desired.ownership;
  log(`plan (${mode}): organization ${org}, environment ${envId}, target ${targetId}, ${desired.apis.length} API(s), instances labelled ${prefix}*`);
  const owned = await ownedInstances(client, apisPath, prefix);

  for (const api of desired.apis) {
    const found = owned.get(api.instanceLabel) ?? [];
    owned.delete(api.instanceLabel);
    if (found.length > 1) throw new ReconcileError(`${found.length} instances are labelled ${api.instanceLabel} (ids ${found.map((item) => item.id).join(', ')}): delete all but one in API Manager`);
    const object = `api ${api.name} (${api.instanceLabel})`;
    let id = found[0]?.id;
    if (id === undefined) {
      if (!apply) {
        note('create', object);
        note('create', `deployment ${api.name}`, `target ${targetId}`);
        for (const policy of api.policies) note('create', `policy ${api.name}/${policy.type}`, `${policy.assetId} ${policy.assetVersion}, order ${policy.order}`);
        continue;
      }
      id = (await client.post(apisPath, createBody(api))).id;
      note('create', object, `id ${id}`);
    }
    const current = await client.get(`${apisPath}/${id}`);
    const conflict = assetConflict(api, current);
    if (conflict) throw new ReconcileError(`${object} is backed by ${conflict}, not ${api.spec.groupId}/${api.spec.assetId}: an instance cannot change its asset; delete it in API Manager to have it recreated`);
    const changes = instanceChanges(api, current);
    if (found[0] && changes.length > 0) {
      if (apply) await client.patch(`${apisPath}/${id}`, { endpoint: api.endpoint, ...(changes.includes('assetVersion') ? { assetVersion: api.spec.version } : {}) });
      note('update', object, changes.join(', '));
    } else if (found[0]) note('unchanged', object);

    await reconcileRouting({ client, apply, note, api, id, current, apisPath });
    await reconcileDeployment({ client, apply, note, api, id, current, targetId, envId, deploymentsPath, gatewayVersion: desired.anypoint.gatewayVersion });
    await reconcilePolicies({ client, apply, note, api, id, env, apisPath });
    if (apply) {
      const deployment = deploymentOf(await client.get(`${apisPath}/${id}`));
      if (deployment?.targetId !== targetId) throw new ReconcileError(`${object} is not deployed to target ${targetId} after the deployment call (API Manager reports ${deployment?.targetId ?? 'no deployment'})`);
    }
  }

  for (const [label, items] of [...owned].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const item of items) {
      if (!prune) note('keep', `api ${label} (id ${item.id})`, 'not in the environment; anypoint.prune is false');
      else {
        if (apply) await client.delete(`${apisPath}/${item.id}`);
        note('delete', `api ${label} (id ${item.id})`, 'not in the environment');
      }
    }
  }
  return tally;
}

async function reconcileRouting({ client, apply, note, api, id, current, apisPath }) {
  const upstreams = listedUpstreams(await client.get(`${apisPath}/${id}/upstreams`));
  let upstream = upstreams.find((candidate) => candidate.uri === api.endpoint.uri);
  if (!upstream) {
    upstream = apply ? await client.post(`${apisPath}/${id}/upstreams`, { uri: api.endpoint.uri, label: api.routing.label }) : { id: '(new)' };
    note('create', `upstream ${api.name}`, api.endpoint.uri);
  }
  const routing = desiredRouting(api, upstream.id);
  if (same(routingOf(current), routing)) return note('unchanged', `route ${api.name}`);
  if (apply) await client.patch(`${apisPath}/${id}`, { routing });
  note('update', `route ${api.name}`, `label ${api.routing.label} -> ${api.endpoint.uri}`);
}

async function reconcileDeployment({ client, apply, note, api, id, current, targetId, envId, deploymentsPath, gatewayVersion }) {
  const deployment = deploymentOf(current);
  const body = { type: 'HY', gatewayVersion, targetId, environmentId: envId };
  if (!deployment) {
    if (apply) await client.post(deploymentsPath(id), body);
    return note('create', `deployment ${api.name}`, `target ${targetId}`);
  }
  if (deployment.targetId === targetId) return note('unchanged', `deployment ${api.name}`);
  if (apply) await client.patch(`${deploymentsPath(id)}/${deployment.id}`, body);
  note('update', `deployment ${api.name}`, `target ${deployment.targetId} -> ${targetId}`);
}

async function reconcilePolicies({ client, apply, note, api, id, env, apisPath }) {
  const policiesPath = `${apisPath}/${id}/policies`;
  const current = listedPolicies(await client.get(policiesPath));
  const wanted = new Set(api.policies.map((policy) => policy.assetId));
  const seen = new Set();
  const kept = new Map();
  for (const policy of current) {
    // A policy of an asset the environment does not list, or a second one of the same asset, is not wanted.
    if (wanted.has(policy.assetId) && !seen.has(policy.assetId)) {
      seen.add(policy.assetId);
      kept.set(policy.assetId, policy);
      continue;
    }
    if (apply) await client.delete(`${policiesPath}/${policy.id}`);
    note('delete', `policy ${api.name}/${policy.assetId} (id ${policy.id})`, wanted.has(policy.assetId) ? 'applied twice' : 'not in the environment');
  }
  for (const policy of api.policies) {
    const object = `policy ${api.name}/${policy.type}`;
    const configuration = fullConfiguration(policy, env);
    const body = { configurationData: configuration, pointcutData: null, assetId: policy.assetId, assetVersion: policy.assetVersion, groupId: policy.groupId, order: policy.order };
    const existing = kept.get(policy.assetId);
    if (!existing) {
      if (apply) await client.post(policiesPath, body);
      note('create', object, `${policy.assetId} ${policy.assetVersion}, order ${policy.order}`);
      continue;
    }
    const changes = policyChanges(policy, existing, configuration);
    if (changes.length === 0) note('unchanged', object);
    else if (changes.includes('assetVersion')) {
      // API Manager applies a policy version once; another version is a new policy.
      if (apply) {
        await client.delete(`${policiesPath}/${existing.id}`);
        await client.post(policiesPath, body);
      }
      note('update', object, `${changes.join(', ')} (${existing.assetVersion} -> ${policy.assetVersion}, replaced)`);
    } else {
      if (apply) await client.patch(`${policiesPath}/${existing.id}`, { configurationData: configuration, order: policy.order, ...(existing.disabled ? { disabled: false } : {}) });
      note('update', object, changes.join(', '));
    }
  }
}
