// Verification family: probe scripts (ConfigMap), WorkflowTemplate, ServiceAccount and RBAC, synced in the last wave.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { Topology } from '../../model/topology.ts';
import { demoSecrets } from '../prerequisites.ts';
import { DIRS, environmentLabels, objectFile } from '../layout.ts';
import { manifest } from '../manifest.ts';
import type { BundleFile, Manifest } from '../types.ts';
import { planProbes, type OmittedProbe, type Probe } from './probes.ts';
import { namespaceAccess, verificationRbac } from './rbac.ts';
import { workflowTemplate } from './workflow.ts';

export const SUMMARY_SCRIPT = 'summary.sh';
/** Shared shell code every probe sources from beside itself, so it ships with any set of probes. */
export const PROBE_LIBRARY = 'probe-lib.sh';

export interface Verification {
  probes: Probe[];
  files: BundleFile[];
  readme: {
    enabled: boolean;
    workflowTemplate: string;
    namespace: string;
    probes: Array<{ step: number; name: string; description: string }>;
    omitted: OmittedProbe[];
  };
}

/** Script files the bundle ships for these probes, in a stable order. */
export function probeScriptFiles(probes: readonly Probe[]): string[] {
  return [...new Set([...probes.map((probe) => probe.script), SUMMARY_SCRIPT, PROBE_LIBRARY])].sort();
}

function probeConfigMap(topology: Topology, scripts: Record<string, string>, files: readonly string[]): Manifest {
  const data = Object.fromEntries(files.map((file) => {
    const text = scripts[file];
    if (text === undefined) throw new Error(`probe script templates/probes/${file} was not loaded`);
    return [file, text];
  }));
  return manifest<IConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: topology.verification.probeConfigMap, namespace: topology.verification.namespace, labels: environmentLabels(topology) }, data });
}

/** The probes read credentials in their own namespace; a demo Secret (opt-in only) is mirrored there. */
function demoCredentialSecrets(topology: Topology): Manifest[] {
  return topology.env.verification.credentialsSecret ? [] : demoSecrets(topology, topology.verification.namespace);
}

export function verification(topology: Topology, scripts: Record<string, string>): Verification | undefined {
  if (!topology.verification.enabled) return undefined;
  const { probes, omitted } = planProbes(topology);
  const documents = [
    workflowTemplate(topology, probes),
    probeConfigMap(topology, scripts, probeScriptFiles(probes)),
    ...verificationRbac(topology, namespaceAccess(topology, probes)),
    ...demoCredentialSecrets(topology),
  ];
  return {
    probes,
    files: documents.map((doc) => ({ path: objectFile(DIRS.verification, doc.kind, `${doc.metadata.namespace}-${doc.metadata.name}`), documents: [doc] })),
    readme: {
      enabled: true,
      workflowTemplate: topology.verification.workflowTemplate,
      namespace: topology.verification.namespace,
      probes: probes.map((probe, index) => ({ step: index + 1, name: probe.name, description: probe.description })),
      omitted,
    },
  };
}
