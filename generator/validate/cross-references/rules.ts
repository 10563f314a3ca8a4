// Named cross-reference rules: each checks that two pieces of the bundle fit, and names both ends when not.
import type { LocatedDoc, ManifestIndex } from './context.ts';
import { parseHttpAddress } from './http-address.ts';
import { arr, obj, type Json } from './json.ts';

export interface CrossReferenceIssue {
  rule: string;
  located: LocatedDoc;
  message: string;
  /** JSON pointer of the field at fault inside the document, so the diagnostic can point at its line. */
  pointer?: string;
}
type Rule = (index: ManifestIndex) => CrossReferenceIssue[];
const ref = (located: LocatedDoc) => `${located.doc.kind}/${located.doc.metadata.name} (${located.file})`;

const ofKind = (index: ManifestIndex, kind: string) => index.docs.filter((located) => located.doc.kind === kind);
const httpRoutes = (located: LocatedDoc) => arr(obj(located.doc.spec).http).map(obj);
/** Every route destination of a VirtualService with the pointer to it. */
const routeDestinations = (located: LocatedDoc) =>
  httpRoutes(located).flatMap((route, r) => arr(route.route).map((entry, d) => ({ destination: obj(obj(entry).destination), pointer: `/spec/http/${r}/route/${d}/destination` })));
const destinations = (route: Json) => arr(route.route).map((entry) => obj(obj(entry).destination));

/** Port and base path an ApiInstance listens on (spec.address, IPv6 hosts included). */
export function apiAddress(located: LocatedDoc): { port: number; basePath: string } | undefined {
  const address = parseHttpAddress(String(obj(located.doc.spec).address ?? ''));
  return address && { port: address.port, basePath: address.path };
}

function flexServiceHost(index: ManifestIndex): { name: string; namespace: string; port: number } | undefined {
  const app = index.chartApp('flex-gateway');
  if (!app?.releaseName) return undefined;
  return { name: app.releaseName, namespace: app.namespace, port: Number(obj(obj(app.values.service).http).port ?? 80) };
}

const vsDestinationService: Rule = (index) =>
  ofKind(index, 'VirtualService').flatMap((located) =>
    routeDestinations(located).flatMap(({ destination, pointer }) => {
      const host = String(destination.host ?? '');
      const port = obj(destination.port).number;
      const service = index.service(host, index.namespaceOf(located));
      if (!service) return [{ rule: 'vs-destination-service', located, pointer: `${pointer}/host`, message: `destination host "${host}" is not a Service of the bundle or of a chart it installs` }];
      if (port !== undefined && !service.ports.includes(Number(port))) {
        return [{ rule: 'vs-destination-service', located, pointer: `${pointer}/port/number`, message: `destination ${host}:${String(port)} but Service ${service.namespace}/${service.name} (${service.origin}) serves ports ${service.ports.join(', ')}` }];
      }
      return [];
    }),
  );

const apiInstancePort: Rule = (index) => {
  const flex = flexServiceHost(index);
  if (!flex) return [];
  return ofKind(index, 'ApiInstance').flatMap((located) => {
    const address = apiAddress(located);
    return address && address.port !== flex.port
      ? [{ rule: 'apiinstance-port', located, pointer: '/spec/address', message: `listens on port ${address.port} but the Flex Service (chart release ${flex.name}) exposes ${flex.port}` }]
      : [];
  });
};

const rewriteMatchesBasePath: Rule = (index) => {
  const flex = flexServiceHost(index);
  if (!flex || index.apisDefinedElsewhere()) return [];
  const basePaths = ofKind(index, 'ApiInstance').map((located) => apiAddress(located)?.basePath);
  return ofKind(index, 'VirtualService').flatMap((located) =>
    httpRoutes(located).flatMap((route, r) => {
      const toFlex = destinations(route).some((destination) => index.service(String(destination.host ?? ''), index.namespaceOf(located))?.name === flex.name);
      const uri = obj(route.rewrite).uri;
      if (!toFlex || uri === undefined || basePaths.includes(String(uri))) return [];
      return [{ rule: 'rewrite-basepath', located, pointer: `/spec/http/${r}/rewrite/uri`, message: `rewrites to "${String(uri)}" on Flex, but no ApiInstance has that base path (have: ${basePaths.join(', ') || 'none'})` }];
    }),
  );
};

const uniqueApiAddress: Rule = (index) => {
  const seen = new Map<string, LocatedDoc>();
  return ofKind(index, 'ApiInstance').flatMap((located) => {
    const address = apiAddress(located);
    if (!address) return [];
    const key = `${address.port}${address.basePath}`;
    const first = seen.get(key);
    if (!first) return (seen.set(key, located), []);
    return [{ rule: 'apiinstance-unique-address', located, pointer: '/spec/address', message: `shares port ${address.port} and base path ${address.basePath} with ${ref(first)}` }];
  });
};

const gatewaySelector: Rule = (index) => {
  const labels = index.gatewayLabels();
  if (!labels) return [];
  return ofKind(index, 'Gateway').flatMap((located) => {
    const selector = obj(obj(located.doc.spec).selector) as Record<string, string>;
    const wrong = Object.entries(selector).filter(([key, value]) => labels[key] !== value);
    return wrong.length === 0 ? [] : [{ rule: 'gateway-selector', located, pointer: `/spec/selector/${wrong[0]![0]}`, message: `selector ${wrong.map(([k, v]) => `${k}=${v}`).join(',')} matches no pod of the gateway chart release, whose pods carry ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}` }];
  });
};

const authorizationIncludesFlex: Rule = (index) => {
  const flex = flexServiceHost(index);
  if (!flex) return [];
  return ofKind(index, 'AuthorizationPolicy').flatMap((located) => {
    const namespaces = arr(obj(located.doc.spec).rules).flatMap((rule) => arr(obj(rule).from).flatMap((from) => arr(obj(obj(from).source).namespaces).map(String)));
    return namespaces.includes(flex.namespace) ? [] : [{ rule: 'authz-includes-flex', located, pointer: '/spec/rules', message: `allows namespaces ${namespaces.join(', ') || '(none)'} but not ${flex.namespace}, where Flex Gateway (chart release ${flex.name}) runs` }];
  });
};

const namespacesExist: Rule = (index) => {
  const known = new Set([...index.namespacesCreated, ...index.preExistingNamespaces]);
  const missing = (located: LocatedDoc, namespace: string, what: string, pointer: string) =>
    namespace && !known.has(namespace) ? [{ rule: 'namespace-exists', located, pointer, message: `namespace "${namespace}" (which it ${what}) is neither created by the bundle nor declared pre-existing (namespaces.preExisting)` }] : [];
  return index.docs.flatMap((located) => [
    ...missing(located, located.doc.metadata.namespace ?? '', 'uses', '/metadata/namespace'),
    ...(located.doc.kind === 'Application' ? missing(located, String(obj(obj(located.doc.spec).destination).namespace ?? ''), 'deploys into', '/spec/destination/namespace') : []),
  ]);
};

// Custom resources must sync after the Application that installs their CRDs.
const CRD_PROVIDERS: Array<{ group: RegExp; chart: string }> = [
  { group: /^(networking|security|telemetry|extensions)\.istio\.io\//, chart: 'base' },
  { group: /^gateway\.mulesoft\.com\//, chart: 'flex-gateway' },
];
const syncWaveOrder: Rule = (index) =>
  index.docs.flatMap((located) => {
    const provider = CRD_PROVIDERS.find((candidate) => candidate.group.test(located.doc.apiVersion));
    const providerApp = provider && index.chartApp(provider.chart);
    const app = index.appOf(located.file);
    if (!providerApp || !app || app.wave > providerApp.wave) return [];
    return [{ rule: 'sync-wave-crd-order', located, pointer: '/apiVersion', message: `is synced by Application ${app.name} in wave ${app.wave}, not after ${providerApp.name} (wave ${providerApp.wave}) that installs its CRD` }];
  });

export const RULES: Record<string, Rule> = {
  'vs-destination-service': vsDestinationService,
  'apiinstance-port': apiInstancePort,
  'rewrite-basepath': rewriteMatchesBasePath,
  'apiinstance-unique-address': uniqueApiAddress,
  'gateway-selector': gatewaySelector,
  'authz-includes-flex': authorizationIncludesFlex,
  'namespace-exists': namespacesExist,
  'sync-wave-crd-order': syncWaveOrder,
};
