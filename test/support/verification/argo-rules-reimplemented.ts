// flexmesh's own re-implementation of part of Argo Workflows' validator (workflow/validate/validate.go, v3.6.19),
// not Argo's code and not a substitute for `argo lint`: no Argo binary runs offline here. It covers the rules that
// apply to the shapes flexmesh emits (names, parameters, template types, DAG dependencies and cycles, timeouts,
// retry policies, {{…}} variable scope), plus a few stricter flexmesh rules that Argo does not have, marked as such.
// test/argo-rules-reimplemented.test.ts checks it case by case against the validate.go rule each one mirrors.
// Returns every problem found; an empty list means Argo would accept the WorkflowTemplate on these rules.

export interface Parameter { name: string; value?: unknown; valueFrom?: Record<string, unknown>; default?: unknown }
export interface DagTask { name: string; template?: string; dependencies?: string[]; depends?: string; arguments?: { parameters?: Parameter[] } }
export interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }
export interface Template {
  name: string;
  inputs?: { parameters?: Parameter[] };
  outputs?: { parameters?: Parameter[] };
  dag?: { tasks: DagTask[] };
  container?: { name?: string; image?: string; command?: string[]; env?: EnvVar[]; volumeMounts?: Array<{ name: string; mountPath: string }> };
  timeout?: unknown;
  retryStrategy?: { limit?: unknown; retryPolicy?: string; backoff?: { duration?: string; factor?: unknown; maxDuration?: string } };
  [field: string]: unknown;
}
export interface WorkflowTemplate {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: {
    entrypoint?: string;
    onExit?: string;
    serviceAccountName?: string;
    arguments?: { parameters?: Parameter[] };
    podMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    volumes?: Array<{ name: string; configMap?: { name: string } }>;
    templates: Template[];
  };
}

export const NAME_PATTERN = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
export const PARAMETER_PATTERN = /^[-a-zA-Z0-9_]+$/;
const TEMPLATE_TYPES = ['container', 'containerSet', 'steps', 'script', 'resource', 'dag', 'suspend', 'data', 'http', 'plugin'];
const RETRY_POLICIES = ['', 'Always', 'OnFailure', 'OnError', 'OnTransientError'];
// Tag prefixes Argo insists on resolving; anything else in {{…}} is left alone.
const CHECKED_PREFIXES = ['item', 'steps', 'inputs', 'outputs', 'pod', 'workflow', 'tasks'];
const WORKFLOW_GLOBALS = ['name', 'namespace', 'uid', 'serviceAccountName', 'creationTimestamp', 'duration', 'priority', 'mainEntrypoint'];

/** Kahn's algorithm: tasks in an order where every dependency comes first, and the tasks left on a cycle. */
export function topologicalOrder(tasks: readonly DagTask[]): { order: string[]; cyclic: string[] } {
  const indegree = new Map(tasks.map((task) => [task.name, 0]));
  const dependents = new Map<string, string[]>();
  for (const task of tasks) {
    for (const dependency of task.dependencies ?? []) {
      if (!indegree.has(dependency)) continue; // reported separately as an invalid dependency
      indegree.set(task.name, (indegree.get(task.name) ?? 0) + 1);
      dependents.set(dependency, [...(dependents.get(dependency) ?? []), task.name]);
    }
  }
  const ready = [...indegree].filter(([, degree]) => degree === 0).map(([name]) => name);
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    order.push(name);
    for (const dependent of dependents.get(name) ?? []) {
      const left = (indegree.get(dependent) ?? 0) - 1;
      indegree.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return { order, cyclic: tasks.map((task) => task.name).filter((name) => !order.includes(name)) };
}

/** Every task's transitive dependencies (only meaningful for an acyclic DAG). */
export function ancestorsOf(tasks: readonly DagTask[]): Map<string, Set<string>> {
  const byName = new Map(tasks.map((task) => [task.name, task]));
  const result = new Map<string, Set<string>>();
  for (const name of topologicalOrder(tasks).order) {
    const set = new Set<string>();
    for (const dependency of byName.get(name)?.dependencies ?? []) {
      set.add(dependency);
      for (const further of result.get(dependency) ?? []) set.add(further);
    }
    result.set(name, set);
  }
  return result;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

export function tags(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(.*?)\s*\}\}/g)].map((match) => match[1] ?? '');
}

interface Scope { inputs: Set<string>; globals: Set<string>; exit: boolean; ancestors: Set<string>; outputsOf: (task: string) => Set<string> }

function unresolved(tag: string, scope: Scope): string | undefined {
  if (tag.startsWith('=') || !CHECKED_PREFIXES.includes(tag.split('.')[0] ?? '')) return undefined;
  let match = /^inputs\.parameters\.(.+)$/.exec(tag);
  if (match) return scope.inputs.has(match[1]!) ? undefined : 'not an input of this template';
  match = /^workflow\.parameters\.(.+)$/.exec(tag);
  if (match) return scope.globals.has(match[1]!) ? undefined : 'not in spec.arguments.parameters';
  match = /^workflow\.([a-zA-Z]+)$/.exec(tag);
  if (match && WORKFLOW_GLOBALS.includes(match[1]!)) return undefined;
  if (match && (match[1] === 'status' || match[1] === 'failures')) return scope.exit ? undefined : 'only in scope in the exit handler';
  match = /^tasks\.([^.]+)\.(id|startedAt|finishedAt|status|exitCode|outputs\.result|outputs\.parameters\.(.+))$/.exec(tag);
  if (match) {
    if (!scope.ancestors.has(match[1]!)) return `task ${match[1]} is not an ancestor`;
    return match[3] === undefined || scope.outputsOf(match[1]!).has(match[3]) ? undefined : `task ${match[1]} has no output ${match[3]}`;
  }
  return tag === 'pod.name' ? undefined : 'unknown variable';
}

function parameterProblems(where: string, parameters: readonly Parameter[], needValue: boolean): string[] {
  const names = parameters.map((parameter) => parameter.name);
  return [
    ...names.filter((name) => !PARAMETER_PATTERN.test(name)).map((name) => `${where}: parameter name "${name}" must match ${PARAMETER_PATTERN}`),
    ...names.filter((name, i) => names.indexOf(name) !== i).map((name) => `${where}: duplicate parameter "${name}"`),
    ...(needValue ? parameters.filter((parameter) => parameter.value === undefined && parameter.valueFrom === undefined).map((parameter) => `${where}: parameter "${parameter.name}" has no value`) : []),
  ];
}

function nameProblems(what: string, names: readonly string[]): string[] {
  return [
    ...names.filter((name) => !NAME_PATTERN.test(name) || name.length > 128).map((name) => `${what} name "${name}" must match ${NAME_PATTERN} and be at most 128 characters`),
    ...names.filter((name, i) => names.indexOf(name) !== i).map((name) => `duplicate ${what} name "${name}"`),
  ];
}

const names = (parameters?: readonly Parameter[]) => new Set((parameters ?? []).map((parameter) => parameter.name));

export function reimplementedArgoProblems(wt: WorkflowTemplate): string[] {
  const problems: string[] = [];
  const { spec } = wt;
  if (wt.metadata.name.length > 63) problems.push(`metadata.name "${wt.metadata.name}" is longer than 63 characters`);
  const templates = new Map(spec.templates.map((template) => [template.name, template]));
  problems.push(...nameProblems('template', spec.templates.map((template) => template.name)));
  problems.push(...parameterProblems('spec.arguments', spec.arguments?.parameters ?? [], true));
  if (spec.entrypoint !== undefined && !templates.has(spec.entrypoint)) problems.push(`entrypoint: template name '${spec.entrypoint}' undefined`);
  if (spec.onExit !== undefined && !templates.has(spec.onExit)) problems.push(`onExit: template name '${spec.onExit}' undefined`);
  const globals = names(spec.arguments?.parameters);
  const outputsOf = (dag: readonly DagTask[]) => (task: string) => names(templates.get(dag.find((candidate) => candidate.name === task)?.template ?? '')?.outputs?.parameters);

  for (const template of spec.templates) {
    const at = `template ${template.name}`;
    const types = TEMPLATE_TYPES.filter((type) => template[type] !== undefined);
    if (types.length !== 1) problems.push(`${at}: needs exactly one template type, has ${types.join(', ') || 'none'}`);
    problems.push(...parameterProblems(`${at} inputs`, template.inputs?.parameters ?? [], false));
    problems.push(...parameterProblems(`${at} outputs`, template.outputs?.parameters ?? [], false));
    for (const output of template.outputs?.parameters ?? []) {
      if ((output.value === undefined) === (output.valueFrom === undefined)) problems.push(`${at}: output ${output.name} needs exactly one of value, valueFrom`);
      else if (template.container && output.valueFrom && typeof output.valueFrom.path !== 'string') problems.push(`${at}: output ${output.name} of a container needs valueFrom.path`);
    }
    if (template.timeout !== undefined && (template.dag || /^\d+$/.test(String(template.timeout)))) problems.push(`${at}: timeout ${JSON.stringify(template.timeout)} must be a duration on a leaf template`);
    if (template.retryStrategy && !RETRY_POLICIES.includes(template.retryStrategy.retryPolicy ?? '')) problems.push(`${at}: retryPolicy ${String(template.retryStrategy.retryPolicy)} is invalid`);
    if (template.container && !template.container.image) problems.push(`${at}: container has no image`);
    const inputs = names(template.inputs?.parameters);
    const scope: Scope = { inputs, globals, exit: template.name === spec.onExit, ancestors: new Set(), outputsOf: () => new Set() };
    const check = (value: unknown, where: string, local: Scope) => {
      for (const tag of strings(value).flatMap(tags)) {
        const why = unresolved(tag, local);
        if (why) problems.push(`${where}: failed to resolve {{${tag}}}: ${why}`);
      }
    };
    if (!template.dag) {
      check(template, at, scope);
      continue;
    }
    const { tasks } = template.dag;
    if (tasks.length === 0) problems.push(`${at}: a DAG needs at least one task`);
    problems.push(...nameProblems('task', tasks.map((task) => task.name)));
    if (tasks.some((task) => task.depends !== undefined) && tasks.some((task) => task.dependencies !== undefined)) problems.push(`${at}: cannot mix depends and dependencies`);
    const taskNames = new Set(tasks.map((task) => task.name));
    for (const task of tasks) {
      if ((task.dependencies?.length ?? 0) > 0 && /^\d/.test(task.name)) problems.push(`${at}: task ${task.name} starts with a digit`);
      for (const dependency of task.dependencies ?? []) if (!taskNames.has(dependency)) problems.push(`${at}: task ${task.name}: invalid dependency ${dependency}`);
    }
    const { cyclic } = topologicalOrder(tasks);
    if (cyclic.length > 0) problems.push(`${at}: graph with cycle through ${cyclic.join(', ')}`);
    const ancestors = ancestorsOf(tasks);
    const { dag: _dag, ...rest } = template;
    check(rest, at, scope);
    for (const task of tasks) {
      const target = templates.get(task.template ?? '');
      if (!target) {
        problems.push(`${at}: task ${task.name}: template ${String(task.template)} undefined`);
        continue;
      }
      const given = (task.arguments?.parameters ?? []).map((parameter) => parameter.name).sort();
      const wanted = [...names(target.inputs?.parameters)].sort();
      if (JSON.stringify(given) !== JSON.stringify(wanted)) problems.push(`${at}: task ${task.name} passes arguments [${given.join(', ')}] but template ${target.name} declares inputs [${wanted.join(', ')}]`);
      problems.push(...parameterProblems(`${at} task ${task.name} arguments`, task.arguments?.parameters ?? [], true));
      check(task, `${at} task ${task.name}`, { ...scope, ancestors: ancestors.get(task.name) ?? new Set(), outputsOf: outputsOf(tasks) });
    }
  }
  return problems;
}
