// Connected Mode: the reconcile step that makes API Manager equal to the environment. Argo CD runs it as a Sync hook
// Job of the flex-apis Application (wave 5, after the Flex Gateway app is healthy), so every synced commit is
// reconciled once and a failure fails the sync; a CronJob runs the same script in check mode to report drift, and
// `kubectl create job --from=cronjob/…` runs that check on demand. Both run in the Flex namespace, where the
// registration, Connected App and credential Secrets are, so no RBAC is needed: the Secrets are mounted.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { desiredStateJson, desiredStateSha256, reconcileNames, type DesiredState } from '../model/api-manager.ts';
import { FLEX_CHART } from '../model/charts.ts';
import { credentialEnvNames } from '../model/policy-config.ts';
import type { Topology } from '../model/topology.ts';
import { DIRS, environmentLabels, objectFile } from './layout.ts';
import { manifest } from './manifest.ts';
import type { BundleFile, Manifest } from './types.ts';

export const DESIRED_STATE_KEY = 'desired-state.json';
export const DESIRED_STATE_ANNOTATION = 'flexmesh.dev/desired-state-sha256';
/** Pods of the reconcile step carry this label, so readiness probes of the Flex namespace can leave them out. */
const RECONCILE_LABEL_KEY = 'flexmesh.dev/component';
const RECONCILE_LABEL_VALUE = 'api-manager-reconcile';
export const RECONCILE_POD_LABEL = { [RECONCILE_LABEL_KEY]: RECONCILE_LABEL_VALUE } as const;
/** Every pod but the reconcile step's (a label selector for kubectl). */
export const NOT_RECONCILE_PODS = `${RECONCILE_LABEL_KEY}!=${RECONCILE_LABEL_VALUE}`;
const SCRIPT_DIR = '/opt/flexmesh';
const REGISTRATION_DIR = '/var/run/flexmesh/registration';
/** The node image's unprivileged user. */
const NODE_UID = 1000;

function container(topology: Topology, state: DesiredState, mode: 'apply' | 'check'): IContainer {
  const anypoint = topology.env.anypoint!;
  const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  const credentials = topology.usedCredentials.flatMap((credential) => {
    const names = credentialEnvNames(credential);
    return [secretEnv(names.username, credential.secretName, credential.usernameKey), secretEnv(names.password, credential.secretName, credential.passwordKey)];
  });
  const readsRegistration = state.anypoint.targetId === undefined;
  return {
    name: 'reconcile',
    image: anypoint.reconcileImage,
    command: ['node', `${SCRIPT_DIR}/reconcile.mjs`],
    env: [
      { name: 'FLEXMESH_MODE', value: mode },
      { name: 'FLEXMESH_DESIRED_STATE', value: `${SCRIPT_DIR}/${DESIRED_STATE_KEY}` },
      { name: 'ANYPOINT_BASE_URL', value: `https://${anypoint.host}` },
      secretEnv('ANYPOINT_CLIENT_ID', anypoint.connectedApp.secretName, anypoint.connectedApp.clientIdKey),
      secretEnv('ANYPOINT_CLIENT_SECRET', anypoint.connectedApp.secretName, anypoint.connectedApp.clientSecretKey),
      ...(readsRegistration ? [{ name: 'FLEXMESH_REGISTRATION_FILE', value: `${REGISTRATION_DIR}/${FLEX_CHART.registrationKey}` }] : []),
      ...credentials,
    ],
    volumeMounts: [
      { name: 'reconcile', mountPath: SCRIPT_DIR, readOnly: true },
      ...(readsRegistration ? [{ name: 'registration', mountPath: REGISTRATION_DIR, readOnly: true }] : []),
    ],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: NODE_UID, capabilities: { drop: ['ALL'] } },
  };
}

function podTemplate(topology: Topology, state: DesiredState, mode: 'apply' | 'check'): IPodTemplateSpec {
  const names = reconcileNames(topology.name);
  return {
    // The Flex namespace injects sidecars; a Job pod with one never completes, and this one talks only to Anypoint.
    metadata: { labels: { ...environmentLabels(topology), ...RECONCILE_POD_LABEL }, annotations: { 'sidecar.istio.io/inject': 'false' } },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [container(topology, state, mode)],
      volumes: [
        { name: 'reconcile', configMap: { name: names.configMap, defaultMode: 0o444 } },
        ...(state.anypoint.targetId === undefined ? [{ name: 'registration', secret: { secretName: topology.env.flex.registrationSecret, items: [{ key: FLEX_CHART.registrationKey, path: FLEX_CHART.registrationKey }] } }] : []),
      ],
    },
  };
}

export function reconcileConfigMap(topology: Topology, state: DesiredState, scripts: Record<string, string>): Manifest {
  return manifest<IConfigMap>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: reconcileNames(topology.name).configMap, namespace: topology.flex.namespace, labels: environmentLabels(topology) },
    data: { [DESIRED_STATE_KEY]: desiredStateJson(state), ...scripts },
  });
}

export function reconcileJob(topology: Topology, state: DesiredState): Manifest {
  return manifest<IJob>({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: reconcileNames(topology.name).job,
      namespace: topology.flex.namespace,
      labels: environmentLabels(topology),
      annotations: {
        'argocd.argoproj.io/hook': 'Sync',
        // Kept after it ran (the verification reads its status); replaced when the next sync starts.
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        // After the ConfigMap it mounts (wave 0 of this Application).
        'argocd.argoproj.io/sync-wave': '1',
        [DESIRED_STATE_ANNOTATION]: desiredStateSha256(state),
      },
    },
    // The script retries transient API errors itself; a second pod would only repeat a definite failure.
    spec: { backoffLimit: 1, activeDeadlineSeconds: 900, template: podTemplate(topology, state, 'apply') },
  });
}

export function driftCronJob(topology: Topology, state: DesiredState): Manifest {
  const { driftCheck } = topology.env.anypoint!;
  return manifest<ICronJob>({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: reconcileNames(topology.name).cronJob, namespace: topology.flex.namespace, labels: environmentLabels(topology), annotations: { [DESIRED_STATE_ANNOTATION]: desiredStateSha256(state) } },
    spec: {
      schedule: driftCheck.schedule,
      suspend: driftCheck.suspend,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 0, activeDeadlineSeconds: 600, template: podTemplate(topology, state, 'check') } },
    },
  });
}

/** The flex-apis Application's content in Connected Mode; [] in Local Mode. */
export function apiManagerFiles(topology: Topology, scripts: Record<string, string>): BundleFile[] {
  const state = topology.apiManager;
  if (!state) return [];
  return [
    { path: objectFile(DIRS.flexApis, 'ConfigMap', reconcileNames(topology.name).configMap), documents: [reconcileConfigMap(topology, state, scripts)] },
    { path: objectFile(DIRS.flexApis, 'Job', reconcileNames(topology.name).job), documents: [reconcileJob(topology, state)] },
    { path: objectFile(DIRS.flexApis, 'CronJob', reconcileNames(topology.name).cronJob), documents: [driftCronJob(topology, state)] },
  ];
}
