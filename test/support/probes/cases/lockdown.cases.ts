import assert from 'node:assert/strict';
import type { FixtureResponse } from '../http-fixture.ts';
import type { KubectlRule, ProbeCase, ProbeSuite } from '../probe-case.ts';

const env = (url: string) => ({
  FROM_NAMESPACE: 'test',
  FROM_SELECTOR: 'app=sleep',
  FROM_CONTAINER: 'sleep',
  TARGET_URL: `${url}/details/0`,
  EXPECT_STATUS: '403',
  EXPECT_BODY: 'RBAC: access denied',
});

const sleepPod: KubectlRule = { match: 'get pods -n test *', stdout: 'pod sleep-5b7\npod sleep-9c1\n' };
const details = (reply: FixtureResponse) => ({ '/details/0': { respond: reply } });
const denied: FixtureResponse = { status: 403, body: 'RBAC: access denied' };

const cases: readonly ProbeCase[] = [
  {
    name: 'passes when the meshed pod gets 403 RBAC: access denied',
    env,
    kubectl: [sleepPod],
    routes: details(denied),
    expectExit: 0,
    expectLine: /^PASS lockdown: expected GET http:\/\/127\.0\.0\.1:\d+\/details\/0 from a Running app=sleep pod in test to return 403 with a body containing 'RBAC: access denied'; got 403 from test\/sleep-5b7 with body 'RBAC: access denied'$/,
    verify: (run) => {
      const [find, exec] = run.kubectlCalls;
      assert.match(find ?? '', /^get pods -n test -l app=sleep --field-selector=status\.phase=Running /);
      assert.match(exec ?? '', /^exec -n test sleep-5b7 -c sleep --request-timeout=15s -- curl -sS --max-time 10 /);
    },
  },
  {
    name: 'fails when the request is allowed',
    env,
    kubectl: [sleepPod],
    routes: details({ status: 200, body: '{"id":0}' }),
    expectExit: 1,
    expectLine: /; got 200 from test\/sleep-5b7: request was allowed$/,
  },
  {
    name: 'fails on another status',
    env,
    kubectl: [sleepPod],
    routes: details({ status: 503, body: 'no healthy upstream' }),
    expectExit: 1,
    expectLine: /; got 503 from test\/sleep-5b7 with body 'no healthy upstream'$/,
  },
  {
    name: 'fails on a 403 with another body',
    env,
    kubectl: [sleepPod],
    routes: details({ status: 403, body: 'forbidden by upstream' }),
    expectExit: 1,
    expectLine: /; got 403 from test\/sleep-5b7 with body 'forbidden by upstream'$/,
  },
  {
    name: 'fails when no Running pod matches',
    env,
    kubectl: [{ match: 'get pods -n test *', stdout: '' }],
    expectExit: 1,
    expectLine: /; got no Running pod matching app=sleep in test$/,
    verify: (run) => assert.equal(run.kubectlCalls.length, 1, 'no exec without a pod'),
  },
  {
    name: 'fails with kubectl\'s message when exec is refused',
    env,
    kubectl: [sleepPod, { match: 'exec *', exitCode: 1, stderr: 'Error from server (Forbidden): pods "sleep-5b7" is forbidden\n' }],
    expectExit: 1,
    expectLine: /; got no HTTP response from test\/sleep-5b7 \(exit 1: Error from server \(Forbidden\): pods "sleep-5b7" is forbidden\)$/,
  },
  {
    name: 'rejects an EXPECT_STATUS that is not an HTTP status',
    env: (url) => ({ ...env(url), EXPECT_STATUS: '4030' }),
    expectExit: 2,
    expectLine: /^FAIL lockdown: configuration: EXPECT_STATUS is required \(a 3-digit HTTP status\)$/,
  },
  {
    name: 'rejects a missing TARGET_URL',
    env: (url) => ({ ...env(url), TARGET_URL: '' }),
    expectExit: 2,
    expectLine: /^FAIL lockdown: configuration: TARGET_URL is required$/,
  },
];

export const lockdownSuite: ProbeSuite = { script: 'lockdown.sh', cases };
