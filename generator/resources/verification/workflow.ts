// The verification WorkflowTemplate: one container template per probe, run as a DAG in dependency order,
// and an exit handler that prints a summary and fails the run when any probe did not pass.
// Values reach the static scripts only as workflow parameters → template inputs → environment variables.
import type { IWorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate';
import type { Environment } from '../../env/types.ts';
import { environmentLabels } from '../layout.ts';
import { manifest } from '../manifest.ts';
import type { Manifest } from '../types.ts';
import type { Probe } from './probes.ts';

export const PROBES_MOUNT = '/probes';
export const RESULT_FILE = '/tmp/probe-result';
const SUMMARY = 'summary';
const RETRIES = 2;

export function workflowTemplateName(env: Environment): string {
  return `${env.name}-verify`;
}
export function serviceAccountName(env: Environment): string {
  return `${env.name}-verification`;
}
export function probeConfigMapName(env: Environment): string {
  return `${env.name}-verification-probes`;
}

/** `GATEWAY_URL` → `gateway-url`: Argo parameter names allow `-`, and lower case reads better in `argo submit -p`. */
export function inputName(variable: string): string {
  return variable.toLowerCase().replace(/_/g, '-');
}
export function parameterName(probe: Probe, variable: string): string {
  return `${probe.name}-${inputName(variable)}`;
}

function probeContainer(env: Environment, script: string, variables: Array<{ name: string; value?: string; valueFrom?: unknown }>) {
  return {
    // Argo names the main container "main" anyway; the Container schema requires a name.
    name: 'main',
    image: env.verification.probeImage,
    command: ['sh', `${PROBES_MOUNT}/${script}`],
    env: variables,
    volumeMounts: [{ name: 'probes', mountPath: PROBES_MOUNT, readOnly: true }],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  };
}

function probeTemplate(env: Environment, probe: Probe) {
  const variables = Object.keys(probe.env).sort();
  return {
    name: probe.name,
    inputs: { parameters: variables.map((variable) => ({ name: inputName(variable) })) },
    // Each attempt is bounded by the timeout; retries back off and stop within maxDuration.
    timeout: `${probe.timeoutSeconds}s`,
    // maxDuration counts from the first attempt, so it must cover every attempt at its full timeout plus the waits.
    retryStrategy: { limit: String(RETRIES), retryPolicy: 'OnFailure', backoff: { duration: '10s', factor: '2', maxDuration: `${(RETRIES + 1) * probe.timeoutSeconds + 60}s` } },
    container: probeContainer(env, probe.script, [
      ...variables.map((variable) => ({ name: variable, value: `{{inputs.parameters.${inputName(variable)}}}` })),
      ...Object.entries(probe.secretEnv).sort(([a], [b]) => a.localeCompare(b)).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } })),
      { name: 'RESULT_FILE', value: RESULT_FILE },
    ]),
    outputs: { parameters: [{ name: 'result', valueFrom: { path: RESULT_FILE, default: `NOT RUN ${probe.name}` } }] },
  };
}

function summaryTemplate(env: Environment, probes: readonly Probe[]) {
  return {
    name: SUMMARY,
    timeout: '120s',
    container: probeContainer(env, 'summary.sh', [
      { name: 'WORKFLOW_STATUS', value: '{{workflow.status}}' },
      { name: 'WORKFLOW_FAILURES', value: '{{workflow.failures}}' },
      { name: 'PROBES', value: probes.map((probe) => `${probe.name}:${probe.dependsOn.join(',')}`).join('\n') },
    ]),
  };
}

export function workflowTemplate(env: Environment, probes: readonly Probe[]): Manifest {
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
    metadata: { name: workflowTemplateName(env), namespace: env.verification.namespace, labels: environmentLabels(env) },
    spec: {
      entrypoint: 'probes',
      onExit: SUMMARY,
      serviceAccountName: serviceAccountName(env),
      // Probe pods stay out of the mesh: an injected sidecar would keep them from completing.
      podMetadata: { labels: environmentLabels(env), annotations: { 'sidecar.istio.io/inject': 'false' } },
      activeDeadlineSeconds: 1800,
      ttlStrategy: { secondsAfterCompletion: 86400 },
      arguments: { parameters },
      volumes: [{ name: 'probes', configMap: { name: probeConfigMapName(env) } }],
      templates: [dag, ...probes.map((probe) => probeTemplate(env, probe)), summaryTemplate(env, probes)],
    } as IWorkflowTemplate['spec'],
  });
}
