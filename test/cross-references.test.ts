// Mutation test of the cross-reference rules: one field of one rendered dev file is broken, and the named rule
// must report it on the right object, naming both ends of the broken reference. The intact bundle is clean.
import assert from 'node:assert/strict';
import { CONNECTED_RULE_NAMES, RULE_NAMES } from '../generator/validate/cross-references/index.ts';
import { generated, type Generated } from './support/verification/bundle.ts';
import { diagnose, ruleOf } from './support/verification/diagnose.ts';

interface Break {
  rule: string;
  /** What breaks, in words. */
  name: string;
  file: string;
  from: string;
  to: string;
  /** Object the issue is reported on (file and Kind/name). */
  at: { file: string; object: string };
  /** Both ends of the reference, as the message must name them. */
  mentions: string[];
  /** Every rule the break trips (the named one and its inevitable consequences). */
  rules?: string[];
}

const MESH = 'manifests/mesh';
const APIS = 'manifests/flex-apis';
const WT = 'manifests/verification/workflowtemplate-argo-dev-verify.yaml';
const WT_AT = { file: WT, object: 'WorkflowTemplate/dev-verify' };
const NS_VS = { file: `${MESH}/virtualservice-flex-flex.yaml`, object: 'VirtualService/flex' };

const BREAKS: Break[] = [
  { rule: 'gateway-selector', name: 'Gateway selects app=other', file: `${MESH}/gateway-flex-flex.yaml`, from: 'app: istio-ingress', to: 'app: other', at: { file: `${MESH}/gateway-flex-flex.yaml`, object: 'Gateway/flex' }, mentions: ['app=other', 'app=istio-ingress'] },
  { rule: 'vs-destination-service', name: 'north-south route to Flex port 8080', file: NS_VS.file, from: 'number: 8081', to: 'number: 8080', at: NS_VS, mentions: ['flex.flex.svc.cluster.local:8080', 'Service flex/flex', 'serves ports 8081'] },
  { rule: 'vs-destination-service', name: 'north-south route to an unknown host', file: NS_VS.file, from: 'host: flex.flex.svc', to: 'host: flexx.flex.svc', at: NS_VS, mentions: ['"flexx.flex.svc.cluster.local"', 'is not a Service'] },
  {
    rule: 'vs-destination-service', name: 'mesh route to reviews port 9081', file: `${MESH}/virtualservice-istio-system-bookinfo-reviews.yaml`, from: 'number: 9080', to: 'number: 9081',
    at: { file: `${MESH}/virtualservice-istio-system-bookinfo-reviews.yaml`, object: 'VirtualService/bookinfo-reviews' }, mentions: ['reviews.bookinfo.svc.cluster.local:9081', 'Service bookinfo/reviews', 'manifests/bookinfo/bookinfo.yaml', 'serves ports 9080'],
  },
  { rule: 'rewrite-basepath', name: 'rewrite to /ingres/', file: NS_VS.file, from: 'uri: /ingress/', to: 'uri: /ingres/', at: NS_VS, mentions: ['"/ingres/"', '/ingress/'] },
  { rule: 'apiinstance-port', name: 'ApiInstance on port 8082', file: `${APIS}/apiinstance-ingress.yaml`, from: ':8081/ingress/', to: ':8082/ingress/', at: { file: `${APIS}/apiinstance-ingress.yaml`, object: 'ApiInstance/ingress' }, mentions: ['port 8082', 'chart release flex', 'exposes 8081'] },
  {
    rule: 'apiinstance-port', name: 'Flex chart Service on port 8082', file: 'apps/03-flex-gateway.yaml', from: 'port: 8081', to: 'port: 8082', at: { file: `${APIS}/apiinstance-ingress.yaml`, object: 'ApiInstance/ingress' }, mentions: ['port 8081', 'exposes 8082'],
    rules: ['apiinstance-port', 'vs-destination-service', 'probe-targets'],
  },
  {
    rule: 'apiinstance-unique-address', name: 'two ApiInstances on :8081/ingress/', file: `${APIS}/apiinstance-bookinfo-reviews.yaml`, from: ':8081/bookinfo/reviews/', to: ':8081/ingress/',
    at: { file: `${APIS}/apiinstance-ingress.yaml`, object: 'ApiInstance/ingress' }, mentions: ['port 8081 and base path /ingress/', `ApiInstance/bookinfo-reviews (out/dev/${APIS}/apiinstance-bookinfo-reviews.yaml)`],
    rules: ['apiinstance-unique-address', 'rewrite-basepath', 'probe-targets'],
  },
  {
    rule: 'authz-includes-flex', name: 'lockdown without the flex namespace', file: `${MESH}/authorizationpolicy-bookinfo-flex-allow.yaml`, from: '              - flex\n', to: '',
    at: { file: `${MESH}/authorizationpolicy-bookinfo-flex-allow.yaml`, object: 'AuthorizationPolicy/flex-allow' }, mentions: ['allows namespaces bookinfo', 'not flex', 'chart release flex'],
  },
  {
    rule: 'namespace-exists', name: 'Namespace test renamed', file: 'manifests/prerequisites/namespace-test.yaml', from: 'name: test', to: 'name: tst',
    at: { file: 'apps/04-sleep.yaml', object: 'Application/dev-sleep' }, mentions: ['namespace "test"', 'deploys into', 'namespaces.preExisting'], rules: ['namespace-exists', 'probe-targets'],
  },
  {
    rule: 'namespace-exists', name: 'a Role in an unknown namespace', file: 'manifests/verification/role-test-dev-verification.yaml', from: 'namespace: test', to: 'namespace: qa',
    at: { file: 'manifests/verification/role-test-dev-verification.yaml', object: 'Role/dev-verification' }, mentions: ['namespace "qa"', 'uses'],
  },
  { rule: 'sync-wave-crd-order', name: 'mesh-routing in wave 0', file: 'apps/05-mesh-routing.yaml', from: 'sync-wave: "5"', to: 'sync-wave: "0"', at: { file: `${MESH}/gateway-flex-flex.yaml`, object: 'Gateway/flex' }, mentions: ['Application dev-mesh-routing in wave 0', 'dev-istio-base (wave 0)'] },
  { rule: 'sync-wave-crd-order', name: 'flex-apis in wave 3', file: 'apps/05-flex-apis.yaml', from: 'sync-wave: "5"', to: 'sync-wave: "3"', at: { file: `${APIS}/apiinstance-ingress.yaml`, object: 'ApiInstance/ingress' }, mentions: ['Application dev-flex-apis in wave 3', 'dev-flex-gateway (wave 3)'] },
  { rule: 'probe-targets', name: 'probe log hop under /bookinfo/review/', file: WT, from: 'value: /bookinfo/reviews/reviews/0\n', to: 'value: /bookinfo/review/reviews/0\n', at: WT_AT, mentions: ['east-west-log-bookinfo-reviews-log-match-path', 'hop /bookinfo/review/reviews/0', '/bookinfo/reviews/'] },
  { rule: 'probe-targets', name: 'probe log API reviews.flex.svc', file: WT, from: 'value: bookinfo-reviews.flex.svc\n', to: 'value: reviews.flex.svc\n', at: WT_AT, mentions: ['east-west-log-bookinfo-reviews-log-match-api', 'API "reviews.flex.svc"', 'no ApiInstance'] },
  { rule: 'probe-targets', name: 'probe trigger on a host no route sends through Flex', file: WT, from: 'value: http://reviews.bookinfo.svc.cluster.local:9080/reviews/0\n', to: 'value: http://ratings.bookinfo.svc.cluster.local:9080/ratings/0\n', at: WT_AT, mentions: ['east-west-log-bookinfo-reviews-trigger-url', 'no VirtualService routes that host through Flex'] },
  { rule: 'probe-targets', name: 'probe waits for Deployments in an unknown namespace', file: WT, from: ' test/sleep\n', to: ' qa/sleep\n', at: WT_AT, mentions: ['workloads-ready-deployments', 'namespace(s) qa'] },
  { rule: 'probe-targets', name: 'probe waits for an unknown Application', file: WT, from: ' dev-sleep ', to: ' dev-sleeper ', at: WT_AT, mentions: ['argocd-apps-applications', 'Applications dev-sleeper'] },
  { rule: 'probe-targets', name: 'probe Flex selector app=flexgw', file: WT, from: 'value: app=flex\n', to: 'value: app=flexgw\n', at: WT_AT, mentions: ['flex-selector', 'app=flexgw', 'release is flex'] },
  { rule: 'probe-targets', name: 'probe target URL to an unknown host', file: WT, from: 'http://details.bookinfo.svc.cluster.local:9080', to: 'http://detail.bookinfo.svc.cluster.local:9080', at: WT_AT, mentions: ['lockdown-target-url', 'host detail.bookinfo'] },
  { rule: 'probe-targets', name: 'probe target URL on a port details does not serve', file: WT, from: 'http://details.bookinfo.svc.cluster.local:9080', to: 'http://details.bookinfo.svc.cluster.local:9081', at: WT_AT, mentions: ['lockdown-target-url', 'Service bookinfo/details does not serve port 9081'] },
  { rule: 'probe-targets', name: 'probe API URL outside every base path', file: WT, from: ':8081/bookinfo/reviews/', to: ':8081/bookinfo/ratings/', at: WT_AT, mentions: ['rate-limit-bookinfo-reviews-api-url', 'under no ApiInstance base path', '/bookinfo/reviews/'] },
  { rule: 'probe-targets', name: 'probe looks into an unknown namespace', file: WT, from: 'value: flex bookinfo test', to: 'value: flex bookinfo qa', at: WT_AT, mentions: ['workloads-ready-namespaces', 'namespace(s) qa'] },
  { rule: 'probe-targets', name: 'probe gateway URL on port 8080', file: WT, from: 'istio-system.svc.cluster.local:80\n', to: 'istio-system.svc.cluster.local:8080\n', at: WT_AT, mentions: ['north-south-gateway-url', 'Service istio-system/istio-ingress does not serve port 8080'] },
  { rule: 'probe-targets', name: 'probe waits for a Deployment nobody creates', file: WT, from: ' test/sleep\n', to: ' test/sleeper\n', at: WT_AT, mentions: ['workloads-ready-deployments', 'Deployments test/sleeper'] },
  { rule: 'probe-targets', name: 'probe client selector app=sleepz', file: WT, from: 'value: app=sleep\n', to: 'value: app=sleepz\n', at: WT_AT, mentions: ['from-selector', 'app=sleepz', 'no Deployment of the bundle in test'] },
  { rule: 'probe-targets', name: 'probe client container sleepz', file: WT, from: 'from-container\n        value: sleep\n', to: 'from-container\n        value: sleepz\n', at: WT_AT, mentions: ['from-container', 'container sleepz', 'containers sleep'] },
  { rule: 'dag-fail-fast-off', name: 'DAG with failFast true', file: WT, from: 'failFast: false', to: 'failFast: true', at: WT_AT, mentions: ['DAG probes has failFast true'] },
  { rule: 'summary-knows-the-dag', name: 'the summary loses a dependency', file: WT, from: '              lockdown:workloads-ready\n', to: '              lockdown:\n', at: WT_AT, mentions: ["the exit handler's PROBES", 'lockdown:workloads-ready'] },
  { rule: 'retry-covers-attempts', name: 'argocd-apps maxDuration 900s', file: WT, from: 'maxDuration: 1350s', to: 'maxDuration: 900s', at: WT_AT, mentions: ['template argocd-apps', 'maxDuration 900s', '1320s'] },
  { rule: 'deadline-covers-critical-path', name: 'workflow deadline 300 s', file: WT, from: 'activeDeadlineSeconds: 3060', to: 'activeDeadlineSeconds: 300', at: WT_AT, mentions: ['300s is below', 'longest probe chain'] },
  { rule: 'probe-wait-within-timeout', name: 'argocd-apps waits 600 s in a 430 s timeout', file: WT, from: 'value: "300"', to: 'value: "600"', at: WT_AT, mentions: ['argocd-apps-wait-seconds 600s', 'timeout 430s'] },
  { rule: 'vs-destination-service', name: 'route to a host with a trailing label', file: NS_VS.file, from: 'host: flex.flex.svc.cluster.local', to: 'host: flex.flex.svc.cluster.localz', at: NS_VS, mentions: ['"flex.flex.svc.cluster.localz"', 'is not a Service'] },
];

describe('cross-reference rules (mutation test on the rendered dev bundle)', () => {
  let dev: Generated;
  before(() => {
    dev = generated();
  });

  it('the intact dev bundle has no issue', () => {
    assert.deepEqual(diagnose(dev, dev.files), []);
  });

  it('every rule is exercised by at least one break', () => {
    assert.ok(RULE_NAMES.length >= 9);
    assert.deepEqual(RULE_NAMES.filter((rule) => !BREAKS.some((entry) => entry.rule === rule) && !CONNECTED_RULE_NAMES.includes(rule)), []);
    assert.deepEqual(BREAKS.filter((entry) => !RULE_NAMES.includes(entry.rule)).map((entry) => entry.rule), []);
  });

  for (const entry of BREAKS) {
    it(`${entry.rule}: ${entry.name}`, () => {
      const original = dev.files.get(entry.file) ?? '';
      assert.ok(original.includes(entry.from), `${entry.file} contains ${JSON.stringify(entry.from)}`);
      const files = new Map(dev.files).set(entry.file, original.replace(entry.from, entry.to));
      const diagnostics = diagnose(dev, files);
      assert.deepEqual([...new Set(diagnostics.map(ruleOf))].sort(), [...(entry.rules ?? [entry.rule])].sort(), diagnostics.map((d) => `${d.path}: ${d.problem}`).join('\n'));
      const hits = diagnostics.filter((d) => ruleOf(d) === entry.rule && d.file === `out/dev/${entry.at.file}` && d.path === entry.at.object);
      assert.equal(hits.length, 1, `one ${entry.rule} issue on ${entry.at.object} in ${entry.at.file}; got\n${diagnostics.map((d) => `${d.file} ${d.path}: ${d.problem}`).join('\n')}`);
      assert.match(hits[0]!.problem, /^\/(spec|metadata|apiVersion)[^:]*: /, 'the message starts with the field at fault');
      // apiVersion is the first line of every document; any other field lies below it.
      if (!hits[0]!.problem.startsWith('/apiVersion')) assert.ok((hits[0]!.line ?? 0) > 1, 'the line is the field\'s line, not the document start');
      for (const text of entry.mentions) assert.ok(hits[0]!.problem.includes(text), `"${hits[0]!.problem}" mentions ${text}`);
    });
  }
});
