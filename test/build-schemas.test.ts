import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GENERATED_DIRS, REPO_ROOT, buildSchemas } from '../scripts/build-schemas.ts';
import { defaultUpstreamDir, upstreamDirExists } from '../scripts/build-schemas/upstream.ts';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

describe('scripts/build-schemas.ts', function () {
  this.timeout(60000); // one full derivation (ajv standalone compiles) takes a few seconds
  const upstreamDir = defaultUpstreamDir(REPO_ROOT);
  let built: Map<string, string>;

  before(function () {
    if (!upstreamDirExists(upstreamDir)) {
      console.warn(`      skipped: upstream data not found at ${upstreamDir} (set FLEXMESH_UPSTREAM_DIR); CI has it`);
      this.skip();
    }
    built = buildSchemas(upstreamDir);
  });

  it('committed schemas/pinned and schemas/validators match a fresh derivation', () => {
    const onDisk = GENERATED_DIRS.flatMap((dir) => filesUnder(join(REPO_ROOT, dir))).sort();
    const expected = [...built.keys()].sort();
    const missing = expected.filter((path) => !onDisk.includes(path));
    const extra = onDisk.filter((path) => !built.has(path));
    const changed = expected.filter((path) => onDisk.includes(path) && readFileSync(join(REPO_ROOT, path), 'utf8') !== built.get(path));
    assert.deepEqual({ missing, extra, changed }, { missing: [], extra: [], changed: [] }, 'stale generated schemas: run npx tsx scripts/build-schemas.ts');
  });

  it('indexes the served apiVersions read from the upstream CRDs and OpenAPI spec', () => {
    const index = JSON.parse(built.get('schemas/pinned/index.json') ?? '{}') as {
      documents: { product: string; group: string; kind: string; served: string[] }[];
    };
    const served = Object.fromEntries(index.documents.map((entry) => [`${entry.group}/${entry.kind}`, entry.served]));
    assert.deepEqual(served, {
      'argoproj.io/Application': ['v1alpha1'],
      'argoproj.io/ApplicationSet': ['v1alpha1'],
      'argoproj.io/AppProject': ['v1alpha1'],
      'argoproj.io/WorkflowTemplate': ['v1alpha1'],
      'gateway.mulesoft.com/ApiInstance': ['v1alpha1'],
      'networking.istio.io/Gateway': ['v1alpha3', 'v1beta1'],
      'networking.istio.io/VirtualService': ['v1alpha3', 'v1beta1'],
      'security.istio.io/AuthorizationPolicy': ['v1', 'v1beta1'],
      '/ConfigMap': ['v1'],
      '/Namespace': ['v1'],
      '/Secret': ['v1'],
      '/Service': ['v1'],
      '/ServiceAccount': ['v1'],
      'apps/Deployment': ['v1'],
      'batch/CronJob': ['v1'],
      'batch/Job': ['v1'],
      'rbac.authorization.k8s.io/ClusterRole': ['v1'],
      'rbac.authorization.k8s.io/ClusterRoleBinding': ['v1'],
      'rbac.authorization.k8s.io/Role': ['v1'],
      'rbac.authorization.k8s.io/RoleBinding': ['v1'],
    });
  });

  it('writes one schema and one validator per served version, plus the chart values', () => {
    for (const path of [
      'schemas/pinned/istio-1.21.2/networking.istio.io_v1beta1_VirtualService.json',
      'schemas/validators/istio-1.21.2/security.istio.io_v1_AuthorizationPolicy.js',
      'schemas/pinned/kubernetes-1.29.0/core_v1_Namespace.json',
      'schemas/pinned/helm-values/istio-gateway-1.21.2.json',
      'schemas/validators/helm-values/flex-gateway-1.7.0.js',
      'schemas/validators/api-manager-desired-state.js',
    ]) {
      assert.ok(built.has(path), path);
    }
    assert.ok(![...built.keys()].some((path) => path.includes('networking.istio.io_v1_')), 'Istio 1.21.2 serves no networking.istio.io/v1');
  });

  it('emits plain JSON Schema (no OpenAPI extensions) and self-contained ESM validators', () => {
    for (const [path, content] of built) {
      if (path.endsWith('.json')) assert.doesNotMatch(content, /"x-kubernetes-|"nullable"/, path);
      if (path.endsWith('.js')) assert.doesNotMatch(content, /\brequire\(/, path);
    }
  });
});
