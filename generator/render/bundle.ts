// The pure middle of the pipeline: Environment (+ static assets) → the bundle as a list of files.
import { createHash } from 'node:crypto';
import type { Assets } from '../assets.ts';
import type { Environment } from '../env/types.ts';
import { argocdFiles } from '../resources/argocd.ts';
import { bookinfoFiles, sleepFiles } from '../resources/bookinfo.ts';
import { flexApiFiles } from '../resources/flex.ts';
import { meshRoutingFiles } from '../resources/istio.ts';
import { prerequisiteFiles } from '../resources/prerequisites.ts';
import type { BundleFile } from '../resources/types.ts';
import { verification } from '../resources/verification/index.ts';
import { readmeData, renderReadme } from './readme.ts';
import { toYamlStream } from './yaml.ts';

export interface OutputFile { path: string; content: string }

export const MANIFEST_FILE = '.flexmesh-manifest.json';

export function buildBundle(env: Environment, assets: Assets): BundleFile[] {
  const verify = verification(env, assets.probes);
  const extraApps = verify ? [verify.app] : [];
  return [
    ...argocdFiles(env, assets.applicationHealthLua, extraApps),
    ...prerequisiteFiles(env),
    ...bookinfoFiles(env, assets),
    ...sleepFiles(assets),
    ...meshRoutingFiles(env),
    ...flexApiFiles(env),
    ...(verify?.files ?? []),
    { path: 'README.md', text: renderReadme(assets.bundleReadme, readmeData(env, extraApps, verify?.readme)) },
  ];
}

export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The record of what flexmesh wrote; the writer uses it to remove only its own stale files. */
export function manifestFile(env: string, files: readonly OutputFile[]): OutputFile {
  const entries = Object.fromEntries(files.map((file) => [file.path, sha256(file.content)]));
  return { path: MANIFEST_FILE, content: `${JSON.stringify({ generator: 'flexmesh', environment: env, files: entries }, null, 2)}\n` };
}

/** Files in a stable order; duplicate paths are a bug in a builder, so they fail loudly. */
export function renderBundle(env: string, files: readonly BundleFile[]): OutputFile[] {
  const rendered = files
    .map((file) => ({ path: file.path, content: 'text' in file ? file.text : toYamlStream(file.documents) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < rendered.length; i++) {
    if (rendered[i]!.path === rendered[i - 1]!.path) throw new Error(`two builders wrote ${rendered[i]!.path}`);
  }
  return [...rendered, manifestFile(env, rendered)];
}
