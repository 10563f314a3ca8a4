// Bookinfo and sleep builder: Istio's samples carried verbatim, plus a kustomization that deletes the
// excluded reviews versions (test/kustomize.test.ts builds it with the real kustomize).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadAssets } from '../generator/assets.ts';
import { bookinfoFiles, bookinfoKustomization, sleepFiles } from '../generator/resources/bookinfo.ts';
import { BOOKINFO_DEPLOYMENTS, BOOKINFO_PORT, BOOKINFO_SERVICES, SLEEP } from '../generator/model/bookinfo-catalog.ts';
import { devTextWith, devTopologyWith, documentsOf, type Edit } from './support/fixtures.ts';
import { parseTopology } from '../generator/env/load.ts';
import { upstreamSamplesDir } from '../scripts/vendor-samples.ts';

// Istio's own release files (pinned upstream data), not the vendored copies the builder reads: a vendored copy that
// was edited or refreshed from the wrong release fails here.
const UPSTREAM_SAMPLES = join(upstreamSamplesDir(), 'istio-1.21.2');
const assets = loadAssets('1.21.2');
const excluding = (versions: string[]): Edit => [['samples', 'bookinfo', 'excludeVersions'], versions];

interface Kustomization { resources: string[]; patches?: Array<{ target: { kind: string; labelSelector: string }; patch: string }> }

describe('bookinfo builder', () => {
  it('carries Istio 1.21.2 bookinfo.yaml and sleep.yaml byte for byte, as Istio released them', () => {
    const files = [...bookinfoFiles(devTopologyWith(), assets), ...sleepFiles(assets)];
    const text = (path: string) => (files.find((file) => file.path === path) as { text: string } | undefined)?.text;
    assert.equal(text('manifests/bookinfo/bookinfo.yaml'), readFileSync(join(UPSTREAM_SAMPLES, 'bookinfo.yaml'), 'utf8'));
    assert.equal(text('manifests/sleep/sleep.yaml'), readFileSync(join(UPSTREAM_SAMPLES, 'sleep.yaml'), 'utf8'));
    assert.deepEqual(files.map((file) => file.path), ['manifests/bookinfo/bookinfo.yaml', 'manifests/bookinfo/kustomization.yaml', 'manifests/sleep/sleep.yaml']);
  });

  it('the vendored Bookinfo has the 14 objects the tutorial filters with version!=v2,version!=v3', () => {
    const objects = documentsOf(assets.samples.bookinfo).filter(Boolean);
    const deployments = objects.filter((doc) => doc.kind === 'Deployment');
    assert.equal(objects.length, 14);
    const versionOf = (doc: (typeof deployments)[number]) => doc.metadata.labels?.version;
    assert.deepEqual(deployments.map((doc) => `${doc.metadata.name}:${versionOf(doc)}`).sort(), ['details-v1:v1', 'productpage-v1:v1', 'ratings-v1:v1', 'reviews-v1:v1', 'reviews-v2:v2', 'reviews-v3:v3']);
  });

  describe('kustomization', () => {
    const cases: Array<{ name: string; edits: Edit[]; selector: string | undefined }> = [
      { name: 'default: drop v2 and v3', edits: [], selector: 'app=reviews,version in (v2,v3)' },
      { name: 'drop only v3', edits: [excluding(['v3'])], selector: 'app=reviews,version in (v3)' },
      { name: 'order as written', edits: [excluding(['v3', 'v2'])], selector: 'app=reviews,version in (v3,v2)' },
      // Every Deployment of Bookinfo carries version: v1 when it is a v1; the selector must not reach beyond reviews.
      { name: 'drop v1: only reviews-v1, never details/ratings/productpage-v1', edits: [excluding(['v1'])], selector: 'app=reviews,version in (v1)' },
      { name: 'drop nothing: no patches at all', edits: [excluding([])], selector: undefined },
    ];
    for (const { name, edits, selector } of cases) {
      it(name, () => {
        const kustomization = bookinfoKustomization(devTopologyWith(...edits)) as unknown as Kustomization & { apiVersion: string; kind: string };
        assert.equal(kustomization.apiVersion, 'kustomize.config.k8s.io/v1beta1');
        assert.equal(kustomization.kind, 'Kustomization');
        assert.deepEqual(kustomization.resources, ['bookinfo.yaml']);
        if (selector === undefined) {
          assert.equal(kustomization.patches, undefined);
          return;
        }
        assert.equal(kustomization.patches?.length, 1);
        const [patch] = kustomization.patches!;
        assert.deepEqual(patch!.target, { kind: 'Deployment', labelSelector: selector });
        // A strategic-merge delete patch; kustomize applies it to every Deployment the selector matches.
        assert.deepEqual(parse(patch!.patch), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'excluded-by-label-selector' }, $patch: 'delete' });
      });
    }
  });

  it('the Bookinfo catalog the topology uses matches the vendored sample (names, ports, pod labels)', () => {
    const objects = documentsOf(assets.samples.bookinfo).filter(Boolean);
    const services = objects.filter((doc) => doc.kind === 'Service');
    assert.deepEqual(services.map((doc) => doc.metadata.name).sort(), [...BOOKINFO_SERVICES].sort());
    for (const service of services) assert.deepEqual((service.spec as { ports: Array<{ port: number }> }).ports.map((port) => port.port), [BOOKINFO_PORT], service.metadata.name);
    const deployments = objects.filter((doc) => doc.kind === 'Deployment').map((doc) => {
      const labels = (doc.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
      return { name: doc.metadata.name, app: labels.app, version: labels.version };
    });
    assert.deepEqual(deployments.sort((a, b) => a.name.localeCompare(b.name)), [...BOOKINFO_DEPLOYMENTS].sort((a, b) => a.name.localeCompare(b.name)));
    const sleep = documentsOf(assets.samples.sleep).filter(Boolean);
    const sleepService = sleep.find((doc) => doc.kind === 'Service')!;
    assert.deepEqual((sleepService.spec as { ports: Array<{ port: number }> }).ports.map((port) => port.port), [SLEEP.port]);
    const sleepDeployment = sleep.find((doc) => doc.kind === 'Deployment')!;
    const podSpec = (sleepDeployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ name: string }> } } }).template;
    assert.deepEqual(podSpec.metadata.labels, SLEEP.podLabels);
    assert.deepEqual(podSpec.spec.containers.map((container) => container.name), [SLEEP.container]);
  });

  it('excluding every reviews version is refused: productpage would call a Service without pods', () => {
    assert.throws(() => parseTopology(devTextWith(excluding(['v1', 'v2', 'v3'])), 'environments/dev.yaml'), /samples\.bookinfo\.excludeVersions: every reviews version is excluded \(keep at least one/);
  });

  it('the sleep sample holds exactly the sleep ServiceAccount, Service and Deployment', () => {
    const objects = documentsOf(assets.samples.sleep).filter(Boolean).map((doc) => `${doc.kind}/${doc.metadata.name}`).sort();
    assert.deepEqual(objects, ['Deployment/sleep', 'Service/sleep', 'ServiceAccount/sleep']);
  });
});
