// Bookinfo and the sleep client from Istio's samples at the pinned Istio version, carried verbatim.
// Bookinfo goes through a kustomization that deletes the excluded reviews versions, which reproduces the
// tutorial's `kubectl apply -l version!=v2,version!=v3` (12 of the 14 objects).
import type { Assets } from '../assets.ts';
import { VERSIONED_APP } from '../model/bookinfo-catalog.ts';
import type { Topology } from '../model/topology.ts';
import { toYaml } from '../render/yaml.ts';
import { DIRS } from './layout.ts';
import type { BundleFile, Manifest } from './types.ts';

export const BOOKINFO_FILE = 'bookinfo.yaml';
export const SLEEP_FILE = 'sleep.yaml';

export function bookinfoKustomization(topology: Topology): Manifest {
  const excluded = topology.env.samples.bookinfo.excludeVersions;
  const deleteDeployment = toYaml({ $patch: 'delete', apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'excluded-by-label-selector' } });
  // Every Bookinfo Deployment carries a version label (details-v1 too), so the selector must also name the app.
  const labelSelector = `app=${VERSIONED_APP},version in (${excluded.join(',')})`;
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    // Kustomizations have no object name; metadata.name only labels the file for humans and diagnostics.
    metadata: { name: 'bookinfo' },
    resources: [BOOKINFO_FILE],
    patches: excluded.length === 0 ? undefined : [{ target: { kind: 'Deployment', labelSelector }, patch: deleteDeployment }],
  };
}

export function bookinfoFiles(topology: Topology, assets: Assets): BundleFile[] {
  return [
    { path: `${DIRS.bookinfo}/${BOOKINFO_FILE}`, text: assets.samples.bookinfo },
    { path: `${DIRS.bookinfo}/kustomization.yaml`, documents: [bookinfoKustomization(topology)] },
  ];
}

export function sleepFiles(assets: Assets): BundleFile[] {
  return [{ path: `${DIRS.sleep}/${SLEEP_FILE}`, text: assets.samples.sleep }];
}
