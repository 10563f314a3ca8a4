// Every verification probe must target something the bundle defines: its Applications, namespaces,
// Services, API instances and the Flex pods. Read from the WorkflowTemplate's parameters, by their suffix.
import type { LocatedDoc, ManifestIndex } from './context.ts';
import type { CrossReferenceIssue } from './rules.ts';
import { desiredApis } from './api-manager.ts';
import { parseHttpAddress } from './http-address.ts';
import { arr, obj } from './json.ts';
import { apiAddress } from './rules.ts';


function urlTarget(index: ManifestIndex, url: string): { ok: boolean; path: string; what: string } {
  const address = parseHttpAddress(url);
  if (!address) return { ok: false, path: '', what: 'is not an http URL' };
  const service = index.service(address.host, 'default');
  if (!service) return { ok: false, path: address.path, what: `host ${address.host} is not a Service of the bundle or of a chart it installs` };
  if (!service.ports.includes(address.port)) return { ok: false, path: address.path, what: `Service ${service.namespace}/${service.name} does not serve port ${address.port} (serves ${service.ports.join(', ')})` };
  return { ok: true, path: address.path, what: '' };
}

/** Container names of each pod template, of the bundle's Deployments in `namespace`, that `selector` (k=v,…) matches. */
function clientPods(index: ManifestIndex, namespace: string, selector: string): string[][] {
  const wanted = selector.split(',').filter(Boolean).map((pair) => pair.split('='));
  return index.docs
    .filter((located) => located.doc.kind === 'Deployment' && index.namespaceOf(located) === namespace)
    .map((located) => obj(obj(located.doc.spec).template))
    .filter((template) => wanted.every(([key, value]) => obj(obj(template.metadata).labels)[key ?? ''] === value))
    .map((template) => arr(obj(template.spec).containers).map((container) => String(obj(container).name)));
}

/** Whether a VirtualService for the URL's host sends (some) traffic to the Flex chart's Service. */
function routedThroughFlex(index: ManifestIndex, url: string): boolean {
  const host = parseHttpAddress(url)?.host ?? '';
  const flex = index.chartApp('flex-gateway');
  return index.docs.some((located) => {
    if (located.doc.kind !== 'VirtualService') return false;
    const spec = obj(located.doc.spec);
    if (!arr(spec.hosts).map(String).includes(host)) return false;
    return arr(spec.http).some((route) => arr(obj(route).route).some((entry) => index.service(String(obj(obj(entry).destination).host ?? ''), index.namespaceOf(located))?.name === flex?.releaseName));
  });
}

export function probeTargetIssues(index: ManifestIndex): CrossReferenceIssue[] {
  const apiInstances = index.docs.filter((located) => located.doc.kind === 'ApiInstance');
  // Connected Mode: the APIs are the ones the reconcile Job puts into API Manager.
  const basePaths = index.apisDefinedElsewhere()
    ? desiredApis(index).map((api) => parseHttpAddress(String(obj(api.endpoint).proxyUri ?? ''))?.path ?? '/')
    : apiInstances.map((located) => apiAddress(located)?.basePath ?? '/');
  const what = index.apisDefinedElsewhere() ? 'API Manager API' : 'ApiInstance';
  const reconcileHashes = new Set(index.docs.filter((located) => located.doc.kind === 'Job').map((located) => located.doc.metadata.annotations?.['flexmesh.dev/desired-state-sha256']).filter(Boolean));
  const applications = new Set(index.apps.map((app) => app.name));
  const namespaces = new Set([...index.namespacesCreated, ...index.preExistingNamespaces]);
  const flexApp = index.chartApp('flex-gateway');

  const check = (located: LocatedDoc, name: string, value: string, sibling: (suffix: string) => string | undefined): string | undefined => {
    if (name.endsWith('-applications')) {
      const missing = value.split(/\s+/).filter((app) => app && !applications.has(app));
      return missing.length ? `waits for Applications ${missing.join(', ')} that the bundle does not define` : undefined;
    }
    if (name.endsWith('-namespaces') || name.endsWith('-namespace')) {
      const missing = value.split(/\s+/).filter((namespace) => namespace && !namespaces.has(namespace));
      return missing.length ? `looks into namespace(s) ${missing.join(', ')} that the bundle neither creates nor declares pre-existing` : undefined;
    }
    if (name.endsWith('-deployments')) {
      const entries = value.split(/\s+/).filter(Boolean);
      const missing = entries.map((entry) => entry.split('/')[0] ?? '').filter((namespace) => !namespaces.has(namespace));
      if (missing.length) return `waits for Deployments in namespace(s) ${missing.join(', ')} that the bundle neither creates nor declares pre-existing`;
      const unknown = entries.filter((entry) => !index.deployments.has(entry));
      return unknown.length ? `waits for Deployments ${unknown.join(', ')} that neither the bundle nor a chart it installs creates` : undefined;
    }
    const apisElsewhere = index.apisDefinedElsewhere();
    if (name.endsWith('-expect-sha256')) return reconcileHashes.has(value) ? undefined : `expects a reconcile Job for desired state ${value}, but no Job of the bundle carries that sha256`;
    if (apisElsewhere && name.endsWith('-log-match-api')) return undefined;
    // Flex names an API in its log as <api>.<namespace>.svc.
    if (name.endsWith('-log-match-api')) return apiInstances.some((api) => `${api.doc.metadata.name}.${index.namespaceOf(api)}.svc` === value) ? undefined : `expects log lines of API "${value}", but no ApiInstance is <name>.<namespace>.svc of that`;
    if (name.endsWith('-log-match-path')) return basePaths.some((basePath) => value.startsWith(basePath)) ? undefined : `expects a hop ${value}, which is under no ${what} base path (have: ${basePaths.join(', ')})`;
    // The client pod a probe execs into: a Deployment of the bundle in its namespace, with that container.
    if (name.endsWith('-from-selector') || name.endsWith('-from-container')) {
      const namespace = sibling('from-namespace') ?? '';
      const selector = sibling('from-selector') ?? '';
      const pods = clientPods(index, namespace, selector);
      if (name.endsWith('-from-selector')) return pods.length ? undefined : `selects pods with ${value}, but no Deployment of the bundle in ${namespace} has pods labelled so`;
      return pods.length === 0 || pods.some((containers) => containers.includes(value)) ? undefined : `execs into container ${value}, but the ${selector} pods in ${namespace} have containers ${[...new Set(pods.flat())].join(', ')}`;
    }
    if (name.endsWith('-flex-selector')) return flexApp && value === `app=${flexApp.releaseName}` ? undefined : `selects Flex pods with ${value}, but the Flex chart release is ${flexApp?.releaseName ?? '(missing)'}`;
    if (name.endsWith('-url')) {
      const target = urlTarget(index, value);
      if (!target.ok) return `targets ${value}: ${target.what}`;
      if (name.endsWith('-trigger-url') && !routedThroughFlex(index, value)) return `triggers ${value}, but no VirtualService routes that host through Flex, so the call makes no east-west hop`;
      if (name.endsWith('-api-url') && !basePaths.some((basePath) => target.path.startsWith(basePath))) return `targets ${value}, whose path is under no ${what} base path (have: ${basePaths.join(', ')})`;
    }
    return undefined;
  };

  return index.docs
    .filter((located) => located.doc.kind === 'WorkflowTemplate')
    .flatMap((located) =>
      arr(obj(obj(located.doc.spec).arguments).parameters).flatMap((parameter, i, all) => {
        const { name, value } = obj(parameter);
        const probe = String(name).replace(/-(from-(namespace|selector|container))$/, '');
        const sibling = (suffix: string) => {
          const found = all.map(obj).find((candidate) => candidate.name === `${probe}-${suffix}`);
          return found === undefined ? undefined : String(found.value ?? '');
        };
        const problem = check(located, String(name), String(value ?? ''), sibling);
        return problem ? [{ rule: 'probe-targets', located, pointer: `/spec/arguments/parameters/${i}/value`, message: `parameter ${String(name)} ${problem}` }] : [];
      }),
    );
}
