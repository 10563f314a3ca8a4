import assert from 'node:assert/strict';
import type { BasicCredentials, FixtureResponse, FixtureRoutes } from '../http-fixture.ts';
import type { ProbeCase, ProbeSuite } from '../probe-case.ts';

// Quote, backslash, space and dollar: the characters a curl config line must escape or keep.
const credentials: BasicCredentials = { username: 'user1', password: 'pa"ss\\wo rd$1' };
const products: FixtureResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":1,"title":"The Comedy of Errors"}' };
const page: FixtureResponse = { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Bookinfo</html>' };

/** The tutorial's gateway with basic auth in front of everything; overrides replace single paths. */
function securedGateway(overrides: Partial<Record<string, FixtureResponse>> = {}): FixtureRoutes {
  const route = (path: string, fallback: FixtureResponse) => ({ respond: overrides[path] ?? fallback, basicAuth: credentials });
  return {
    '/': route('/', { status: 200, body: 'root' }),
    '/api/v1/products/1': route('/api/v1/products/1', products),
    '/productpage': route('/productpage', page),
  };
}

const withAuth = (url: string) => ({
  GATEWAY_URL: `${url}/`, // a trailing slash must not produce "//" paths
  EXPECT_AUTH: 'true',
  BASIC_AUTH_USERNAME: credentials.username,
  BASIC_AUTH_PASSWORD: credentials.password,
});

const cases: readonly ProbeCase[] = [
  {
    name: 'passes: 401 without credentials, then JSON products and the page with them',
    env: withAuth,
    routes: securedGateway(),
    expectExit: 0,
    expectLine: /^PASS north-south: expected 401 without credentials, then 200 JSON from \/api\/v1\/products\/1 and 200 from \/productpage with credentials; got 401 without credentials, 200 JSON from \/api\/v1\/products\/1, 200 from \/productpage$/,
    verify: (run) => {
      assert.deepEqual(run.requests.map((request) => request.path), ['/', '/api/v1/products/1', '/productpage']);
      assert.equal(run.requests[0]?.authorization, undefined, 'the first check must send no credentials');
      for (const call of run.curlCalls) assert.match(call, /--max-time 10 /);
    },
  },
  {
    name: 'passes without auth when EXPECT_AUTH=false, skipping the 401 check',
    env: (url) => ({ GATEWAY_URL: url, EXPECT_AUTH: 'false' }),
    routes: { '/api/v1/products/1': { respond: { status: 200, body: ' \n [{"id":1}]' } }, '/productpage': { respond: page } },
    expectExit: 0,
    expectLine: /^PASS north-south: expected 200 JSON from \/api\/v1\/products\/1 and 200 from \/productpage; got 200 JSON/,
    verify: (run) => assert.deepEqual(run.requests.map((request) => request.path), ['/api/v1/products/1', '/productpage']),
  },
  {
    name: 'fails when the gateway lets an anonymous request through',
    env: withAuth,
    routes: { ...securedGateway(), '/': { respond: { status: 200, body: 'open' } } },
    expectExit: 1,
    expectLine: /^FAIL north-south: expected unauthenticated check: GET \/ without credentials returns 401; got 200$/,
  },
  {
    name: 'fails when the credentials are refused',
    env: (url) => ({ ...withAuth(url), BASIC_AUTH_PASSWORD: 'wrong' }),
    routes: securedGateway(),
    expectExit: 1,
    expectLine: /^FAIL north-south: expected products check: GET \/api\/v1\/products\/1 returns 200 with a JSON body; got 401$/,
  },
  {
    name: 'fails on a non-JSON products body',
    env: withAuth,
    routes: securedGateway({ '/api/v1/products/1': { status: 200, body: '<html>upstream connect error</html>' } }),
    expectExit: 1,
    expectLine: /; got non-JSON body: <html>upstream connect error<\/html>$/,
  },
  {
    name: 'fails on an empty products body',
    env: withAuth,
    routes: securedGateway({ '/api/v1/products/1': { status: 200, body: '' } }),
    expectExit: 1,
    expectLine: /; got non-JSON body: $/,
  },
  {
    name: 'fails on a products error status',
    env: withAuth,
    routes: securedGateway({ '/api/v1/products/1': { status: 503, body: 'no healthy upstream' } }),
    expectExit: 1,
    expectLine: /products check: .*; got 503$/,
  },
  {
    name: 'fails when the page is missing',
    env: (url) => ({ ...withAuth(url), PAGE_PATH: '/missing' }),
    routes: securedGateway(),
    expectExit: 1,
    expectLine: /^FAIL north-south: expected page check: GET \/missing returns 200; got 404$/,
  },
  {
    name: 'fails with curl\'s reason when nothing answers',
    env: () => ({ GATEWAY_URL: 'http://127.0.0.1:1', EXPECT_AUTH: 'false', CURL_MAX_TIME: '2' }),
    expectExit: 1,
    expectLine: /products check: .*; got no HTTP response \(curl: \(7\) .*\)$/,
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
    name: 'rejects a missing GATEWAY_URL',
    env: () => ({ EXPECT_AUTH: 'false' }),
    expectExit: 2,
    expectLine: /^FAIL north-south: configuration: GATEWAY_URL is required$/,
    verify: (run) => assert.deepEqual(run.curlCalls, []),
  },
];

export const northSouthSuite: ProbeSuite = { script: 'north-south.sh', cases };
