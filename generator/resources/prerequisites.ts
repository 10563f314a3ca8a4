// What must exist before the charts: the namespaces with sidecar injection and, only when an environment
// opts in, the tutorial's demo credentials as a Secret.
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { Topology } from '../model/topology.ts';
import { DIRS, environmentLabels, objectFile } from './layout.ts';
import { manifest } from './manifest.ts';
import type { BundleFile, Manifest } from './types.ts';

export function meshNamespace(topology: Topology, name: string): Manifest {
  return manifest<INamespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...environmentLabels(topology), 'istio-injection': 'enabled' } } });
}

/** Credentials an environment asked to commit (insecureDemoUser), as Secrets in `namespace`; every other credential stays a reference. */
export function demoSecrets(topology: Topology, namespace = topology.flex.namespace): Manifest[] {
  return topology.usedCredentials.flatMap((credential) => {
    if (!credential.insecureDemoUser) return [];
    return [
      manifest<ISecret>({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: credential.secretName, namespace, labels: { ...environmentLabels(topology), 'flexmesh.dev/insecure-demo': 'true' } },
        type: 'Opaque',
        stringData: { [credential.usernameKey]: credential.insecureDemoUser.username, [credential.passwordKey]: credential.insecureDemoUser.password },
      }),
    ];
  });
}

export function prerequisiteFiles(topology: Topology): BundleFile[] {
  const documents = [...topology.namespaces.mesh.map((name) => meshNamespace(topology, name)), ...demoSecrets(topology)];
  return documents.map((doc) => ({ path: objectFile(DIRS.prerequisites, doc.kind, doc.metadata.name), documents: [doc] }));
}
