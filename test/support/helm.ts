// The real `helm template` over the real Istio chart sources, for tests that check generated values against what
// the charts make of them. The charts are not in the repository: they come from ../shared/upstream-charts (or
// $FLEXMESH_UPSTREAM_CHARTS_DIR), laid out as <dir>/istio-<version>/<chart>-<version>.tgz (see SOURCE.txt there).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from './fixtures.ts';
import { toolPath } from './tools.ts';

export const CHARTS_DIR_VARIABLE = 'FLEXMESH_UPSTREAM_CHARTS_DIR';
export const ALLOW_MISSING_VARIABLE = 'FLEXMESH_ALLOW_MISSING_SHARED';
/** One render takes well under a second; the bound only turns a hung helm into a failure that says so. */
export const HELM_TIMEOUT_MS = 30_000;

export type IstioChart = 'base' | 'istiod' | 'gateway';

/** A rendered Kubernetes object; only the fields the tests read are typed. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export function upstreamChartsDir(): string {
  return resolve(process.env[CHARTS_DIR_VARIABLE] ?? join(PROJECT_ROOT, '..', 'shared', 'upstream-charts'));
}

export function istioChartPath(version: string, chart: IstioChart): string {
  return join(upstreamChartsDir(), `istio-${version}`, `${chart}-${version}.tgz`);
}

/**
 * Why the charts of `version` cannot be used, or undefined when all three are there. The message names the paths
 * and both variables, because the usual cause is a checkout without its ../shared sibling.
 */
export function missingChartsProblem(version: string): string | undefined {
  const missing = (['base', 'istiod', 'gateway'] as const).map((chart) => istioChartPath(version, chart)).filter((path) => !existsSync(path));
  if (missing.length === 0) return undefined;
  return `Istio ${version} chart sources not found: ${missing.join(', ')}. They live in ../shared/upstream-charts next to the ` +
    `repository (or set ${CHARTS_DIR_VARIABLE} to a directory holding istio-${version}/); set ${ALLOW_MISSING_VARIABLE}=1 to skip these tests instead`;
}

export interface TemplateRequest {
  release: string;
  chart: string;
  namespace: string;
  values: Record<string, unknown>;
  /** Capabilities.KubeVersion: the gateway chart picks its pod securityContext by it, so render for the target. */
  kubeVersion: string;
}

// Identical requests (e.g. the base chart of every environment that keeps istio-system) render once per run.
const cache = new Map<string, RenderedObject[]>();

/** `helm template` with `values` as the only values file; throws with helm's stderr, or says it timed out. */
export function helmTemplate(request: TemplateRequest): RenderedObject[] {
  const key = JSON.stringify(request);
  const cached = cache.get(key);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'flexmesh-helm-'));
  try {
    const valuesFile = join(dir, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(request.values)); // JSON is YAML: no second serializer to get wrong
    const args = ['template', request.release, request.chart, '-n', request.namespace, '-f', valuesFile, '--kube-version', request.kubeVersion];
    let output: string;
    try {
      output = execFileSync(toolPath('helm'), args, {
        encoding: 'utf8',
        timeout: HELM_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Keep helm off the user's own config, cache and repositories: a local .tgz needs none of them.
        env: { PATH: process.env.PATH ?? '', HOME: dir, HELM_CONFIG_HOME: join(dir, 'config'), HELM_CACHE_HOME: join(dir, 'cache'), HELM_DATA_HOME: join(dir, 'data') },
      });
    } catch (error) {
      const failure = error as { signal?: string; code?: string; stderr?: string; message: string };
      const command = `helm ${args.join(' ')}`;
      if (failure.code === 'ETIMEDOUT' || failure.signal === 'SIGTERM') throw new Error(`${command} timed out after ${HELM_TIMEOUT_MS} ms`);
      throw new Error(`${command} failed: ${failure.stderr?.trim() || failure.message}\nvalues: ${JSON.stringify(request.values)}`);
    }
    const objects = parseAllDocuments(output)
      .map((doc) => {
        if (doc.errors.length > 0) throw new Error(`helm template ${request.chart}: unparsable output: ${doc.errors[0]!.message}`);
        return doc.toJS() as RenderedObject | null;
      })
      .filter((object): object is RenderedObject => object !== null);
    cache.set(key, objects);
    return objects;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
