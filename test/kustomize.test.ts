// The Bookinfo kustomization, built by the real kustomize (kubectl 1.29's built-in one), yields exactly the
// tutorial's objects: `kubectl apply -l version!=v2,version!=v3` on Istio's bookinfo.yaml.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { bundleWith, documentsOf, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';
import { toolPath } from './support/tools.ts';

function kustomize(dir: string): string[] {
  const output = execFileSync(toolPath('kubectl'), ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(output)
    .map((doc) => doc.toJS() as { kind: string; metadata: { name: string } })
    .map((object) => `${object.kind}/${object.metadata.name}`)
    .sort();
}

const SERVICES = ['Service/details', 'Service/productpage', 'Service/ratings', 'Service/reviews'];
const ACCOUNTS = ['ServiceAccount/bookinfo-details', 'ServiceAccount/bookinfo-productpage', 'ServiceAccount/bookinfo-ratings', 'ServiceAccount/bookinfo-reviews'];
const V1_DEPLOYMENTS = ['Deployment/details-v1', 'Deployment/productpage-v1', 'Deployment/ratings-v1', 'Deployment/reviews-v1'];

describe('bookinfo kustomization (real kustomize)', function () {
  this.timeout(60_000);
  const tempDir = useTempDirs();

  before(() => {
    toolPath('kubectl'); // the first call extracts kubectl from the zip; keep that out of the per-test time
  });

  it('out/dev/manifests/bookinfo builds to the 12 objects of the tutorial: no reviews-v2/v3', () => {
    const objects = kustomize(join(PROJECT_ROOT, 'out/dev/manifests/bookinfo'));
    assert.deepEqual(objects, [...V1_DEPLOYMENTS, ...SERVICES, ...ACCOUNTS].sort());
    assert.equal(objects.length, 12);
  });

  const cases: Array<{ exclude: string[]; extra: string[] }> = [
    { exclude: ['v3'], extra: ['Deployment/reviews-v2'] },
    { exclude: ['v2'], extra: ['Deployment/reviews-v3'] },
    { exclude: [], extra: ['Deployment/reviews-v2', 'Deployment/reviews-v3'] },
  ];
  // Excluding v1 must not delete details-v1, productpage-v1 and ratings-v1, which also carry version: v1.
  const OTHER_V1 = ['Deployment/details-v1', 'Deployment/productpage-v1', 'Deployment/ratings-v1'];
  for (const { exclude, kept } of [{ exclude: ['v1'], kept: ['Deployment/reviews-v2', 'Deployment/reviews-v3'] }, { exclude: ['v1', 'v2'], kept: ['Deployment/reviews-v3'] }]) {
    it(`excludeVersions [${exclude.join(', ')}] drops only reviews Deployments`, () => {
      const bundle = bundleWith([['samples', 'bookinfo', 'excludeVersions'], exclude]);
      const dir = join(tempDir(), 'bookinfo');
      mkdirSync(dir);
      for (const file of ['bookinfo.yaml', 'kustomization.yaml']) writeFileSync(join(dir, file), bundle.get(`manifests/bookinfo/${file}`)!);
      assert.deepEqual(kustomize(dir), [...OTHER_V1, ...kept, ...SERVICES, ...ACCOUNTS].sort());
    });
  }
  for (const { exclude, extra } of cases) {
    it(`excludeVersions [${exclude.join(', ')}] keeps ${extra.join(' and ')}`, () => {
      const bundle = bundleWith([['samples', 'bookinfo', 'excludeVersions'], exclude]);
      const dir = join(tempDir(), 'bookinfo');
      mkdirSync(dir);
      for (const file of ['bookinfo.yaml', 'kustomization.yaml']) writeFileSync(join(dir, file), bundle.get(`manifests/bookinfo/${file}`)!);
      assert.deepEqual(kustomize(dir), [...V1_DEPLOYMENTS, ...extra, ...SERVICES, ...ACCOUNTS].sort());
    });
  }

  it('out/dev/manifests/sleep holds the sleep ServiceAccount, Service and Deployment', () => {
    const objects = documentsOf(readFileSync(join(PROJECT_ROOT, 'out/dev/manifests/sleep/sleep.yaml'), 'utf8'))
      .filter((doc) => doc !== null)
      .map((doc) => `${doc.kind}/${doc.metadata.name}`)
      .sort();
    assert.deepEqual(objects, ['Deployment/sleep', 'Service/sleep', 'ServiceAccount/sleep']);
  });
});
