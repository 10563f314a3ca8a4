// Generated dev bundles (and variations of dev.yaml) for the verification tests, memoised per set of edits so
// every test file in the run generates each variation once.
import { parseAllDocuments } from 'yaml';
import type { Environment } from '../../../generator/env/types.ts';
import { generateFromText } from '../../../generator/pipeline.ts';
import type { Manifest } from '../../../generator/resources/types.ts';
import { DEV_FILE, devTextWith, type Edit } from '../fixtures.ts';
import type { WorkflowTemplate } from './argo-rules-reimplemented.ts';

export interface Generated {
  env: Environment;
  /** Bundle path → content, as generate would write it. */
  files: Map<string, string>;
  docs: Array<{ path: string; doc: Manifest }>;
}

const cache = new Map<string, Generated>();

export function generated(...edits: readonly Edit[]): Generated {
  const key = JSON.stringify(edits);
  const hit = cache.get(key);
  if (hit) return hit;
  const { env, files } = generateFromText(devTextWith(...edits), DEV_FILE);
  const map = new Map(files.map((file) => [file.path, file.content]));
  const docs = [...map]
    .filter(([path]) => path.endsWith('.yaml'))
    .flatMap(([path, content]) => parseAllDocuments(content).map((doc) => ({ path, doc: doc.toJS() as Manifest | null })))
    .filter((entry): entry is { path: string; doc: Manifest } => entry.doc !== null);
  const result = { env, files: map, docs };
  cache.set(key, result);
  return result;
}

export function docsOfKind(bundle: Generated, kind: string): Manifest[] {
  return bundle.docs.filter((entry) => entry.doc.kind === kind).map((entry) => entry.doc);
}

export function workflowTemplateOf(bundle: Generated): WorkflowTemplate | undefined {
  const found = docsOfKind(bundle, 'WorkflowTemplate');
  if (found.length > 1) throw new Error(`expected at most one WorkflowTemplate, found ${found.length}`);
  return found[0] as unknown as WorkflowTemplate | undefined;
}

export function requireWorkflowTemplate(bundle: Generated): WorkflowTemplate {
  const wt = workflowTemplateOf(bundle);
  if (!wt) throw new Error('the bundle has no WorkflowTemplate');
  return wt;
}

/** spec.arguments.parameters as name → value. */
export function workflowParameters(wt: WorkflowTemplate): Record<string, string> {
  return Object.fromEntries((wt.spec.arguments?.parameters ?? []).map((parameter) => [parameter.name, String(parameter.value)]));
}

/** DAG task names of the entrypoint, in the order they are listed. */
export function taskNames(wt: WorkflowTemplate): string[] {
  return entrypointTasks(wt).map((task) => task.name);
}

export function entrypointTasks(wt: WorkflowTemplate) {
  const entry = wt.spec.templates.find((template) => template.name === wt.spec.entrypoint);
  if (!entry?.dag) throw new Error(`entrypoint ${String(wt.spec.entrypoint)} is not a DAG template`);
  return entry.dag.tasks;
}

/** The dev probes in their intended order. */
export const DEV_PROBES = ['argocd-apps', 'workloads-ready', 'north-south', 'east-west-log-bookinfo-reviews', 'rate-limit-bookinfo-reviews', 'lockdown', 'flexctl-check'] as const;

/** A second east-west API with only a rate limit (no message logging). */
export const RATINGS_API = {
  name: 'bookinfo-ratings',
  basePath: '/bookinfo/ratings/',
  traffic: 'east-west',
  upstream: { service: 'ratings', namespace: 'bookinfo', port: 9080 },
  policies: [{ type: 'rate-limiting', rateLimits: [{ maximumRequests: 7, timePeriodInMilliseconds: 1000 }], exposeHeaders: false }],
};

/** Flex in namespace gw, release flexgw, port 9091 (the lockdown must then allow gw). */
export const RENAMED_FLEX: readonly Edit[] = [
  [['flex', 'namespace'], 'gw'],
  [['flex', 'releaseName'], 'flexgw'],
  [['flex', 'port'], 9091],
  [['lockdown', 'allowFromNamespaces'], ['gw', 'bookinfo']],
];
