// Every verification probe must target something the bundle defines: its Applications, namespaces,
// Services, API instances and the Flex pods. Read from the WorkflowTemplate's parameters, by their suffix.
import type { LocatedDoc, ManifestIndex } from './context.ts';
import type { CrossReferenceIssue } from './rules.ts';
import { arr, obj, type Json } from './json.ts';


function urlTarget(index: ManifestIndex, url: string): { ok: boolean; path: string; what: string } {
  const match = /^https?:\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!match) return { ok: false, path: '', what: 'is not an http URL' };
  const [, host = '', port = '80', path = '/'] = match;
  const service = index.service(host, 'default');
  if (!service) return { ok: false, path, what: `host ${host} is not a Service of the bundle or of a chart it installs` };
  if (!service.ports.includes(Number(port))) return { ok: false, path, what: `Service ${service.namespace}/${service.name} does not serve port ${port} (serves ${service.ports.join(', ')})` };
  return { ok: true, path, what: '' };
}

/** Whether a VirtualService for the URL's host sends (some) traffic to the Flex chart's Service. */
function routedThroughFlex(index: ManifestIndex, url: string): boolean {
  const host = /^https?:\/\/([^/:]+)/.exec(url)?.[1] ?? '';
  const flex = index.chartApp('flex-gateway');
  return index.docs.some((located) => {
    if (located.doc.kind !== 'VirtualService') return false;
    const spec = obj(located.doc.spec);
    if (!arr(spec.hosts).map(String).includes(host)) return false;
    return arr(spec.http).some((route) => arr(obj(route).route).some((entry) => index.service(String(obj(obj(entry).destination).host ?? ''), index.namespaceOf(located))?.name === flex?.releaseName));
  });
}

/** The APIs of the Connected-Mode desired state(s); a state that is not JSON is reported by desired-state-schema. */
function desiredApis(index: ManifestIndex): Json[] {
  return index.docs
    .filter((located) => located.doc.kind === 'ConfigMap' && typeof obj(located.doc.data)['desired-state.json'] === 'string')
    .flatMap((located) => {
      try {
        return arr(obj(JSON.parse(String(obj(located.doc.data)['desired-state.json']))).apis).map(obj);
      } catch {
        return [];
      }
    });
}

export function probeTargetIssues(index: ManifestIndex): CrossReferenceIssue[] {
  const apiInstances = index.docs.filter((located) => located.doc.kind === 'ApiInstance');
  const pathOf = (address: unknown) => /^https?:\/\/[^/]+(\/.*)?$/.exec(String(address ?? ''))?.[1] ?? '/';
  // Connected Mode: the APIs are the ones the reconcile Job puts into API Manager.
  const basePaths = index.apisDefinedElsewhere() ? desiredApis(index).map((api) => pathOf(obj(api.endpoint).proxyUri)) : apiInstances.map((located) => pathOf(obj(located.doc.spec).address));
  const what = index.apisDefinedElsewhere() ? 'API Manager API' : 'ApiInstance';
  const reconcileHashes = new Set(index.docs.filter((located) => located.doc.kind === 'Job').map((located) => located.doc.metadata.annotations?.['flexmesh.dev/desired-state-sha256']).filter(Boolean));
  const applications = new Set(index.apps.map((app) => app.name));
  const namespaces = new Set([...index.namespacesCreated, ...index.preExistingNamespaces]);
  const flexApp = index.chartApp('flex-gateway');

  const check = (located: LocatedDoc, name: string, value: string): string | undefined => {
    if (name.endsWith('-applications')) {
      const missing = value.split(/\s+/).filter((app) => app && !applications.has(app));
      return missing.length ? `waits for Applications ${missing.join(', ')} that the bundle does not define` : undefined;
    }
    if (name.endsWith('-namespaces') || name.endsWith('-namespace')) {
      const missing = value.split(/\s+/).filter((namespace) => namespace && !namespaces.has(namespace));
      return missing.length ? `looks into namespace(s) ${missing.join(', ')} that the bundle neither creates nor declares pre-existing` : undefined;
    }
    if (name.endsWith('-deployments')) {
      const missing = value.split(/\s+/).filter(Boolean).map((entry) => entry.split('/')[0] ?? '').filter((namespace) => !namespaces.has(namespace));
      return missing.length ? `waits for Deployments in namespace(s) ${missing.join(', ')} that the bundle neither creates nor declares pre-existing` : undefined;
    }
    const apisElsewhere = index.apisDefinedElsewhere();
    if (name.endsWith('-expect-sha256')) return reconcileHashes.has(value) ? undefined : `expects a reconcile Job for desired state ${value}, but no Job of the bundle carries that sha256`;
    if (apisElsewhere && name.endsWith('-log-match-api')) return undefined;
    // Flex names an API in its log as <api>.<namespace>.svc.
    if (name.endsWith('-log-match-api')) return apiInstances.some((api) => `${api.doc.metadata.name}.${index.namespaceOf(api)}.svc` === value) ? undefined : `expects log lines of API "${value}", but no ApiInstance is <name>.<namespace>.svc of that`;
    if (name.endsWith('-log-match-path')) return basePaths.some((basePath) => value.startsWith(basePath)) ? undefined : `expects a hop ${value}, which is under no ${what} base path (have: ${basePaths.join(', ')})`;
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
      arr(obj(obj(located.doc.spec).arguments).parameters).flatMap((parameter, i) => {
        const { name, value } = obj(parameter);
        const problem = check(located, String(name), String(value ?? ''));
        return problem ? [{ rule: 'probe-targets', located, pointer: `/spec/arguments/parameters/${i}/value`, message: `parameter ${String(name)} ${problem}` }] : [];
      }),
    );
}
