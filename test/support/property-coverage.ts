// What the generated environments covered: every leaf field of the schema (a field the arbitrary never sets fails
// the suite, so a knob added to the schema is noticed), and how many *accepted* environments exercised each case an
// invariant is about (so a passing invariant is not passing for want of examples).
import { parse } from 'yaml';
import type { Case } from './property-bundle.ts';
import { leafPathsOf, schemaHas, schemaLeafPaths, schemaRequires } from './property-schema.ts';

/** Schema leaf fields no generated environment sets. */
export function uncoveredSchemaFields(cases: readonly Case[]): string[] {
  const set = new Set(cases.flatMap((c) => leafPathsOf(parse(c.text))));
  return schemaLeafPaths().filter((path) => !set.has(path));
}

const DEFAULTS: Record<string, (c: Case) => string> = {
  'flex.namespace': (c) => c.env.flex.namespace,
  'namespaces.bookinfo': (c) => c.env.namespaces.bookinfo,
  'namespaces.test': (c) => c.env.namespaces.test,
  'istio.namespace': (c) => c.env.istio.namespace,
  'argocd.namespace': (c) => c.env.argocd.namespace,
  'verification.namespace': (c) => c.env.verification.namespace,
};
const DEFAULT_VALUES: Record<string, string> = { 'flex.namespace': 'flex', 'namespaces.bookinfo': 'bookinfo', 'namespaces.test': 'test', 'istio.namespace': 'istio-system', 'argocd.namespace': 'argocd', 'verification.namespace': 'argo' };

/** Accepted environments per case the invariants distinguish; cases the schema cannot express are left out. */
export function acceptedCoverage(cases: readonly Case[]): Array<[string, number]> {
  const accepted = cases.filter((c) => c.outcome.kind === 'accepted');
  const raw = (c: Case) => parse(c.text) as Record<string, any>;
  const hasPolicy = (c: Case, type: string) => c.env.apis.some((api) => api.policies.some((policy) => policy.type === type));
  const features: Array<[string, boolean, (c: Case) => boolean] | [string, (c: Case) => boolean]> = [
    ['remote destination (server)', (c) => c.env.argocd.destination.server !== undefined && c.env.argocd.destination.server !== 'https://kubernetes.default.svc'],
    ['destination by name', schemaHas(['argocd', 'destination', 'name']), (c) => c.env.argocd.destination.name !== undefined],
    ['argocd.cluster set', schemaHas(['argocd', 'cluster']), (c) => raw(c).argocd?.cluster !== undefined],
    ['gitops.path omitted', !schemaRequires(['gitops'], 'path'), (c) => raw(c).gitops?.path === undefined],
    ['argocd.project omitted', (c) => raw(c).argocd?.project === undefined],
    ...Object.keys(DEFAULTS).map((key): [string, (c: Case) => boolean] => [`${key} not default`, (c) => DEFAULTS[key]!(c) !== DEFAULT_VALUES[key]]),
    ['ingress release without istio- prefix', (c) => !c.env.istio.ingressGateway.releaseName.startsWith('istio-')],
    ['flex.port not 8081', (c) => c.env.flex.port !== 8081],
    ['flex connected mode', (c) => c.env.flex.mode === 'connected'],
    ['credentials with insecureDemoUser', (c) => (raw(c).credentials ?? []).some((entry: any) => entry.insecureDemoUser)],
    ['basic-auth API', (c) => hasPolicy(c, 'basic-auth')],
    ['basic-auth + rate-limiting on one API', (c) => c.env.apis.some((api) => ['basic-auth', 'rate-limiting'].every((type) => api.policies.some((policy) => policy.type === type)))],
    ['message-logging API', (c) => hasPolicy(c, 'message-logging')],
    ['smoke request set', schemaHas(['apis', '[]', 'smoke']), (c) => (raw(c).apis ?? []).some((api: any) => api.smoke)],
    ['upstream namespace omitted', (c) => (raw(c).apis ?? []).some((api: any) => api.upstream?.namespace === undefined)],
    ['north-south API', (c) => c.env.apis.some((api) => api.traffic === 'north-south')],
    ['no /ingress/ base path', (c) => !c.text.includes('/ingress/')],
    ['lockdown disabled', (c) => !c.env.lockdown.enabled],
    ['lockdown.allowFromNamespaces set', (c) => raw(c).lockdown?.allowFromNamespaces !== undefined],
    ['excludeVersions not [v2, v3]', (c) => c.env.samples.bookinfo.excludeVersions.join() !== 'v2,v3'],
    ['excludeVersions includes v1', (c) => c.env.samples.bookinfo.excludeVersions.includes('v1')],
    ['verification disabled', (c) => !c.env.verification.enabled],
    ['verification.credentialsSecret set', (c) => c.env.verification.credentialsSecret !== undefined],
  ];
  return features
    .map((feature) => (feature.length === 2 ? [feature[0], true, feature[1]] as const : feature))
    .filter(([, declared]) => declared)
    .map(([name, , test]) => [name, accepted.filter(test).length]);
}
