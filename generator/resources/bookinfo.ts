// Bookinfo and the sleep client from Istio's samples at the pinned Istio version, carried verbatim.
// Bookinfo goes through a kustomization that deletes the excluded reviews versions, which reproduces the
// tutorial's `kubectl apply -l version!=v2,version!=v3` (12 of the 14 objects).
import type { Environment } from '../env/types.ts';
import type { Assets } from '../assets.ts';
import { toYaml } from '../render/yaml.ts';
import { DIRS } from './layout.ts';
import type { BundleFile, Manifest } from './types.ts';

export const BOOKINFO_FILE = 'bookinfo.yaml';
export const SLEEP_FILE = 'sleep.yaml';

export function bookinfoKustomization(env: Environment): Manifest | undefined {
  const excluded = env.samples.bookinfo.excludeVersions;
  const deleteDeployment = toYaml({ $patch: 'delete', apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'excluded-by-label-selector' } });
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    // Kustomizations have no object name; metadata.name only labels the file for humans and diagnostics.
    metadata: { name: 'bookinfo' },
    resources: [BOOKINFO_FILE],
    patches: excluded.length === 0 ? undefined : [{ target: { kind: 'Deployment', labelSelector: `version in (${excluded.join(',')})` }, patch: deleteDeployment }],
  };
}

export function bookinfoFiles(env: Environment, assets: Assets): BundleFile[] {
  return [
    { path: `${DIRS.bookinfo}/${BOOKINFO_FILE}`, text: assets.samples.bookinfo },
    { path: `${DIRS.bookinfo}/kustomization.yaml`, documents: [bookinfoKustomization(env)!] },
  ];
}

export function sleepFiles(assets: Assets): BundleFile[] {
  return [{ path: `${DIRS.sleep}/${SLEEP_FILE}`, text: assets.samples.sleep }];
}
