// Copies Istio's samples (Bookinfo, sleep) at a pinned Istio version from the upstream data into templates/,
// byte for byte, so bundles carry exactly what Istio ships. Run: npm run samples
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, TEMPLATES_DIR } from '../generator/assets.ts';
import { PINNED_PRODUCTS } from '../generator/validate/products.ts';

export const SAMPLE_FILES = ['bookinfo.yaml', 'sleep.yaml'];
// The samples of the one Istio version flexmesh pins (generator/validate/products.ts).
export const ISTIO_SAMPLE_VERSIONS = PINNED_PRODUCTS.filter((product) => product.id === 'istio').map((product) => product.version);

export function upstreamSamplesDir(): string {
  return process.env.FLEXMESH_UPSTREAM_SAMPLES_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'upstream-samples');
}

/** Pairs of (upstream file, vendored copy) for every pinned version. */
export function samplePairs(): Array<{ upstream: string; vendored: string }> {
  return ISTIO_SAMPLE_VERSIONS.flatMap((version) =>
    SAMPLE_FILES.map((file) => ({ upstream: join(upstreamSamplesDir(), `istio-${version}`, file), vendored: join(TEMPLATES_DIR, 'samples', `istio-${version}`, file) })),
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  for (const { upstream, vendored } of samplePairs()) {
    mkdirSync(join(vendored, '..'), { recursive: true });
    copyFileSync(upstream, vendored);
    console.log(`${vendored}: ${readFileSync(vendored).length} bytes from ${upstream}`);
  }
}
