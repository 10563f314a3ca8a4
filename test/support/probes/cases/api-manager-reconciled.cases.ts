import assert from 'node:assert/strict';
import type { KubectlRule, ProbeCase, ProbeSuite } from '../probe-case.ts';

const SHA = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const env = { JOB_NAMESPACE: 'flex', JOB_NAME: 'dev-api-manager-reconcile', EXPECT_SHA256: SHA, WAIT_SECONDS: '0', POLL_SECONDS: '1' };

/** kubectl reply for the Job; the script asks for "state=<sha256>/<succeeded>/<Failed condition>". */
function job(stdout: string | readonly string[], exitCode = 0, stderr = ''): KubectlRule {
  return { match: 'get jobs.batch -n flex dev-api-manager-reconcile *', stdout, exitCode, stderr };
}

const cases: readonly ProbeCase[] = [
  {
    name: 'passes when the Job of this desired state succeeded',
    env: () => env,
    kubectl: [job(`state=${SHA}/1/\n`)],
    expectExit: 0,
    expectLine: /^PASS api-manager-reconciled: expected Job flex\/dev-api-manager-reconcile for desired state a{64} succeeded within 0s; got succeeded after 1 poll\(s\)$/,
    verify: (run) => assert.match(run.kubectlCalls[0]!, /-o jsonpath=state=\{\.metadata\.annotations\.flexmesh\\\.dev\/desired-state-sha256\}\/\{\.status\.succeeded\}\//),
  },
  {
    name: 'waits while the Job runs, then passes',
    env: () => ({ ...env, WAIT_SECONDS: '5' }),
    kubectl: [job([`state=${SHA}//\n`, `state=${SHA}/1/\n`])],
    expectExit: 0,
    expectLine: /got succeeded after 2 poll\(s\)$/,
    verify: (run) => assert.match(run.stderr, /poll 1: the Job is still running/),
  },
  {
    name: 'fails at once when the Job failed, pointing at its logs',
    env: () => ({ ...env, WAIT_SECONDS: '30' }),
    kubectl: [job(`state=${SHA}//True\n`)],
    expectExit: 1,
    expectLine: /got the Job failed: kubectl -n flex logs job\/dev-api-manager-reconcile shows the API Manager error$/,
    verify: (run) => assert.equal(run.kubectlCalls.length, 1),
  },
  {
    name: 'does not count a succeeded Job of an older desired state',
    env: () => env,
    kubectl: [job(`state=${OTHER}/1/\n`)],
    expectExit: 1,
    expectLine: /got a Job for another desired state \(b{64}\): Argo CD has not synced this commit yet$/,
  },
  {
    name: 'fails with kubectl\'s message when the Job does not exist',
    env: () => env,
    kubectl: [job('', 1, 'Error from server (NotFound): jobs.batch "dev-api-manager-reconcile" not found\n')],
    expectExit: 1,
    expectLine: /got error: Error from server \(NotFound\): jobs\.batch "dev-api-manager-reconcile" not found$/,
  },
  ...(
    [
      ['JOB_NAME', '', 'JOB_NAME is required'],
      ['EXPECT_SHA256', 'abc', 'EXPECT_SHA256 is required \\(64 lower-case hex digits\\)'],
      ['EXPECT_SHA256', 'A'.repeat(64), 'EXPECT_SHA256 is required \\(64 lower-case hex digits\\)'],
      ['JOB_NAMESPACE', 'Flex', 'JOB_NAMESPACE is required \\(a namespace name\\)'],
      ['POLL_SECONDS', '0', 'POLL_SECONDS is required \\(whole seconds, at least 1\\)'],
    ] as const
  ).map(
    ([name, value, message]): ProbeCase => ({
      name: `rejects ${name}=${JSON.stringify(value)}`,
      env: () => ({ ...env, [name]: value }),
      expectExit: 2,
      expectLine: new RegExp(`^FAIL api-manager-reconciled: configuration: ${message}$`),
      verify: (run) => assert.deepEqual(run.kubectlCalls, []),
    }),
  ),
];

export const apiManagerReconciledSuite: ProbeSuite = { script: 'api-manager-reconciled.sh', cases };
