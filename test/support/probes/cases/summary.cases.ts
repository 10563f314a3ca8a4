import assert from 'node:assert/strict';
import type { ProbeCase, ProbeSuite } from '../probe-case.ts';

// The DAG of the dev bundle, as the WorkflowTemplate hands it to the exit handler.
const PROBES = [
  'argocd-apps:',
  'workloads-ready:argocd-apps',
  'north-south:workloads-ready',
  'east-west-log-bookinfo-reviews:north-south',
  'rate-limit-bookinfo-reviews:east-west-log-bookinfo-reviews',
  'lockdown:workloads-ready',
  'flexctl-check:workloads-ready',
].join('\n');

/** Argo v3.6's failedNodeStatus (workflow/controller/operator.go), field order as Go marshals it. */
interface FailedNode {
  readonly displayName: string;
  readonly message: string;
  readonly templateName: string;
  readonly phase: 'Failed' | 'Error';
  readonly podName: string;
  readonly finishedAt: string;
}

const node = (displayName: string, message: string): FailedNode => ({
  displayName,
  message,
  templateName: displayName.replace(/\(\d+\)$/, ''),
  phase: 'Failed',
  podName: `flexmesh-verify-x7k2p-${displayName.replace(/\W/g, '')}-1234567890`,
  finishedAt: '2026-05-01T10:00:00Z',
});

/** Go's json.Marshal: JSON.stringify plus the HTML-safe escapes Go adds by default. */
function goJsonMarshal(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's strconv.Quote, for the printable text json.Marshal produces (plus control characters). */
function goQuote(text: string): string {
  const escapes: Record<string, string> = { '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };
  const quoted = [...text].map((char) => escapes[char] ?? (char < ' ' || char === '\u007f' ? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}` : char));
  return `"${quoted.join('')}"`;
}

/** workflow.failures exactly as Argo v3.6 substitutes it: strconv.Quote(json.Marshal(failures)). */
const argoFailures = (nodes: readonly FailedNode[]) => goQuote(nodes.length ? goJsonMarshal(nodes) : 'null');
const run = (status: string, failures: string) => ({ WORKFLOW_STATUS: status, WORKFLOW_FAILURES: failures, PROBES });

// Written out by hand, byte for byte what Argo puts in the env var: the helpers above must agree.
const ARGO_ONE_FAILURE =
  '"[{\\"displayName\\":\\"north-south\\",\\"message\\":\\"Error (exit code 1)\\",\\"templateName\\":\\"north-south\\",' +
  '\\"phase\\":\\"Failed\\",\\"podName\\":\\"flexmesh-verify-x7k2p-northsouth-1234567890\\",\\"finishedAt\\":\\"2026-05-01T10:00:00Z\\"}]"';
assert.equal(argoFailures([node('north-south', 'Error (exit code 1)')]), ARGO_ONE_FAILURE);
assert.equal(argoFailures([]), '"null"');

const retried = [node('north-south(2)', 'Error (exit code 1)'), node('north-south', 'No more retries left'), node('probes', 'child failed')];
const retriedVerify = (result: { stdout: string }) => {
  assert.match(result.stdout, /\nFAIL {5}north-south {22}No more retries left\n/);
  assert.match(result.stdout, /\nNOT RUN {2}east-west-log-bookinfo-reviews {3}\(north-south did not pass\)\n/);
  assert.match(result.stdout, /\nNOT RUN {2}rate-limit-bookinfo-reviews {6}\(east-west-log-bookinfo-reviews did not pass\)\n/);
  assert.match(result.stdout, /\nPASS {5}lockdown\n/);
  assert.match(result.stdout, /\nworkflow status is Failed, expected Succeeded\n/);
};

const nothingFailed: readonly (readonly [string, string])[] = [
  ['Argo\'s own form, "null" in quotes', argoFailures([])],
  ['bare null', 'null'],
  ['an empty value', ''],
  ['an empty array', '[]'],
];

const cases: readonly ProbeCase[] = [
  ...nothingFailed.map(
    ([label, failures]): ProbeCase => ({
      name: `exits 0 when the workflow Succeeded and nothing failed: ${label}`,
      env: () => run('Succeeded', failures),
      expectExit: 0,
      expectLine: /^7 passed, 0 failed$/,
      verify: (result) => {
        assert.match(result.stdout, /^Probe summary \(workflow status: Succeeded\)\n/);
        assert.match(result.stdout, /\nPASS {5}argocd-apps\n/);
      },
    }),
  ),
  {
    name: 'reads the exact string Argo substitutes for one failed node',
    env: () => run('Failed', ARGO_ONE_FAILURE),
    expectExit: 1,
    expectLine: /^4 passed, 3 failed$/,
    verify: (result) => assert.match(result.stdout, /\nFAIL {5}north-south {22}Error \(exit code 1\)\n/),
  },
  {
    name: 'Argo form: marks a failed probe with its message, what depends on it as not run; independent probes pass',
    env: () => run('Failed', argoFailures(retried)),
    expectExit: 1,
    expectLine: /^4 passed, 3 failed$/,
    verify: retriedVerify,
  },
  {
    name: 'still reads a raw, unquoted JSON array',
    env: () => run('Failed', goJsonMarshal(retried)),
    expectExit: 1,
    expectLine: /^4 passed, 3 failed$/,
    verify: retriedVerify,
  },
  {
    name: 'prefers the probe\'s own node over its retries, in whatever order Go\'s map gives them',
    env: () => run('Failed', argoFailures([node('north-south', 'No more retries left'), node('north-south(1)', 'Error (exit code 1)')])),
    expectExit: 1,
    expectLine: /^4 passed, 3 failed$/,
    verify: (result) => assert.match(result.stdout, /\nFAIL {5}north-south {22}No more retries left\n/),
  },
  {
    name: 'uses a retry\'s message when only retries failed',
    env: () => run('Failed', argoFailures([node('lockdown(0)', 'Error (exit code 1)')])),
    expectExit: 1,
    expectLine: /^6 passed, 1 failed$/,
    verify: (result) => assert.match(result.stdout, /\nFAIL {5}lockdown {25}Error \(exit code 1\)\n/),
  },
  {
    name: 'decodes a message with escaped quotes, a backslash, a newline and Go\'s \\u003c \\u003e \\u0026',
    env: () => run('Failed', argoFailures([node('north-south', 'probe said "got 401" <html> & C:\\tmp\nnext line')])),
    expectExit: 1,
    expectLine: /^4 passed, 3 failed$/,
    verify: (result) => assert.match(result.stdout, /\nFAIL {5}north-south {22}probe said "got 401" <html> & C:\\tmp next line\n/),
  },
  {
    name: 'is not fooled by a message that quotes another node\'s JSON',
    env: () => run('Failed', argoFailures([node('north-south', 'saw {"displayName":"lockdown","message":"x"}, then gave up')])),
    expectExit: 1,
    expectLine: /^4 passed, 3 failed$/,
    verify: (result) => {
      assert.match(result.stdout, /\nPASS {5}lockdown\n/);
      assert.match(result.stdout, /\nFAIL {5}north-south {22}saw \{"displayName":"lockdown","message":"x"\}, then gave up\n/);
    },
  },
  {
    name: 'does not mistake a probe whose name extends another for it',
    env: () => run('Failed', argoFailures([node('east-west-log-bookinfo-reviews', 'Error (exit code 1)')])),
    expectExit: 1,
    expectLine: /^5 passed, 2 failed$/,
    verify: (result) => assert.match(result.stdout, /\nPASS {5}north-south\n/),
  },
  {
    name: 'exits 1 when the workflow errored although no probe failed',
    env: () => run('Error', argoFailures([])),
    expectExit: 1,
    expectLine: /^7 passed, 0 failed$/,
  },
  ...['failed: north-south', '"[{\\"displayName\\":\\"north-south\\""', '{"displayName":"north-south"}'].map(
    (failures): ProbeCase => ({
      name: `exits 1 and says so when WORKFLOW_FAILURES cannot be read: ${failures}`,
      env: () => run('Succeeded', failures),
      expectExit: 1,
      expectLine: /^\d+ passed, \d+ failed; WORKFLOW_FAILURES unreadable$/,
      verify: (result) => assert.match(result.stdout, /\nWORKFLOW_FAILURES is neither a JSON array nor Argo's quoted form of one: /),
    }),
  ),
  {
    name: 'rejects a missing WORKFLOW_STATUS',
    env: () => ({ PROBES }),
    expectExit: 2,
    expectLine: /^FAIL summary: configuration: WORKFLOW_STATUS is required$/,
  },
  {
    name: 'rejects a missing PROBES',
    env: () => ({ WORKFLOW_STATUS: 'Succeeded' }),
    expectExit: 2,
    expectLine: /^FAIL summary: configuration: PROBES is required$/,
  },
];

export const summarySuite: ProbeSuite = { script: 'summary.sh', cases };
