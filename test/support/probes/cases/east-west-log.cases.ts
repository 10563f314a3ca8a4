import assert from 'node:assert/strict';
import type { BasicCredentials, FixtureResponse, FixtureRoutes } from '../http-fixture.ts';
import type { KubectlRule, ProbeCase, ProbeRun, ProbeSuite, TimedLogLine } from '../probe-case.ts';

// Quote, backslash, space and dollar: the characters a curl config line must escape or keep.
const credentials: BasicCredentials = { username: 'user1', password: 'pa"ss\\wo rd$1' };
const TRIGGER_PATH = '/reviews/0';
const reviews = (reply: FixtureResponse = { status: 200, body: '{"id":"0","reviews":[]}' }): FixtureRoutes => ({
  [TRIGGER_PATH]: { respond: reply, basicAuth: credentials },
});

const env = (url: string) => ({
  FROM_NAMESPACE: 'test',
  FROM_SELECTOR: 'app=sleep',
  FROM_CONTAINER: 'sleep',
  TRIGGER_URL: `${url}${TRIGGER_PATH}`,
  BASIC_AUTH_USERNAME: credentials.username,
  BASIC_AUTH_PASSWORD: credentials.password,
  FLEX_NAMESPACE: 'flex',
  FLEX_SELECTOR: 'app=flex',
  FLEX_CONTAINER: 'app',
  LOG_MATCH_API: 'bookinfo-reviews.flex.svc',
  LOG_MATCH_PATH: '/bookinfo/reviews/reviews/0',
  LOG_WAIT_SECONDS: '0', // one poll; the polling cases set their own
});

// Real line shapes from the tutorial (flex-gateway.md §5).
const hop = (api: string, path: string) =>
  `[flex-gateway-envoy][info] wasm log bookinfo-reviews-message-logging-flex-1.flex.${api} main: ` +
  `[policy: bookinfo-reviews-message-logging-flex-1.flex][api: ${api}] [req: 1f5c0a] [accessLog] > HTTP/1.1 GET reviews:9080${path}`;
const EAST_WEST_LINE = hop('bookinfo-reviews.flex.svc', '/bookinfo/reviews/reviews/0');
const AGENT_LINE = '[flex-gateway-agent][info] Gateway default/flex: Policy bookinfo-reviews-message-logging-flex-1 applied';

const sleepPod: KubectlRule = { match: 'get pods -n test *', stdout: 'pod sleep-5b7\npod sleep-9c1\n' };
const at = (secondsAfterTrigger: number, text: string, fromCall?: number): TimedLogLine => ({ secondsAfterTrigger, text, ...(fromCall ? { fromCall } : {}) });
/** Flex's log as kubectl logs returns it: only the lines not older than --since-time. */
const flexLogs = (...lines: TimedLogLine[]): KubectlRule => ({ match: 'logs -n flex *', logLines: lines });
const kubectl = (...lines: TimedLogLine[]) => [sleepPod, flexLogs(...lines)];

const logCalls = (run: ProbeRun) => run.kubectlCalls.filter((call) => call.startsWith('logs '));
/** --since-time must be the trigger's time, less at most the documented 2 s of skew (and 1 s of rounding). */
function assertSinceTrigger(run: ProbeRun): void {
  const execIndex = run.kubectlCalls.findIndex((call) => call.startsWith('exec '));
  const triggerEpoch = run.kubectlCallTimes[execIndex] ?? NaN;
  for (const call of logCalls(run)) {
    const since = /--since-time=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) /.exec(call)?.[1];
    assert.ok(since !== undefined, `kubectl logs without an RFC 3339 --since-time: ${call}`);
    const sinceEpoch = Date.parse(since) / 1000;
    assert.ok(sinceEpoch <= triggerEpoch && sinceEpoch >= triggerEpoch - 3, `--since-time ${since} is not just before the trigger (epoch ${triggerEpoch})`);
  }
}

// A BSD-like date: no -d, epoch formatting with -r; the real date otherwise.
const BSD_DATE = `printf '%s\\n' "$*" >>"$FAKE_DIR/date-calls.log"
if [ "$*" = "-u +%s" ]; then cat "$FAKE_DIR/clock"; exit 0; fi
case " $* " in *" -d "*) echo "date: illegal option -- d" >&2; exit 1 ;; esac
PATH=$REAL_PATH
if [ "$1 $2" = "-u -r" ]; then seconds=$3; shift 3; exec date -u -d "@$seconds" "$@"; fi
exec date "$@"`;

const cases: readonly ProbeCase[] = [
  {
    name: 'passes on the hop\'s access-log line written after the trigger, which sends the credentials on stdin',
    env,
    routes: reviews(),
    kubectl: kubectl(at(-30, AGENT_LINE), at(1, AGENT_LINE), at(1, EAST_WEST_LINE)),
    expectExit: 0,
    expectLine: /^PASS east-west-log: expected an \[accessLog\] line containing bookinfo-reviews\.flex\.svc and \/bookinfo\/reviews\/reviews\/0 in flex logs \(app=flex, container app\) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, within 0s of the trigger; got \[flex-gateway-envoy\]\[info\] wasm log bookinfo-reviews-message-logging/,
    verify: (run) => {
      assert.equal(run.finalLine.length, run.finalLine.indexOf('; got ') + '; got '.length + 160, 'quoted line is cut at 160 chars');
      const [find, exec, logs] = run.kubectlCalls;
      assert.match(find ?? '', /^get pods -n test -l app=sleep --field-selector=status\.phase=Running /);
      assert.match(exec ?? '', /^exec -i -n test sleep-5b7 -c sleep --request-timeout=15s -- curl -sS --max-time 10 -K - -w .* http:\/\/127\.0\.0\.1:\d+\/reviews\/0$/);
      assert.match(logs ?? '', /^logs -n flex -l app=flex -c app --since-time=\S+ --tail=-1 --request-timeout=10s$/);
      assertSinceTrigger(run);
      assert.match(run.requests[0]?.authorization ?? '', /^Basic /, 'the credentials reached the fixture through stdin');
    },
  },
  {
    name: 'does not accept the hop\'s line from before the trigger',
    env,
    routes: reviews(),
    kubectl: kubectl(at(-30, EAST_WEST_LINE), at(0, AGENT_LINE)),
    expectExit: 1,
    expectLine: /; got no such line among 1 log lines \(0 \[accessLog\] lines for other APIs or paths\) after 1 poll\(s\)$/,
    verify: assertSinceTrigger,
  },
  {
    name: 'fails on a line naming the API but another path',
    env,
    routes: reviews(),
    kubectl: kubectl(at(1, hop('bookinfo-reviews.flex.svc', '/bookinfo/reviews/reviews/1'))),
    expectExit: 1,
    expectLine: /; got no such line among 1 log lines \(1 \[accessLog\] lines for other APIs or paths\) after 1 poll\(s\)$/,
  },
  {
    name: 'fails on a line for another API with the same path',
    env,
    routes: reviews(),
    kubectl: kubectl(at(1, hop('ingress.flex.svc', '/bookinfo/reviews/reviews/0'))),
    expectExit: 1,
    expectLine: /; got no such line among 1 log lines \(1 \[accessLog\] lines/,
  },
  {
    name: 'matches [accessLog] as fixed text, not as a regex character class',
    env,
    routes: reviews(),
    kubectl: kubectl(at(1, EAST_WEST_LINE.replace('[accessLog]', 'access'))),
    expectExit: 1,
    expectLine: /; got no such line among 1 log lines \(0 \[accessLog\] lines/,
  },
  {
    name: 'keeps polling, bounded, until the line appears',
    env: (url) => ({ ...env(url), LOG_WAIT_SECONDS: '5', POLL_SECONDS: '1' }),
    routes: reviews(),
    kubectl: kubectl(at(1, AGENT_LINE), at(2, EAST_WEST_LINE, 3)),
    expectExit: 0,
    expectLine: /^PASS east-west-log: .*within 5s of the trigger; got \[flex-gateway-envoy\]/,
    verify: (run) => {
      assert.equal(logCalls(run).length, 3, 'found on the third poll');
      assert.equal(new Set(logCalls(run)).size, 1, 'every poll asks for the same --since-time');
      assert.match(run.stderr, /east-west-log: poll 1: no such line among 1 log lines/);
    },
  },
  {
    name: 'gives up after LOG_WAIT_SECONDS, saying how many polls it made',
    env: (url) => ({ ...env(url), LOG_WAIT_SECONDS: '2', POLL_SECONDS: '1' }),
    routes: reviews(),
    kubectl: kubectl(at(1, AGENT_LINE)),
    expectExit: 1,
    expectLine: /; got no such line among 1 log lines \(0 \[accessLog\] lines for other APIs or paths\) after 3 poll\(s\)$/,
    // On the injected clock: polls at t=0, 1 and 2 after the trigger, then the deadline.
    verify: (run) => assert.deepEqual([logCalls(run).length, run.sleeps], [3, [1, 1]]),
  },
  {
    name: 'stops polling after LOG_WAIT_SECONDS / POLL_SECONDS + 2 polls even if the clock stands still',
    env: (url) => ({ ...env(url), LOG_WAIT_SECONDS: '2', POLL_SECONDS: '1' }),
    routes: reviews(),
    commands: { date: `if [ "$*" = "-u +%s" ]; then echo 1796000000; exit 0; fi\nPATH=$REAL_PATH\nexec date "$@"` },
    kubectl: kubectl(at(1, AGENT_LINE)),
    expectExit: 1,
    expectLine: /after 4 poll\(s\)$/,
    verify: (run) => assert.equal(logCalls(run).length, 4),
  },
  ...[403, 503].map(
    (status): ProbeCase => ({
      name: `fails before reading logs when the trigger returns ${status}`,
      env,
      routes: reviews({ status, body: status === 403 ? 'RBAC: access denied' : 'no healthy upstream' }),
      kubectl: kubectl(at(1, EAST_WEST_LINE)),
      expectExit: 1,
      expectLine: new RegExp(`^FAIL east-west-log: expected GET http://127\\.0\\.0\\.1:\\d+/reviews/0 from a Running app=sleep pod in test to return 200; got ${status} with body '.+' from test/sleep-5b7$`),
      verify: (run) => assert.deepEqual(logCalls(run), []),
    }),
  ),
  {
    name: 'fails when the credentials are refused',
    env: (url) => ({ ...env(url), BASIC_AUTH_PASSWORD: 'wrong' }),
    routes: reviews(),
    kubectl: kubectl(at(1, EAST_WEST_LINE)),
    expectExit: 1,
    expectLine: /; got 401 with body 'unauthorized' from test\/sleep-5b7$/,
  },
  {
    name: 'sends no credentials and no stdin when none are configured; honours EXPECT_STATUS',
    env: (url) => ({ ...env(url), BASIC_AUTH_USERNAME: '', BASIC_AUTH_PASSWORD: '', EXPECT_STATUS: '204' }),
    routes: { [TRIGGER_PATH]: { respond: { status: 204 } } },
    kubectl: kubectl(at(0, EAST_WEST_LINE)),
    expectExit: 0,
    expectLine: /^PASS east-west-log: /,
    verify: (run) => {
      assert.equal(run.requests[0]?.authorization, undefined);
      assert.match(run.kubectlCalls[1] ?? '', /^exec -n test sleep-5b7 -c sleep --request-timeout=15s -- curl -sS --max-time 10 -w /);
    },
  },
  {
    name: 'fails with kubectl\'s message when exec is refused',
    env,
    kubectl: [sleepPod, { match: 'exec *', exitCode: 1, stderr: 'Error from server (Forbidden): pods "sleep-5b7" is forbidden\n' }, flexLogs()],
    expectExit: 1,
    expectLine: /; got no HTTP response from test\/sleep-5b7 \(exit 1: Error from server \(Forbidden\): pods "sleep-5b7" is forbidden\)$/,
  },
  {
    name: 'fails when no client pod is Running',
    env,
    kubectl: [{ match: 'get pods -n test *', stdout: '' }],
    expectExit: 1,
    expectLine: /; got no Running pod matching app=sleep in test$/,
    verify: (run) => assert.equal(run.kubectlCalls.length, 1, 'no exec without a pod'),
  },
  {
    name: 'fails with kubectl\'s message when logs cannot be read',
    env,
    routes: reviews(),
    kubectl: [sleepPod, { match: 'logs -n flex *', exitCode: 1, stderr: 'error: container app is not valid for pod flex-7d9\n' }],
    expectExit: 1,
    expectLine: /; got kubectl logs error: error: container app is not valid for pod flex-7d9$/,
  },
  {
    name: 'formats --since-time with date -r where date has no -d @N (BSD)',
    env,
    routes: reviews(),
    commands: { date: BSD_DATE },
    kubectl: kubectl(at(1, EAST_WEST_LINE)),
    expectExit: 0,
    expectLine: /^PASS east-west-log: /,
    verify: assertSinceTrigger,
  },
  {
    name: 'fails, not guesses, when date can format no epoch at all',
    env,
    routes: reviews(),
    commands: { date: `case " $* " in *" -d "* | *" -r "*) exit 1 ;; esac\nPATH=$REAL_PATH\nexec date "$@"` },
    kubectl: kubectl(at(1, EAST_WEST_LINE)),
    expectExit: 1,
    expectLine: /; got no way to format a time: date takes neither -d @N nor -r N$/,
    verify: (run) => assert.deepEqual(run.requests, [], 'no trigger without a --since-time'),
  },
  {
    name: 'Connected Mode (no LOG_MATCH_API): the hop path alone identifies the API',
    env: (url) => ({ ...env(url), LOG_MATCH_API: '' }),
    routes: reviews(),
    kubectl: kubectl(at(1, hop('4421900-flexmesh.dev.bookinfo-reviews', '/bookinfo/reviews/reviews/0'))),
    expectExit: 0,
    expectLine: /^PASS east-west-log: expected an \[accessLog\] line containing \/bookinfo\/reviews\/reviews\/0 in flex logs/,
  },
  {
    name: 'Connected Mode (no LOG_MATCH_API): a line for another path does not pass',
    env: (url) => ({ ...env(url), LOG_MATCH_API: '' }),
    routes: reviews(),
    kubectl: kubectl(at(1, hop('4421900-flexmesh.dev.bookinfo-reviews', '/bookinfo/reviews/reviews/1'))),
    expectExit: 1,
    expectLine: /^FAIL east-west-log: /,
  },
  ...(
    [
      ['LOG_MATCH_PATH', '', 'LOG_MATCH_PATH is required'],
      ['TRIGGER_URL', 'reviews:9080/reviews/0', 'TRIGGER_URL is required \\(an http:// or https:// URL\\)'],
      ['FROM_CONTAINER', '', 'FROM_CONTAINER is required'],
      ['EXPECT_STATUS', '2000', 'EXPECT_STATUS is required \\(a 3-digit HTTP status\\)'],
      ['LOG_WAIT_SECONDS', '20s', 'LOG_WAIT_SECONDS is required \\(whole seconds, 0 to 9999\\)'],
      ['POLL_SECONDS', '0', 'POLL_SECONDS is required \\(whole seconds, 1 to 9999\\)'],
    ] as const
  ).map(
    ([name, value, message]): ProbeCase => ({
      name: `rejects ${name}=${JSON.stringify(value)}`,
      env: (url) => ({ ...env(url), [name]: value }),
      expectExit: 2,
      expectLine: new RegExp(`^FAIL east-west-log: configuration: ${message}$`),
      verify: (run) => assert.deepEqual(run.kubectlCalls, []),
    }),
  ),
];

export const eastWestLogSuite: ProbeSuite = { script: 'east-west-log.sh', cases };
