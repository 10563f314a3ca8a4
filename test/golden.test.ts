// The committed out/dev/ is the golden output: generating dev in memory must reproduce it file for file, byte for byte.
// Adding or removing a file of the bundle is a spec change and must show up in GOLDEN_FILES below.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputFile } from '../generator/render/bundle.ts';
import { DEV_FILE, generateCommitted, listFiles, PROJECT_ROOT } from './support/fixtures.ts';

const GOLDEN_DIR = join(PROJECT_ROOT, 'out', 'dev');

const GOLDEN_FILES = [
  '.flexmesh-manifest.json',
  'README.md',
  'apps/00-istio-base.yaml',
  'apps/00-prerequisites.yaml',
  'apps/01-istiod.yaml',
  'apps/02-istio-ingress.yaml',
  'apps/03-flex-gateway.yaml',
  'apps/04-bookinfo.yaml',
  'apps/04-sleep.yaml',
  'apps/05-flex-apis.yaml',
  'apps/05-mesh-routing.yaml',
  'apps/06-verification.yaml',
  'apps/appproject.yaml',
  'bootstrap/argocd-cm-application-health.yaml',
  'bootstrap/root-application.yaml',
  'fleet.json',
  'manifests/bookinfo/bookinfo.yaml',
  'manifests/bookinfo/kustomization.yaml',
  'manifests/flex-apis/apiinstance-bookinfo-reviews.yaml',
  'manifests/flex-apis/apiinstance-ingress.yaml',
  'manifests/mesh/authorizationpolicy-bookinfo-flex-allow.yaml',
  'manifests/mesh/gateway-flex-flex.yaml',
  'manifests/mesh/virtualservice-flex-flex.yaml',
  'manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml',
  'manifests/prerequisites/namespace-bookinfo.yaml',
  'manifests/prerequisites/namespace-flex.yaml',
  'manifests/prerequisites/namespace-test.yaml',
  'manifests/sleep/sleep.yaml',
  'manifests/verification/configmap-argo-dev-verification-probes.yaml',
  'manifests/verification/role-argo-dev-verification.yaml',
  'manifests/verification/role-argocd-dev-verification.yaml',
  'manifests/verification/role-bookinfo-dev-verification.yaml',
  'manifests/verification/role-flex-dev-verification.yaml',
  'manifests/verification/role-istio-system-dev-verification.yaml',
  'manifests/verification/role-test-dev-verification.yaml',
  'manifests/verification/rolebinding-argo-dev-verification.yaml',
  'manifests/verification/rolebinding-argocd-dev-verification.yaml',
  'manifests/verification/rolebinding-bookinfo-dev-verification.yaml',
  'manifests/verification/rolebinding-flex-dev-verification.yaml',
  'manifests/verification/rolebinding-istio-system-dev-verification.yaml',
  'manifests/verification/rolebinding-test-dev-verification.yaml',
  'manifests/verification/serviceaccount-argo-dev-verification.yaml',
  'manifests/verification/workflowtemplate-argo-dev-verify.yaml',
];

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('golden output: out/dev', () => {
  let generated: OutputFile[] = [];
  before(() => {
    generated = generateCommitted('dev').files;
  });

  it('generates exactly the listed files', () => {
    assert.deepEqual(generated.map((file) => file.path).sort(byPath), GOLDEN_FILES);
  });

  it('the committed out/dev holds exactly the listed files', () => {
    assert.deepEqual(listFiles(GOLDEN_DIR), GOLDEN_FILES);
  });

  for (const path of GOLDEN_FILES) {
    it(`${path} is byte-identical to the committed file`, () => {
      const file = generated.find((candidate) => candidate.path === path);
      assert.ok(file, `${path} was not generated`);
      assert.equal(file.content, readFileSync(join(GOLDEN_DIR, path), 'utf8'));
    });
  }

  // A second run in the same process shares every module-level state and the clock's second; a fresh process in
  // another time zone and locale (Turkish case rules and collation) does not, so a timestamp, a locale-dependent
  // sort or state kept between runs shows up here.
  it('a fresh process in another time zone and locale generates identical bytes', () => {
    const script = `import { readChain } from './generator/env/read-chain.ts'; import { generateFromSources } from './generator/pipeline.ts'; process.stdout.write(JSON.stringify(generateFromSources(readChain(process.cwd(), ${JSON.stringify(DEV_FILE)})).files));`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { PATH: process.env.PATH ?? '', TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
    });
    assert.deepEqual(JSON.parse(output), generated);
  });

  it('every text file ends with exactly one newline and has no trailing whitespace or tabs', () => {
    for (const file of generated.filter((candidate) => !candidate.path.startsWith('manifests/bookinfo/bookinfo') && !candidate.path.startsWith('manifests/sleep/'))) {
      assert.match(file.content, /[^\n]\n$/, `${file.path} must end with one newline`);
      assert.doesNotMatch(file.content, /[ \t]+$/m, `${file.path} has trailing whitespace`);
      assert.doesNotMatch(file.content, /\t/, `${file.path} has a tab`);
    }
  });

  it('the manifest records what validate needs and the sha256 of every other file', () => {
    type Manifest = { generator: string; environment: string; validation: unknown; files: Record<string, string> };
    const manifest = JSON.parse(generated.find((file) => file.path === '.flexmesh-manifest.json')!.content) as Manifest;
    assert.deepEqual(Object.keys(manifest), ['generator', 'environment', 'validation', 'files']);
    assert.equal(manifest.generator, 'flexmesh');
    assert.equal(manifest.environment, 'dev');
    // dev's Argo CD and verification namespaces (sorted), and the versions it targets, in a fixed key order.
    assert.deepEqual(manifest.validation, {
      preExistingNamespaces: ['argo', 'argocd'],
      targets: { kubernetes: 'v1.29.0', istio: '1.21.2', argocd: 'v2.13.9', argoWorkflows: 'v3.6.19', flex: '1.7.0' },
    });
    assert.deepEqual(Object.keys((manifest.validation as { targets: object }).targets), ['kubernetes', 'istio', 'argocd', 'argoWorkflows', 'flex']);
    assert.deepEqual(Object.keys(manifest.files), GOLDEN_FILES.filter((path) => path !== '.flexmesh-manifest.json'));
    for (const [path, hash] of Object.entries(manifest.files)) {
      const file = generated.find((candidate) => candidate.path === path)!;
      assert.equal(hash, createHash('sha256').update(file.content, 'utf8').digest('hex'), `${path}: recorded hash is not the sha256 of its content`);
    }
  });
});
