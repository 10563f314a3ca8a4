// The output checks of a Connected-Mode bundle: one break per row, each caught by the named rule on the right
// object; the intact bundle is clean. The bundle is dev.yaml in Connected Mode.
import assert from 'node:assert/strict';
import { CONNECTED_RULE_NAMES } from '../generator/validate/cross-references/index.ts';
import { connectedEdits } from './support/api-manager/connected.ts';
import { generated, type Generated } from './support/verification/bundle.ts';
import { diagnose, ruleOf } from './support/verification/diagnose.ts';

const CM = 'manifests/flex-apis/configmap-dev-api-manager.yaml';
const JOB = 'manifests/flex-apis/job-dev-api-manager-reconcile.yaml';
const CRON = 'manifests/flex-apis/cronjob-dev-api-manager-drift.yaml';
const CM_AT = { file: CM, object: 'ConfigMap/dev-api-manager' };
const JOB_AT = { file: JOB, object: 'Job/dev-api-manager-reconcile' };
// Any change to the desired state's text also changes its sha256, which both Job and CronJob carry.
const HASH = ['reconcile-job'];

interface Break { rule: string; name: string; file: string; from: string; to: string; at: { file: string; object: string }; mentions: string[]; rules: string[] }

const BREAKS: Break[] = [
  { rule: 'desired-state-schema', name: 'deploymentType CH', file: CM, from: '"deploymentType": "HY"', to: '"deploymentType": "CH"', at: CM_AT, mentions: ['desired-state.json/apis/0/endpoint/deploymentType the value is not allowed (must be "HY")'], rules: ['desired-state-schema'] },
  { rule: 'desired-state-schema', name: 'not JSON', file: CM, from: '"schemaVersion": 1,', to: '"schemaVersion": 1', at: CM_AT, mentions: ['is not JSON'], rules: ['desired-state-schema', 'probe-targets'] },
  { rule: 'desired-state-fits-bundle', name: 'proxyUri on port 8082', file: CM, from: '"proxyUri": "http://0.0.0.0:8081/ingress/"', to: '"proxyUri": "http://0.0.0.0:8082/ingress/"', at: CM_AT, mentions: ['API ingress listens on port 8082', 'exposes 8081'], rules: ['desired-state-fits-bundle', ...HASH] },
  { rule: 'desired-state-fits-bundle', name: 'upstream on a port reviews does not serve', file: CM, from: 'reviews.bookinfo.svc:9080/', to: 'reviews.bookinfo.svc:9081/', at: CM_AT, mentions: ['upstream http://reviews.bookinfo.svc:9081/', 'not a Service port'], rules: ['desired-state-fits-bundle', ...HASH] },
  { rule: 'desired-state-fits-bundle', name: 'instance label outside the owned prefix', file: CM, from: '"instanceLabel": "flexmesh.dev.ingress"', to: '"instanceLabel": "team-b-ingress"', at: CM_AT, mentions: ['team-b-ingress', 'flexmesh.dev.'], rules: ['desired-state-fits-bundle', ...HASH] },
  { rule: 'desired-state-fits-bundle', name: 'two APIs on one proxy URI', file: CM, from: '"proxyUri": "http://0.0.0.0:8081/bookinfo/reviews/"', to: '"proxyUri": "http://0.0.0.0:8081/ingress/"', at: CM_AT, mentions: ['APIs ingress and bookinfo-reviews share'], rules: ['desired-state-fits-bundle', 'probe-targets', ...HASH] },
  { rule: 'desired-state-fits-bundle', name: 'ingress rewrite to a base path API Manager does not have', file: 'manifests/mesh/virtualservice-flex-flex.yaml', from: 'uri: /ingress/', to: 'uri: /ingres/', at: { file: 'manifests/mesh/virtualservice-flex-flex.yaml', object: 'VirtualService/flex' }, mentions: ['"/ingres/"', 'desired state', '/ingress/'], rules: ['desired-state-fits-bundle'] },
  { rule: 'reconcile-job', name: 'Job carries another sha256', file: JOB, from: 'desired-state-sha256: ', to: 'desired-state-sha256: 0', at: JOB_AT, mentions: ['is not the sha256 of desired-state.json'], rules: ['reconcile-job', 'probe-targets'] },
  { rule: 'reconcile-job', name: 'Job without the basic-auth password', file: JOB, from: 'name: FLEXMESH_INGRESS_USERS_PASSWORD', to: 'name: FLEXMESH_INGRESS_USERS_PASS', at: JOB_AT, mentions: ['FLEXMESH_INGRESS_USERS_PASSWORD'], rules: ['reconcile-job'] },
  { rule: 'reconcile-job', name: 'CronJob without the Connected App secret', file: CRON, from: 'name: ANYPOINT_CLIENT_SECRET', to: 'name: ANYPOINT_SECRET', at: { file: CRON, object: 'CronJob/dev-api-manager-drift' }, mentions: ['ANYPOINT_CLIENT_SECRET'], rules: ['reconcile-job'] },
  { rule: 'reconcile-job', name: 'the Job is no Sync hook', file: JOB, from: 'argocd.argoproj.io/hook: Sync', to: 'argocd.argoproj.io/hook: PostDelete', at: CM_AT, mentions: ['no Argo CD Sync-hook Job mounts ConfigMap dev-api-manager'], rules: ['reconcile-job'] },
];

describe('Connected-Mode output checks (one break per row)', () => {
  let bundle: Generated;
  before(() => {
    bundle = generated(...connectedEdits());
  });

  it('the intact Connected-Mode bundle has no issue', () => {
    assert.deepEqual(diagnose(bundle, bundle.files), []);
  });

  it('every Connected-Mode rule is broken by some row', () => {
    assert.deepEqual(CONNECTED_RULE_NAMES.filter((rule) => !BREAKS.some((entry) => entry.rule === rule)), []);
  });

  for (const entry of BREAKS) {
    it(`${entry.rule}: ${entry.name}`, () => {
      const original = bundle.files.get(entry.file) ?? '';
      assert.ok(original.includes(entry.from), `${entry.file} contains ${JSON.stringify(entry.from)}`);
      const diagnostics = diagnose(bundle, new Map(bundle.files).set(entry.file, original.replace(entry.from, entry.to)));
      const report = diagnostics.map((d) => `${d.file} ${d.path}: ${d.problem}`).join('\n');
      assert.deepEqual([...new Set(diagnostics.map(ruleOf))].sort(), [...entry.rules].sort(), report);
      const hits = diagnostics.filter((d) => ruleOf(d) === entry.rule && d.file === `out/dev/${entry.at.file}` && d.path === entry.at.object);
      assert.ok(hits.length >= 1, `a ${entry.rule} issue on ${entry.at.object}; got\n${report}`);
      for (const text of entry.mentions) assert.ok(hits.some((hit) => hit.problem.includes(text)), `${hits.map((hit) => hit.problem).join(' | ')} mentions ${text}`);
    });
  }
});
