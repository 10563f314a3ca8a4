// The pure middle of the pipeline: the resolved topology (+ static assets) → the bundle as a list of files.
import type { Assets } from '../assets.ts';
import type { Topology } from '../model/topology.ts';
import { apiManagerFiles } from '../resources/api-manager.ts';
import { argocdFiles } from '../resources/argocd.ts';
import { bookinfoFiles, sleepFiles } from '../resources/bookinfo.ts';
import { flexApiFiles } from '../resources/flex.ts';
import { fleetRecordFiles } from '../resources/fleet.ts';
import { meshRoutingFiles } from '../resources/istio.ts';
import { prerequisiteFiles } from '../resources/prerequisites.ts';
import type { BundleFile } from '../resources/types.ts';
import { verification } from '../resources/verification/index.ts';
import { digestOf } from './digest.ts';
import { sha256Hex } from '../util/sha256.ts';
import type { TargetVersions } from '../validate/types.ts';
import { readmeData, renderReadme } from './readme.ts';
import { canonicalView } from '../validate/canonical-view.ts';
import { canonicalToYamlStream, toYaml, toYamlStream } from './yaml.ts';
import { writtenWithView } from './rendered-shapes.ts';

export interface OutputFile { path: string; content: string }

export const MANIFEST_FILE = '.flexmesh-manifest.json';

export function buildBundle(topology: Topology, assets: Assets): BundleFile[] {
  const verify = verification(topology, assets.probes);
  return [
    ...argocdFiles(topology, assets.applicationHealthLua),
    ...prerequisiteFiles(topology),
    ...bookinfoFiles(topology, assets),
    ...sleepFiles(assets),
    ...meshRoutingFiles(topology),
    ...flexApiFiles(topology),
    ...apiManagerFiles(topology, assets.apiManagerScripts),
    ...(verify?.files ?? []),
    ...fleetRecordFiles(topology),
    { path: 'README.md', text: renderReadme(assets.bundleReadme, readmeData(topology, verify?.readme)) },
  ];
}

export function sha256(content: string): string {
  return sha256Hex(content);
}

/** What `flexmesh validate` needs to check a bundle on its own, as generate checked it: see bundleValidation (pipeline.ts). */
export interface BundleValidation { preExistingNamespaces: readonly string[]; targets: TargetVersions }

/**
 * The record of what flexmesh wrote; the writer uses it to remove only its own stale files, and validate reads
 * `validation` from it. Keys are spelt out in a fixed order and namespaces sorted, so the bytes depend only on the input.
 * Without `validation` the manifest has the older shape, which validate still reads (with its defaults).
 */
export function manifestFile(env: string, files: readonly OutputFile[], validation?: BundleValidation): OutputFile {
  const entries = Object.fromEntries(files.map((file) => [file.path, digestOf(file)]));
  const record = validation && {
    preExistingNamespaces: [...new Set(validation.preExistingNamespaces)].sort(),
    targets: (({ kubernetes, istio, argocd, argoWorkflows, flex }: TargetVersions) => ({ kubernetes, istio, argocd, argoWorkflows, flex }))(validation.targets),
  };
  return { path: MANIFEST_FILE, content: `${JSON.stringify({ generator: 'flexmesh', environment: env, validation: record, files: entries }, null, 2)}\n` };
}

/** The sha256 of a rendered bundle's manifest, as it is written: what the no-change fast path remembers of the bundle. */
export function manifestDigest(files: readonly OutputFile[]): string {
  const manifest = files.find((file) => file.path === MANIFEST_FILE);
  if (!manifest) throw new Error(`a bundle without ${MANIFEST_FILE}`);
  return digestOf(manifest);
}

/**
 * Files in a stable order; duplicate paths are a bug in a builder, so they fail loudly. `views` holds, by path, the
 * canonical views of files' documents (validate/canonical-view.ts): a file with views there renders from them as
 * they are; any other file's views are made while it renders, and put there for the checks.
 */
export function renderBundle(env: string, files: readonly BundleFile[], validation?: BundleValidation, views?: Map<string, readonly unknown[]>): OutputFile[] {
  const render = (file: BundleFile & { documents: unknown[] }) => {
    const given = views?.get(file.path);
    if (given) return canonicalToYamlStream(given);
    if (!views) return toYamlStream(file.documents);
    const made = file.documents.map((doc) => writtenWithView(doc) ?? { text: toYaml(doc), view: canonicalView(doc) });
    views.set(file.path, made.map((entry) => entry.view));
    return made.map((entry) => entry.text).join('---\n');
  };
  const rendered = files
    .map((file) => ({ path: file.path, content: 'text' in file ? file.text : render(file) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < rendered.length; i++) {
    if (rendered[i]!.path === rendered[i - 1]!.path) throw new Error(`two builders wrote ${rendered[i]!.path}`);
  }
  return [...rendered, manifestFile(env, rendered, validation)];
}
