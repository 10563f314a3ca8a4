// The verification WorkflowTemplate: one container template per probe, run as a DAG in dependency order,
// and an exit handler that prints a summary and fails the run when any probe did not pass.
// Values reach the static scripts only as workflow parameters → template inputs → environment variables.
import type { IWorkflowTemplate } from './workflow-template-type.ts';
import type { Topology } from '../../model/topology.ts';
import { environmentLabels } from '../layout.ts';
import { manifest } from '../manifest.ts';
import type { Manifest } from '../types.ts';
import type { Probe } from './probes.ts';

export const PROBES_MOUNT = '/probes';
export const RESULT_FILE = '/tmp/probe-result';
const SUMMARY = 'summary';
const SUMMARY_TIMEOUT = 120;
const RETRIES = 2;
const BACKOFF_FACTOR = 2;
/** Time for pod scheduling and image pulls around the attempts, per probe. */
const SLACK_SECONDS = 30;

/** `GATEWAY_URL` → `gateway-url`: Argo parameter names allow `-`, and lower case reads better in `argo submit -p`. */
export function inputName(variable: string): string {
  return variable.toLowerCase().replace(/_/g, '-');
}
export function parameterName(probe: Probe, variable: string): string {
  return `${probe.name}-${inputName(variable)}`;
}

function probeContainer(topology: Topology, script: string, variables: Array<{ name: string; value?: string; valueFrom?: unknown }>) {
  return {
    // Argo names the main container "main" anyway; the Container schema requires a name.
    name: 'main',
    image: topology.env.verification.probeImage,
    command: ['sh', `${PROBES_MOUNT}/${script}`],
    env: variables,
    volumeMounts: [{ name: 'probes', mountPath: PROBES_MOUNT, readOnly: true }],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  };
}

/** Waits between attempts: backoff d, then d × factor, … (Argo's retryStrategy backoff). */
function totalBackoff(probe: Probe): number {
  let total = 0;
  for (let retry = 0; retry < RETRIES; retry++) total += probe.retryBackoffSeconds * BACKOFF_FACTOR ** retry;
  return total;
}

/** maxDuration counts from the first attempt, so it covers every attempt at its full timeout plus the waits. */
export function probeMaxDuration(probe: Probe): number {
  return (RETRIES + 1) * probe.timeoutSeconds + totalBackoff(probe) + SLACK_SECONDS;
}

/** The workflow deadline: the longest dependency chain of worst-case probes, then the exit handler. */
export function workflowDeadline(probes: readonly Probe[]): number {
  const finish = new Map<string, number>();
  for (const probe of probes) finish.set(probe.name, Math.max(0, ...probe.dependsOn.map((name) => finish.get(name) ?? 0)) + probeMaxDuration(probe));
  return Math.max(0, ...finish.values()) + SUMMARY_TIMEOUT + SLACK_SECONDS;
}

function probeTemplate(topology: Topology, probe: Probe) {
  const variables = Object.keys(probe.env).sort();
  return {
    name: probe.name,
    inputs: { parameters: variables.map((variable) => ({ name: inputName(variable) })) },
    // Each attempt is bounded by the timeout; retries back off and stop within maxDuration.
    timeout: `${probe.timeoutSeconds}s`,
    retryStrategy: { limit: String(RETRIES), retryPolicy: 'OnFailure', backoff: { duration: `${probe.retryBackoffSeconds}s`, factor: String(BACKOFF_FACTOR), maxDuration: `${probeMaxDuration(probe)}s` } },
    container: probeContainer(topology, probe.script, [
      ...variables.map((variable) => ({ name: variable, value: `{{inputs.parameters.${inputName(variable)}}}` })),
      ...Object.entries(probe.secretEnv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } })),
      { name: 'RESULT_FILE', value: RESULT_FILE },
    ]),
    outputs: { parameters: [{ name: 'result', valueFrom: { path: RESULT_FILE, default: `NOT RUN ${probe.name}` } }] },
  };
}

function summaryTemplate(topology: Topology, probes: readonly Probe[]) {
  return {
    name: SUMMARY,
    timeout: `${SUMMARY_TIMEOUT}s`,
    container: probeContainer(topology, 'summary.sh', [
      { name: 'WORKFLOW_STATUS', value: '{{workflow.status}}' },
      { name: 'WORKFLOW_FAILURES', value: '{{workflow.failures}}' },
      { name: 'PROBES', value: probes.map((probe) => `${probe.name}:${probe.dependsOn.join(',')}`).join('\n') },
    ]),
  };
}

export function workflowTemplate(topology: Topology, probes: readonly Probe[]): Manifest {
  const parameters = probes.flatMap((probe) => Object.keys(probe.env).sort().map((variable) => ({ name: parameterName(probe, variable), value: probe.env[variable]! })));
  const dag = {
    name: 'probes',
    dag: {
      // Independent probes still run after one fails, so the summary can report each of them.
      failFast: false,
      tasks: probes.map((probe) => ({
        name: probe.name,
        template: probe.name,
        dependencies: probe.dependsOn.length > 0 ? probe.dependsOn : undefined,
        arguments: { parameters: Object.keys(probe.env).sort().map((variable) => ({ name: inputName(variable), value: `{{workflow.parameters.${parameterName(probe, variable)}}}` })) },
      })),
    },
  };
  return manifest<IWorkflowTemplate>({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowTemplate',
    metadata: { name: topology.verification.workflowTemplate, namespace: topology.verification.namespace, labels: environmentLabels(topology) },
    spec: {
      entrypoint: 'probes',
      onExit: SUMMARY,
      serviceAccountName: topology.verification.serviceAccount,
      // Probe pods stay out of the mesh: an injected sidecar would keep them from completing.
      podMetadata: { labels: environmentLabels(topology), annotations: { 'sidecar.istio.io/inject': 'false' } },
      activeDeadlineSeconds: workflowDeadline(probes),
      ttlStrategy: { secondsAfterCompletion: 86400 },
      arguments: { parameters },
      volumes: [{ name: 'probes', configMap: { name: topology.verification.probeConfigMap } }],
      templates: [dag, ...probes.map((probe) => probeTemplate(topology, probe)), summaryTemplate(topology, probes)],
    } as IWorkflowTemplate['spec'],
  });
}
