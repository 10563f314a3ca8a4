// What must exist before the charts: the namespaces with sidecar injection and, only when an environment
// opts in, the tutorial's demo credentials as a Secret.
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { Environment } from '../env/types.ts';
import { usedCredentials } from './flex.ts';
import { DIRS, environmentLabels, meshNamespaces, objectFile } from './layout.ts';
import { manifest } from './manifest.ts';
import type { BundleFile, Manifest } from './types.ts';

export function meshNamespace(env: Environment, name: string): Manifest {
  return manifest<INamespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...environmentLabels(env), 'istio-injection': 'enabled' } } });
}

/** Credentials an environment asked to commit (insecureDemoUser), as Secrets in `namespace`; every other credential stays a reference. */
export function demoSecrets(env: Environment, namespace = env.flex.namespace): Manifest[] {
  return usedCredentials(env).flatMap((credential) => {
    if (!credential.insecureDemoUser) return [];
    return [
      manifest<ISecret>({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: credential.secretName, namespace, labels: { ...environmentLabels(env), 'flexmesh.dev/insecure-demo': 'true' } },
        type: 'Opaque',
        stringData: { [credential.usernameKey]: credential.insecureDemoUser.username, [credential.passwordKey]: credential.insecureDemoUser.password },
      }),
    ];
  });
}

export function prerequisiteFiles(env: Environment): BundleFile[] {
  const documents = [...meshNamespaces(env).map((name) => meshNamespace(env, name)), ...demoSecrets(env)];
  return documents.map((doc) => ({ path: objectFile(DIRS.prerequisites, doc.kind, doc.metadata.name), documents: [doc] }));
}
