import assert from 'node:assert/strict';
import type { KubectlRule, ProbeCase, ProbeSuite } from '../probe-case.ts';

const env = { ARGOCD_NAMESPACE: 'argocd', APPLICATIONS: 'mesh bookinfo', WAIT_SECONDS: '0', POLL_SECONDS: '1' };

/** kubectl reply for one Application; the script asks for "state=<sync>/<health>". */
function application(name: string, stdout: string | readonly string[], exitCode = 0, stderr = ''): KubectlRule {
  return { match: `get applications.argoproj.io -n argocd ${name} *`, stdout, exitCode, stderr };
}
const ready = (name: string): KubectlRule => application(name, 'state=Synced/Healthy\n');

const cases: readonly ProbeCase[] = [
  {
    name: 'passes when every Application is Synced and Healthy',
    env: () => env,
    kubectl: [ready('mesh'), ready('bookinfo')],
    expectExit: 0,
    expectLine: /^PASS argocd-apps: expected Synced\/Healthy for mesh bookinfo in argocd within 0s; got all 2 Synced\/Healthy after 1 poll\(s\)$/,
    verify: (run) => {
      assert.equal(run.kubectlCalls.length, 2);
      for (const call of run.kubectlCalls) {
        assert.match(call, /-o jsonpath=state=\{\.status\.sync\.status\}\/\{\.status\.health\.status\}/);
      }
    },
  },
  {
    name: 'keeps polling until a lagging Application becomes ready',
    env: () => ({ ...env, WAIT_SECONDS: '5', POLL_SECONDS: '1' }),
    kubectl: [application('mesh', ['state=OutOfSync/Progressing\n', 'state=Synced/Healthy\n']), ready('bookinfo')],
    expectExit: 0,
    expectLine: /got all 2 Synced\/Healthy after 2 poll\(s\)$/,
    verify: (run) => assert.match(run.stderr, /poll 1, not ready: mesh=OutOfSync\/Progressing/),
  },
  {
    name: 'fails naming an OutOfSync Application once the wait is over',
    env: () => ({ ...env, WAIT_SECONDS: '2', POLL_SECONDS: '1' }),
    kubectl: [application('mesh', 'state=OutOfSync/Healthy\n'), ready('bookinfo')],
    expectExit: 1,
    expectLine: /^FAIL argocd-apps: expected Synced\/Healthy for mesh bookinfo in argocd within 2s; got mesh=OutOfSync\/Healthy$/,
    verify: (run) => {
      // On the injected clock: polls at t=0, 1 and 2, a one-second sleep between them, then the deadline is reached.
      assert.equal(run.kubectlCalls.filter((call) => call.includes(' mesh ')).length, 3);
      assert.deepEqual(run.sleeps, [1, 1]);
    },
  },
  {
    name: 'never sleeps past its deadline: the last wait is cut to what is left',
    env: () => ({ ...env, WAIT_SECONDS: '5', POLL_SECONDS: '3' }),
    kubectl: [application('mesh', 'state=OutOfSync/Healthy\n'), ready('bookinfo')],
    expectExit: 1,
    expectLine: /within 5s; got mesh=OutOfSync\/Healthy$/,
    verify: (run) => assert.deepEqual(run.sleeps, [3, 2]),
  },
  {
    name: 'stops after WAIT_SECONDS / POLL_SECONDS + 2 polls even if the clock stands still',
    env: () => ({ ...env, WAIT_SECONDS: '2', POLL_SECONDS: '1' }),
    kubectl: [application('mesh', 'state=OutOfSync/Healthy\n'), ready('bookinfo')],
    commands: { sleep: 'exit 0' },
    expectExit: 1,
    expectLine: /got mesh=OutOfSync\/Healthy$/,
    verify: (run) => assert.equal(run.kubectlCalls.filter((call) => call.includes(' mesh ')).length, 4),
  },
  {
    name: 'fails naming a Degraded Application',
    env: () => env,
    kubectl: [ready('mesh'), application('bookinfo', 'state=Synced/Degraded\n')],
    expectExit: 1,
    expectLine: /got bookinfo=Synced\/Degraded$/,
  },
  {
    name: 'reports Unknown when an Application has no status yet, listing every app not ready',
    env: () => env,
    kubectl: [application('mesh', 'state=/\n'), application('bookinfo', 'state=Unknown/Missing\n')],
    expectExit: 1,
    expectLine: /got mesh=Unknown\/Unknown, bookinfo=Unknown\/Missing$/,
  },
  {
    name: 'fails with kubectl\'s message when an Application does not exist',
    env: () => env,
    kubectl: [
      ready('mesh'),
      application('bookinfo', '', 1, 'Error from server (NotFound): applications.argoproj.io "bookinfo" not found\n'),
    ],
    expectExit: 1,
    expectLine: /got bookinfo=error: Error from server \(NotFound\): applications\.argoproj\.io "bookinfo" not found$/,
  },
  {
    name: 'ignores kubectl warnings next to the state',
    env: () => env,
    kubectl: [ready('bookinfo'), application('mesh', 'state=Synced/Healthy\n', 0, 'Warning: client-side throttling\n')],
    expectExit: 0,
    expectLine: /^PASS argocd-apps:/,
  },
  {
    name: 'rejects a missing ARGOCD_NAMESPACE',
    env: () => ({ ...env, ARGOCD_NAMESPACE: '' }),
    expectExit: 2,
    expectLine: /^FAIL argocd-apps: configuration: ARGOCD_NAMESPACE is required$/,
    verify: (run) => assert.deepEqual(run.kubectlCalls, []),
  },
  {
    name: 'rejects a blank APPLICATIONS list',
    env: () => ({ ...env, APPLICATIONS: '  ' }),
    expectExit: 2,
    expectLine: /^FAIL argocd-apps: configuration: APPLICATIONS is required$/,
  },
  {
    name: 'rejects a POLL_SECONDS of 0',
    env: () => ({ ...env, POLL_SECONDS: '0' }),
    expectExit: 2,
    expectLine: /^FAIL argocd-apps: configuration: POLL_SECONDS is required \(whole seconds, at least 1\)$/,
  },
];

export const argocdAppsSuite: ProbeSuite = { script: 'argocd-apps.sh', cases };
