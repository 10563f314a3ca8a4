// Rules the verification WorkflowTemplate must keep, each stated once and checked on the generated output against
// what the probe scripts document and what Argo does, never against a snapshot: a golden file would bless a break.
//   probe-wait-within-timeout  a probe that polls must give up (and print its FAIL line) before Argo kills it
//   dag-fail-fast-off          the DAG keeps running independent probes after one fails (Argo's default is failFast)
//   summary-knows-the-dag      the exit handler gets every task with its dependencies, so it marks the probes the
//                              DAG never started NOT RUN instead of PASS
// The timing budget (retry maxDuration, workflow deadline) is test/verification-timing.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Edit } from './support/fixtures.ts';
import { runProbeCase, PROBES_DIR } from './support/probes/probe-sandbox.ts';
import type { Template, WorkflowTemplate } from './support/verification/argo-rules-reimplemented.ts';
import { RATINGS_API, entrypointTasks, generated, requireWorkflowTemplate, workflowParameters } from './support/verification/bundle.ts';

const CASES: Array<{ name: string; edits: Edit[] }> = [
  { name: 'dev', edits: [] },
  { name: 'a second east-west API', edits: [[['apis', 2], RATINGS_API]] },
  { name: 'no north-south API', edits: [[['apis', 0], undefined]] },
  { name: 'a remote destination (no argocd-apps)', edits: [[['argocd', 'destination'], { server: 'https://edge.example.com:6443' }]] },
];

/** The default a script gives a variable (`name=${VARIABLE:-default}`), read from the script itself. */
function scriptDefault(script: string, variable: string): number {
  const source = readFileSync(join(PROBES_DIR, script), 'utf8');
  const match = new RegExp(`=\\$\\{${variable}:-(\\d+)\\}`).exec(source);
  assert.ok(match, `${script} gives ${variable} no numeric default`);
  return Number(match[1]);
}
const seconds = (text: unknown) => {
  const match = /^(\d+)s$/.exec(String(text));
  assert.ok(match, `a duration in seconds: ${String(text)}`);
  return Number(match[1]);
};

/**
 * The longest a probe that polls can run before printing its final line, from its script's documented loop:
 * the wait, plus every kubectl call that may start just before the wait ends, each bounded by CURL_MAX_TIME.
 */
const WORST_CASE: Record<string, (value: (variable: string, script: string) => number) => number> = {
  // One poll asks for each Application in turn (argocd-apps.sh header: "the last poll may start just before it ends").
  'argocd-apps': (value) => value('WAIT_SECONDS', 'argocd-apps.sh') + value('APPLICATIONS', '') * value('CURL_MAX_TIME', 'probe-lib.sh'),
  // The client pod lookup, the exec'd trigger (curl bound + 5 s for kubectl exec), the log wait, the last kubectl logs.
  'east-west-log': (value) => {
    const call = value('CURL_MAX_TIME', 'probe-lib.sh');
    return call + (call + 5) + value('LOG_WAIT_SECONDS', 'east-west-log.sh') + call;
  },
};

const templateOf = (wt: WorkflowTemplate, name: string): Template => wt.spec.templates.find((template) => template.name === name)!;

describe('verification rules', () => {
  describe('probe-wait-within-timeout: a polling probe gives up before its template timeout', () => {
    for (const { name, edits } of CASES) {
      it(name, () => {
        const wt = requireWorkflowTemplate(generated(...edits));
        const parameters = workflowParameters(wt);
        let checked = 0;
        for (const task of entrypointTasks(wt)) {
          const kind = Object.keys(WORST_CASE).find((prefix) => task.name === prefix || task.name.startsWith(`${prefix}-`));
          if (!kind) continue;
          const value = (variable: string, script: string): number => {
            const given = parameters[`${task.name}-${variable.toLowerCase().replace(/_/g, '-')}`];
            if (variable === 'APPLICATIONS') return given!.split(/\s+/).filter(Boolean).length;
            return given !== undefined ? Number(given) : scriptDefault(script, variable);
          };
          const worst = WORST_CASE[kind]!(value);
          const timeout = seconds(templateOf(wt, task.name).timeout);
          assert.ok(worst <= timeout, `${task.name}: may poll for ${worst}s, but its template times out after ${timeout}s: Argo kills it before it says why`);
          checked++;
        }
        assert.ok(checked > 0, 'no polling probe in this bundle');
      });
    }
  });

  describe('dag-fail-fast-off: one failed probe does not stop the independent ones', () => {
    for (const { name, edits } of CASES) {
      it(name, () => {
        const wt = requireWorkflowTemplate(generated(...edits));
        const dag = templateOf(wt, wt.spec.entrypoint!).dag as { failFast?: unknown } | undefined;
        assert.ok(dag, 'the entrypoint is a DAG');
        // Argo Workflows: "failFast … Defaults to true" for a DAG, so leaving it out is the same bug as true.
        assert.equal(dag.failFast, false);
      });
    }
  });

  describe('summary-knows-the-dag: the exit handler is given every task with its dependencies', () => {
    for (const { name, edits } of CASES) {
      it(name, () => {
        const wt = requireWorkflowTemplate(generated(...edits));
        const summary = templateOf(wt, wt.spec.onExit!);
        const probes = summary.container?.env?.find((variable) => variable.name === 'PROBES')?.value;
        const fromDag = entrypointTasks(wt).map((task) => `${task.name}:${(task.dependencies ?? []).join(',')}`).join('\n');
        assert.equal(probes, fromDag);
      });
    }

    it('dev: with workloads-ready failed, every probe after it is NOT RUN and the run fails', async () => {
      const wt = requireWorkflowTemplate(generated());
      const probes = templateOf(wt, wt.spec.onExit!).container!.env!.find((variable) => variable.name === 'PROBES')!.value!;
      const failures = JSON.stringify([{ displayName: 'workloads-ready', message: 'No more retries left', templateName: 'workloads-ready', phase: 'Failed', podName: 'p', finishedAt: '2026-05-01T10:00:00Z' }]);
      const run = await runProbeCase('summary.sh', { name: 'summary', env: () => ({ WORKFLOW_STATUS: 'Failed', WORKFLOW_FAILURES: failures, PROBES: probes }), expectExit: 1, expectLine: /./ });
      assert.equal(run.exitCode, 1, run.stdout);
      const tasks = entrypointTasks(wt).map((task) => task.name);
      const after = tasks.filter((task) => task !== 'argocd-apps' && task !== 'workloads-ready');
      assert.ok(after.length >= 4);
      for (const task of after) assert.match(run.stdout, new RegExp(`^NOT RUN +${task} +\\(`, 'm'), `${task} is not reported NOT RUN:\n${run.stdout}`);
      assert.match(run.stdout, /^PASS +argocd-apps\b/m);
      assert.match(run.stdout, /^FAIL +workloads-ready\b/m);
    });
  });
});
