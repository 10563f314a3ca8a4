// Static inputs read from templates/: vendored upstream samples and text templates.
// Read once at the input end of the pipeline so builders stay pure.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TEMPLATES_DIR = `${PROJECT_ROOT}templates`;

export interface Assets {
  /** Istio's samples at the pinned Istio version, byte for byte. */
  samples: { bookinfo: string; sleep: string };
  applicationHealthLua: string;
  bundleReadme: string;
  /** Probe scripts by file name (verification). */
  probes: Record<string, string>;
  /** The Connected-Mode reconcile script's modules by file name (templates/api-manager). */
  apiManagerScripts: Record<string, string>;
}

function read(relative: string): string {
  return readFileSync(`${TEMPLATES_DIR}/${relative}`, 'utf8');
}

/** Read once per Istio version and process: a fleet's environments all use the same few dozen files. */
const loaded = new Map<string, Assets>();

/** Every probe script is loaded; the verification builder picks the ones its probes use. Builders never mutate assets. */
export function loadAssets(istioVersion: string): Assets {
  const known = loaded.get(istioVersion);
  if (known) return known;
  const assets = readAssets(istioVersion);
  loaded.set(istioVersion, assets);
  return assets;
}

function readAssets(istioVersion: string): Assets {
  const probeFiles = readdirSync(`${TEMPLATES_DIR}/probes`).filter((file) => file.endsWith('.sh')).sort();
  const scriptFiles = readdirSync(`${TEMPLATES_DIR}/api-manager`).filter((file) => file.endsWith('.mjs')).sort();
  return {
    samples: { bookinfo: read(`samples/istio-${istioVersion}/bookinfo.yaml`), sleep: read(`samples/istio-${istioVersion}/sleep.yaml`) },
    applicationHealthLua: read('argocd/application-health.lua'),
    bundleReadme: read('bundle-readme.md.hbs'),
    probes: Object.fromEntries(probeFiles.map((file) => [file, read(`probes/${file}`)])),
    apiManagerScripts: Object.fromEntries(scriptFiles.map((file) => [file, read(`api-manager/${file}`)])),
  };
}
