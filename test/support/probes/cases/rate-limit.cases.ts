import assert from 'node:assert/strict';
import type { BasicCredentials, FixtureResponse, FixtureRoutes } from '../http-fixture.ts';
import type { ProbeCase, ProbeSuite } from '../probe-case.ts';

const PATH = '/bookinfo/reviews/reviews/0';
const env = (url: string) => ({ API_URL: `${url}${PATH}`, MAXIMUM_REQUESTS: '2', EXPECT_HEADERS: 'true' });

// Quote, backslash, space and dollar: the characters a curl config line must escape or keep.
const credentials: BasicCredentials = { username: 'user1', password: 'pa"ss\\wo rd$1' };
const withCredentials = (url: string) => ({ ...env(url), BASIC_AUTH_USERNAME: credentials.username, BASIC_AUTH_PASSWORD: credentials.password });

/**
 * Flex's rate limiter: `allowed` requests get 200, the rest get `rejection`. With
 * basicAuth in front, a request without the credentials gets 401 and does not count.
 */
function limiter(allowed: number, rejection: FixtureResponse, basicAuth?: BasicCredentials): FixtureRoutes {
  const respond = (hit: number) => (hit <= allowed ? { status: 200, body: '{"id":"0"}' } : rejection);
  return { [PATH]: basicAuth ? { respond, basicAuth } : { respond } };
}
// Mixed-case header name: the probe must match it case-insensitively.
const quotaExceeded: FixtureResponse = {
  status: 429,
  headers: { 'X-RateLimit-Limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '59000' },
  body: '{"error":"Too Many Requests"}',
};

const cases: readonly ProbeCase[] = [
  {
    name: 'passes when request MAXIMUM_REQUESTS+1 is 429 with x-ratelimit-limit',
    env,
    routes: limiter(2, quotaExceeded),
    expectExit: 0,
    expectLine: /^PASS rate-limit: expected request 3 of 3 to return 429 with x-ratelimit-limit: 2; got statuses 200 200 429, x-ratelimit-limit: 2$/,
    verify: (run) => {
      assert.equal(run.requests.length, 3);
      for (const call of run.curlCalls) assert.match(call, /--max-time 10 /);
    },
  },
  {
    name: 'passes without headers when EXPECT_HEADERS=false',
    env: (url) => ({ ...env(url), EXPECT_HEADERS: 'false' }),
    routes: limiter(2, { status: 429, body: 'quota exceeded' }),
    expectExit: 0,
    expectLine: /^PASS rate-limit: expected request 3 of 3 to return 429; got statuses 200 200 429$/,
  },
  {
    name: 'passes when other traffic already used the quota',
    env,
    routes: limiter(0, quotaExceeded),
    expectExit: 0,
    expectLine: /got statuses 429 x3, x-ratelimit-limit: 2$/,
  },
  {
    name: 'with credentials, passes behind basic auth: every request carries them, so the limit answers 429',
    env: withCredentials,
    routes: limiter(2, quotaExceeded, credentials),
    expectExit: 0,
    expectLine: /^PASS rate-limit: expected request 3 of 3 with credentials to return 429 with x-ratelimit-limit: 2; got statuses 200 200 429, x-ratelimit-limit: 2$/,
    verify: (run) => {
      assert.equal(run.requests.length, 3);
      for (const request of run.requests) assert.match(request.authorization ?? '', /^Basic /);
      for (const call of run.curlCalls) assert.match(call, / -K - /, 'credentials come on stdin');
    },
  },
  {
    name: 'without credentials, fails behind basic auth: 401s never reach the limit',
    env,
    routes: limiter(2, quotaExceeded, credentials),
    expectExit: 1,
    expectLine: /^FAIL rate-limit: expected request 3 of 3 to return 429 with x-ratelimit-limit: 2; got statuses 401 x3$/,
  },
  {
    name: 'sends no credentials when only the username is set',
    env: (url) => ({ ...env(url), BASIC_AUTH_USERNAME: credentials.username }),
    routes: limiter(2, quotaExceeded),
    expectExit: 0,
    expectLine: /^PASS rate-limit: expected request 3 of 3 to return 429/,
    verify: (run) => assert.deepEqual(run.requests.map((request) => request.authorization), [undefined, undefined, undefined]),
  },
  {
    name: 'fails listing the statuses when the limit never triggers',
    env,
    routes: limiter(10, quotaExceeded),
    expectExit: 1,
    expectLine: /^FAIL rate-limit: expected request 3 of 3 to return 429 with x-ratelimit-limit: 2; got statuses 200 x3$/,
  },
  {
    name: 'fails when the 429 lacks x-ratelimit-limit',
    env,
    routes: limiter(2, { status: 429, headers: { 'x-ratelimit-remaining': '0' }, body: '' }),
    expectExit: 1,
    expectLine: /; got statuses 200 200 429, no x-ratelimit-limit header on the 429$/,
  },
  {
    name: 'fails when x-ratelimit-limit is not MAXIMUM_REQUESTS',
    env,
    routes: limiter(2, { ...quotaExceeded, headers: { 'x-ratelimit-limit': '5' } }),
    expectExit: 1,
    expectLine: /; got statuses 200 200 429, x-ratelimit-limit: 5$/,
  },
  {
    name: 'fails with curl\'s reason when nothing answers',
    env: () => ({ API_URL: `http://127.0.0.1:1${PATH}`, MAXIMUM_REQUESTS: '1', EXPECT_HEADERS: 'false', CURL_MAX_TIME: '2' }),
    expectExit: 1,
    expectLine: /; got statuses 000 000 \(last: curl: \(7\) /,
  },
  ...['0', '07', 'two', '1001'].map(
    (value): ProbeCase => ({
      name: `rejects MAXIMUM_REQUESTS=${value}`,
      env: (url) => ({ ...env(url), MAXIMUM_REQUESTS: value }),
      expectExit: 2,
      expectLine: /^FAIL rate-limit: configuration: MAXIMUM_REQUESTS is required \(an integer from 1 to 1000\)$/,
      verify: (run) => assert.deepEqual(run.curlCalls, []),
    }),
  ),
  {
    name: 'rejects a missing EXPECT_HEADERS',
    env: (url) => ({ API_URL: `${url}${PATH}`, MAXIMUM_REQUESTS: '2' }),
    expectExit: 2,
    expectLine: /^FAIL rate-limit: configuration: EXPECT_HEADERS is required$/,
  },
];

export const rateLimitSuite: ProbeSuite = { script: 'rate-limit.sh', cases };
