// One generated environment run through the pipeline, memoized by its text so the invariants (one fc.assert each,
// same seed) generate every environment once; plus the effective environment the expectations are derived from:
// the file as written, with the schema's `default`s and the derived defaults the schema's descriptions state.
import { parse } from 'yaml';
import { InputError, type Diagnostic } from '../../generator/diagnostics.ts';
import { generateFromText } from '../../generator/pipeline.ts';
import type { Manifest } from '../../generator/resources/types.ts';
import type { ArbitraryEnvironment } from './arbitrary-environment.ts';
import { documentsOf } from './fixtures.ts';
import { withSchemaDefaults } from './property-schema.ts';

type Cluster = { server?: string; name?: string };
export interface EffectiveApi {
  name: string;
  basePath: string;
  traffic: string;
  upstream: { service: string; namespace: string; port: number };
  policies: Array<{ type: string; credentials?: string; rateLimits?: Array<{ maximumRequests: number; timePeriodInMilliseconds: number }> }>;
}
export interface EffectiveCredential { name: string; secretName: string; usernameKey: string; passwordKey: string }

/** The environment as a person reads it from the file: every value flexmesh must honour. */
export interface Effective {
  name: string;
  gitops: { repoURL: string; targetRevision: string; path: string };
  argocd: { namespace: string; project: string; destination: Cluster; cluster: Cluster };
  istio: { namespace: string; chartRepository: string; ingressGateway: { releaseName: string; serviceType: string; port: number } };
  flex: { releaseName: string; namespace: string; mode: string; port: number; registrationSecret: string; chartRepository: string };
  namespaces: { bookinfo: string; test: string; preExisting: string[] };
  credentials: EffectiveCredential[];
  apis: EffectiveApi[];
  lockdown: { enabled: boolean; allowFromNamespaces: string[] };
  samples: { bookinfo: { excludeVersions: string[] } };
  verification: { enabled: boolean; namespace: string; credentialsSecret?: string };
}

export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * The derived defaults (the schema's descriptions: gitops.path out/<name>, argocd.project flexmesh-<name>, an API's
 * upstream namespace namespaces.bookinfo, lockdown from the Flex and Bookinfo namespaces, argocd.cluster in-cluster)
 * are taken from the file as written, before the schema's `default`s, so a literal default in an older schema
 * (upstream namespace "bookinfo", project "flexmesh") cannot stand in for them.
 */
export function effectiveEnvironment(name: string, text: string): Effective {
  const raw = parse(text) as RawEnvironment;
  const env = withSchemaDefaults(raw) as Effective;
  const apis = env.apis.map((api, i) => ({ ...api, policies: api.policies ?? [], upstream: { ...api.upstream, namespace: raw.apis?.[i]?.upstream?.namespace ?? env.namespaces.bookinfo } }));
  return {
    ...env,
    name,
    gitops: { ...env.gitops, path: raw.gitops?.path ?? `out/${name}` },
    argocd: { ...env.argocd, project: raw.argocd?.project ?? `flexmesh-${name}`, cluster: raw.argocd?.cluster ?? { server: IN_CLUSTER_SERVER } },
    apis,
    lockdown: { ...env.lockdown, allowFromNamespaces: raw.lockdown?.allowFromNamespaces ?? [env.flex.namespace, env.namespaces.bookinfo] },
  };
}

interface RawEnvironment {
  gitops?: { path?: string };
  argocd?: { project?: string; cluster?: Cluster };
  apis?: Array<{ upstream?: { namespace?: string } }>;
  lockdown?: { allowFromNamespaces?: string[] };
}

export interface BundleDoc { path: string; doc: Manifest }
export type Outcome =
  | { kind: 'accepted'; files: Map<string, string>; docs: BundleDoc[]; ms: number }
  | { kind: 'refused'; diagnostics: Diagnostic[]; ms: number }
  | { kind: 'crashed'; error: unknown; ms: number };

export interface Case extends ArbitraryEnvironment {
  env: Effective;
  outcome: Outcome;
}

/** Files that are Istio's samples verbatim: not generated, so not held to the generated-output invariants. */
export const VERBATIM_SAMPLES = /^manifests\/(bookinfo\/bookinfo|sleep\/sleep)\.yaml$/;

const memo = new Map<string, Case>();
/** About 0.2 MB per case; the test reserves room for all its runs plus the shrinking that follows a failure. */
let memoLimit = 400;
export function reserveMemo(runs: number): void {
  memoLimit = Math.max(memoLimit, runs + 300);
}
export const stats = { generated: 0, totalMs: 0, maxMs: 0 };

function run(name: string, text: string): Outcome {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const result = generateFromText(text, `environments/${name}.yaml`);
    const ms = elapsed();
    // The verbatim samples are held to no invariant: keep their path, not their text.
    const files = new Map(result.files.map((file) => [file.path, VERBATIM_SAMPLES.test(file.path) ? '' : file.content]));
    const docs = [...files]
      .filter(([path]) => path.endsWith('.yaml') && !VERBATIM_SAMPLES.test(path))
      .flatMap(([path, content]) => documentsOf(content).filter((doc) => doc).map((doc) => ({ path, doc })));
    return { kind: 'accepted', files, docs, ms };
  } catch (error) {
    return error instanceof InputError ? { kind: 'refused', diagnostics: error.diagnostics, ms: elapsed() } : { kind: 'crashed', error, ms: elapsed() };
  }
}

export function caseOf(environment: ArbitraryEnvironment): Case {
  const key = `${environment.name}\n${environment.text}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const outcome = run(environment.name, environment.text);
  stats.generated++;
  stats.totalMs += outcome.ms;
  stats.maxMs = Math.max(stats.maxMs, outcome.ms);
  const entry: Case = { ...environment, env: effectiveEnvironment(environment.name, environment.text), outcome };
  if (memo.size >= memoLimit) memo.delete(memo.keys().next().value!);
  memo.set(key, entry);
  return entry;
}

/** Words refusal messages use as vocabulary, not as the environment's values. */
const KEPT_WORDS = new Set(['details', 'productpage', 'ratings', 'reviews', 'sleep', 'basic-auth', 'east-west', 'north-south', 'demo']);

/** A refusal's reason with the environment's own values blanked out, so refusals group by kind. */
export function refusalReason(c: Case, diagnostic: Diagnostic): string {
  const values = new Set<string>([c.name]);
  const collect = (value: unknown): void => {
    if (typeof value === 'string' && value.length >= 2 && !KEPT_WORDS.has(value)) values.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(c.env);
  let problem = diagnostic.problem;
  for (const value of [...values].sort((x, y) => y.length - x.length)) {
    problem = problem.replace(new RegExp(`(?<![A-Za-z0-9-])${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![A-Za-z0-9-])`, 'g'), '…');
  }
  return `${diagnostic.path.replace(/\[\d+\]/g, '[]')}: ${problem.replace(/\d+/g, 'N')}`;
}
