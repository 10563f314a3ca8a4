// The verification WorkflowTemplate as Argo would validate it, and as derived from the environment: probe
// selection, order, retries and timeouts, parameters, Secrets, the probe-script ConfigMap and the README.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, type Edit } from './support/fixtures.ts';
import { reimplementedArgoProblems, topologicalOrder, type Template, type WorkflowTemplate } from './support/verification/argo-rules-reimplemented.ts';
import { DEV_PROBES, RATINGS_API, RENAMED_FLEX, docsOfKind, entrypointTasks, generated, requireWorkflowTemplate, taskNames, workflowParameters, workflowTemplateOf, type Generated } from './support/verification/bundle.ts';

const PROBES_DIR = join(PROJECT_ROOT, 'templates', 'probes');
const without = (...names: string[]) => DEV_PROBES.filter((name) => !names.includes(name));

// Which probes run is decided by the environment's features, nothing else.
const VARIATIONS: Array<{ name: string; edits: readonly Edit[]; probes: readonly string[] | null }> = [
  { name: 'dev as committed', edits: [], probes: DEV_PROBES },
  { name: 'lockdown disabled', edits: [[['lockdown', 'enabled'], false]], probes: without('lockdown') },
  { name: 'lockdown allowing the test namespace', edits: [[['lockdown', 'allowFromNamespaces'], ['flex', 'bookinfo', 'test']]], probes: without('lockdown') },
  { name: 'no basic-auth on the north-south API', edits: [[['apis', 0, 'policies', 0], undefined]], probes: DEV_PROBES },
  { name: 'no rate-limiting on bookinfo-reviews', edits: [[['apis', 1, 'policies', 1], undefined]], probes: without('rate-limit-bookinfo-reviews') },
  { name: 'no message-logging on bookinfo-reviews', edits: [[['apis', 1, 'policies', 0], undefined]], probes: without('east-west-log-bookinfo-reviews') },
  // The east-west trigger is a call from the sleep pod, so it needs no north-south API.
  { name: 'no north-south API', edits: [[['apis', 0], undefined]], probes: without('north-south') },
  { name: 'a burst too large to send', edits: [[['apis', 1, 'policies', 1, 'rateLimits', 0, 'maximumRequests'], 2000]], probes: without('rate-limit-bookinfo-reviews') },
  { name: 'a window too short to hit', edits: [[['apis', 1, 'policies', 1, 'rateLimits', 0, 'timePeriodInMilliseconds'], 500]], probes: without('rate-limit-bookinfo-reviews') },
  { name: 'every Bookinfo Service routed through Flex: no direct call is left for the lockdown', edits: [[['apis', 1, 'upstream'], { service: 'details', port: 9080 }], [['apis', 2], { ...RATINGS_API, name: 'r2', basePath: '/r2/', upstream: { service: 'reviews', port: 9080 } }], [['apis', 3], RATINGS_API], [['apis', 4], { ...RATINGS_API, name: 'p2', basePath: '/p2/', upstream: { service: 'productpage', port: 9080 } }]], probes: ['argocd-apps', 'workloads-ready', 'north-south', 'east-west-log-bookinfo-reviews', 'rate-limit-bookinfo-reviews', 'rate-limit-r2', 'rate-limit-bookinfo-ratings', 'rate-limit-p2', 'flexctl-check'] },
  { name: 'a remote destination: no argocd-apps (the Applications live on the Argo CD cluster)', edits: [[['argocd', 'destination'], { server: 'https://edge.example.com:6443' }]], probes: without('argocd-apps') },
  { name: 'a second east-west API with only a rate limit', edits: [[['apis', 2], RATINGS_API]], probes: [...DEV_PROBES.slice(0, 5), 'rate-limit-bookinfo-ratings', ...DEV_PROBES.slice(5)] },
  { name: 'renamed flex namespace, release and port', edits: RENAMED_FLEX, probes: DEV_PROBES },
  { name: 'another verification namespace and probe image', edits: [[['verification', 'namespace'], 'workflows'], [['verification', 'probeImage'], 'registry.example.com/probe:2.0']], probes: DEV_PROBES },
  { name: 'verification disabled', edits: [[['verification', 'enabled'], false]], probes: null },
];
const ENABLED = VARIATIONS.filter((variation) => variation.probes !== null);

/**
 * The intended DAG: argocd-apps → workloads-ready → every request probe (north-south, east-west-log-*); the
 * rate-limit bursts after all request probes (a burst makes the API refuse their calls for one window).
 */
function intendedDependencies(names: readonly string[]): Record<string, string[]> {
  const requests = names.filter((name) => name === 'north-south' || name.startsWith('east-west-log-'));
  return Object.fromEntries(names.map((name) => {
    if (name === 'argocd-apps') return [name, []];
    if (name === 'workloads-ready') return [name, names.includes('argocd-apps') ? ['argocd-apps'] : []];
    if (name.startsWith('rate-limit-')) return [name, requests.length > 0 ? requests : ['workloads-ready']];
    return [name, ['workloads-ready']];
  }));
}
const RANKS = [/^argocd-apps$/, /^workloads-ready$/, /^north-south$/, /^east-west-log-/, /^rate-limit-/, /^lockdown$/, /^flexctl-check$/];

const templateOf = (wt: WorkflowTemplate, name: string): Template => wt.spec.templates.find((template) => template.name === name)!;
const probeTemplates = (wt: WorkflowTemplate) => taskNames(wt).map((name) => templateOf(wt, name));
const allEnv = (wt: WorkflowTemplate) => wt.spec.templates.flatMap((template) => (template.container?.env ?? []).map((variable) => ({ template: template.name, ...variable })));

describe('verification WorkflowTemplate', () => {
  let dev: Generated;
  let devWt: WorkflowTemplate;
  before(() => {
    dev = generated();
    devWt = requireWorkflowTemplate(dev);
  });

  // The project's re-implementation of Argo's validate.go rules, itself tested in test/argo-rules-reimplemented.test.ts.
  describe('passes the Argo validation rules (as re-implemented by flexmesh)', () => {
    for (const { name, edits } of ENABLED) {
      it(name, () => assert.deepEqual(reimplementedArgoProblems(requireWorkflowTemplate(generated(...edits))), []));
    }
  });

  it('runs the dev probes in the tutorial order with the intended dependencies', () => {
    assert.deepEqual(taskNames(devWt), [...DEV_PROBES]);
    assert.deepEqual(Object.fromEntries(entrypointTasks(devWt).map((task) => [task.name, task.dependencies ?? []])), {
      'argocd-apps': [], 'workloads-ready': ['argocd-apps'], 'north-south': ['workloads-ready'],
      'east-west-log-bookinfo-reviews': ['workloads-ready'], 'rate-limit-bookinfo-reviews': ['north-south', 'east-west-log-bookinfo-reviews'],
      lockdown: ['workloads-ready'], 'flexctl-check': ['workloads-ready'],
    });
    const { order, cyclic } = topologicalOrder(entrypointTasks(devWt));
    assert.deepEqual([cyclic, [...order].sort()], [[], [...DEV_PROBES].sort()]);
    for (const task of entrypointTasks(devWt)) {
      for (const dependency of task.dependencies ?? []) {
        assert.ok(order.indexOf(dependency) < order.indexOf(task.name), `${dependency} before ${task.name} in the topological order`);
        assert.ok(DEV_PROBES.indexOf(dependency as never) < DEV_PROBES.indexOf(task.name as never), `${dependency} listed before ${task.name}`);
      }
    }
  });

  describe('leaves a probe out exactly when its feature is off', () => {
    for (const { name, edits, probes } of VARIATIONS) {
      it(`${name}: ${probes ? probes.join(', ') : 'no WorkflowTemplate'}`, () => {
        const bundle = generated(...edits);
        const wt = workflowTemplateOf(bundle);
        if (probes === null) {
          assert.equal(wt, undefined);
          assert.deepEqual([...bundle.files.keys()].filter((path) => path.includes('verification')), []);
          return;
        }
        assert.deepEqual(taskNames(wt!), [...probes]);
        const tasks = entrypointTasks(wt!);
        assert.deepEqual(Object.fromEntries(tasks.map((task) => [task.name, task.dependencies ?? []])), intendedDependencies(probes));
        const ranks = probes.map((probe) => RANKS.findIndex((rank) => rank.test(probe)));
        assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'listed in probe order');
        assert.deepEqual(wt!.spec.templates.map((template) => template.name), ['probes', ...probes, 'summary']);
      });
    }
  });

  describe('probe templates retry with backoff, time out, skip the mesh and use the probe image', () => {
    for (const { name, edits } of ENABLED) {
      it(name, () => {
        const { env } = generated(...edits);
        const wt = requireWorkflowTemplate(generated(...edits));
        assert.equal(wt.spec.podMetadata?.annotations?.['sidecar.istio.io/inject'], 'false');
        assert.equal(wt.metadata.namespace, env.verification.namespace);
        for (const template of probeTemplates(wt)) {
          assert.match(String(template.timeout), /^\d+s$/, template.name);
          const retry = template.retryStrategy;
          assert.ok(Number(retry?.limit) >= 1, `${template.name} retries`);
          assert.match(String(retry?.backoff?.duration), /^\d+[smh]$/, `${template.name} backoff.duration`);
          assert.match(String(retry?.backoff?.maxDuration), /^\d+[smh]$/, `${template.name} backoff.maxDuration`);
          assert.equal(template.metadata, undefined, 'no per-template pod metadata overrides spec.podMetadata');
        }
        for (const template of wt.spec.templates.filter((candidate) => candidate.container)) assert.equal(template.container!.image, env.verification.probeImage, template.name);
      });
    }
  });

  describe('credentials', () => {
    const secretRefs = (wt: WorkflowTemplate) => allEnv(wt).flatMap(({ template, name, valueFrom }) => (valueFrom ? [`${template} ${name} ${valueFrom.secretKeyRef?.name}/${valueFrom.secretKeyRef?.key}`] : []));
    // Only the probes of APIs with basic-auth send credentials: in dev, the north-south API's.
    const basicAuth = (secret: string, probes = ['north-south']) => probes.flatMap((template) => [`${template} BASIC_AUTH_PASSWORD ${secret}/password`, `${template} BASIC_AUTH_USERNAME ${secret}/username`]);
    it('a rate-limited API with basic-auth: the burst carries credentials (else it is 401, never 429)', () => {
      const wt = requireWorkflowTemplate(generated([['apis', 0, 'policies', 1], { type: 'rate-limiting', rateLimits: [{ maximumRequests: 3, timePeriodInMilliseconds: 60000 }] }]));
      assert.deepEqual(secretRefs(wt), basicAuth('flex-basic-auth', ['north-south', 'rate-limit-ingress']));
    });
    it('reach the probes only through secretKeyRef', () => {
      assert.deepEqual(secretRefs(devWt), basicAuth('flex-basic-auth'));
      assert.deepEqual(allEnv(devWt).filter((variable) => /USER|PASS|SECRET|TOKEN/.test(variable.name) && variable.value !== undefined), []);
      assert.deepEqual(Object.keys(workflowParameters(devWt)).filter((name) => /user|pass|secret|token/.test(name)), []);
      assert.deepEqual(docsOfKind(dev, 'Secret'), [], 'dev commits no Secret');
    });
    it('come from verification.credentialsSecret when set', () => {
      assert.deepEqual(secretRefs(requireWorkflowTemplate(generated([['verification', 'credentialsSecret'], 'probe-creds']))), basicAuth('probe-creds'));
    });
    it('are not read at all without basic-auth', () => {
      assert.deepEqual(secretRefs(requireWorkflowTemplate(generated([['apis', 0, 'policies', 0], undefined]))), []);
    });
    it('an opt-in demo password appears only in the demo Secrets, one of them where the probes read it', () => {
      const password = 'Unique-Demo-Pa55word';
      const bundle = generated([['credentials', 0, 'insecureDemoUser'], { username: 'demo', password }]);
      const holders = [...bundle.files].filter(([, content]) => content.includes(password)).map(([path]) => path);
      assert.ok(holders.length > 0);
      for (const path of holders) {
        for (const { doc } of bundle.docs.filter((entry) => entry.path === path)) {
          assert.equal(doc.kind, 'Secret', path);
          assert.equal(doc.metadata.labels?.['flexmesh.dev/insecure-demo'], 'true', path);
        }
      }
      const wt = requireWorkflowTemplate(bundle);
      const read = new Set(allEnv(wt).flatMap((variable) => variable.valueFrom?.secretKeyRef?.name ?? []));
      const mirrored = docsOfKind(bundle, 'Secret').filter((secret) => secret.metadata.namespace === wt.metadata.namespace && read.has(secret.metadata.name));
      assert.equal(mirrored.length, 1);
    });
  });

  describe('the probe ConfigMap holds exactly the scripts the templates run and the library they source, byte for byte', () => {
    for (const { name, edits } of ENABLED) {
      it(name, () => {
        const bundle = generated(...edits);
        const wt = requireWorkflowTemplate(bundle);
        const volume = wt.spec.volumes?.find((candidate) => candidate.name === 'probes');
        const configMaps = docsOfKind(bundle, 'ConfigMap').filter((doc) => doc.metadata.name === volume?.configMap?.name && doc.metadata.namespace === wt.metadata.namespace);
        assert.equal(configMaps.length, 1);
        const data = configMaps[0]!.data as Record<string, string>;
        const referenced = new Set(wt.spec.templates.filter((template) => template.container).map((template) => {
          const [shell, script, ...rest] = template.container!.command ?? [];
          assert.equal(shell, 'sh');
          assert.deepEqual(rest, []);
          assert.ok(template.container!.volumeMounts?.some((mount) => mount.name === 'probes' && mount.mountPath === '/probes'), template.name);
          return /^\/probes\/([\w.-]+\.sh)$/.exec(String(script))?.[1] ?? `(bad command ${String(script)})`;
        }));
        // Every probe sources probe-lib.sh from beside itself, so it ships with them.
        assert.deepEqual(Object.keys(data).sort(), [...referenced, 'probe-lib.sh'].sort());
        for (const [file, text] of Object.entries(data)) assert.equal(text, readFileSync(join(PROBES_DIR, file), 'utf8'), file);
      });
    }
    it('and no probe script contains a {{ template string', () => {
      const scripts = readdirSync(PROBES_DIR).filter((file) => file.endsWith('.sh'));
      assert.ok(scripts.length >= 8);
      for (const file of scripts) assert.ok(!readFileSync(join(PROBES_DIR, file), 'utf8').includes('{{'), file);
    });
  });

  describe('the bundle README', () => {
    for (const { name, edits, probes } of ENABLED) {
      it(`${name}: lists the probes in DAG order with the submit command`, () => {
        const bundle = generated(...edits);
        const wt = requireWorkflowTemplate(bundle);
        const verify = bundle.files.get('README.md')!.split('## Verify')[1] ?? '';
        const listed = [...verify.matchAll(/^(\d+)\. `([^`]+)`: /gm)];
        // The probes this environment calls for (VARIATIONS), not the WorkflowTemplate the README was written from.
        assert.deepEqual(listed.map((match) => match[2]), [...probes!]);
        assert.deepEqual(listed.map((match) => Number(match[1])), probes!.map((_, i) => i + 1));
        assert.ok(verify.includes(`argo submit --from workflowtemplate/${wt.metadata.name} -n ${wt.metadata.namespace} --watch`));
      });
    }
    it('dev: argo submit --from workflowtemplate/dev-verify -n argo --watch', () => {
      assert.ok(dev.files.get('README.md')!.includes('    argo submit --from workflowtemplate/dev-verify -n argo --watch\n'));
    });
    it('has no Verify section when verification is disabled', () => {
      const readme = generated([['verification', 'enabled'], false]).files.get('README.md')!;
      assert.ok(!readme.includes('## Verify') && !readme.includes('argo submit'));
    });
  });
});
