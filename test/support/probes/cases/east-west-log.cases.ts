import assert from 'node:assert/strict';
import type { BasicCredentials, FixtureRoutes } from '../http-fixture.ts';
import type { KubectlRule, ProbeCase, ProbeSuite } from '../probe-case.ts';

const credentials: BasicCredentials = { username: 'user1', password: 'password1' };
const pageRoutes: FixtureRoutes = { '/productpage': { respond: { status: 200, body: '<html>Bookinfo</html>' }, basicAuth: credentials } };

const env = (url: string) => ({
  GATEWAY_URL: url,
  BASIC_AUTH_USERNAME: credentials.username,
  BASIC_AUTH_PASSWORD: credentials.password,
  FLEX_NAMESPACE: 'flex',
  FLEX_SELECTOR: 'app=flex',
  FLEX_CONTAINER: 'app',
  API_NAME: 'bookinfo-reviews',
  API_BASE_PATH: '/bookinfo/reviews/',
});

// Real line shapes from the tutorial (flex-gateway.md §5).
const EAST_WEST_LINE =
  '[flex-gateway-envoy][info] wasm log bookinfo-reviews-message-logging-flex-1.flex.bookinfo-reviews.flex.svc main: ' +
  '[policy: bookinfo-reviews-message-logging-flex-1.flex][api: bookinfo-reviews.flex.svc] [req: 1f5c0a] [accessLog] > HTTP/1.1 GET reviews:9080/bookinfo/reviews/reviews/0';
const INGRESS_LINE =
  '[flex-gateway-envoy][info] wasm log ingress-message-logging-flex-1.flex.ingress.flex.svc main: [req: 9b2e] [accessLog] > HTTP/1.1 GET localhost/ingress/productpage';
const AGENT_LINE = '[flex-gateway-agent][info] Gateway default/flex: Policy bookinfo-reviews-message-logging-flex-1 applied';

function flexLogs(lines: readonly string[], exitCode = 0, stderr = ''): KubectlRule {
  return { match: 'logs -n flex *', stdout: lines.map((line) => `${line}\n`).join(''), exitCode, stderr };
}

const cases: readonly ProbeCase[] = [
  {
    name: 'passes on the reviews access-log line, reading every log line of the window',
    env,
    routes: pageRoutes,
    kubectl: [flexLogs([AGENT_LINE, INGRESS_LINE, EAST_WEST_LINE])],
    expectExit: 0,
    expectLine: /^PASS east-west-log: expected an \[accessLog\] line naming bookinfo-reviews and \/bookinfo\/reviews\/ in flex logs \(app=flex, container app, last 120s\); got \[flex-gateway-envoy\]\[info\] wasm log bookinfo-reviews-message-logging/,
    verify: (run) => {
      assert.equal(run.finalLine.length, run.finalLine.indexOf('; got ') + '; got '.length + 160, 'quoted line is cut at 160 chars');
      const [logsCall] = run.kubectlCalls;
      assert.match(logsCall ?? '', /^logs -n flex -l app=flex -c app --since=120s --tail=-1 --request-timeout=10s$/);
      assert.match(run.requests[0]?.authorization ?? '', /^Basic /);
    },
  },
  {
    name: 'fails when only the ingress API logged',
    env,
    routes: pageRoutes,
    kubectl: [flexLogs([AGENT_LINE, INGRESS_LINE])],
    expectExit: 1,
    expectLine: /; got no such line among 2 log lines \(1 \[accessLog\] lines for other APIs or paths\)$/,
  },
  {
    name: 'fails when the API matches but the base path does not',
    env: (url) => ({ ...env(url), API_BASE_PATH: '/bookinfo/ratings/' }),
    routes: pageRoutes,
    kubectl: [flexLogs([EAST_WEST_LINE])],
    expectExit: 1,
    expectLine: /; got no such line among 1 log lines \(1 \[accessLog\] lines/,
  },
  {
    name: 'matches [accessLog] as fixed text, not as a regex character class',
    env,
    routes: pageRoutes,
    kubectl: [flexLogs([EAST_WEST_LINE.replace('[accessLog]', 'access')])],
    expectExit: 1,
    expectLine: /; got no such line among 1 log lines \(0 \[accessLog\] lines/,
  },
  {
    name: 'fails on an empty log window',
    env,
    routes: pageRoutes,
    kubectl: [flexLogs([])],
    expectExit: 1,
    expectLine: /; got no such line among 0 log lines/,
  },
  {
    name: 'fails before reading logs when the trigger request is not 200',
    env: (url) => ({ ...env(url), BASIC_AUTH_PASSWORD: 'wrong' }),
    routes: pageRoutes,
    kubectl: [flexLogs([EAST_WEST_LINE])],
    expectExit: 1,
    expectLine: /^FAIL east-west-log: expected trigger request GET \/productpage to return 200; got 401$/,
    verify: (run) => assert.deepEqual(run.kubectlCalls, []),
  },
  {
    name: 'fails with kubectl\'s message when logs cannot be read',
    env,
    routes: pageRoutes,
    kubectl: [flexLogs([], 1, 'error: container app is not valid for pod flex-7d9\n')],
    expectExit: 1,
    expectLine: /; got kubectl logs error: error: container app is not valid for pod flex-7d9$/,
  },
  {
    name: 'sends no credentials when none are configured, and honours LOG_SINCE',
    env: (url) => ({ ...env(url), BASIC_AUTH_USERNAME: '', BASIC_AUTH_PASSWORD: '', LOG_SINCE: '5m' }),
    routes: { '/productpage': { respond: { status: 200, body: 'open' } } },
    kubectl: [flexLogs([EAST_WEST_LINE])],
    expectExit: 0,
    expectLine: /^PASS east-west-log: .*last 5m\)/,
    verify: (run) => {
      assert.equal(run.requests[0]?.authorization, undefined);
      assert.match(run.kubectlCalls[0] ?? '', / --since=5m /);
    },
  },
  {
    name: 'rejects a missing API_NAME',
    env: (url) => ({ ...env(url), API_NAME: '' }),
    expectExit: 2,
    expectLine: /^FAIL east-west-log: configuration: API_NAME is required$/,
  },
  {
    name: 'rejects a LOG_SINCE that is not a duration',
    env: (url) => ({ ...env(url), LOG_SINCE: 'yesterday' }),
    expectExit: 2,
    expectLine: /^FAIL east-west-log: configuration: LOG_SINCE is required \(a duration such as 120s or 5m\)$/,
  },
];

export const eastWestLogSuite: ProbeSuite = { script: 'east-west-log.sh', cases };
