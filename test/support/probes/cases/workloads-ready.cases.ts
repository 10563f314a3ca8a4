import assert from 'node:assert/strict';
import type { KubectlRule, ProbeCase, ProbeSuite } from '../probe-case.ts';

const env = { NAMESPACES: 'bookinfo test' };

/** One line of the script's jsonpath output: name, phase, Ready, containers and initContainers. */
function pod(name: string, phase: string, ready: string, containers: string): string {
  return `pod ${name}\t${phase}\t${ready}\t${containers}\n`;
}
function namespace(name: string, stdout: string, exitCode = 0, stderr = ''): KubectlRule {
  return { match: `get pods -n ${name} *`, stdout, exitCode, stderr };
}

const bookinfo = namespace(
  'bookinfo',
  pod('productpage-v1-a', 'Running', 'True', 'productpage istio-proxy istio-init') +
    // Istio native sidecar: istio-proxy is listed among the initContainers.
    pod('reviews-v1-b', 'Running', 'True', 'reviews istio-init istio-proxy') +
    // A finished Job pod: neither Ready nor meshed, and rightly ignored.
    pod('migrate-c', 'Succeeded', 'False', 'migrate'),
);
const test = namespace('test', pod('sleep-d', 'Running', 'True', 'sleep istio-proxy'));

const cases: readonly ProbeCase[] = [
  {
    name: 'passes when every pod is Ready with the sidecar, in containers or initContainers',
    env: () => env,
    kubectl: [bookinfo, test],
    expectExit: 0,
    expectLine: /^PASS workloads-ready: expected every pod in bookinfo test Ready with container istio-proxy; got 3 pods Ready with istio-proxy \(bookinfo: 2, test: 1\)$/,
    verify: (run) => {
      const [call] = run.kubectlCalls;
      assert.ok(call !== undefined);
      for (const field of ['.metadata.name', '.status.phase', '@.type=="Ready"', '.spec.containers[*].name', '.spec.initContainers[*].name']) {
        assert.ok(call.includes(field), `jsonpath should read ${field}: ${call}`);
      }
    },
  },
  {
    name: 'fails naming a pod whose Ready condition is False',
    env: () => env,
    kubectl: [bookinfo, namespace('test', pod('sleep-d', 'Running', 'False', 'sleep istio-proxy'))],
    expectExit: 1,
    expectLine: /^FAIL workloads-ready: expected every pod in bookinfo test Ready with container istio-proxy; got test\/sleep-d: not Ready \(phase Running\)$/,
  },
  {
    name: 'fails naming a Pending pod that has no Ready condition yet',
    env: () => env,
    kubectl: [namespace('bookinfo', pod('ratings-v1-e', 'Pending', '', 'ratings istio-proxy')), test],
    expectExit: 1,
    expectLine: /got bookinfo\/ratings-v1-e: not Ready \(phase Pending\)$/,
  },
  {
    name: 'fails naming every pod without the sidecar',
    env: () => env,
    kubectl: [
      namespace('bookinfo', pod('details-v1-f', 'Running', 'True', 'details istio-init') + pod('ratings-v1-g', 'Running', 'False', 'ratings')),
      test,
    ],
    expectExit: 1,
    expectLine: /got bookinfo\/details-v1-f: no istio-proxy container; bookinfo\/ratings-v1-g: not Ready \(phase Running\), no istio-proxy container$/,
  },
  {
    name: 'fails when a namespace has no pods (finished ones do not count)',
    env: () => env,
    kubectl: [bookinfo, namespace('test', pod('job-h', 'Succeeded', 'False', 'job'))],
    expectExit: 1,
    expectLine: /got test: no pods$/,
  },
  {
    name: 'fails with kubectl\'s message when a namespace cannot be listed',
    env: () => env,
    kubectl: [bookinfo, namespace('test', '', 1, 'Error from server (Forbidden): pods is forbidden\n')],
    expectExit: 1,
    expectLine: /got test: kubectl error: Error from server \(Forbidden\): pods is forbidden$/,
  },
  {
    name: 'honours SIDECAR_CONTAINER',
    env: () => ({ NAMESPACES: 'test', SIDECAR_CONTAINER: 'envoy' }),
    kubectl: [namespace('test', pod('sleep-d', 'Running', 'True', 'sleep envoy'))],
    expectExit: 0,
    expectLine: /got 1 pods Ready with envoy \(test: 1\)$/,
  },
  {
    name: 'does not mistake kubectl warnings for pods',
    env: () => ({ NAMESPACES: 'test' }),
    kubectl: [namespace('test', pod('sleep-d', 'Running', 'True', 'sleep istio-proxy'), 0, 'Warning: v1 ComponentStatus is deprecated\n')],
    expectExit: 0,
    expectLine: /got 1 pods Ready/,
  },
  {
    name: 'rejects a missing NAMESPACES',
    env: () => ({}),
    expectExit: 2,
    expectLine: /^FAIL workloads-ready: configuration: NAMESPACES is required$/,
  },
];

export const workloadsReadySuite: ProbeSuite = { script: 'workloads-ready.sh', cases };
