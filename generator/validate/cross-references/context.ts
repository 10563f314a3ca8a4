// An index over a set of manifests (a generated bundle or a directory on disk) that the cross-reference
// rules query: which Application syncs a file, which Services and namespaces exist, what the charts provide.
import type { Manifest } from '../../resources/types.ts';
import { chartDeployments, chartServices, gatewayChartPodLabels } from './chart-facts.ts';
import { arr, obj } from './json.ts';

export interface LocatedDoc {
  file: string;
  line: number;
  col: number;
  doc: Manifest;
  /** Line and column of a JSON pointer inside this document, when the source text is known. */
  positionOf?: (pointer: string) => { line: number; col: number };
}

export interface AppInfo {
  located: LocatedDoc;
  name: string;
  wave: number;
  namespace: string;
  chart?: string;
  releaseName?: string;
  path?: string;
  values: Record<string, unknown>;
  createNamespace: boolean;
}

export interface ServiceInfo { name: string; namespace: string; ports: number[]; origin: string }


function appInfo(located: LocatedDoc): AppInfo {
  const { doc } = located;
  const spec = obj(doc.spec);
  const source = obj(spec.source);
  const helm = obj(source.helm);
  const syncOptions = arr(obj(spec.syncPolicy).syncOptions).map(String);
  return {
    located,
    name: doc.metadata.name,
    wave: Number(doc.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0),
    namespace: String(obj(spec.destination).namespace ?? ''),
    chart: typeof source.chart === 'string' ? source.chart : undefined,
    releaseName: typeof source.chart === 'string' ? String(helm.releaseName ?? doc.metadata.name) : undefined,
    path: typeof source.path === 'string' ? source.path.replace(/\/+$/, '') : undefined,
    values: obj(helm.valuesObject),
    createNamespace: syncOptions.includes('CreateNamespace=true'),
  };
}

function servicesOfChart(app: AppInfo): ServiceInfo[] {
  if (!app.releaseName) return [];
  const origin = `chart ${app.chart} (Application ${app.name})`;
  return chartServices(app.chart, app.releaseName, app.values).map((service) => ({ ...service, namespace: app.namespace, origin }));
}

export class ManifestIndex {
  readonly apps: AppInfo[];
  readonly services: ServiceInfo[];
  readonly namespacesCreated: Set<string>;
  /** `namespace/name` of every Deployment the bundle's documents or its charts create. */
  readonly deployments: Set<string>;
  /** Each app's source path in segments, and appOf's answers: the index is built once and never changes. */
  private readonly appPaths: string[][];
  private readonly appsByFile = new Map<string, AppInfo | undefined>();

  constructor(readonly docs: readonly LocatedDoc[], readonly preExistingNamespaces: readonly string[]) {
    this.apps = docs.filter((located) => located.doc.kind === 'Application' && located.doc.apiVersion.startsWith('argoproj.io/')).map(appInfo);
    this.appPaths = this.apps.map((app) => (app.path ?? '').split('/').filter(Boolean));
    this.namespacesCreated = new Set([
      ...docs.filter((located) => located.doc.kind === 'Namespace').map((located) => located.doc.metadata.name),
      ...this.apps.filter((app) => app.createNamespace).map((app) => app.namespace),
    ]);
    this.services = [
      ...docs.filter((located) => located.doc.kind === 'Service').map((located) => ({
        name: located.doc.metadata.name,
        namespace: this.namespaceOf(located),
        ports: arr(obj(located.doc.spec).ports).map((port) => Number(obj(port).port)),
        origin: located.file,
      })),
      ...this.apps.flatMap(servicesOfChart),
    ];
    this.deployments = new Set([
      ...docs.filter((located) => located.doc.kind === 'Deployment').map((located) => `${this.namespaceOf(located)}/${located.doc.metadata.name}`),
      ...this.apps.flatMap((app) => (app.releaseName ? chartDeployments(app.chart, app.releaseName, app.values).map((name) => `${app.namespace}/${name}`) : [])),
    ]);
  }

  /**
   * The Application whose source path is the directory of `file`. Paths are compared by their common trailing
   * segments, since the repository path (out/dev/manifests/mesh) and a local path (../gitops/manifests/mesh) differ in front.
   */
  appOf(file: string): AppInfo | undefined {
    // Asked for every document of a file by several rules: answered once per file.
    if (this.appsByFile.has(file)) return this.appsByFile.get(file);
    const dir = file.split('/').slice(0, -1);
    let best: { app: AppInfo; common: number } | undefined;
    for (const [index, app] of this.apps.entries()) {
      const path = this.appPaths[index]!;
      let common = 0;
      while (common < path.length && common < dir.length && path[path.length - 1 - common] === dir[dir.length - 1 - common]) common++;
      if (common > 0 && (!best || common > best.common)) best = { app, common };
    }
    this.appsByFile.set(file, best?.app);
    return best?.app;
  }

  namespaceOf(located: LocatedDoc): string {
    return located.doc.metadata.namespace ?? this.appOf(located.file)?.namespace ?? 'default';
  }

  /** In Connected Mode the APIs live in API Manager, so no rule can expect ApiInstances in the manifests. */
  apisDefinedElsewhere(): boolean {
    return obj(this.chartApp('flex-gateway')?.values.gateway).mode === 'connected';
  }

  chartApp(chart: string): AppInfo | undefined {
    return this.apps.find((app) => app.chart === chart);
  }

  /** Pod labels of the istio/gateway release, as the chart derives them from the release name and values. */
  gatewayLabels(): Record<string, string> | undefined {
    const app = this.chartApp('gateway');
    return app?.releaseName ? gatewayChartPodLabels(app.releaseName, app.values) : undefined;
  }

  /**
   * Resolves a host relative to the namespace of the referring object, in the forms Kubernetes DNS answers for a
   * Service: `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`. Any other name is not a Service of the bundle.
   */
  service(host: string, fromNamespace: string): ServiceInfo | undefined {
    const match = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(host);
    if (!match) return undefined;
    const [, name, namespace = fromNamespace] = match;
    return this.services.find((service) => service.name === name && service.namespace === namespace);
  }
}
