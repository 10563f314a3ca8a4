// flexmesh API Manager reconcile: makes the Connected-Mode API instances, their deployment to this gateway and their
// policies equal to the desired state that flexmesh generated from the environment. Only instances whose label starts
// with the environment's prefix are read in detail or written. FLEXMESH_MODE=check writes nothing and exits 1 on drift.
//
// Env contract:
//   FLEXMESH_DESIRED_STATE     required  path of desired-state.json
//   FLEXMESH_MODE              optional  apply (default) | check
//   ANYPOINT_BASE_URL          required  e.g. https://anypoint.mulesoft.com
//   ANYPOINT_CLIENT_ID / ANYPOINT_CLIENT_SECRET  required  the Connected App
//   FLEXMESH_REGISTRATION_FILE optional  registration.yaml; its agentId is the target unless the state names one
//   FLEXMESH_MAX_ATTEMPTS (5), FLEXMESH_RETRY_BASE_MS (1000), FLEXMESH_RETRY_MAX_MS (30000), FLEXMESH_TIMEOUT_MS (30000)
//   plus every variable a policy's secretConfiguration names (basic-auth credentials).
// Output: one line per object (create/update/delete/keep/unchanged), then "result: …". Exit 0 ok/in sync, 1 failure
// or drift, 2 configuration error. Secret values never reach the output.
import { readFileSync } from 'node:fs';
import { ApiError, createClient, redactor } from './anypoint-client.mjs';
import { reconcileApis } from './steps.mjs';

function fail(code, message, redact = (text) => text) {
  process.stdout.write(`result: FAIL ${redact(message)}\n`);
  process.exit(code);
}

function setting(name, fallback) {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback === undefined) fail(2, `${name} is not set`);
  return fallback;
}

function count(name, fallback) {
  const value = Number(setting(name, String(fallback)));
  if (!Number.isInteger(value) || value < 0) fail(2, `${name} must be a whole number`);
  return value;
}

/** registration.yaml's spec.platformConnection.agentId (flexctl registration create); UNVERIFIED beyond MuleSoft's docs. */
function agentIdFrom(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(2, `cannot read the registration file ${file} (${error.code}): is flex.registrationSecret mounted?`);
  }
  const match = /^\s*agentId:\s*["']?([A-Za-z0-9-]+)["']?\s*$/m.exec(text);
  if (!match) fail(2, `no agentId in ${file}: set anypoint.targetId in the environment`);
  return match[1];
}

const mode = setting('FLEXMESH_MODE', 'apply');
if (mode !== 'apply' && mode !== 'check') fail(2, 'FLEXMESH_MODE must be apply or check');
let desired;
try {
  desired = JSON.parse(readFileSync(setting('FLEXMESH_DESIRED_STATE'), 'utf8'));
} catch (error) {
  fail(2, `cannot read the desired state: ${error.message}`);
}
if (desired?.schemaVersion !== 1) fail(2, 'the desired state is not schemaVersion 1: regenerate the bundle with this flexmesh');
const clientId = setting('ANYPOINT_CLIENT_ID');
const clientSecret = setting('ANYPOINT_CLIENT_SECRET');
const credentialVariables = desired.apis.flatMap((api) => api.policies.flatMap((policy) => Object.values(policy.secretConfiguration ?? {})));
for (const variable of credentialVariables) setting(variable);
const redact = redactor([clientId, clientSecret, ...credentialVariables.map((variable) => process.env[variable])]);
const log = (line) => process.stdout.write(`${redact(line)}\n`);

const client = createClient({
  baseUrl: setting('ANYPOINT_BASE_URL').replace(/\/+$/, ''),
  maxAttempts: Math.max(1, count('FLEXMESH_MAX_ATTEMPTS', 5)),
  retryBaseMs: count('FLEXMESH_RETRY_BASE_MS', 1000),
  retryMaxMs: count('FLEXMESH_RETRY_MAX_MS', 30000),
  timeoutMs: Math.max(1, count('FLEXMESH_TIMEOUT_MS', 30000)),
  redact,
  log,
});

try {
  await client.login(clientId, clientSecret);
  const targetId = desired.anypoint.targetId ?? agentIdFrom(setting('FLEXMESH_REGISTRATION_FILE'));
  const outcome = await reconcileApis({ client, desired, targetId, mode, env: process.env, log });
  const changes = outcome.created + outcome.updated + outcome.deleted;
  const tally = `${outcome.created} created, ${outcome.updated} updated, ${outcome.deleted} deleted, ${outcome.unchanged} unchanged, ${outcome.kept} kept`;
  if (mode === 'check') {
    log(changes === 0 ? `result: in sync (${tally}; ${client.stats.writes} writes)` : `result: DRIFT ${changes} change(s) needed (${tally}; ${client.stats.writes} writes)`);
    process.exit(changes === 0 ? 0 : 1);
  }
  log(`result: ok (${tally}; ${client.stats.writes} writes, ${client.stats.retries} retries)`);
} catch (error) {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    fail(1, `${error.message} — API Manager refused the Connected App: check its client id/secret Secret and its scopes (bundle README), and that it is granted organization ${desired.anypoint.organizationId}`, redact);
  }
  fail(1, error instanceof ApiError || error?.name === 'ReconcileError' ? error.message : `unexpected error: ${error?.stack ?? error}`, redact);
}
