import assert from 'node:assert/strict';
import type { KubectlRule, ProbeCase, ProbeSuite } from '../probe-case.ts';

const DEPLOYMENTS = 'istio-system/istiod bookinfo/reviews-v1 test/sleep';
const env = { NAMESPACES: 'bookinfo test', DEPLOYMENTS };

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

/** One Deployment's jsonpath reply: spec.replicas/status.readyReplicas (the latter omitted while 0). */
function deployment(entry: string, replicas: string, exitCode = 0, stderr = ''): KubectlRule {
  const [ns, name] = entry.split('/');
  return { match: `get deployment -n ${ns} ${name} *`, stdout: exitCode === 0 ? `replicas=${replicas}\n` : '', exitCode, stderr };
}
const allReady = DEPLOYMENTS.split(' ').map((entry) => deployment(entry, '1/1'));
/** allReady, with some entries replaced. */
const deployments = (...overrides: KubectlRule[]): KubectlRule[] => [...overrides, ...allReady];
const notFound = (entry: string) =>
  deployment(entry, '', 1, `Error from server (NotFound): deployments.apps "${entry.split('/')[1]}" not found\n`);

const cases: readonly ProbeCase[] = [
  {
    name: 'POD_SELECTOR narrows the pods (Connected Mode leaves out its sidecar-less reconcile Jobs)',
    env: () => ({ ...env, POD_SELECTOR: 'flexmesh.dev/component!=api-manager-reconcile' }),
    kubectl: [...allReady, { match: 'get pods -n bookinfo --selector=flexmesh.dev/component!=api-manager-reconcile *', stdout: pod('productpage-v1-a', 'Running', 'True', 'productpage istio-proxy') }, { match: 'get pods -n test --selector=flexmesh.dev/component!=api-manager-reconcile *', stdout: pod('sleep-d', 'Running', 'True', 'sleep istio-proxy') }],
    expectExit: 0,
    expectLine: /^PASS workloads-ready: .*2 pods Ready with istio-proxy/,
  },
  {
    name: 'rejects a POD_SELECTOR with shell or space characters',
    env: () => ({ ...env, POD_SELECTOR: 'app in (a b)' }),
    expectExit: 2,
    expectLine: /^FAIL workloads-ready: configuration: POD_SELECTOR is required \(a label selector/,
    verify: (run) => assert.deepEqual(run.kubectlCalls, []),
  },
  {
    name: 'passes when every pod is Ready with the sidecar, in containers or initContainers',
    env: () => env,
    kubectl: [...allReady, bookinfo, test],
    expectExit: 0,
    expectLine: /^PASS workloads-ready: expected every replica ready in the 3 listed Deployment\(s\), and every pod in bookinfo test Ready with container istio-proxy; got 3 Deployment\(s\) fully ready; 3 pods Ready with istio-proxy \(bookinfo: 2, test: 1\)$/,
    verify: (run) => {
      assert.deepEqual(
        run.kubectlCalls.slice(0, 3).map((call) => call.replace(/ --request-timeout=.*/, '')),
        ['get deployment -n istio-system istiod', 'get deployment -n bookinfo reviews-v1', 'get deployment -n test sleep'],
      );
      for (const field of ['.spec.replicas', '.status.readyReplicas']) assert.ok(run.kubectlCalls[0]?.includes(field), `jsonpath should read ${field}`);
      const call = run.kubectlCalls.find((line) => line.startsWith('get pods'));
      assert.ok(call !== undefined);
      for (const field of ['.metadata.name', '.status.phase', '@.type=="Ready"', '.spec.containers[*].name', '.spec.initContainers[*].name']) {
        assert.ok(call.includes(field), `jsonpath should read ${field}: ${call}`);
      }
    },
  },
  {
    name: 'fails naming a pod whose Ready condition is False',
    env: () => env,
    kubectl: [...allReady, bookinfo, namespace('test', pod('sleep-d', 'Running', 'False', 'sleep istio-proxy'))],
    expectExit: 1,
    expectLine: /^FAIL workloads-ready: expected every replica ready in the 3 listed Deployment\(s\), and every pod in bookinfo test Ready with container istio-proxy; got test\/sleep-d: not Ready \(phase Running\)$/,
  },
  {
    name: 'fails naming a Pending pod that has no Ready condition yet',
    env: () => env,
    kubectl: [...allReady, namespace('bookinfo', pod('ratings-v1-e', 'Pending', '', 'ratings istio-proxy')), test],
    expectExit: 1,
    expectLine: /got bookinfo\/ratings-v1-e: not Ready \(phase Pending\)$/,
  },
  {
    name: 'fails naming every pod without the sidecar',
    env: () => env,
    kubectl: [
      ...allReady,
      namespace('bookinfo', pod('details-v1-f', 'Running', 'True', 'details istio-init') + pod('ratings-v1-g', 'Running', 'False', 'ratings')),
      test,
    ],
    expectExit: 1,
    expectLine: /got bookinfo\/details-v1-f: no istio-proxy container; bookinfo\/ratings-v1-g: not Ready \(phase Running\), no istio-proxy container$/,
  },
  {
    name: 'fails when a namespace has no pods (finished ones do not count)',
    env: () => env,
    kubectl: [...allReady, bookinfo, namespace('test', pod('job-h', 'Succeeded', 'False', 'job'))],
    expectExit: 1,
    expectLine: /got test: no pods$/,
  },
  {
    name: 'fails with kubectl\'s message when a namespace cannot be listed',
    env: () => env,
    kubectl: [...allReady, bookinfo, namespace('test', '', 1, 'Error from server (Forbidden): pods is forbidden\n')],
    expectExit: 1,
    expectLine: /got test: kubectl error: Error from server \(Forbidden\): pods is forbidden$/,
  },
  {
    name: 'honours SIDECAR_CONTAINER',
    env: () => ({ NAMESPACES: 'test', SIDECAR_CONTAINER: 'envoy', DEPLOYMENTS: 'test/sleep' }),
    kubectl: [...allReady, namespace('test', pod('sleep-d', 'Running', 'True', 'sleep envoy'))],
    expectExit: 0,
    expectLine: /got 1 Deployment\(s\) fully ready; 1 pods Ready with envoy \(test: 1\)$/,
  },
  {
    name: 'does not mistake kubectl warnings for pods',
    env: () => ({ NAMESPACES: 'test', DEPLOYMENTS: 'test/sleep' }),
    kubectl: [
      { ...deployment('test/sleep', '1/1'), stderr: 'Warning: apps/v1beta1 is deprecated\n' },
      namespace('test', pod('sleep-d', 'Running', 'True', 'sleep istio-proxy'), 0, 'Warning: v1 ComponentStatus is deprecated\n'),
    ],
    expectExit: 0,
    expectLine: /got 1 Deployment\(s\) fully ready; 1 pods Ready/,
  },
  {
    name: 'fails when a listed Deployment is missing, although every pod that exists is fine',
    env: () => env,
    kubectl: [...deployments(notFound('bookinfo/reviews-v1')), bookinfo, test],
    expectExit: 1,
    expectLine: /got bookinfo\/reviews-v1: missing$/,
  },
  {
    name: 'fails on a Deployment with no ready replica (readyReplicas omitted)',
    env: () => env,
    kubectl: [...deployments(deployment('test/sleep', '1/')), bookinfo, test],
    expectExit: 1,
    expectLine: /got test\/sleep: 0\/1 ready$/,
  },
  {
    name: 'fails on a partially ready Deployment',
    env: () => env,
    kubectl: [...deployments(deployment('bookinfo/reviews-v1', '3/2')), bookinfo, test],
    expectExit: 1,
    expectLine: /got bookinfo\/reviews-v1: 2\/3 ready$/,
  },
  {
    name: 'fails on a Deployment scaled to 0, which has no pod for the pod check to see',
    env: () => env,
    kubectl: [...deployments(deployment('test/sleep', '0/')), bookinfo, namespace('test', '')],
    expectExit: 1,
    expectLine: /got test\/sleep: scaled to 0 replicas; test: no pods$/,
  },
  {
    name: 'collects every problem, Deployments and pods, into one FAIL line; a kubectl error is reported, not crashed on',
    env: () => env,
    kubectl: [
      deployment('istio-system/istiod', '', 1, 'Error from server (Forbidden): deployments.apps "istiod" is forbidden\n'),
      deployment('bookinfo/reviews-v1', '2/1'),
      notFound('test/sleep'),
      bookinfo,
      namespace('test', pod('sleep-d', 'Running', 'False', 'sleep')),
    ],
    expectExit: 1,
    expectLine:
      /got istio-system\/istiod: kubectl error: Error from server \(Forbidden\): deployments\.apps "istiod" is forbidden; bookinfo\/reviews-v1: 1\/2 ready; test\/sleep: missing; test\/sleep-d: not Ready \(phase Running\), no istio-proxy container$/,
  },
  ...['bookinfo', 'bookinfo/reviews/v1', '/reviews-v1', 'Bookinfo/reviews-v1'].map(
    (entry): ProbeCase => ({
      name: `rejects a DEPLOYMENTS entry that is not namespace/name: ${entry}`,
      env: () => ({ ...env, DEPLOYMENTS: `test/sleep ${entry}` }),
      expectExit: 2,
      expectLine: /^FAIL workloads-ready: configuration: DEPLOYMENTS is required \(namespace\/name entries separated by spaces\)$/,
      verify: (run) => assert.deepEqual(run.kubectlCalls, []),
    }),
  ),
  {
    name: 'rejects a missing DEPLOYMENTS',
    env: () => ({ NAMESPACES: 'test', DEPLOYMENTS: ' ' }),
    expectExit: 2,
    expectLine: /^FAIL workloads-ready: configuration: DEPLOYMENTS is required$/,
  },
  {
    name: 'rejects a missing NAMESPACES',
    env: () => ({ DEPLOYMENTS }),
    expectExit: 2,
    expectLine: /^FAIL workloads-ready: configuration: NAMESPACES is required$/,
  },
];

export const workloadsReadySuite: ProbeSuite = { script: 'workloads-ready.sh', cases };
