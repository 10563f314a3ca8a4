// Connected Mode: the reconcile ConfigMap's desired state must be valid and must fit the bundle it ships with (the
// Flex port, the routes sent to Flex, the upstream Services), and the Job must run exactly that state with every
// credential it names. The contract is stated here from the documents alone, not from the builders' constants.
import { createHash } from 'node:crypto';
import { issuesFromAjvErrors } from '../issues.ts';
import { loadValidator } from '../load-validator.ts';
import type { LocatedDoc, ManifestIndex } from './context.ts';
import type { CrossReferenceIssue } from './rules.ts';
import { arr, obj, type Json } from './json.ts';

const KEY = 'desired-state.json';
const HASH_ANNOTATION = 'flexmesh.dev/desired-state-sha256';
const schemaValidator = () => loadValidator('api-manager-desired-state');

interface State { located: LocatedDoc; text: string; value: Json }

/** ConfigMaps that carry a desired state, with its text. */
function stateConfigMaps(index: ManifestIndex): Array<{ located: LocatedDoc; text: string }> {
  return index.docs.flatMap((located) => {
    const text = located.doc.kind === 'ConfigMap' ? obj(located.doc.data)[KEY] : undefined;
    return text === undefined ? [] : [{ located, text: String(text) }];
  });
}

/** The APIs of every desired state that parses; one that does not is reported by desired-state-schema. */
export function desiredApis(index: ManifestIndex): Json[] {
  return stateConfigMaps(index).flatMap(({ text }) => {
    try {
      return arr(obj(JSON.parse(text)).apis).map(obj);
    } catch {
      return [];
    }
  });
}

function states(index: ManifestIndex): { states: State[]; issues: CrossReferenceIssue[] } {
  const found: State[] = [];
  const issues: CrossReferenceIssue[] = [];
  for (const { located, text } of stateConfigMaps(index)) {
    const pointer = `/data/${KEY}`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      issues.push({ rule: 'desired-state-schema', located, pointer, message: `${KEY} is not JSON: ${(error as Error).message}` });
      continue;
    }
    const validate = schemaValidator();
    if (!validate(value)) {
      // The output checks' one wording of schema errors, as for every other document.
      for (const issue of issuesFromAjvErrors(validate.errors ?? [])) issues.push({ rule: 'desired-state-schema', located, pointer, message: `${KEY}${issue.path} ${issue.message} (schemas/api-manager/desired-state.schema.json)` });
      continue;
    }
    found.push({ located, text, value: value as Json });
  }
  return { states: found, issues };
}

function fitsBundle(index: ManifestIndex, state: State): CrossReferenceIssue[] {
  const issues: CrossReferenceIssue[] = [];
  const issue = (message: string) => issues.push({ rule: 'desired-state-fits-bundle', located: state.located, pointer: `/data/${KEY}`, message });
  const flex = index.chartApp('flex-gateway');
  const flexPort = Number(obj(obj(flex?.values.service).http).port ?? 80);
  if (flex && obj(flex.values.gateway).mode !== 'connected') issue(`the Flex chart (Application ${flex.name}) does not run in Connected Mode, so nothing reads API Manager`);
  const apis = arr(state.value.apis).map(obj);
  const prefix = String(obj(state.value.ownership).instanceLabelPrefix);
  const seen = new Map<string, string>();
  for (const api of apis) {
    const name = String(api.name);
    const endpoint = obj(api.endpoint);
    const proxy = /^http:\/\/0\.0\.0\.0:(\d+)(\/.*)$/.exec(String(endpoint.proxyUri));
    if (proxy && Number(proxy[1]) !== flexPort) issue(`API ${name} listens on port ${proxy[1]} but the Flex Service exposes ${flexPort}`);
    const address = proxy ? `${proxy[1]}${proxy[2]}` : '';
    if (seen.has(address)) issue(`APIs ${seen.get(address)} and ${name} share ${String(endpoint.proxyUri)}`);
    seen.set(address, name);
    if (!String(api.instanceLabel).startsWith(prefix)) issue(`API ${name}'s instance label ${String(api.instanceLabel)} does not start with the owned prefix ${prefix}, so the reconcile would never find it again`);
    const upstream = /^https?:\/\/([^/:]+):(\d+)\/$/.exec(String(endpoint.uri));
    const service = upstream ? index.service(upstream[1]!, 'default') : undefined;
    if (!service || !service.ports.includes(Number(upstream?.[2]))) issue(`API ${name}'s upstream ${String(endpoint.uri)} is not a Service port of the bundle`);
  }
  const basePaths = apis.map((api) => /^http:\/\/[^/]+(\/.*)$/.exec(String(obj(api.endpoint).proxyUri))?.[1]);
  for (const located of index.docs.filter((candidate) => candidate.doc.kind === 'VirtualService')) {
    arr(obj(located.doc.spec).http).map(obj).forEach((route, r) => {
      const toFlex = arr(route.route).some((entry) => index.service(String(obj(obj(entry).destination).host ?? ''), index.namespaceOf(located))?.name === flex?.releaseName);
      const uri = obj(route.rewrite).uri;
      if (toFlex && uri !== undefined && !basePaths.includes(String(uri))) {
        issues.push({ rule: 'desired-state-fits-bundle', located, pointer: `/spec/http/${r}/rewrite/uri`, message: `rewrites to "${String(uri)}" on Flex, but no API of the API Manager desired state has that base path (have: ${basePaths.join(', ')})` });
      }
    });
  }
  return issues;
}

function mountsConfigMap(pod: Json, configMap: string): boolean {
  return arr(pod.volumes).some((volume) => obj(obj(volume).configMap).name === configMap);
}

/** The Jobs (and CronJob templates) that mount the state: same sha256, every named credential fed from a Secret. */
function jobsRunState(index: ManifestIndex, state: State): CrossReferenceIssue[] {
  const issues: CrossReferenceIssue[] = [];
  const sha = createHash('sha256').update(state.text).digest('hex');
  const variables = arr(state.value.apis).flatMap((api) => arr(obj(api).policies).flatMap((policy) => Object.values(obj(obj(policy).secretConfiguration)).map(String)));
  const needsRegistration = obj(state.value.anypoint).targetId === undefined;
  const registrationSecret = String(obj(index.chartApp('flex-gateway')?.values.registration).secretName ?? '');
  const runners = index.docs.flatMap((located) => {
    const spec = obj(located.doc.spec);
    const pod = located.doc.kind === 'Job' ? obj(obj(spec.template).spec) : located.doc.kind === 'CronJob' ? obj(obj(obj(obj(spec.jobTemplate).spec).template).spec) : undefined;
    return pod && mountsConfigMap(pod, state.located.doc.metadata.name) ? [{ located, pod }] : [];
  });
  if (!runners.some(({ located }) => located.doc.kind === 'Job' && located.doc.metadata.annotations?.['argocd.argoproj.io/hook'] === 'Sync')) {
    issues.push({ rule: 'reconcile-job', located: state.located, pointer: '/metadata/name', message: `no Argo CD Sync-hook Job mounts ConfigMap ${state.located.doc.metadata.name}, so API Manager is never reconciled` });
  }
  for (const { located, pod } of runners) {
    const issue = (pointer: string, message: string) => issues.push({ rule: 'reconcile-job', located, pointer, message });
    if (located.doc.metadata.annotations?.[HASH_ANNOTATION] !== sha) issue(`/metadata/annotations`, `annotation ${HASH_ANNOTATION} is not the sha256 of ${KEY} (${sha}), so the verification cannot tell which state it ran`);
    if (located.doc.metadata.namespace !== state.located.doc.metadata.namespace) issue('/metadata/namespace', `runs in ${located.doc.metadata.namespace ?? '(none)'}, not beside ConfigMap ${state.located.doc.metadata.name}`);
    const env = arr(obj(arr(pod.containers)[0]).env).map(obj);
    const fromSecret = new Set(env.filter((entry) => obj(obj(entry.valueFrom).secretKeyRef).name !== undefined).map((entry) => String(entry.name)));
    for (const variable of ['ANYPOINT_CLIENT_ID', 'ANYPOINT_CLIENT_SECRET', ...variables]) {
      if (!fromSecret.has(variable)) issue('/spec', `the container does not read ${variable} from a Secret, which ${KEY} needs`);
    }
    if (needsRegistration) {
      const mounted = arr(pod.volumes).some((volume) => obj(obj(volume).secret).secretName === registrationSecret);
      if (!mounted) issue('/spec', `${KEY} names no targetId, but the pod does not mount the registration Secret ${registrationSecret || '(none)'} to read the agent id from`);
    }
  }
  return issues;
}

export function apiManagerIssues(index: ManifestIndex): CrossReferenceIssue[] {
  const { states: found, issues } = states(index);
  return [...issues, ...found.flatMap((state) => [...fitsBundle(index, state), ...jobsRunState(index, state)])];
}
