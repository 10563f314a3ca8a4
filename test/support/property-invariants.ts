// Invariants 1-5 of test/environments.property.test.ts. Each takes one generated case and returns the problems it
// finds (empty: the invariant holds). Expectations come from the effective environment (property-bundle.ts), never
// from generator code. Invariants 6-9 are in property-invariants-wiring.ts.
import { allNamespaceUses, arr, bundleServices, findService, namespaceReferences, obj, parseUrl, readmeNamespaceMentions, resolveHost, str, strings, workflowParameters } from './property-k8s.ts';
import type { BundleDoc, Case, Effective } from './property-bundle.ts';

export type Check = (c: Case) => string[];

const accepted = (c: Case) => (c.outcome.kind === 'accepted' ? c.outcome : undefined);
const ofKind = (docs: readonly BundleDoc[], kind: string) => docs.filter((entry) => entry.doc.kind === kind);
const label = (entry: BundleDoc) => `${entry.path} ${entry.doc.kind}/${entry.doc.metadata?.name}`;

/** 1. Only InputError, and each diagnostic names the environment file, a field path and a problem. */
export const clearRefusal: Check = (c) => {
  const { outcome } = c;
  if (outcome.kind === 'crashed') {
    const error = outcome.error as Error;
    return [`generateFromText threw ${error?.name ?? typeof error} instead of InputError: ${error?.message ?? String(error)}\n${(error?.stack ?? '').split('\n').slice(1, 6).join('\n')}`];
  }
  if (outcome.kind !== 'refused') return [];
  if (outcome.diagnostics.length === 0) return ['InputError without diagnostics'];
  const file = `environments/${c.name}.yaml`;
  return outcome.diagnostics.flatMap((d, i) => [
    // A diagnostic about a generated file means flexmesh built a wrong bundle from a valid environment and only its
    // own output checks stopped it: the person cannot act on it, so it is no clear refusal.
    ...(str(d.file).trim() !== '' && d.file !== file ? [`diagnostic ${i} is about ${d.file}, not ${file} (flexmesh's output checks refused its own bundle): ${d.path}: ${d.problem}`] : []),
    ...(str(d.file).trim() === '' ? [`diagnostic ${i} has no file`] : []),
    ...(str(d.path).trim() === '' ? [`diagnostic ${i} has no field path`] : []),
    ...(str(d.problem).trim() === '' ? [`diagnostic ${i} (${d.path}) has an empty problem`] : []),
  ]);
};

/** 2. Every namespace a document uses is created by the bundle or may be assumed. */
export const namespacesExist: Check = (c) => {
  const bundle = accepted(c);
  if (!bundle) return [];
  const created = new Set([
    ...ofKind(bundle.docs, 'Namespace').map((entry) => entry.doc.metadata.name),
    ...ofKind(bundle.docs, 'Application')
      .filter((entry) => arr(obj(obj(entry.doc.spec).syncPolicy).syncOptions).includes('CreateNamespace=true'))
      .map((entry) => str(obj(obj(entry.doc.spec).destination).namespace)),
  ]);
  const allowed = new Set([...created, c.env.argocd.namespace, c.env.verification.namespace, ...c.env.namespaces.preExisting]);
  return namespaceReferences(bundle.docs)
    .filter((use) => !allowed.has(use.namespace))
    .map((use) => `namespace "${use.namespace}" (${use.where}) is neither created by the bundle (${[...created].join(', ')}) nor Argo CD's, the verification's or pre-existing`);
};

/** 3. Routes and ApiInstances address Services of the bundle; each ApiInstance forwards to its API's upstream. */
export const routesTargetServices: Check = (c) => {
  const bundle = accepted(c);
  if (!bundle) return [];
  const env = c.env;
  const services = bundleServices(env);
  const problems: string[] = [];
  for (const entry of ofKind(bundle.docs, 'VirtualService')) {
    const from = entry.doc.metadata.namespace ?? '(no namespace)';
    const spec = obj(entry.doc.spec);
    for (const host of arr(spec.hosts).map(str).filter((host) => host !== '*')) {
      if (!findService(services, host, from)) problems.push(`${label(entry)}: host ${host} is not a Service of the bundle`);
    }
    arr(spec.http).forEach((route, r) => arr(obj(route).route).forEach((target, d) => {
      const destination = obj(obj(target).destination);
      const host = str(destination.host);
      const service = findService(services, host, from);
      const port = obj(destination.port).number;
      if (!service) problems.push(`${label(entry)}: http[${r}].route[${d}] goes to ${host}, not a Service of the bundle`);
      else if (port === undefined ? service.ports.length !== 1 : !service.ports.includes(Number(port))) {
        problems.push(`${label(entry)}: http[${r}].route[${d}] goes to ${host}:${String(port)}, but ${service.what} ${service.namespace}/${service.name} serves ${service.ports.join(', ')}`);
      }
    }));
  }
  const instances = ofKind(bundle.docs, 'ApiInstance');
  if (env.flex.mode !== 'local') {
    return [...problems, ...instances.map((entry) => `${label(entry)}: an ApiInstance in ${env.flex.mode} mode, where APIs live in API Manager`), ...desiredStateMatches(c, bundle)];
  }
  for (const entry of instances) {
    for (const [key, service] of Object.entries(obj(obj(entry.doc.spec).services))) {
      const url = parseUrl(str(obj(service).address));
      if (!url || !findService(services, url.host, env.flex.namespace)) problems.push(`${label(entry)}: services.${key}.address ${str(obj(service).address)} is not a Service of the bundle`);
    }
  }
  for (const api of env.apis) {
    const entry = instances.find((candidate) => candidate.doc.metadata.name === api.name);
    if (!entry) {
      problems.push(`API ${api.name}: no ApiInstance named ${api.name} in local mode (have ${instances.map((i) => i.doc.metadata.name).join(', ') || 'none'})`);
      continue;
    }
    if (entry.doc.metadata.namespace !== env.flex.namespace) problems.push(`${label(entry)}: in namespace ${entry.doc.metadata.namespace}, not the Flex namespace ${env.flex.namespace}`);
    const address = parseUrl(str(obj(entry.doc.spec).address));
    if (!address || address.port !== env.flex.port || address.path !== api.basePath) problems.push(`${label(entry)}: address ${str(obj(entry.doc.spec).address)}, but API ${api.name} is ${api.basePath} on Flex port ${env.flex.port}`);
    const upstreams = Object.values(obj(obj(entry.doc.spec).services)).map((service) => parseUrl(str(obj(service).address)));
    const want = api.upstream;
    const ref = upstreams.length === 1 && upstreams[0] ? resolveHost(upstreams[0].host, env.flex.namespace) : undefined;
    const ok = ref?.name === want.service && ref.namespace === want.namespace && upstreams[0]!.port === want.port;
    if (!ok) {
      const got = Object.values(obj(obj(entry.doc.spec).services)).map((service) => str(obj(service).address)).join(', ');
      problems.push(`${label(entry)}: forwards to ${got || 'nothing'}, but API ${api.name} names upstream ${want.service} in namespace ${want.namespace} port ${want.port}`);
    }
  }
  return problems;
};

interface ProbeView { name: string; template: Record<string, unknown>; urls: Array<{ parameter: string; value: string }> }

/** The probes of the verification WorkflowTemplate: DAG tasks with their template and the URL parameters they use. */
export function probesOf(entry: BundleDoc): ProbeView[] {
  const spec = obj(entry.doc.spec);
  const templates = arr(spec.templates).map(obj);
  const parameters = new Map(workflowParameters(entry).map((parameter) => [parameter.name, parameter.value]));
  const dag = templates.find((template) => template.name === spec.entrypoint);
  return arr(obj(dag?.dag).tasks).map(obj).map((task) => {
    const used = arr(obj(task.arguments).parameters).flatMap((parameter) => [...str(obj(parameter).value).matchAll(/\{\{workflow\.parameters\.([\w-]+)\}\}/g)].map((match) => match[1]!));
    return {
      name: str(task.name),
      template: templates.find((template) => template.name === task.template) ?? {},
      urls: used.filter((name) => name.endsWith('-url')).map((name) => ({ parameter: name, value: parameters.get(name) ?? '' })),
    };
  });
}

function probeApis(env: Effective, probe: ProbeView): Effective['apis'] {
  const byName = env.apis.filter((api) => probe.name.endsWith(`-${api.name}`)).sort((a, b) => b.name.length - a.name.length).slice(0, 1);
  const northSouth = probe.name === 'north-south' ? env.apis.filter((api) => api.traffic === 'north-south') : [];
  const viaFlex = probe.urls.flatMap(({ value }) => {
    const url = parseUrl(value);
    const flex = url && findService([{ name: env.flex.releaseName, namespace: env.flex.namespace, ports: [env.flex.port], what: '' }], url.host, env.verification.namespace);
    return flex && url ? env.apis.filter((api) => url.path.startsWith(api.basePath)).sort((a, b) => b.basePath.length - a.basePath.length).slice(0, 1) : [];
  });
  return [...new Set([...byName, ...northSouth, ...viaFlex])];
}

/** 4. Probe URLs target served ports of the bundle's Services; probes of a basic-auth API send its credentials. */
export const probesTargetAndAuthenticate: Check = (c) => {
  const bundle = accepted(c);
  if (!bundle) return [];
  const env = c.env;
  const services = bundleServices(env);
  const problems: string[] = [];
  for (const entry of ofKind(bundle.docs, 'WorkflowTemplate')) {
    for (const { name, value } of workflowParameters(entry).filter((parameter) => parameter.name.endsWith('-url'))) {
      const url = parseUrl(value);
      const service = url && findService(services, url.host, env.verification.namespace);
      if (!url) problems.push(`parameter ${name}=${value} is not an http URL`);
      else if (!service) problems.push(`parameter ${name}=${value}: ${url.host} is not a Service of the bundle`);
      else if (!service.ports.includes(url.port)) problems.push(`parameter ${name}=${value}: port ${url.port}, but ${service.what} ${service.namespace}/${service.name} serves ${service.ports.join(', ')}`);
    }
    for (const probe of probesOf(entry)) {
      for (const api of probeApis(env, probe)) {
        const auth = api.policies.find((policy) => policy.type === 'basic-auth');
        const credential = auth && env.credentials.find((candidate) => candidate.name === auth.credentials);
        if (!credential) continue;
        const secret = env.verification.credentialsSecret ?? credential.secretName;
        const envVars = arr(obj(probe.template.container).env).map(obj);
        for (const [variable, key] of [['BASIC_AUTH_USERNAME', credential.usernameKey], ['BASIC_AUTH_PASSWORD', credential.passwordKey]] as const) {
          const ref = obj(obj(envVars.find((item) => item.name === variable)?.valueFrom).secretKeyRef);
          if (ref.name !== secret || ref.key !== key) {
            problems.push(`probe ${probe.name} of basic-auth API ${api.name}: ${variable} is ${Object.keys(ref).length ? `secretKeyRef ${str(ref.name)}/${str(ref.key)}` : 'not set'}, expected secretKeyRef ${secret}/${key}`);
          }
        }
      }
    }
  }
  return problems;
};

const DEFAULT_NAMESPACES = ['flex', 'bookinfo', 'istio-system', 'argocd', 'argo', 'test'];
const PORT_8081 = /(?<![0-9])8081(?![0-9])/;
const OUT_DEV = /out\/dev(?![A-Za-z0-9._-])/;

/** 5. A default the environment replaced never shows up: default namespaces, port 8081, /ingress/, out/dev. */
export const noStaleDefaults: Check = (c) => {
  const bundle = accepted(c);
  if (!bundle) return [];
  const env = c.env;
  const named = new Set([env.argocd.namespace, env.istio.namespace, env.flex.namespace, env.namespaces.bookinfo, env.namespaces.test, env.verification.namespace, ...env.namespaces.preExisting, ...env.lockdown.allowFromNamespaces, ...env.apis.map((api) => api.upstream.namespace)]);
  const problems: string[] = [];
  const uses = allNamespaceUses(bundle.docs);
  const readme = bundle.files.get('README.md') ?? '';
  for (const namespace of DEFAULT_NAMESPACES.filter((candidate) => !named.has(candidate))) {
    const found = uses.filter((use) => use.namespace === namespace).map((use) => use.where);
    const inReadme = readmeNamespaceMentions(readme, namespace);
    if (found.length + inReadme.length > 0) problems.push(`namespace "${namespace}" is no namespace of this environment but is used at ${[...found.slice(0, 3), ...inReadme.slice(0, 2).map((m) => `README.md "${m}"`)].join('; ')}${found.length > 3 ? ` and ${found.length - 3} more` : ''}`);
  }
  const texts = [
    ...bundle.docs.flatMap((entry) => strings(entry.doc).map((item) => ({ where: `${label(entry)}: ${item.path}`, text: item.text }))),
    ...[...bundle.files].filter(([path]) => !path.endsWith('.yaml') && path !== '.flexmesh-manifest.json').map(([path, text]) => ({ where: path, text })),
  ];
  const forbid = (what: string, test: (text: string) => boolean) => {
    const hits = texts.filter((item) => test(item.text)).map((item) => item.where);
    if (hits.length > 0) problems.push(`${what} appears at ${hits.slice(0, 3).join('; ')}${hits.length > 3 ? ` and ${hits.length - 3} more` : ''}`);
  };
  if (env.flex.port !== 8081 && !PORT_8081.test(c.text)) forbid(`port 8081 (flex.port is ${env.flex.port})`, (text) => PORT_8081.test(text));
  if (!c.text.includes('/ingress/')) forbid('"/ingress/" (no API has that base path)', (text) => text.includes('/ingress/'));
  if (!OUT_DEV.test(env.gitops.path) && !OUT_DEV.test(c.text)) forbid(`"out/dev" (gitops.path is ${env.gitops.path})`, (text) => OUT_DEV.test(text));
  return problems;
};

/** Connected Mode: API Manager gets one instance per API, on the Flex port and base path, forwarding to its upstream. */
function desiredStateMatches(c: Parameters<Check>[0], bundle: NonNullable<ReturnType<typeof accepted>>): string[] {
  const env = c.env;
  const configMaps = ofKind(bundle.docs, 'ConfigMap').filter((entry) => typeof obj(entry.doc.data)['desired-state.json'] === 'string');
  if (configMaps.length !== 1) return [`${configMaps.length} ConfigMaps carry an API Manager desired state in connected mode, not 1`];
  const state = obj(JSON.parse(str(obj(configMaps[0]!.doc.data)['desired-state.json'])));
  const apis = arr(state.apis).map(obj);
  const problems = apis.length === env.apis.length ? [] : [`the desired state has ${apis.length} APIs, the environment ${env.apis.length}`];
  for (const api of env.apis) {
    const entry = apis.find((candidate) => candidate.name === api.name);
    const endpoint = obj(entry?.endpoint);
    if (!entry) problems.push(`API ${api.name}: not in the API Manager desired state`);
    else if (str(endpoint.proxyUri) !== `http://0.0.0.0:${env.flex.port}${api.basePath}`) problems.push(`API ${api.name}: proxyUri ${str(endpoint.proxyUri)}, but it is ${api.basePath} on Flex port ${env.flex.port}`);
    else if (str(endpoint.uri) !== `http://${api.upstream.service}.${api.upstream.namespace}.svc:${api.upstream.port}/`) problems.push(`API ${api.name}: upstream ${str(endpoint.uri)}, but it names ${api.upstream.service} in ${api.upstream.namespace} port ${api.upstream.port}`);
  }
  return problems;
}
