import assert from 'node:assert/strict';
import type { BasicCredentials, FixtureResponse, FixtureRoutes } from '../http-fixture.ts';
import type { ProbeCase, ProbeRun, ProbeSuite } from '../probe-case.ts';

// Quote, backslash, space and dollar: the characters a curl config line must escape or keep.
const credentials: BasicCredentials = { username: 'user1', password: 'pa"ss\\wo rd$1' };
const API_PATH = '/api/v1/products/1';
// The pattern the generator passes for Bookinfo's product 1 (id as a number or a string).
const PRODUCT_1 = '"id"[[:space:]]*:[[:space:]]*"?1"?[[:space:]]*[,}]';
const products: FixtureResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id": 1, "title": "The Comedy of Errors"}' };

/** Basic auth in front of API_PATH: the credentials get `reply`, anything else `refusal` (default: the fixture's 401). */
function secured(reply: FixtureResponse = products, refusal?: FixtureResponse): FixtureRoutes {
  return { [API_PATH]: { respond: reply, basicAuth: credentials, ...(refusal ? { unauthorized: refusal } : {}) } };
}

const withAuth = (url: string) => ({
  GATEWAY_URL: `${url}/`, // a trailing slash must not produce "//" paths
  API_PATH,
  EXPECT_AUTH: 'true',
  EXPECT_BODY_PATTERN: PRODUCT_1,
  BASIC_AUTH_USERNAME: credentials.username,
  BASIC_AUTH_PASSWORD: credentials.password,
});
const open = (url: string) => ({ GATEWAY_URL: url, API_PATH, EXPECT_AUTH: 'false' });

const paths = (run: ProbeRun) => run.requests.map((request) => `${request.path} ${request.authorization === undefined ? 'anonymous' : 'with credentials'}`);

const cases: readonly ProbeCase[] = [
  {
    name: 'passes: 401 with a Basic challenge without credentials, then 200 and the product with them (2 requests)',
    env: withAuth,
    routes: secured(),
    expectExit: 0,
    expectLine: new RegExp(
      `^PASS north-south: expected 401 with WWW-Authenticate: Basic without credentials, then 200 with a body matching ${PRODUCT_1.replace(/[[\]()*+?.^$|{}\\]/g, '\\$&')} for GET /api/v1/products/1 with them; ` +
        `got 401 with WWW-Authenticate: Basic realm="fixture", then 200 with body '\\{"id": 1, "title": "The Comedy of Errors"\\}'$`,
    ),
    verify: (run) => {
      assert.deepEqual(paths(run), [`${API_PATH} anonymous`, `${API_PATH} with credentials`]);
      for (const call of run.curlCalls) assert.match(call, /--max-time 10 /);
    },
  },
  {
    name: 'passes without auth when EXPECT_AUTH=false: one request, default EXPECT_STATUS 200',
    env: open,
    routes: { [API_PATH]: { respond: { status: 200, body: '[{"id":1}]' } } },
    expectExit: 0,
    expectLine: /^PASS north-south: expected 200 for GET \/api\/v1\/products\/1; got 200 with body '\[\{"id":1\}\]'$/,
    verify: (run) => assert.deepEqual(paths(run), [`${API_PATH} anonymous`]),
  },
  {
    name: 'honours EXPECT_STATUS and matches a pattern across the lines of a pretty-printed body',
    env: (url) => ({ ...open(url), EXPECT_STATUS: '201', EXPECT_BODY_PATTERN: PRODUCT_1 }),
    routes: { [API_PATH]: { respond: { status: 201, body: '{\n  "id":\n    "1"\n}\n' } } },
    expectExit: 0,
    expectLine: /^PASS north-south: expected 201 with a body matching .* for GET \/api\/v1\/products\/1; got 201 with body/,
  },
  {
    name: 'matches the WWW-Authenticate name and the Basic scheme case-insensitively, also as a later challenge',
    env: withAuth,
    routes: secured(products, { status: 401, headers: { 'wWw-AuThEnTiCaTe': 'Bearer realm="api", error="invalid_token", BASIC realm="flex"' } }),
    expectExit: 0,
    expectLine: /got 401 with WWW-Authenticate: Bearer realm="api", error="invalid_token", BASIC realm="flex", then 200/,
  },
  {
    name: 'fails when the gateway lets an anonymous request through',
    env: withAuth,
    routes: { [API_PATH]: { respond: { status: 200, body: '{"id": 1}' } } },
    expectExit: 1,
    expectLine: /^FAIL north-south: expected GET \/api\/v1\/products\/1 without credentials to return 401 with WWW-Authenticate: Basic; got 200 with body '\{"id": 1\}'$/,
    verify: (run) => assert.equal(run.requests.length, 1, 'stops at the first failed check'),
  },
  {
    name: 'fails on a 401 without WWW-Authenticate',
    env: withAuth,
    routes: secured(products, { status: 401, body: 'denied' }),
    expectExit: 1,
    expectLine: /; got 401 without a WWW-Authenticate header$/,
  },
  {
    name: 'fails on a 401 whose challenge is not Basic (a realm that merely says basic does not count)',
    env: withAuth,
    routes: secured(products, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="basic", scope=basic' } }),
    expectExit: 1,
    expectLine: /; got 401 with WWW-Authenticate: Bearer realm="basic", scope=basic \(no Basic challenge\)$/,
  },
  {
    name: 'fails when the credentials are refused, saying what the first check saw',
    env: (url) => ({ ...withAuth(url), BASIC_AUTH_PASSWORD: 'wrong' }),
    routes: secured(),
    expectExit: 1,
    expectLine: /^FAIL north-south: expected GET \/api\/v1\/products\/1 with credentials to return 200 with a body matching .*; got 401 with WWW-Authenticate: Basic realm="fixture", then 401 with body 'unauthorized'$/,
  },
  {
    name: 'fails when the body does not match EXPECT_BODY_PATTERN, quoting it',
    env: withAuth,
    routes: secured({ status: 200, body: '{"id": 10, "title": "Hamlet"}' }),
    expectExit: 1,
    expectLine: /, then 200 with a body not matching: '\{"id": 10, "title": "Hamlet"\}'$/,
  },
  {
    name: 'fails on an empty body when a pattern is expected',
    env: withAuth,
    routes: secured({ status: 200, body: '' }),
    expectExit: 1,
    expectLine: /, then 200 with a body not matching: ''$/,
  },
  {
    name: 'fails on an unexpected status, with a body excerpt',
    env: withAuth,
    routes: secured({ status: 503, body: 'no healthy upstream' }),
    expectExit: 1,
    expectLine: /, then 503 with body 'no healthy upstream'$/,
  },
  {
    name: 'fails when a status other than EXPECT_STATUS comes back, even a 200',
    env: (url) => ({ ...open(url), EXPECT_STATUS: '204' }),
    routes: { [API_PATH]: { respond: { status: 200, body: '' } } },
    expectExit: 1,
    expectLine: /^FAIL north-south: expected GET \/api\/v1\/products\/1 to return 204; got 200 with an empty body$/,
  },
  {
    name: 'fails with curl\'s reason when nothing answers',
    env: () => ({ GATEWAY_URL: 'http://127.0.0.1:1', API_PATH, EXPECT_AUTH: 'false', CURL_MAX_TIME: '2' }),
    expectExit: 1,
    expectLine: /; got no HTTP response \(curl: \(7\) .*\)$/,
  },
  {
    name: 'rejects EXPECT_AUTH=true without a password',
    env: (url) => ({ ...withAuth(url), BASIC_AUTH_PASSWORD: '' }),
    expectExit: 2,
    expectLine: /^FAIL north-south: configuration: BASIC_AUTH_PASSWORD is required$/,
  },
  {
    name: 'rejects an EXPECT_AUTH that is not true or false',
    env: (url) => ({ ...withAuth(url), EXPECT_AUTH: 'yes' }),
    expectExit: 2,
    expectLine: /^FAIL north-south: configuration: EXPECT_AUTH is required \(true or false\)$/,
  },
  {
    name: 'rejects a missing API_PATH',
    env: (url) => ({ ...withAuth(url), API_PATH: '' }),
    expectExit: 2,
    expectLine: /^FAIL north-south: configuration: API_PATH is required$/,
  },
  {
    name: 'rejects an API_PATH without a leading slash',
    env: (url) => ({ ...withAuth(url), API_PATH: 'api/v1/products/1' }),
    expectExit: 2,
    expectLine: /^FAIL north-south: configuration: API_PATH is required \(a path starting with \/\)$/,
  },
  {
    name: 'rejects an EXPECT_STATUS that is not 3 digits',
    env: (url) => ({ ...withAuth(url), EXPECT_STATUS: '20' }),
    expectExit: 2,
    expectLine: /^FAIL north-south: configuration: EXPECT_STATUS is required \(a 3-digit HTTP status\)$/,
  },
  {
    name: 'rejects a malformed EXPECT_BODY_PATTERN before sending anything',
    env: (url) => ({ ...withAuth(url), EXPECT_BODY_PATTERN: '"id"[' }),
    routes: secured(),
    expectExit: 2,
    expectLine: /^FAIL north-south: configuration: EXPECT_BODY_PATTERN is required \(a POSIX extended regular expression\)$/,
    verify: (run) => assert.deepEqual(run.curlCalls, []),
  },
  {
    name: 'rejects a missing GATEWAY_URL',
    env: () => ({ API_PATH, EXPECT_AUTH: 'false' }),
    expectExit: 2,
    expectLine: /^FAIL north-south: configuration: GATEWAY_URL is required$/,
    verify: (run) => assert.deepEqual(run.curlCalls, []),
  },
];

export const northSouthSuite: ProbeSuite = { script: 'north-south.sh', cases };
