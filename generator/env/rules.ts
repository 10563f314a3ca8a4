// Rules the schema cannot express: references between entries and uniqueness by name.
import type { Environment } from './types.ts';
import type { PathSegment } from './source-positions.ts';

export interface RuleViolation { path: PathSegment[]; problem: string; expected: string }

function duplicates<T>(items: readonly T[], key: (item: T) => string): Array<{ index: number; first: number; value: string }> {
  const firstIndex = new Map<string, number>();
  const found: Array<{ index: number; first: number; value: string }> = [];
  items.forEach((item, index) => {
    const value = key(item);
    const first = firstIndex.get(value);
    if (first === undefined) firstIndex.set(value, index);
    else found.push({ index, first, value });
  });
  return found;
}

export function environmentRuleViolations(env: Environment): RuleViolation[] {
  const violations: RuleViolation[] = [];
  for (const dup of duplicates(env.apis, (api) => api.name)) {
    violations.push({ path: ['apis', dup.index, 'name'], problem: `API name "${dup.value}" is used twice`, expected: `also at apis[${dup.first}]; names must be unique` });
  }
  for (const dup of duplicates(env.apis, (api) => api.basePath)) {
    violations.push({ path: ['apis', dup.index, 'basePath'], problem: `base path "${dup.value}" is used twice on port ${env.flex.port}`, expected: `also at apis[${dup.first}]; give each API its own base path` });
  }
  for (const dup of duplicates(env.credentials, (credential) => credential.name)) {
    violations.push({ path: ['credentials', dup.index, 'name'], problem: `credentials name "${dup.value}" is used twice`, expected: `also at credentials[${dup.first}]` });
  }
  const northSouth = env.apis.flatMap((api, index) => (api.traffic === 'north-south' ? [index] : []));
  for (const index of northSouth.slice(1)) {
    violations.push({ path: ['apis', index, 'traffic'], problem: 'a second north-south API', expected: `the ingress gateway sends all traffic to one API (apis[${northSouth[0]}]); make this one east-west` });
  }
  const credentialNames = env.credentials.map((credential) => credential.name);
  env.apis.forEach((api, apiIndex) => {
    for (const dup of duplicates(api.policies, (policy) => policy.type)) {
      violations.push({ path: ['apis', apiIndex, 'policies', dup.index, 'type'], problem: `policy "${dup.value}" is applied twice`, expected: `merge it with policies[${dup.first}]` });
    }
    api.policies.forEach((policy, policyIndex) => {
      if (policy.type === 'basic-auth' && !credentialNames.includes(policy.credentials)) {
        violations.push({
          path: ['apis', apiIndex, 'policies', policyIndex, 'credentials'],
          problem: `credentials "${policy.credentials}" are not defined`,
          expected: credentialNames.length ? `one of ${credentialNames.join(', ')}` : 'add an entry to credentials with its secretName',
        });
      }
    });
  });
  violations.push(...anypointViolations(env));
  return violations;
}

/** The anypoint block is what Connected Mode configures API Manager from, and nothing reads it in Local Mode. */
function anypointViolations(env: Environment): RuleViolation[] {
  if (env.flex.mode === 'connected' && !env.anypoint) {
    return [{ path: ['flex', 'mode'], problem: 'Connected Mode needs the API Manager to configure', expected: 'an anypoint block with organizationId, environment, connectedApp and apiAsset (see environments/staging.yaml)' }];
  }
  if (env.flex.mode === 'local' && env.anypoint) {
    return [{ path: ['anypoint'], problem: 'anypoint is only read in Connected Mode', expected: 'flex.mode: connected, or remove the anypoint block' }];
  }
  if (env.flex.mode === 'local') {
    return env.apis.flatMap((api, index) => (api.apiAsset ? [{ path: ['apis', index, 'apiAsset'], problem: 'apiAsset is only read in Connected Mode', expected: 'flex.mode: connected, or remove apiAsset' }] : []));
  }
  return [];
}
