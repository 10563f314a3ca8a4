// Small readers of Kubernetes conventions for the property invariants, written from the Kubernetes, Istio, Argo CD
// and kustomize documentation rather than from flexmesh's code: Service DNS names, URLs, label selectors, globs.
import type { BundleDoc, Effective } from './property-bundle.ts';

export type Json = Record<string, unknown>;
export const obj = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

export interface ServiceOfBundle { name: string; namespace: string; ports: number[]; what: string }

/** The Services an environment's bundle may address, derived from the environment alone. */
export function bundleServices(env: Effective): ServiceOfBundle[] {
  return [
    ...['details', 'productpage', 'ratings', 'reviews'].map((name) => ({ name, namespace: env.namespaces.bookinfo, ports: [9080], what: 'Bookinfo' })),
    { name: 'sleep', namespace: env.namespaces.test, ports: [80], what: 'sleep' },
    { name: env.flex.releaseName, namespace: env.flex.namespace, ports: [env.flex.port], what: 'Flex Gateway' },
    { name: env.istio.ingressGateway.releaseName, namespace: env.istio.namespace, ports: [env.istio.ingressGateway.port], what: 'ingress gateway' },
    ...env.apis.map((api) => ({ name: api.upstream.service, namespace: api.upstream.namespace, ports: [api.upstream.port], what: `upstream of API ${api.name}` })),
  ];
}

/** An in-cluster host (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`) as Service name and namespace. */
export function resolveHost(host: string, fromNamespace: string): { name: string; namespace: string } | undefined {
  const parts = host.replace(/\.svc\.cluster\.local$/, '').replace(/\.svc$/, '').split('.');
  if (parts.length > 2 || !parts[0]) return undefined;
  return { name: parts[0], namespace: parts[1] ?? fromNamespace };
}

export function findService(services: readonly ServiceOfBundle[], host: string, fromNamespace: string): ServiceOfBundle | undefined {
  const ref = resolveHost(host, fromNamespace);
  return ref && services.find((service) => service.name === ref.name && service.namespace === ref.namespace);
}

export function parseUrl(url: string): { host: string; port: number; path: string } | undefined {
  const match = /^(https?):\/\/([^/:?#\s]+)(?::(\d+))?([^?#\s]*)/.exec(url);
  if (!match) return undefined;
  return { host: match[2]!, port: match[3] ? Number(match[3]) : match[1] === 'https' ? 443 : 80, path: match[4] || '/' };
}

type Requirement = (labels: Record<string, string>) => boolean;

/** A Kubernetes label selector string: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, comma = AND. */
export function parseSelector(selector: string): Requirement[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) (terms.push(current), (current = ''));
    else current += char;
  }
  terms.push(current);
  return terms.map((raw) => {
    const term = raw.trim();
    let match: RegExpExecArray | null;
    if ((match = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
      const [, key, op, list] = match;
      const values = list!.split(',').map((value) => value.trim());
      return (labels) => (op === 'in' ? key! in labels && values.includes(labels[key!]!) : !(key! in labels) || !values.includes(labels[key!]!));
    }
    if ((match = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term))) {
      const [, key, op, value] = match;
      return (labels) => (op === '!=' ? labels[key!] !== value : labels[key!] === value);
    }
    if ((match = /^(!?)([\w./-]+)$/.exec(term))) {
      const [, not, key] = match;
      return (labels) => (not ? !(key! in labels) : key! in labels);
    }
    throw new Error(`cannot parse label selector term "${term}" of "${selector}"`);
  });
}

export function selects(selector: string, labels: Record<string, string>): boolean {
  return parseSelector(selector).every((requirement) => requirement(labels));
}

/** Argo CD's glob for AppProject destinations and source repositories (`*` matches anything). */
export function globMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(value);
}

export interface NamespaceUse { namespace: string; where: string }

const where = (entry: BundleDoc, field: string) => `${entry.path} ${entry.doc.kind}/${entry.doc.metadata?.name}: ${field}`;

export function workflowParameters(entry: BundleDoc): Array<{ name: string; value: string }> {
  return arr(obj(obj(entry.doc.spec).arguments).parameters).map((parameter) => ({ name: str(obj(parameter).name), value: str(obj(parameter).value) }));
}

/** Namespace references invariant 2 covers: metadata, Application destinations, RoleBinding subjects, probe parameters. */
export function namespaceReferences(docs: readonly BundleDoc[]): NamespaceUse[] {
  return docs.flatMap((entry): NamespaceUse[] => {
    const { doc } = entry;
    const spec = obj(doc.spec);
    const uses: NamespaceUse[] = [];
    if (doc.metadata?.namespace) uses.push({ namespace: doc.metadata.namespace, where: where(entry, 'metadata.namespace') });
    if (doc.kind === 'Application') uses.push({ namespace: str(obj(spec.destination).namespace), where: where(entry, 'spec.destination.namespace') });
    if (doc.kind === 'RoleBinding' || doc.kind === 'ClusterRoleBinding') {
      arr(doc.subjects).forEach((subject, i) => obj(subject).namespace !== undefined && uses.push({ namespace: str(obj(subject).namespace), where: where(entry, `subjects[${i}].namespace`) }));
    }
    if (doc.kind === 'WorkflowTemplate') {
      for (const { name, value } of workflowParameters(entry)) {
        if (name.endsWith('-namespace') || name.endsWith('-namespaces')) {
          for (const namespace of value.split(/\s+/).filter(Boolean)) uses.push({ namespace, where: where(entry, `parameter ${name}`) });
        }
      }
    }
    return uses.filter((use) => use.namespace !== '');
  });
}

/** Every string of a value, with its JSON path. Shell scripts lose their comment lines (examples, not values). */
export function strings(value: unknown, path = ''): Array<{ path: string; text: string }> {
  if (typeof value === 'string') {
    const text = /^#!/.test(value) ? value.split('\n').filter((line) => !/^\s*#/.test(line)).join('\n') : value;
    return [{ path, text }];
  }
  if (typeof value === 'number' || typeof value === 'boolean') return [{ path, text: String(value) }];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, path ? `${path}.${key}` : key));
  return [];
}

/** Namespaces named inside text: `svc.ns.svc[.cluster.local]` hosts and `http://svc.ns[:port]` URLs. */
export function namespacesInText(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?<![A-Za-z0-9.-])[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?![A-Za-z0-9-])/g)) found.push(match[1]!);
  for (const match of text.matchAll(/https?:\/\/[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?=[:/\s"']|$)/g)) found.push(match[1]!);
  return found;
}

/** Every use of a namespace anywhere in the generated documents (invariant 5): the references plus what text names. */
export function allNamespaceUses(docs: readonly BundleDoc[]): NamespaceUse[] {
  const uses = [...namespaceReferences(docs)];
  for (const entry of docs) {
    const { doc } = entry;
    if (doc.kind === 'Namespace') uses.push({ namespace: doc.metadata.name, where: where(entry, 'metadata.name') });
    if (doc.kind === 'AppProject') arr(obj(doc.spec).destinations).forEach((d, i) => uses.push({ namespace: str(obj(d).namespace), where: where(entry, `spec.destinations[${i}].namespace`) }));
    if (doc.kind === 'AuthorizationPolicy') {
      arr(obj(doc.spec).rules).forEach((rule) => arr(obj(rule).from).forEach((from) => arr(obj(obj(from).source).namespaces).forEach((namespace) => uses.push({ namespace: str(namespace), where: where(entry, 'spec.rules[].from[].source.namespaces') }))));
    }
    if (doc.kind === 'WorkflowTemplate') {
      for (const { name, value } of workflowParameters(entry)) {
        if (name.endsWith('-deployments')) value.split(/\s+/).filter((item) => item.includes('/')).forEach((item) => uses.push({ namespace: item.split('/')[0]!, where: where(entry, `parameter ${name}`) }));
      }
    }
    for (const { path, text } of strings(doc)) for (const namespace of namespacesInText(text)) uses.push({ namespace, where: where(entry, path) });
  }
  return uses.filter((use) => use.namespace !== '');
}

/** Namespace mentions in the bundle README: `-n ns`, `into \`ns\``, `namespace ns`, `pods in ns`, Secrets table rows, hosts. */
export function readmeNamespaceMentions(readme: string, namespace: string): string[] {
  const n = namespace.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const patterns = [
    new RegExp(`(?:-n|--namespace[= ]|namespace|into|pods? in) \`?${n}\`?(?![\\w-])`, 'g'),
    new RegExp(`^\\| \`[^\`]+\` \\| \`${n}\` \\|`, 'gm'),
    new RegExp(`(?<![\\w./:-])${n}/[a-z0-9-]+(?=[ ,)]|$)`, 'gm'),
  ];
  const mentions = patterns.flatMap((pattern) => [...readme.matchAll(pattern)].map((match) => match[0]));
  return [...mentions, ...namespacesInText(readme).filter((found) => found === namespace).map((found) => `host in .${found}.svc`)];
}
