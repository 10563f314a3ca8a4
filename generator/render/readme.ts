// The bundle's README: a handlebars template (templates/bundle-readme.md.hbs) fed with plain data derived from the
// topology, so every sentence it prints is true of this environment (nothing promised that the bundle does not do).
import { sha256OfRecurring } from '../util/sha256.ts';
import { createRequire } from 'node:module';
import HandlebarsRuntime from 'handlebars/runtime';
import { PROJECT_ROOT } from '../assets.ts';
import type { Topology } from '../model/topology.ts';
import { APP_PROJECT_FILE } from '../resources/argocd.ts';
import { DIRS } from '../resources/layout.ts';
import type { Verification } from '../resources/verification/index.ts';
import { readmeApiManager, type ReadmeApiManager } from './readme-api-manager.ts';
import { requiredSecrets } from './readme-secrets.ts';

export interface ReadmeProbe { step: number; name: string; description: string }

export interface ReadmeData {
  env: Topology['env'];
  topology: Topology;
  /** The environment file, then each base it extends. */
  sources: Array<{ file: string; base: boolean }>;
  appProjectFile: string;
  waves: Array<{ wave: number; applications: Array<{ name: string; what: string }> }>;
  requiredSecrets: Array<{ name: string; namespace: string; keys: string; purpose: string; command: string }>;
  secretNamespaces: string[];
  localMode: boolean;
  demoSecrets: Array<{ name: string; namespace: string }>;
  dirs: typeof DIRS;
  contents: { bookinfo: string; mesh: string };
  remote: { enabled: boolean; destination: string };
  verification: Verification['readme'];
  /** Connected Mode only; false in Local Mode (handlebars strict needs the key). */
  apiManager: ReadmeApiManager | false;
}

const WHAT: Record<string, string> = {
  prerequisites: 'namespaces with istio-injection=enabled',
  'istio-base': 'Istio CRDs and the default validating webhook',
  istiod: 'Istio control plane and sidecar injector',
  'istio-ingress': 'Istio ingress gateway',
  'flex-gateway': 'Flex Gateway',
  sleep: 'sleep test client',
  'flex-apis': 'Flex ApiInstances with their policies',
  verification: 'verification WorkflowTemplate and its RBAC',
};

const NO_VERIFICATION: Verification['readme'] = { enabled: false, workflowTemplate: '', namespace: '', probes: [], omitted: [] };

function bookinfoContents(topology: Topology): string {
  const excluded = topology.bookinfo.excludedDeployments;
  return excluded.length === 0 ? 'and a kustomization that keeps every reviews version' : `and a kustomization that drops ${excluded.join(', ')}`;
}

function meshContents(topology: Topology): string {
  const parts = [
    ...(topology.northSouth ? [`Istio Gateway and a VirtualService sending ingress traffic to API ${topology.northSouth.name}`] : []),
    ...(topology.eastWest.length > 0 ? [`VirtualServices sending calls to ${topology.eastWest.map((api) => api.upstream.host).join(', ')} through Flex`] : []),
    ...(topology.lockdown.enabled ? [`an AuthorizationPolicy admitting only ${topology.lockdown.allowFrom.join(', ')} to ${topology.bookinfo.namespace}`] : []),
  ];
  return parts.join('; ');
}

function clusterName(cluster: Topology['argocd']['cluster']): string {
  return cluster.server ?? `cluster "${cluster.name}"`;
}

/** What an Application carries, as true of this environment (the lockdown and the dropped versions vary). */
function what(topology: Topology, key: string): string {
  if (key === 'bookinfo') {
    const excluded = topology.bookinfo.excludedDeployments;
    return excluded.length === 0 ? 'Bookinfo with every reviews version' : `Bookinfo without ${excluded.join(', ')}`;
  }
  if (key === 'flex-apis' && topology.apiManager) return 'the Job that makes API Manager match the APIs, and its drift check';
  if (key === 'mesh-routing') return ['Istio Gateway', 'VirtualServices through Flex', ...(topology.lockdown.enabled ? ['Bookinfo lockdown'] : [])].join(', ');
  return WHAT[key] ?? key;
}

export function readmeData(topology: Topology, verification: Verification['readme'] = NO_VERIFICATION): ReadmeData {
  const apps = topology.applications.children;
  const waves = [...new Set(apps.map((app) => app.wave))].map((wave) => ({
    wave,
    applications: apps.filter((app) => app.wave === wave).map((app) => ({ name: app.name, what: what(topology, app.key) })),
  }));
  const secrets = requiredSecrets(topology);
  const demoSecrets = topology.usedCredentials.filter((credential) => credential.insecureDemoUser).map((credential) => ({ name: credential.secretName, namespace: topology.flex.namespace }));
  return {
    env: topology.env,
    topology,
    sources: (topology.sources ?? [`environments/${topology.name}.yaml`]).map((file, index) => ({ file, base: index > 0 })),
    appProjectFile: APP_PROJECT_FILE,
    waves,
    requiredSecrets: secrets,
    secretNamespaces: [...new Set(secrets.map((secret) => secret.namespace))],
    localMode: topology.env.flex.mode === 'local',
    demoSecrets,
    dirs: DIRS,
    contents: { bookinfo: bookinfoContents(topology), mesh: meshContents(topology) },
    remote: { enabled: topology.argocd.remoteDestination, destination: clusterName(topology.argocd.destination) },
    verification,
    apiManager: readmeApiManager(topology) ?? false,
  };
}

// The handlebars runtime is bundled (and so compiled through the bin's code cache); the bundle evaluates it with
// this module, which only the commands that render load: `--help` and the no-change fast path never pay for it.
// The compiler, needed only for a template edited since the build, is required when it is needed.
const requireModule = createRequire(import.meta.url);

/** Handlebars template specs by sha256 of the template text; scripts/build.ts precompiles templates/*.hbs. */
export type PrecompiledTemplates = Readonly<Record<string, unknown>>;

export const PRECOMPILED_FILE = 'dist/templates.cjs';
export const TEMPLATE_OPTIONS = { strict: true, noEscape: true } as const;

let precompiled: PrecompiledTemplates | undefined;

/** The build's precompiled specs; none (so every template compiles) when there is no build. */
function precompiledTemplates(): PrecompiledTemplates {
  if (precompiled) return precompiled;
  try {
    precompiled = requireModule(`${PROJECT_ROOT}${PRECOMPILED_FILE}`) as PrecompiledTemplates;
  } catch {
    precompiled = {};
  }
  return precompiled;
}

/**
 * A spec is used only for the exact text it was made from (its sha256), so an edited template compiles afresh; the
 * runtime alone is a fraction of handlebars' compiler to load. strict: a missing field is an error, not an empty string.
 */
export function renderReadme(template: string, data: ReadmeData, specs: PrecompiledTemplates = precompiledTemplates()): string {
  const spec = specs[sha256OfRecurring(template)];
  if (spec !== undefined) {
    let render = fromSpec.get(spec as object);
    if (!render) fromSpec.set(spec as object, (render = HandlebarsRuntime.template(spec as Parameters<typeof HandlebarsRuntime.template>[0])));
    return render(data);
  }
  const Handlebars = requireModule('handlebars') as typeof import('handlebars');
  return Handlebars.compile(template, TEMPLATE_OPTIONS)(data);
}

/** Template functions made once per precompiled spec: every bundle of a fleet renders the same README template. */
type Render = (data: ReadmeData) => string;
const fromSpec = new WeakMap<object, Render>();
