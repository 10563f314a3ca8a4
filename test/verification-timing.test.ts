// The verification's time budget: a workflow deadline below what the retries allow kills a run that a correct
// cluster would pass (regression: 1,800 s against a 2,820 s worst case), and a retry of a probe on a rate-limited
// API must wait out the window, or it is refused with 429 on a correct cluster.
import assert from 'node:assert/strict';
import { requireWorkflowTemplate, generated, entrypointTasks } from './support/verification/bundle.ts';
import type { Edit } from './support/fixtures.ts';

const seconds = (text: unknown): number => {
  const match = /^(\d+)(s|m|h)$/.exec(String(text));
  assert.ok(match, `a duration: ${String(text)}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
};

interface Retry { limit?: string; backoff?: { duration?: string; factor?: string; maxDuration?: string } }
interface Template { name: string; timeout?: string; retryStrategy?: Retry }

/** Worst case of one probe as Argo runs it: every attempt to its timeout, plus each backoff wait. */
function worstCase(template: Template): number {
  const retry = template.retryStrategy!;
  const attempts = Number(retry.limit) + 1;
  let waits = 0;
  for (let i = 0; i < attempts - 1; i++) waits += seconds(retry.backoff!.duration) * Number(retry.backoff!.factor) ** i;
  return attempts * seconds(template.timeout) + waits;
}

const CASES: Array<{ name: string; edits: Edit[] }> = [
  { name: 'dev', edits: [] },
  { name: 'a 10-minute rate-limit window', edits: [[['apis', 1, 'policies', 1, 'rateLimits', 0, 'timePeriodInMilliseconds'], 600000]] },
  { name: 'no argocd-apps (remote destination)', edits: [[['argocd', 'destination'], { server: 'https://edge.example.com:6443' }]] },
];

describe('verification timing', () => {
  for (const { name, edits } of CASES) {
    it(`${name}: maxDuration covers every attempt, and the deadline covers the critical path and the exit handler`, () => {
      const wt = requireWorkflowTemplate(generated(...edits)) as unknown as { spec: { activeDeadlineSeconds: number; templates: Template[] } };
      const templates = new Map(wt.spec.templates.map((template) => [template.name, template]));
      const finish = new Map<string, number>();
      for (const task of entrypointTasks(requireWorkflowTemplate(generated(...edits)))) {
        const template = templates.get(task.name)!;
        assert.ok(seconds(template.retryStrategy!.backoff!.maxDuration) >= worstCase(template), `${task.name}: maxDuration below its worst case`);
        finish.set(task.name, Math.max(0, ...(task.dependencies ?? []).map((dependency) => finish.get(dependency)!)) + worstCase(template));
      }
      const critical = Math.max(...finish.values()) + seconds(templates.get('summary')!.timeout);
      assert.ok(wt.spec.activeDeadlineSeconds >= critical, `deadline ${wt.spec.activeDeadlineSeconds}s below the critical path ${critical}s`);
    });
  }

  it('a retry of a probe on a rate-limited API waits at least one window', () => {
    const wt = requireWorkflowTemplate(generated(CASES[1]!.edits[0]!)) as unknown as { spec: { templates: Template[] } };
    for (const name of ['east-west-log-bookinfo-reviews', 'rate-limit-bookinfo-reviews']) {
      const template = wt.spec.templates.find((candidate) => candidate.name === name)!;
      assert.ok(seconds(template.retryStrategy!.backoff!.duration) >= 600, `${name} retries after ${template.retryStrategy!.backoff!.duration}`);
    }
    const lockdown = wt.spec.templates.find((candidate) => candidate.name === 'lockdown')!;
    assert.equal(lockdown.retryStrategy!.backoff!.duration, '10s', 'probes of no rate-limited API keep the short backoff');
  });
});
