// Verification family: probe scripts (ConfigMap), WorkflowTemplate, ServiceAccount and RBAC, synced in the last wave.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { Environment } from '../../env/types.ts';
import type { ChildApp } from '../argocd.ts';
import { childApplicationNames } from '../argocd.ts';
import { demoSecrets } from '../prerequisites.ts';
import { DIRS, environmentLabels, objectFile, repoPath } from '../layout.ts';
import { manifest } from '../manifest.ts';
import type { BundleFile, Manifest } from '../types.ts';
import { verificationProbes, type Probe } from './probes.ts';
import { namespaceAccess, verificationRbac } from './rbac.ts';
import { probeConfigMapName, workflowTemplate, workflowTemplateName } from './workflow.ts';

export const VERIFICATION_APP = 'verification';
export const SUMMARY_SCRIPT = 'summary.sh';
/** Shared shell code every probe sources from beside itself, so it ships with any set of probes. */
export const PROBE_LIBRARY = 'probe-lib.sh';
export const VERIFICATION_WAVE = 6;

export interface Verification {
  app: ChildApp;
  probes: Probe[];
  files: BundleFile[];
  readme: { enabled: boolean; workflowTemplate: string; namespace: string; probes: Array<{ step: number; name: string; description: string }> };
}

/** Script files the bundle ships for these probes, in a stable order. */
export function probeScriptFiles(probes: readonly Probe[]): string[] {
  return [...new Set([...probes.map((probe) => probe.script), SUMMARY_SCRIPT, PROBE_LIBRARY])].sort();
}

function probeConfigMap(env: Environment, scripts: Record<string, string>, files: readonly string[]): Manifest {
  const data = Object.fromEntries(files.map((file) => {
    const text = scripts[file];
    if (text === undefined) throw new Error(`probe script templates/probes/${file} was not loaded`);
    return [file, text];
  }));
  return manifest<IConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: probeConfigMapName(env), namespace: env.verification.namespace, labels: environmentLabels(env) }, data });
}

/** The probes read credentials in their own namespace; a demo Secret (opt-in only) is mirrored there. */
function demoCredentialSecrets(env: Environment): Manifest[] {
  return env.verification.credentialsSecret ? [] : demoSecrets(env, env.verification.namespace);
}

export function verification(env: Environment, scripts: Record<string, string>): Verification | undefined {
  if (!env.verification.enabled) return undefined;
  const app: ChildApp = {
    key: VERIFICATION_APP,
    wave: VERIFICATION_WAVE,
    namespace: env.verification.namespace,
    source: { repoURL: env.gitops.repoURL, targetRevision: env.gitops.targetRevision, path: repoPath(env, DIRS.verification) },
  };
  const applications = childApplicationNames(env, [app]);
  const probes = verificationProbes(env, applications);
  const scriptFiles = probeScriptFiles(probes);
  const documents = [
    workflowTemplate(env, probes),
    probeConfigMap(env, scripts, scriptFiles),
    ...verificationRbac(env, namespaceAccess(env, applications, new Set(scriptFiles))),
    ...demoCredentialSecrets(env),
  ];
  return {
    app,
    probes,
    files: documents.map((doc) => ({ path: objectFile(DIRS.verification, doc.kind, `${doc.metadata.namespace}-${doc.metadata.name}`), documents: [doc] })),
    readme: {
      enabled: true,
      workflowTemplate: workflowTemplateName(env),
      namespace: env.verification.namespace,
      probes: probes.map((probe, index) => ({ step: index + 1, name: probe.name, description: probe.description })),
    },
  };
}
