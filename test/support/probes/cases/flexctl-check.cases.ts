import assert from 'node:assert/strict';
import type { KubectlRule, ProbeCase, ProbeSuite } from '../probe-case.ts';

const TARGET = 'http://details.bookinfo:9080/details/0';
const env = () => ({ FLEX_NAMESPACE: 'flex', FLEX_SELECTOR: 'app=flex', FLEX_CONTAINER: 'app', TARGET_URL: TARGET });
const flexPod: KubectlRule = { match: 'get pods -n flex *', stdout: 'pod flex-7d9\n' };
// The real success line from the tutorial (flex-gateway.md §5).
const OK_OUTPUT = `[flexctl][info] Access to http address '${TARGET}': ok\n`;

const cases: readonly ProbeCase[] = [
  {
    name: 'passes when flexctl exits 0 and reports access ok',
    env,
    kubectl: [flexPod],
    flexctl: { output: OK_OUTPUT, exitCode: 0 },
    expectExit: 0,
    expectLine: /^PASS flexctl-check: expected flexctl check http in a app=flex pod in flex to exit 0 and print "Access to http address 'http:\/\/details\.bookinfo:9080\/details\/0': ok"; got exit 0 in flex\/flex-7d9: \[flexctl\]\[info\] Access to http address/,
    verify: (run) => {
      assert.deepEqual(run.flexctlCalls, [`check http ${TARGET}`]);
      assert.match(run.kubectlCalls[0] ?? '', /^get pods -n flex -l app=flex --field-selector=status\.phase=Running /);
      assert.match(run.kubectlCalls[1] ?? '', /^exec -n flex flex-7d9 -c app --request-timeout=15s -- flexctl check http /);
    },
  },
  {
    name: 'fails when flexctl exits non-zero, even with the ok text',
    env,
    kubectl: [flexPod],
    flexctl: { output: OK_OUTPUT, exitCode: 1 },
    expectExit: 1,
    expectLine: /; got exit 1 in flex\/flex-7d9: \[flexctl\]\[info\] Access to http address/,
  },
  {
    name: 'fails quoting flexctl\'s error',
    env,
    kubectl: [flexPod],
    flexctl: { output: `[flexctl][error] Access to http address '${TARGET}': upstream connect error or disconnect/reset before headers\n`, exitCode: 1 },
    expectExit: 1,
    expectLine: /; got exit 1 in flex\/flex-7d9: \[flexctl\]\[error\] Access to http address '.*': upstream connect error/,
  },
  {
    name: 'fails when exit 0 comes without the ok line',
    env,
    kubectl: [flexPod],
    flexctl: { output: '[flexctl][info] nothing to report\n', exitCode: 0 },
    expectExit: 1,
    expectLine: /; got exit 0 in flex\/flex-7d9: \[flexctl\]\[info\] nothing to report$/,
  },
  {
    name: 'fails when the ok line is for another URL',
    env,
    kubectl: [flexPod],
    flexctl: { output: "[flexctl][info] Access to http address 'http://details.bookinfo:9080/': ok\n", exitCode: 0 },
    expectExit: 1,
    expectLine: /^FAIL flexctl-check: /,
  },
  {
    name: 'fails when no Flex pod is Running',
    env,
    kubectl: [{ match: 'get pods -n flex *', stdout: '' }],
    expectExit: 1,
    expectLine: /; got no Running pod matching app=flex in flex$/,
    verify: (run) => assert.deepEqual(run.flexctlCalls, []),
  },
  {
    name: 'rejects a missing FLEX_CONTAINER',
    env: () => ({ ...env(), FLEX_CONTAINER: '' }),
    expectExit: 2,
    expectLine: /^FAIL flexctl-check: configuration: FLEX_CONTAINER is required$/,
  },
];

export const flexctlCheckSuite: ProbeSuite = { script: 'flexctl-check.sh', cases };
