// The Connected-Mode reconcile script, run as the Job runs it (node on the mounted ConfigMap) against a fake API
// Manager on 127.0.0.1. Expected requests are written from the tutorial's table and MuleSoft's REST docs
// (anypoint-api-manager.md §1.1, §1.5, §1.6), not read back from the bundle.
import { strict as assert } from 'node:assert';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'mocha';
import { useTempDirs } from './support/fixtures.ts';
import { HANG_GUARD_MS } from './support/hang-guard.ts';
import { startFakeApiManager, type Call, type FakeApiManager } from './support/api-manager/fake-server.ts';
import { addForeignApi, fakeState } from './support/api-manager/state.ts';
import { BASIC_AUTH, CLIENT, ENV_ID, mountReconcile, ORG, runReconcile, TARGET, type ReconcileRun } from './support/api-manager/connected.ts';

const MULESOFT = '68ef9520-24e9-4cf2-b2f5-620025690913';

/** "POST /apimanager/…/apis/{id}/policies": org, environment and ids replaced, so the sequence reads as a protocol. */
function shape(call: Call): string {
  const path = call.path.replaceAll(ORG, '{org}').replaceAll(ENV_ID, '{env}').replace(/\/\d+(?=\/|$)/g, '/{id}');
  return `${call.method} ${path}`;
}

const APIS = '/apimanager/api/v1/organizations/{org}/environments/{env}/apis';
const DEPLOY = '/proxies/xapi/v1/organizations/{org}/environments/{env}/apis/{id}/deployments';
const perApi = (policies: number) => [
  `POST ${APIS}`, `GET ${APIS}/{id}`, `GET ${APIS}/{id}/upstreams`, `PATCH ${APIS}/{id}`, `POST ${DEPLOY}`,
  `GET ${APIS}/{id}/policies`, ...Array<string>(policies).fill(`POST ${APIS}/{id}/policies`), `GET ${APIS}/{id}`,
];

describe('API Manager reconcile (Connected Mode) against a fake API Manager', function () {
  this.timeout(HANG_GUARD_MS);
  const tempDir = useTempDirs();
  let fake: FakeApiManager;
  let dir: string;
  const outputs: ReconcileRun[] = [];
  const run = async (env: Record<string, string> = {}) => {
    const result = await runReconcile(dir, fake.url, env);
    outputs.push(result);
    return result;
  };
  const editState = (edit: (state: Record<string, any>) => void) => {
    const path = join(dir, 'desired-state.json');
    const state = JSON.parse(readFileSync(path, 'utf8'));
    edit(state);
    writeFileSync(path, JSON.stringify(state));
  };

  beforeEach(async () => {
    fake = await startFakeApiManager(fakeState(ORG, [{ id: ENV_ID, name: 'Sandbox' }, { id: 'bbbbbbbb-0000-4000-8000-000000000000', name: 'Production' }], { [CLIENT.id]: CLIENT.secret }));
    dir = join(tempDir(), 'mount');
    mountReconcile(dir);
  });
  afterEach(async () => {
    await fake.close();
    // Whatever a test did, no secret reached the script's output.
    for (const { stdout, stderr } of outputs.splice(0)) {
      for (const secret of [CLIENT.secret, BASIC_AUTH.password, BASIC_AUTH.username, ...fake.state.tokens]) {
        assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `a secret was printed:\n${stdout}${stderr}`);
      }
    }
  });

  it('first run: creates each instance, routes it, deploys it to the target and applies its policies in order', async () => {
    const result = await run();
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(fake.calls.map(shape), ['POST /accounts/api/v2/oauth2/token', `GET ${APIS}`, ...perApi(2), ...perApi(2)]);
    const bodies = (pattern: string) => fake.calls.filter((call) => shape(call) === pattern).map((call) => call.body as Record<string, any>);
    const [ingress, reviews] = bodies(`POST ${APIS}`);
    assert.deepEqual(ingress!.spec, { groupId: ORG, assetId: 'flexmesh-bookinfo', version: '1.0.0' });
    assert.equal(ingress!.technology, 'flexGateway');
    assert.equal(ingress!.instanceLabel, 'flexmesh.dev.ingress');
    assert.deepEqual([ingress!.endpoint.proxyUri, ingress!.endpoint.uri, ingress!.endpoint.deploymentType], ['http://0.0.0.0:8081/ingress/', 'http://productpage.bookinfo.svc:9080/', 'HY']);
    assert.deepEqual([reviews!.endpoint.proxyUri, reviews!.endpoint.uri], ['http://0.0.0.0:8081/bookinfo/reviews/', 'http://reviews.bookinfo.svc:9080/']);
    for (const body of bodies(`POST ${DEPLOY}`)) assert.deepEqual(body, { type: 'HY', gatewayVersion: '1.7.0', targetId: TARGET, environmentId: ENV_ID });
    const routes = bodies(`PATCH ${APIS}/{id}`).map((body) => body.routing[0].label);
    assert.deepEqual(routes, ['productpage', 'reviews']);
    const policies = bodies(`POST ${APIS}/{id}/policies`).map((body) => [body.assetId, body.assetVersion, body.groupId, body.order]);
    assert.deepEqual(policies, [
      ['message-logging', '2.0.2', MULESOFT, 1], ['http-basic-authentication', '1.3.2', MULESOFT, 2],
      ['message-logging', '2.0.2', MULESOFT, 1], ['rate-limiting', '1.4.1', MULESOFT, 2],
    ]);
    const basicAuth = bodies(`POST ${APIS}/{id}/policies`).find((body) => body.assetId === 'http-basic-authentication')!;
    assert.deepEqual(basicAuth.configurationData, BASIC_AUTH, 'the credentials are read from the Secret at run time and sent');
    const rateLimit = bodies(`POST ${APIS}/{id}/policies`).find((body) => body.assetId === 'rate-limiting')!;
    assert.deepEqual(rateLimit.configurationData, { rateLimits: [{ maximumRequests: 2, timePeriodInMilliseconds: 60000 }], exposeHeaders: true });
    assert.match(result.stdout, /^result: ok \(8 created, 2 updated, 0 deleted, 0 unchanged, 0 kept; 10 writes, 0 retries\)$/m);
    assert.match(result.stdout, /^create +api ingress \(flexmesh.dev.ingress\)/m);
  });

  it('second run with nothing changed makes no write call, and check mode reports in sync', async () => {
    assert.equal((await run()).code, 0);
    const before = fake.writes().length;
    const again = await run();
    assert.equal(again.code, 0, again.stdout);
    assert.equal(fake.writes().length, before, `writes on an unchanged run:\n${again.stdout}`);
    assert.match(again.stdout, /^result: ok \(0 created, 0 updated, 0 deleted, \d+ unchanged, 0 kept; 0 writes/m);
    const check = await run({ FLEXMESH_MODE: 'check' });
    assert.equal(check.code, 0, check.stdout);
    assert.match(check.stdout, /^result: in sync/m);
  });

  it('a policy changed, disabled or deleted behind its back is reported by check and restored by apply', async () => {
    assert.equal((await run()).code, 0);
    const [ingress, reviews] = fake.state.apis;
    ingress!.policies.find((policy) => policy.assetId === 'http-basic-authentication')!.configurationData = { username: 'intruder', password: 'x' };
    reviews!.policies.splice(reviews!.policies.findIndex((policy) => policy.assetId === 'rate-limiting'), 1);
    reviews!.policies.find((policy) => policy.assetId === 'message-logging')!.disabled = true;
    ingress!.policies.push({ id: 9999, assetId: 'ip-allowlist', assetVersion: '1.0.0', groupId: MULESOFT, order: 3, configurationData: {}, pointcutData: null, disabled: false });
    const writes = fake.writes().length;
    const check = await run({ FLEXMESH_MODE: 'check' });
    assert.equal(check.code, 1, check.stdout);
    assert.match(check.stdout, /^result: DRIFT 4 change\(s\) needed/m);
    assert.equal(fake.writes().length, writes, 'check mode writes nothing');
    const repair = await run();
    assert.equal(repair.code, 0, repair.stdout);
    const repaired = fake.writes().slice(writes).map(shape).sort();
    assert.deepEqual(repaired, [`DELETE ${APIS}/{id}/policies/{id}`, `PATCH ${APIS}/{id}/policies/{id}`, `PATCH ${APIS}/{id}/policies/{id}`, `POST ${APIS}/{id}/policies`]);
    assert.deepEqual(ingress!.policies.find((policy) => policy.assetId === 'http-basic-authentication')!.configurationData, BASIC_AUTH);
    assert.equal(reviews!.policies.find((policy) => policy.assetId === 'message-logging')!.disabled, false);
    assert.equal((await run({ FLEXMESH_MODE: 'check' })).code, 0);
  });

  it('never touches an instance whose label it does not own; removes owned leftovers only when pruning is on', async () => {
    const foreign = addForeignApi(fake.state, 'team-b-orders');
    const lookalike = addForeignApi(fake.state, 'flexmesh.dev-eu.ingress');
    const leftover = addForeignApi(fake.state, 'flexmesh.dev.retired', 'flexmesh-bookinfo');
    const kept = await run();
    assert.equal(kept.code, 0, kept.stdout);
    assert.match(kept.stdout, /^keep +api flexmesh.dev.retired .*anypoint\.prune is false/m);
    editState((state) => { state.ownership.prune = true; });
    const pruned = await run();
    assert.equal(pruned.code, 0, pruned.stdout);
    assert.ok(!fake.state.apis.includes(leftover), 'the owned leftover is deleted');
    for (const other of [foreign, lookalike]) {
      assert.ok(fake.state.apis.includes(other));
      assert.deepEqual(fake.calls.filter((call) => call.path.includes(`/apis/${other.id}`)), [], `instance ${other.instanceLabel} was read or written`);
    }
  });

  it('retries a 500 and a 429, then succeeds', async () => {
    fake.faults.push({ method: 'POST', path: /\/apis$/, status: 500, times: 1 }, { method: 'GET', path: /\/policies$/, status: 429, times: 2 });
    const result = await run();
    assert.equal(result.code, 0, result.stdout);
    assert.equal(fake.state.apis.length, 2);
    assert.match(result.stdout, /^retry 1\/4: POST \S+\/apis -> 500/m);
    assert.match(result.stdout, /3 retries\)$/m);
  });

  it('gives up after the bounded number of attempts with the status and API Manager message', async () => {
    fake.faults.push({ method: 'GET', path: /\/apis$/, status: 503, times: 10, body: { message: 'maintenance window' } });
    const result = await run({ FLEXMESH_MAX_ATTEMPTS: '3' });
    assert.equal(result.code, 1);
    assert.equal(fake.calls.filter((call) => call.method === 'GET' && call.path.endsWith('/apis')).length, 3);
    assert.match(result.stdout, /^result: FAIL GET \S+\/apis\?limit=100&offset=0 -> 503: maintenance window$/m);
  });

  it('fails clearly when the Connected App is refused (401) or lacks access (403)', async () => {
    const refused = await run({ ANYPOINT_CLIENT_SECRET: 'wrong-secret-value' });
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /result: FAIL POST \/accounts\/api\/v2\/oauth2\/token -> 401: Bad client credentials — API Manager refused the Connected App/);
    assert.ok(!refused.stdout.includes('wrong-secret-value'));
    outputs.push(refused);
    editState((state) => { state.anypoint.organizationId = '99999999-2222-4333-8444-555555555555'; });
    const forbidden = await run();
    assert.equal(forbidden.code, 1);
    assert.match(forbidden.stdout, /-> 403: no access to organization 9{8}-.* refused the Connected App: check .* scopes/);
    assert.equal(fake.writes().length, 0);
  });

  it('never prints a credential, even when API Manager echoes it back in an error', async () => {
    fake.faults.push({ method: 'POST', path: /\/policies$/, status: 400, times: 1, body: { message: `invalid configurationData {"username":"${BASIC_AUTH.username}","password":"${BASIC_AUTH.password}"}` } });
    const result = await run();
    assert.equal(result.code, 1);
    assert.match(result.stdout, /400: invalid configurationData \{"username":"\*\*\*","password":"\*\*\*"\}/);
  });

  it('looks an environment name up, and reads the target from registration.yaml when the state names none', async () => {
    editState((state) => { state.anypoint.environment = { name: 'Sandbox' }; delete state.anypoint.targetId; });
    const registration = join(dir, '..', 'registration.yaml');
    writeFileSync(registration, 'apiVersion: gateway.mulesoft.com/v1alpha1\nkind: Configuration\nspec:\n  platformConnection:\n    agentId: agent-from-registration-42\n');
    const result = await run({ FLEXMESH_REGISTRATION_FILE: registration });
    assert.equal(result.code, 0, result.stdout);
    assert.ok(fake.state.apis.every((api) => api.deployment?.targetId === 'agent-from-registration-42'));
    editState((state) => { state.anypoint.environment = { name: 'Staging' }; });
    const missing = await run({ FLEXMESH_REGISTRATION_FILE: registration });
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /environment "Staging" was not found in organization .* \(it has: Sandbox, Production\)/);
  });

  it('moves a deployment to the target it should be on, and refuses to adopt an instance of another asset', async () => {
    assert.equal((await run()).code, 0);
    fake.state.apis[0]!.deployment!.targetId = 'another-gateway';
    const moved = await run();
    assert.equal(moved.code, 0, moved.stdout);
    assert.match(moved.stdout, /^update +deployment ingress: target another-gateway -> agent-0f3e9c$/m);
    fake.state.apis[1]!.assetId = 'some-other-asset';
    const conflict = await run();
    assert.equal(conflict.code, 1);
    assert.match(conflict.stdout, /is backed by .*some-other-asset, not .*flexmesh-bookinfo: an instance cannot change its asset/);
  });
});
