// Rules for a verification WorkflowTemplate that the schema cannot express: Argo's run-time semantics of the DAG, the
// exit handler and the time limits. Read from the document itself, as Argo Workflows v3.6 reads it.
import type { LocatedDoc, ManifestIndex } from './context.ts';
import { arr, obj, type Json } from './json.ts';
import type { CrossReferenceIssue } from './rules.ts';

type Rule = (index: ManifestIndex) => CrossReferenceIssue[];

interface Dag { at: number; name: string; failFast: unknown; tasks: Array<{ name: string; template: string; dependencies: string[] }> }

/** Argo durations as flexmesh writes them: "90s", "5m", "1h". */
function durationSeconds(value: unknown): number | undefined {
  const match = /^(\d+)(s|m|h)$/.exec(String(value ?? ''));
  return match ? Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'] : undefined;
}

function workflows(index: ManifestIndex): Array<{ located: LocatedDoc; spec: Json; templates: Json[]; dag?: Dag }> {
  return index.docs.filter((located) => located.doc.kind === 'WorkflowTemplate').map((located) => {
    const spec = obj(located.doc.spec);
    const templates = arr(spec.templates).map(obj);
    const at = templates.findIndex((template) => template.name === spec.entrypoint);
    const dag = at >= 0 && templates[at]!.dag !== undefined ? obj(templates[at]!.dag) : undefined;
    const tasks = arr(dag?.tasks).map(obj).map((task) => ({ name: String(task.name), template: String(task.template ?? task.name), dependencies: arr(task.dependencies).map(String) }));
    return { located, spec, templates, dag: dag && { at, name: String(templates[at]!.name), failFast: dag.failFast, tasks } };
  });
}

/** Worst case of one template as Argo runs it: every attempt to its timeout, with the backoff waits between them. */
function worstCase(template: Json): number | undefined {
  const timeout = durationSeconds(template.timeout);
  if (timeout === undefined) return undefined;
  const retry = obj(template.retryStrategy);
  const attempts = Number(retry.limit ?? 0) + 1;
  const backoff = obj(retry.backoff);
  const duration = durationSeconds(backoff.duration) ?? 0;
  const factor = Number(backoff.factor ?? 1);
  let waits = 0;
  for (let i = 0; i < attempts - 1; i++) waits += duration * factor ** i;
  return attempts * timeout + waits;
}

// Argo's DAG default is failFast: true, which stops scheduling the other probes once one fails; the summary then
// reports them NOT RUN although nothing was wrong with them.
const dagFailFastOff: Rule = (index) =>
  workflows(index).flatMap(({ located, dag }) =>
    dag && dag.failFast !== false ? [{ rule: 'dag-fail-fast-off', located, pointer: `/spec/templates/${dag.at}/dag${dag.failFast === undefined ? '' : '/failFast'}`, message: `DAG ${dag.name} has failFast ${String(dag.failFast ?? 'unset (Argo: true)')}: one failed probe would stop the independent ones; set failFast: false` }] : [],
  );

// The exit handler tells NOT RUN from PASS by the dependencies it is given (summary.sh's PROBES contract).
const summaryKnowsTheDag: Rule = (index) =>
  workflows(index).flatMap(({ located, spec, templates, dag }) => {
    const at = templates.findIndex((template) => template.name === spec.onExit);
    if (!dag || at < 0) return [];
    const env = arr(obj(templates[at]!.container).env).map(obj);
    const i = env.findIndex((variable) => variable.name === 'PROBES');
    if (i < 0) return [];
    const expected = dag.tasks.map((task) => `${task.name}:${task.dependencies.join(',')}`).join('\n');
    return env[i]!.value === expected ? [] : [{ rule: 'summary-knows-the-dag', located, pointer: `/spec/templates/${at}/container/env/${i}/value`, message: `the exit handler's PROBES does not list the DAG's tasks with their dependencies (expected ${JSON.stringify(expected)})` }];
  });

// backoff.maxDuration counts from the first attempt: shorter than the worst case cuts off the last retries.
const retryCoversAttempts: Rule = (index) =>
  workflows(index).flatMap(({ located, templates }) =>
    templates.flatMap((template, t) => {
      const maxDuration = durationSeconds(obj(obj(template.retryStrategy).backoff).maxDuration);
      const worst = worstCase(template);
      return maxDuration !== undefined && worst !== undefined && maxDuration < worst
        ? [{ rule: 'retry-covers-attempts', located, pointer: `/spec/templates/${t}/retryStrategy/backoff/maxDuration`, message: `template ${String(template.name)}: maxDuration ${maxDuration}s is below its ${worst}s of attempts and backoff` }]
        : [];
    }),
  );

// activeDeadlineSeconds kills the whole run: it must outlast the longest dependency chain and then the exit handler.
const deadlineCoversCriticalPath: Rule = (index) =>
  workflows(index).flatMap(({ located, spec, templates, dag }) => {
    const deadline = spec.activeDeadlineSeconds;
    if (!dag || typeof deadline !== 'number') return [];
    const byName = new Map(templates.map((template) => [String(template.name), template]));
    const finish = new Map<string, number>();
    const finishOf = (name: string, seen: Set<string>): number => {
      const known = finish.get(name);
      if (known !== undefined) return known;
      const task = dag.tasks.find((candidate) => candidate.name === name);
      if (!task || seen.has(name)) return 0; // unknown dependencies and cycles are the Argo rules' to report
      const own = worstCase(byName.get(task.template) ?? {}) ?? 0;
      const value = Math.max(0, ...task.dependencies.map((dependency) => finishOf(dependency, new Set([...seen, name])))) + own;
      finish.set(name, value);
      return value;
    };
    const critical = Math.max(0, ...dag.tasks.map((task) => finishOf(task.name, new Set()))) + (durationSeconds(byName.get(String(spec.onExit))?.timeout) ?? 0);
    return deadline < critical ? [{ rule: 'deadline-covers-critical-path', located, pointer: '/spec/activeDeadlineSeconds', message: `${deadline}s is below the worst case of the longest probe chain plus the exit handler, ${critical}s: a run a healthy cluster would pass can be killed` }] : [];
  });

// A probe that polls must give up, and print why, before Argo kills it at its timeout.
const probeWaitWithinTimeout: Rule = (index) =>
  workflows(index).flatMap(({ located, spec, templates, dag }) => {
    const parameters = arr(obj(spec.arguments).parameters).map(obj);
    return (dag?.tasks ?? []).flatMap((task) => {
      const t = templates.findIndex((template) => template.name === task.template);
      const timeout = t >= 0 ? durationSeconds(templates[t]!.timeout) : undefined;
      return parameters.flatMap((parameter, p) => {
        const wait = Number(parameter.value);
        const isWait = parameter.name === `${task.name}-wait-seconds` || parameter.name === `${task.name}-log-wait-seconds`;
        return isWait && timeout !== undefined && wait >= timeout
          ? [{ rule: 'probe-wait-within-timeout', located, pointer: `/spec/arguments/parameters/${p}/value`, message: `${String(parameter.name)} ${wait}s is not below the template timeout ${timeout}s: Argo kills the probe before it reports` }]
          : [];
      });
    });
  });

export const VERIFICATION_RULES: Record<string, Rule> = {
  'dag-fail-fast-off': dagFailFastOff,
  'summary-knows-the-dag': summaryKnowsTheDag,
  'retry-covers-attempts': retryCoversAttempts,
  'deadline-covers-critical-path': deadlineCoversCriticalPath,
  'probe-wait-within-timeout': probeWaitWithinTimeout,
};
