// The build's fingerprint of dist/ (scripts/build.ts, dist/build-info.json): it changes whenever anything the built
// CLI runs changes, so it keys what is cached of a build (V8 code caches). undefined without a build.
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../assets.ts';

let fingerprint: string | undefined | null = null;

export function buildFingerprint(): string | undefined {
  if (fingerprint === null) {
    try {
      fingerprint = String((JSON.parse(readFileSync(`${PROJECT_ROOT}dist/build-info.json`, 'utf8')) as { fingerprint: unknown }).fingerprint);
    } catch {
      fingerprint = undefined;
    }
  }
  return fingerprint;
}
