// flexmesh's re-implementation of Argo Workflows' WorkflowTemplate validation (test/support/verification/
// argo-rules-reimplemented.ts), checked rule by rule against workflow/validate/validate.go at v3.6.19: each case
// breaks the dev WorkflowTemplate the way one validate.go check refuses (cited by line, with Argo's own message),
// and the re-implementation must report it. Cases marked `flexmesh` are stricter than Argo on purpose, and say why.
// The accepted cases guard against the opposite mistake: refusing what Argo accepts.
import assert from 'node:assert/strict';
import { reimplementedArgoProblems, type DagTask, type Template, type WorkflowTemplate } from './support/verification/argo-rules-reimplemented.ts';
import { entrypointTasks, generated, requireWorkflowTemplate } from './support/verification/bundle.ts';

type Source = { argo: string } | { flexmesh: string };
interface Case { name: string; source: Source; mutate: (wt: WorkflowTemplate) => void; expect: RegExp }

const templateOf = (wt: WorkflowTemplate, name: string): Template => wt.spec.templates.find((template) => template.name === name)!;
const task = (wt: WorkflowTemplate, name: string): DagTask => entrypointTasks(wt).find((candidate) => candidate.name === name)!;

const REFUSED: Case[] = [
  { name: 'a WorkflowTemplate name over 63 characters', source: { argo: '367: workflow template name %q must not be more than 63 characters long' }, mutate: (wt) => void (wt.metadata.name = 'v'.repeat(64)), expect: /longer than 63/ },
  { name: 'a template name over 128 characters', source: { argo: '183 → 1297/1626 (isValidWorkflowFieldName): spec.templates[%d].name: ... is invalid: must be no more than 128 characters' }, mutate: (wt) => void (templateOf(wt, 'summary').name = wt.spec.onExit = 'a'.repeat(129)), expect: /template name "a{129}"/ },
  { name: 'a duplicate template name', source: { argo: '183 → 1301: spec.templates[%d].name %q is not unique' }, mutate: (wt) => void (templateOf(wt, 'lockdown').name = 'flexctl-check'), expect: /duplicate template name "flexctl-check"/ },
  { name: 'an entrypoint that names no template', source: { argo: '596: template name %q undefined (entrypoint resolved at 253)' }, mutate: (wt) => void (wt.spec.entrypoint = 'probe'), expect: /entrypoint: template name 'probe' undefined/ },
  { name: 'an exit handler that names no template', source: { argo: '267-268 → 596: template name %q undefined' }, mutate: (wt) => void (wt.spec.onExit = 'sumary'), expect: /onExit: template name 'sumary' undefined/ },
  { name: 'a global parameter name with a dot', source: { argo: '900-908 → 1297/1614: Parameter/Artifact name must consist of alpha-numeric characters, \'_\' or \'-\'' }, mutate: (wt) => void wt.spec.arguments!.parameters!.push({ name: 'bad.name', value: 'x' }), expect: /parameter name "bad\.name"/ },
  { name: 'a global parameter without a value (at submit)', source: { argo: '186-189 → 920: spec.arguments.%s.value or ... valueFrom is required (when submitted: `argo submit --from` sets Submit)' }, mutate: (wt) => void delete wt.spec.arguments!.parameters![0]!.value, expect: /parameter "argocd-apps-applications" has no value/ },
  { name: 'a template with no type', source: { argo: '641: templates.%s template type unspecified' }, mutate: (wt) => void delete templateOf(wt, 'lockdown').container, expect: /template lockdown: needs exactly one template type, has none/ },
  { name: 'a template with two types', source: { argo: '645: templates.%s multiple template types specified' }, mutate: (wt) => void (templateOf(wt, 'lockdown').script = { image: 'x', source: 'true' }), expect: /template lockdown: needs exactly one template type, has container, script/ },
  { name: 'a container without an image', source: { argo: '795-799: templates.%s.container.image may not be empty (no templateDefaults)' }, mutate: (wt) => void (templateOf(wt, 'lockdown').container!.image = ''), expect: /template lockdown: container has no image/ },
  { name: 'a bare-integer timeout', source: { argo: '503-506: %s has invalid duration format in timeout.' }, mutate: (wt) => void (templateOf(wt, 'lockdown').timeout = '120'), expect: /template lockdown: timeout "120"/ },
  { name: 'a timeout on the DAG', source: { argo: '498-500: %s template doesn\'t support timeout field. (not a leaf)' }, mutate: (wt) => void (templateOf(wt, 'probes').timeout = '60s'), expect: /template probes: timeout "60s" must be a duration on a leaf template/ },
  { name: 'an unknown retry policy', source: { argo: '619-625: %s is not a valid RetryPolicy' }, mutate: (wt) => void (templateOf(wt, 'lockdown').retryStrategy!.retryPolicy = 'OnFailures'), expect: /retryPolicy OnFailures is invalid/ },
  { name: 'an output parameter with both value and valueFrom', source: { argo: '1227-1228: %s has both valueFrom and value specified. Choose one.' }, mutate: (wt) => void (templateOf(wt, 'lockdown').outputs!.parameters![0]!.value = 'x'), expect: /output result needs exactly one of value, valueFrom/ },
  { name: 'an output parameter of a container without valueFrom.path', source: { argo: '1198-1200: %s.path must be specified for %s templates' }, mutate: (wt) => void (templateOf(wt, 'lockdown').outputs!.parameters![0]!.valueFrom = { default: 'x' }), expect: /output result of a container needs valueFrom\.path/ },
  { name: 'an input of an undeclared name', source: { argo: '570/743: failed to resolve {{%s}}' }, mutate: (wt) => void (templateOf(wt, 'lockdown').container!.env![0]!.value = '{{inputs.parameters.nope}}'), expect: /template lockdown: failed to resolve \{\{inputs\.parameters\.nope\}\}/ },
  { name: 'an unknown workflow parameter', source: { argo: '743: failed to resolve {{%s}} (globalParams from spec.arguments, 201-209)' }, mutate: (wt) => void (task(wt, 'lockdown').arguments!.parameters![0]!.value = '{{workflow.parameters.lockdown-nope}}'), expect: /failed to resolve \{\{workflow\.parameters\.lockdown-nope\}\}/ },
  { name: 'workflow.failures outside the exit handler', source: { argo: '276: workflow.failures enters the scope only for the exit handler' }, mutate: (wt) => void (templateOf(wt, 'lockdown').container!.env![0]!.value = '{{workflow.failures}}'), expect: /only in scope in the exit handler/ },
  { name: 'a DAG without tasks', source: { argo: '1348-1349: templates.%s must have at least one task' }, mutate: (wt) => void (templateOf(wt, 'probes').dag!.tasks = []), expect: /template probes: a DAG needs at least one task/ },
  { name: 'an invalid task name', source: { argo: '1369-1371 → 1297: templates.%s.tasks[%d].name ... is invalid' }, mutate: (wt) => void (task(wt, 'lockdown').name = 'lock_down'), expect: /task name "lock_down" must match/ },
  { name: 'a duplicate task name', source: { argo: '1369-1371 → 1301: templates.%s.tasks[%d].name %q is not unique' }, mutate: (wt) => void (task(wt, 'lockdown').name = 'flexctl-check'), expect: /duplicate task name "flexctl-check"/ },
  { name: 'a task name starting with a digit, with dependencies', source: { argo: '1379-1380: name cannot begin with a digit when using either \'depends\' or \'dependencies\'' }, mutate: (wt) => void (task(wt, 'lockdown').name = '9-lockdown'), expect: /task 9-lockdown starts with a digit/ },
  { name: 'depends mixed with dependencies', source: { argo: '1383-1384: templates.%s cannot use both \'depends\' and \'dependencies\' in the same DAG template' }, mutate: (wt) => void (task(wt, 'flexctl-check').depends = 'workloads-ready'), expect: /cannot mix depends and dependencies/ },
  { name: 'a task of an undefined template', source: { argo: '1393-1395 → 596: templates.%s.tasks.%s template name %q undefined' }, mutate: (wt) => void (task(wt, 'lockdown').template = 'lockdwn'), expect: /task lockdown: template lockdwn undefined/ },
  { name: 'an unknown dependency', source: { argo: '1409-1413: templates.%s.tasks.%s dependency %q not defined' }, mutate: (wt) => void (task(wt, 'lockdown').dependencies = ['workload-ready']), expect: /task lockdown: invalid dependency workload-ready/ },
  { name: 'a dependency cycle', source: { argo: '1364-1366 sorting failed / 1541-1560: templates.%s.tasks dependency cycle detected' }, mutate: (wt) => void (task(wt, 'argocd-apps').dependencies = ['flexctl-check']), expect: /graph with cycle through argocd-apps, .*flexctl-check/ },
  { name: 'an output of a task that is not an ancestor', source: { argo: '1452-1458 (ancestors\' outputs only) → 1470-1471: failed to resolve {{%s}}' }, mutate: (wt) => void (task(wt, 'flexctl-check').arguments!.parameters![0]!.value = '{{tasks.lockdown.outputs.parameters.result}}'), expect: /task lockdown is not an ancestor/ },
  { name: 'a task argument without a value', source: { argo: '1474-1477 → 920: templates.%s.tasks.%s.arguments.%s.value or ... valueFrom is required' }, mutate: (wt) => void delete task(wt, 'lockdown').arguments!.parameters![0]!.value, expect: /task lockdown arguments: parameter "[a-z-]+" has no value/ },
  { name: 'a missing task argument', source: { argo: '1484-1486: the template validated again with the task\'s arguments; an input without a default was not supplied' }, mutate: (wt) => void task(wt, 'north-south').arguments!.parameters!.pop(), expect: /task north-south passes arguments .* but template north-south declares inputs/ },
  { name: 'an extra task argument', source: { flexmesh: 'Argo ignores an argument no input declares; in flexmesh it can only be a renamed or dropped input, so it is refused' }, mutate: (wt) => void task(wt, 'lockdown').arguments!.parameters!.push({ name: 'extra', value: 'x' }), expect: /task lockdown passes arguments \[.*extra.*\]/ },
  { name: 'workflow.status outside the exit handler', source: { flexmesh: 'Argo puts workflow.status in scope everywhere (237), where it reads Running: a probe reading it is a mistake' }, mutate: (wt) => void (templateOf(wt, 'lockdown').container!.env![0]!.value = '{{workflow.status}}'), expect: /only in scope in the exit handler/ },
];

const ACCEPTED: Array<{ name: string; mutate: (wt: WorkflowTemplate) => void }> = [
  { name: 'the dev WorkflowTemplate as generated', mutate: () => undefined },
  { name: 'an output of a transitive ancestor (validate.go 1452-1458 adds every ancestor)', mutate: (wt) => void (task(wt, 'rate-limit-bookinfo-reviews').arguments!.parameters![0]!.value = '{{tasks.workloads-ready.outputs.parameters.result}}') },
  { name: 'a task name starting with a digit when no task uses dependencies (1379)', mutate: (wt) => {
    const dag = templateOf(wt, 'probes').dag!;
    dag.tasks = [{ ...task(wt, 'lockdown'), name: '1-lockdown', dependencies: undefined }];
  } },
  { name: 'workflow.failures and workflow.status in the exit handler (237, 276)', mutate: () => undefined },
  { name: 'a template name of exactly 128 characters (1626)', mutate: (wt) => void (templateOf(wt, 'summary').name = wt.spec.onExit = 'a'.repeat(128)) },
  { name: 'a retry policy of OnTransientError (621)', mutate: (wt) => void (templateOf(wt, 'lockdown').retryStrategy!.retryPolicy = 'OnTransientError') },
];

describe('flexmesh\'s re-implementation of Argo Workflows v3.6.19 validate.go rules', () => {
  const dev = () => structuredClone(requireWorkflowTemplate(generated()));

  describe('refuses', () => {
    for (const { name, source, mutate, expect } of REFUSED) {
      const cited = 'argo' in source ? `validate.go:${source.argo}` : `flexmesh rule: ${source.flexmesh}`;
      it(`${name} [${cited}]`, () => {
        const wt = dev();
        mutate(wt);
        const problems = reimplementedArgoProblems(wt);
        assert.ok(problems.some((problem) => expect.test(problem)), problems.join('\n') || '(no problems)');
      });
    }
  });

  describe('accepts what Argo accepts', () => {
    for (const { name, mutate } of ACCEPTED) {
      it(name, () => {
        const wt = dev();
        mutate(wt);
        assert.deepEqual(reimplementedArgoProblems(wt), []);
      });
    }
  });
});
