// The Connected-Mode model and resources: the desired state derived from the environment (table-driven), the rules
// that refuse what API Manager cannot be reconciled from, and the reconcile Job's shape. Expected values are written
// from MuleSoft's documented request fields (anypoint-api-manager.md), not read back from the builder.
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { crossEnvironmentProblems } from '../generator/env/cross-environment.ts';
import { DEFAULT_POLICY_ASSETS, MULESOFT_POLICY_GROUP } from '../generator/model/policy-assets.ts';
import { desiredStateJson } from '../generator/model/api-manager.ts';
import { reconcileJob, driftCronJob } from '../generator/resources/api-manager.ts';
import { ANYPOINT, BASIC_AUTH, connectedEdits, ORG } from './support/api-manager/connected.ts';
import { bundleWith, DEV_FILE, devTextWith, devTopologyWith, type Edit } from './support/fixtures.ts';
import { parseTopology } from '../generator/env/load.ts';
import { InputError } from '../generator/diagnostics.ts';

function refusal(...edits: Edit[]): string {
  try {
    parseTopology(devTextWith(...edits), DEV_FILE);
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics.map((d) => `${d.path}: ${d.problem} (${d.expected})`).join('\n');
    throw error;
  }
  return '';
}

describe('API Manager desired state (Connected Mode)', () => {
  const cases: Array<{ name: string; edits: Edit[]; api: number; expect: { label: string; proxyUri: string; uri: string; route: string; spec: object } }> = [
    { name: 'the tutorial ingress', edits: [], api: 0, expect: { label: 'flexmesh.dev.ingress', proxyUri: 'http://0.0.0.0:8081/ingress/', uri: 'http://productpage.bookinfo.svc:9080/', route: 'productpage', spec: { groupId: ORG, assetId: 'flexmesh-bookinfo', version: '1.0.0' } } },
    { name: 'the tutorial east-west reviews', edits: [], api: 1, expect: { label: 'flexmesh.dev.bookinfo-reviews', proxyUri: 'http://0.0.0.0:8081/bookinfo/reviews/', uri: 'http://reviews.bookinfo.svc:9080/', route: 'reviews', spec: { groupId: ORG, assetId: 'flexmesh-bookinfo', version: '1.0.0' } } },
    {
      name: 'another port, namespace, prefix and a per-API asset', api: 0,
      edits: [[['flex', 'port'], 9000], [['namespaces', 'bookinfo'], 'store'], [['lockdown', 'allowFromNamespaces'], undefined], [['anypoint', 'instanceLabelPrefix'], 'shop-'], [['apis', 0, 'apiAsset'], { groupId: '22222222-2222-4222-8222-222222222222', assetId: 'products', version: '3.0.1' }]],
      expect: { label: 'shop-ingress', proxyUri: 'http://0.0.0.0:9000/ingress/', uri: 'http://productpage.store.svc:9080/', route: 'productpage', spec: { groupId: '22222222-2222-4222-8222-222222222222', assetId: 'products', version: '3.0.1' } },
    },
  ];
  for (const { name, edits, api, expect } of cases) {
    it(name, () => {
      const state = devTopologyWith(...connectedEdits(), ...edits).apiManager!;
      const desired = state.apis[api]!;
      assert.equal(desired.instanceLabel, expect.label);
      assert.equal(desired.technology, 'flexGateway');
      assert.deepEqual(desired.endpoint, { deploymentType: 'HY', proxyUri: expect.proxyUri, uri: expect.uri });
      assert.deepEqual(desired.routing, { label: expect.route });
      assert.deepEqual(desired.spec, expect.spec);
    });
  }

  it('numbers policies from 1: explicit orders first, then list order; assets from the one table unless overridden', () => {
    const state = devTopologyWith(...connectedEdits({ policyAssets: { 'rate-limiting': { assetId: 'rate-limiting', version: '1.4.0' } } })).apiManager!;
    const [ingress, reviews] = state.apis;
    assert.deepEqual(ingress!.policies.map((policy) => [policy.type, policy.order]), [['message-logging', 1], ['basic-auth', 2]]);
    assert.deepEqual(reviews!.policies.map((policy) => [policy.assetId, policy.assetVersion, policy.groupId]), [
      [DEFAULT_POLICY_ASSETS['message-logging'].assetId, DEFAULT_POLICY_ASSETS['message-logging'].version, MULESOFT_POLICY_GROUP],
      ['rate-limiting', '1.4.0', MULESOFT_POLICY_GROUP],
    ]);
    assert.equal(MULESOFT_POLICY_GROUP, '68ef9520-24e9-4cf2-b2f5-620025690913');
  });

  it('reuses the Local-Mode policy fields, and names credentials instead of carrying them', () => {
    const topology = devTopologyWith(...connectedEdits(), [['credentials', 0, 'insecureDemoUser'], { username: BASIC_AUTH.username, password: BASIC_AUTH.password }]);
    const state = topology.apiManager!;
    const basicAuth = state.apis[0]!.policies.find((policy) => policy.type === 'basic-auth')!;
    assert.deepEqual(basicAuth.configurationData, {});
    assert.deepEqual(basicAuth.secretConfiguration, { username: 'FLEXMESH_INGRESS_USERS_USERNAME', password: 'FLEXMESH_INGRESS_USERS_PASSWORD' });
    const rate = state.apis[1]!.policies.find((policy) => policy.type === 'rate-limiting')!;
    assert.deepEqual(rate.configurationData, { rateLimits: [{ maximumRequests: 2, timePeriodInMilliseconds: 60000 }], exposeHeaders: true });
    const json = desiredStateJson(state);
    for (const secret of [BASIC_AUTH.username, BASIC_AUTH.password]) assert.ok(!json.includes(secret), 'no credential in the desired state');
  });

  it('is absent in Local Mode, and Local Mode leaves flex-apis to ApiInstances', () => {
    assert.equal(devTopologyWith().apiManager, undefined);
    assert.ok(![...bundleWith().keys()].some((path) => /api-manager/.test(path)));
  });
});

describe('Connected-Mode environment rules', () => {
  const cases: Array<{ name: string; edits: Edit[]; mentions: string[] }> = [
    { name: 'connected without anypoint', edits: [[['flex', 'mode'], 'connected']], mentions: ['flex.mode', 'needs the API Manager'] },
    { name: 'anypoint in Local Mode', edits: [[['anypoint'], ANYPOINT]], mentions: ['anypoint', 'only read in Connected Mode'] },
    { name: 'apiAsset in Local Mode', edits: [[['apis', 0, 'apiAsset'], { assetId: 'a', version: '1.0.0' }]], mentions: ['apis[0].apiAsset'] },
    { name: 'an environment named by id and by name', edits: [...connectedEdits({ environment: { id: ANYPOINT.environment.id, name: 'Sandbox' } })], mentions: ['anypoint.environment'] },
    { name: 'an organization id that is no UUID', edits: [...connectedEdits({ organizationId: 'my-org' })], mentions: ['anypoint.organizationId'] },
    { name: 'a host with a scheme', edits: [...connectedEdits({ host: 'https://eu1.anypoint.mulesoft.com' })], mentions: ['anypoint.host'] },
  ];
  for (const { name, edits, mentions } of cases) {
    it(`refuses ${name}`, () => {
      const text = refusal(...edits);
      for (const mention of mentions) assert.ok(text.includes(mention), `${text} mentions ${mention}`);
    });
  }

  it('refuses an environment name that makes the drift CronJob longer than 52 characters', () => {
    const topology = () => parseTopology(devTextWith(...connectedEdits()), `environments/${'e'.repeat(36)}.yaml`);
    assert.throws(topology, (error: unknown) => error instanceof InputError && error.diagnostics.some((d) => /CronJob e+-api-manager-drift \(54 characters\)/.test(d.problem)));
  });

  it('refuses two environments whose owned label prefixes overlap in one API Manager environment', () => {
    const load = (name: string, prefix?: string) => {
      const text = devTextWith(...connectedEdits(prefix ? { instanceLabelPrefix: prefix } : {}), [['gitops', 'path'], `out/${name}`]);
      return { file: `environments/${name}.yaml`, text, topology: parseTopology(text, `environments/${name}.yaml`) };
    };
    const defaults = [load('dev'), load('dev-eu')];
    assert.deepEqual(crossEnvironmentProblems(defaults, defaults), [], 'default prefixes never overlap');
    const overlapping = [load('dev', 'shop-'), load('dev-eu', 'shop-eu-')];
    const problems = crossEnvironmentProblems(overlapping, overlapping);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!.problem, /owns API Manager instances labelled shop-\*, which overlap those of dev-eu \(shop-eu-\*/);
    assert.equal(problems[0]!.path, 'anypoint.instanceLabelPrefix');
  });
});

describe('reconcile Job and drift CronJob', () => {
  const job = (anypoint: Record<string, unknown> = {}) => {
    const topology = devTopologyWith(...connectedEdits(anypoint));
    return { topology, job: reconcileJob(topology, topology.apiManager!) as unknown as Record<string, any>, cron: driftCronJob(topology, topology.apiManager!) as unknown as Record<string, any> };
  };

  it('is an Argo CD Sync hook in the Flex namespace, without sidecar or service-account token, fed from Secrets only', () => {
    const { job: doc } = job();
    assert.equal(doc.metadata.namespace, 'flex');
    assert.equal(doc.metadata.annotations['argocd.argoproj.io/hook'], 'Sync');
    assert.equal(doc.metadata.annotations['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation');
    const pod = doc.spec.template;
    assert.equal(pod.metadata.annotations['sidecar.istio.io/inject'], 'false');
    assert.equal(pod.spec.automountServiceAccountToken, false);
    const env = pod.spec.containers[0].env as Array<{ name: string; value?: string; valueFrom?: unknown }>;
    assert.deepEqual(env.filter((entry) => entry.value !== undefined).map((entry) => entry.name), ['FLEXMESH_MODE', 'FLEXMESH_DESIRED_STATE', 'ANYPOINT_BASE_URL']);
    assert.equal(env.find((entry) => entry.name === 'ANYPOINT_BASE_URL')!.value, 'https://anypoint.mulesoft.com');
    assert.deepEqual(env.find((entry) => entry.name === 'ANYPOINT_CLIENT_SECRET')!.valueFrom, { secretKeyRef: { name: 'anypoint-connected-app', key: 'client_secret' } });
  });

  it('reads the target from the registration Secret only when the environment names none; the CronJob only checks', () => {
    const named = job();
    assert.ok(!JSON.stringify(named.job).includes('registration'));
    const fromRegistration = job({ targetId: undefined, host: 'eu1.anypoint.mulesoft.com' });
    const pod = fromRegistration.job.spec.template.spec;
    assert.deepEqual(pod.volumes[1], { name: 'registration', secret: { secretName: 'flex-registration', items: [{ key: 'registration.yaml', path: 'registration.yaml' }] } });
    assert.equal(pod.containers[0].env.find((entry: { name: string }) => entry.name === 'ANYPOINT_BASE_URL').value, 'https://eu1.anypoint.mulesoft.com');
    const cron = fromRegistration.cron.spec;
    assert.equal(cron.concurrencyPolicy, 'Forbid');
    assert.equal(cron.jobTemplate.spec.template.spec.containers[0].env[0].value, 'check');
  });

  it('ships the desired state and the script as one ConfigMap; a demo password stays in its Secret only', () => {
    const bundle = bundleWith(...connectedEdits(), [['credentials', 0, 'insecureDemoUser'], { username: BASIC_AUTH.username, password: BASIC_AUTH.password }]);
    const configMap = parseDocument(bundle.get('manifests/flex-apis/configmap-dev-api-manager.yaml')!).toJS() as { data: Record<string, string> };
    assert.deepEqual(Object.keys(configMap.data).sort(), ['anypoint-client.mjs', 'desired-state.json', 'plan.mjs', 'reconcile.mjs', 'steps.mjs']);
    const holders = [...bundle].filter(([, content]) => content.includes(BASIC_AUTH.password)).map(([path]) => path);
    assert.deepEqual(holders, ['manifests/prerequisites/secret-flex-basic-auth.yaml', 'manifests/verification/secret-argo-flex-basic-auth.yaml'], 'only the opted-in demo Secrets (Flex side and probe side)');
  });
});
