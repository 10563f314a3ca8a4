import assert from 'node:assert/strict';
import { hasModel, modelProblems } from '../generator/validate/models.ts';
import type { Manifest } from '../generator/resources/types.ts';

const cases: Array<{ name: string; doc: Manifest; problems: RegExp[] }> = [
  { name: 'a valid Application', doc: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: { project: 'p', destination: { server: 's' } } }, problems: [] },
  { name: 'an Application without project and destination', doc: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: {} }, problems: [/\/spec must have required property destination/, /\/spec must have required property project/] },
  { name: 'a VirtualService whose hosts is a string', doc: { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'v' }, spec: { hosts: '*' } }, problems: [/\/spec\/hosts must be array/] },
  { name: 'a Role rule without verbs', doc: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'] }] }, problems: [/verbs/] },
  // The models come from newer upstream versions and accept unknown fields: that is why the pinned layer exists.
  { name: 'an unknown field (not caught here, caught by the pinned schemas)', doc: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, bogus: true }, problems: [] },
];

describe('upstream model validation (@kubernetes-models)', () => {
  for (const { name, doc, problems } of cases) {
    it(name, () => {
      const found = modelProblems(doc);
      assert.equal(found.length, problems.length, found.join('\n'));
      problems.forEach((pattern, index) => assert.match(found[index]!, pattern));
    });
  }

  it('has a model for every kind the dev bundle ships except ApiInstance and Kustomization, and skips kinds it has none for', () => {
    const unmodelled: Manifest = { apiVersion: 'gateway.mulesoft.com/v1alpha1', kind: 'ApiInstance', metadata: { name: 'x' }, spec: 42 };
    assert.equal(hasModel(unmodelled), false);
    assert.deepEqual(modelProblems(unmodelled), []);
    for (const [apiVersion, kind] of [['v1', 'Service'], ['apps/v1', 'Deployment'], ['argoproj.io/v1alpha1', 'WorkflowTemplate'], ['security.istio.io/v1', 'AuthorizationPolicy']] as const) {
      assert.ok(hasModel({ apiVersion, kind, metadata: { name: 'x' } }), `${apiVersion} ${kind}`);
    }
  });
});
