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

const failure = (displayName: string, message: string) =>
  `{"displayName":"${displayName}","message":"${message}","templateName":"x","phase":"Failed","podName":"p","finishedAt":"2026-01-01T00:00:00Z"}`;
const run = (status: string, failures: string[]) => ({ WORKFLOW_STATUS: status, WORKFLOW_FAILURES: failures.length ? `[${failures.join(',')}]` : 'null', PROBES });

const cases: readonly ProbeCase[] = [
  {
    name: 'exits 0 when the workflow Succeeded and nothing failed',
    env: () => run('Succeeded', []),
    expectExit: 0,
    expectLine: /^7 passed, 0 failed$/,
    verify: (result) => {
      assert.match(result.stdout, /^Probe summary \(workflow status: Succeeded\)\n/);
      assert.match(result.stdout, /\nPASS {5}argocd-apps\n/);
    },
  },
  {
    name: 'marks a failed probe with its message, and what depends on it as not run; independent probes pass',
    env: () => run('Failed', [failure('north-south(2)', 'Error (exit code 1)'), failure('north-south', 'No more retries left'), failure('probes', 'child failed')]),
    expectExit: 1,
    expectLine: /^4 passed, 3 failed$/,
    verify: (result) => {
      assert.match(result.stdout, /\nFAIL {5}north-south {22}No more retries left\n/);
      assert.match(result.stdout, /\nNOT RUN {2}east-west-log-bookinfo-reviews {3}\(north-south did not pass\)\n/);
      assert.match(result.stdout, /\nNOT RUN {2}rate-limit-bookinfo-reviews {6}\(east-west-log-bookinfo-reviews did not pass\)\n/);
      assert.match(result.stdout, /\nPASS {5}lockdown\n/);
      assert.match(result.stdout, /\nworkflow status is Failed, expected Succeeded\n/);
    },
  },
  {
    name: 'does not mistake a probe whose name extends another for it',
    env: () => run('Failed', [failure('east-west-log-bookinfo-reviews', 'Error (exit code 1)')]),
    expectExit: 1,
    expectLine: /^5 passed, 2 failed$/,
    verify: (result) => assert.match(result.stdout, /\nPASS {5}north-south\n/),
  },
  {
    name: 'exits 1 when the workflow errored although no probe failed',
    env: () => run('Error', []),
    expectExit: 1,
    expectLine: /^7 passed, 0 failed$/,
  },
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
