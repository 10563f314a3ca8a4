import assert from 'node:assert/strict';
import { UNCHECKED_KINDS, validateDocument, type SchemaIssue, type TargetVersions } from '../generator/validate/index.ts';
import { REMOVE, edited, fixture, loadValidFixtures, type Doc } from './fixtures/pinned-schemas/fixtures.ts';

const pinned: TargetVersions = { kubernetes: '1.29.0', istio: '1.21.2', argocd: 'v2.13.9', argoWorkflows: '3.6.19', flex: '1.7.0' };

interface Case {
  name: string;
  doc: unknown;
  versions?: TargetVersions;
  /** Exact issues; a RegExp message matches messages too long to spell out (allowed-field lists). */
  expected: { path: string; message: string | RegExp }[];
}

function assertIssues(actual: SchemaIssue[], expected: Case['expected']): void {
  assert.equal(actual.length, expected.length, `issues: ${JSON.stringify(actual, null, 2)}`);
  expected.forEach((want, index) => {
    const got = actual[index];
    assert.equal(got?.path, want.path, JSON.stringify(actual, null, 2));
    if (typeof want.message === 'string') assert.equal(got?.message, want.message);
    else assert.match(got?.message ?? '', want.message);
  });
}

describe('validateDocument', () => {
  describe('accepts every valid fixture', () => {
    for (const doc of loadValidFixtures()) {
      const metadata = doc['metadata'] as Doc;
      it(`${String(doc['apiVersion'])} ${String(doc['kind'])} ${String(metadata['name'])}`, () => {
        assert.deepEqual(validateDocument(doc, pinned), []);
      });
    }
  });

  const accepted: { name: string; doc: Doc }[] = [
    { name: 'Istio Gateway as networking.istio.io/v1beta1 (served)', doc: edited(fixture('Gateway/flex'), ['/apiVersion', 'networking.istio.io/v1beta1']) },
    { name: 'Istio AuthorizationPolicy as security.istio.io/v1beta1 (served)', doc: edited(fixture('AuthorizationPolicy/flex-allow'), ['/apiVersion', 'security.istio.io/v1beta1']) },
    { name: 'Argo Workflows retryStrategy.limit as a string (int-or-string)', doc: edited(fixture('WorkflowTemplate/flexmesh-probes'), ['/spec/templates/1/retryStrategy/limit', '3']) },
    { name: 'Argo CD valuesObject with arbitrary content (preserve-unknown-fields)', doc: edited(fixture('Application/istio-base'), ['/spec/source/helm/valuesObject', { any: { shape: [true, 1.5, null] } }]) },
    { name: 'Kustomization (explicitly unchecked)', doc: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['bookinfo.yaml'] } },
    { name: 'Istio VirtualService with a nullable field set to null', doc: edited(fixture('VirtualService/flex'), ['/spec/http/0/corsPolicy', { allowCredentials: null }]) },
  ];
  for (const { name, doc } of accepted) it(`accepts ${name}`, () => assert.deepEqual(validateDocument(doc, pinned), []));

  const cases: Case[] = [
    // Envelope, kind and version selection
    { name: 'a non-object document', doc: ['not', 'a', 'mapping'], expected: [{ path: '', message: 'document must be a mapping with apiVersion and kind' }] },
    { name: 'missing apiVersion', doc: { kind: 'Namespace', metadata: { name: 'x' } }, expected: [{ path: '', message: 'missing required field "apiVersion"' }] },
    {
      name: 'networking.istio.io/v1 on Istio 1.21.2',
      doc: edited(fixture('VirtualService/flex'), ['/apiVersion', 'networking.istio.io/v1']),
      expected: [{ path: '/apiVersion', message: 'apiVersion networking.istio.io/v1 is not served by Istio 1.21.2 (served: networking.istio.io/v1alpha3, networking.istio.io/v1beta1)' }],
    },
    {
      name: 'security.istio.io/v1alpha1 on Istio 1.21.2',
      doc: edited(fixture('AuthorizationPolicy/flex-allow'), ['/apiVersion', 'security.istio.io/v1alpha1']),
      expected: [{ path: '/apiVersion', message: 'apiVersion security.istio.io/v1alpha1 is not served by Istio 1.21.2 (served: security.istio.io/v1, security.istio.io/v1beta1)' }],
    },
    {
      name: 'apps/v1beta1 Deployment on Kubernetes 1.29.0',
      doc: edited(fixture('Deployment/sleep'), ['/apiVersion', 'apps/v1beta1']),
      expected: [{ path: '/apiVersion', message: 'apiVersion apps/v1beta1 is not served by Kubernetes 1.29.0 (served: apps/v1)' }],
    },
    {
      name: 'an unsupported Istio version',
      doc: fixture('VirtualService/flex'),
      versions: { ...pinned, istio: '1.22.0' },
      expected: [{ path: '', message: 'Istio 1.22.0 has no pinned schemas (supported: 1.21.2); cannot check networking.istio.io/v1alpha3 VirtualService' }],
    },
    {
      name: 'a kind without a pinned schema',
      doc: { apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: { name: 'x' } },
      expected: [{ path: '', message: /^no pinned schema exists for networking.istio.io\/v1beta1 DestinationRule, so it cannot be checked\. Add it to scripts\/build-schemas\/targets\.ts/ }],
    },
    {
      name: 'a misspelt kind',
      doc: edited(fixture('VirtualService/flex'), ['/kind', 'Virtualservice']),
      expected: [{ path: '', message: /^no pinned schema exists for networking.istio.io\/v1alpha3 Virtualservice, so it cannot be checked\. Did you mean kind "VirtualService"\?/ }],
    },
    {
      name: 'metadata without name',
      doc: edited(fixture('Namespace/flex'), ['/metadata/name', REMOVE]),
      expected: [{ path: '/metadata', message: 'missing required field "name" (add name)' }],
    },

    // Istio 1.21.2
    {
      name: 'Istio: unknown field with a did-you-mean',
      doc: edited(fixture('VirtualService/flex'), ['/spec/http/0/rewritee', { uri: '/' }]),
      expected: [{ path: '/spec/http/0/rewritee', message: /^unknown field "rewritee" \(did you mean "rewrite"\?\)$/ }],
    },
    {
      name: 'Istio: wrong type',
      doc: edited(fixture('VirtualService/flex'), ['/spec/http/0/route/0/destination/port/number', '8081']),
      expected: [{ path: '/spec/http/0/route/0/destination/port/number', message: 'the value has the wrong type (expected integer)' }],
    },
    {
      name: 'Istio: int32 range',
      doc: edited(fixture('VirtualService/flex'), ['/spec/http/0/route/0/weight', 2 ** 31]),
      expected: [{ path: '/spec/http/0/route/0/weight', message: 'the value is out of range (at most 2147483647)' }],
    },
    {
      name: 'Istio: wrong enum',
      doc: edited(fixture('AuthorizationPolicy/flex-allow'), ['/spec/action', 'PERMIT']),
      expected: [{ path: '/spec/action', message: 'the value is not allowed (one of ALLOW, DENY, AUDIT, CUSTOM)' }],
    },
    {
      name: 'Istio: missing required field',
      doc: edited(fixture('VirtualService/flex'), ['/spec/http/0/route/0/destination', REMOVE]),
      expected: [{ path: '/spec/http/0/route/0', message: 'missing required field "destination" (add destination)' }],
    },
    {
      name: 'Istio: mutually exclusive match fields',
      doc: edited(fixture('VirtualService/flex'), ['/spec/http/0/match', [{ uri: { exact: '/a', prefix: '/b' } }]]),
      expected: [{ path: '/spec/http/0/match/0/uri', message: 'fields "exact" and "prefix" are mutually exclusive (set at most one)' }],
    },

    // Argo CD v2.13.9 and Argo Workflows v3.6.19
    {
      name: 'Argo CD: unknown field',
      doc: edited(fixture('Application/istio-base'), ['/spec/syncPolicy/automated/selfHeall', true]),
      expected: [{ path: '/spec/syncPolicy/automated/selfHeall', message: 'unknown field "selfHeall" (did you mean "selfHeal"?)' }],
    },
    {
      name: 'Argo CD: wrong type and missing required field',
      doc: edited(fixture('Application/istio-base'), ['/spec/syncPolicy/retry/limit', 'five'], ['/spec/source/repoURL', REMOVE]),
      expected: [
        { path: '/spec/source', message: 'missing required field "repoURL" (add repoURL)' },
        { path: '/spec/syncPolicy/retry/limit', message: 'the value has the wrong type (expected integer)' },
      ],
    },
    {
      name: 'Argo CD AppProject: metadata is strict ObjectMeta',
      doc: edited(fixture('AppProject/mesh'), ['/metadata/lables', { a: 'b' }]),
      expected: [{ path: '/metadata/lables', message: /^unknown field "lables" \(did you mean "labels"\?\)$/ }],
    },
    {
      name: 'Argo Workflows: unknown container field in the embedded pod spec',
      doc: edited(fixture('WorkflowTemplate/flexmesh-probes'), ['/spec/templates/1/container/imagee', 'x']),
      expected: [{ path: '/spec/templates/1/container/imagee', message: /^unknown field "imagee" \(did you mean "image"\?\)$/ }],
    },
    {
      name: 'Argo Workflows: invalid quantity and boolean limit',
      doc: edited(fixture('WorkflowTemplate/flexmesh-probes'), ['/spec/templates/1/container/resources/limits/memory', 'lots'], ['/spec/templates/1/retryStrategy/limit', true]),
      expected: [
        { path: '/spec/templates/1/container/resources/limits/memory', message: 'the value is not valid (expected a Kubernetes quantity such as 500m, 1, 1.5 or 512Mi)' },
        { path: '/spec/templates/1/retryStrategy/limit', message: 'the value has the wrong type (expected integer or string)' },
      ],
    },

    // Kubernetes v1.29.0 core, apps, rbac
    {
      name: 'Kubernetes: label values must be strings',
      doc: edited(fixture('Namespace/flex'), ['/metadata/labels/istio-injection', true]),
      expected: [{ path: '/metadata/labels/istio-injection', message: 'the value has the wrong type (expected string)' }],
    },
    {
      name: 'Kubernetes: Secret data must be base64',
      doc: edited(fixture('Secret/flex-registration'), ['/data/registration.yaml', 'not base64!']),
      expected: [{ path: '/data/registration.yaml', message: 'the value is not valid (expected a base64-encoded string)' }],
    },
    {
      name: 'Kubernetes: Service port is an integer while targetPort is int-or-string',
      doc: edited(fixture('Service/sleep'), ['/spec/ports/0/port', '80'], ['/spec/ports/0/targetPort', 8.5]),
      expected: [
        { path: '/spec/ports/0/port', message: 'the value has the wrong type (expected integer)' },
        { path: '/spec/ports/0/targetPort', message: 'the value has the wrong type (expected integer or string)' },
      ],
    },
    {
      name: 'Kubernetes: Deployment errors are all reported, sorted by path',
      doc: edited(
        fixture('Deployment/sleep'),
        ['/spec/template/spec/containers/1', { imagee: 'x' }],
        ['/spec/replicas', '1'],
        ['/spec/template/spec/containers/0/imagePullPolicy', 3],
      ),
      expected: [
        { path: '/spec/replicas', message: 'the value has the wrong type (expected integer)' },
        { path: '/spec/template/spec/containers/0/imagePullPolicy', message: 'the value has the wrong type (expected string)' },
        { path: '/spec/template/spec/containers/0/imagePullPolicy', message: 'the value is not allowed (one of Always, Never, IfNotPresent)' },
        { path: '/spec/template/spec/containers/1', message: 'missing required field "name" (add name)' },
        { path: '/spec/template/spec/containers/1/imagee', message: /^unknown field "imagee" .*did you mean "image"\?\)$/ },
      ],
    },
    {
      name: 'Kubernetes: RoleBinding without roleRef',
      doc: edited(fixture('RoleBinding/probe-reader'), ['/roleRef', REMOVE]),
      expected: [{ path: '', message: 'missing required field "roleRef" (add roleRef)' }],
    },
    {
      name: 'Kubernetes: ClusterRole rule missing verbs',
      doc: edited(fixture('ClusterRole/flexmesh-viewer'), ['/rules/0/verbs', REMOVE]),
      expected: [{ path: '/rules/0', message: 'missing required field "verbs" (add verbs)' }],
    },

    // Flex Gateway 1.7.0 (hand-written, UNVERIFIED schemas)
    {
      name: 'Flex: spec.address is required and must be http(s)://host:port',
      doc: edited(fixture('ApiInstance/ingress'), ['/spec/services/productpage/address', 'productpage:9080'], ['/spec/address', REMOVE]),
      expected: [
        { path: '/spec', message: 'missing required field "address" (add address)' },
        { path: '/spec/services/productpage/address', message: /^the value is not valid \(expected a value matching \^https\?:\/\// },
      ],
    },
    {
      name: 'Flex basic auth: password required',
      doc: edited(fixture('ApiInstance/ingress'), ['/spec/policies/0/config/password', REMOVE]),
      expected: [{ path: '/spec/policies/0/config', message: 'missing required field "password" (add password)' }],
    },
    {
      name: 'Flex basic auth: config required',
      doc: edited(fixture('ApiInstance/ingress'), ['/spec/policies/0/config', REMOVE]),
      expected: [{ path: '/spec/policies/0', message: 'missing required field "config" (add config)' }],
    },
    {
      name: 'Flex message logging: level enum and unknown itemData field',
      doc: edited(fixture('ApiInstance/bookinfo-reviews'), ['/spec/policies/0/config/loggingConfiguration/0/itemData/level', 'TRACE'], ['/spec/policies/0/config/loggingConfiguration/1/itemData/secondSectionn', true]),
      expected: [
        { path: '/spec/policies/0/config/loggingConfiguration/0/itemData/level', message: 'the value is not allowed (one of INFO, WARN, ERROR, DEBUG)' },
        { path: '/spec/policies/0/config/loggingConfiguration/1/itemData/secondSectionn', message: 'unknown field "secondSectionn" (did you mean "secondSection"?)' },
      ],
    },
    {
      name: 'Flex rate limiting: integer fields and config applied by policy name',
      doc: edited(fixture('ApiInstance/bookinfo-reviews'), ['/spec/policies/1/config/rateLimits/0/maximumRequests', '2'], ['/spec/policies/1/config/username', 'u']),
      expected: [
        { path: '/spec/policies/1/config/rateLimits/0/maximumRequests', message: 'the value has the wrong type (expected integer)' },
        { path: '/spec/policies/1/config/username', message: 'unknown field "username" (allowed fields: clusterizable, exposeHeaders, keySelector, rateLimits)' },
      ],
    },
    {
      name: 'Flex: only policies with a pinned config schema',
      doc: edited(fixture('ApiInstance/ingress'), ['/spec/policies/0/policyRef/name', 'cors-flex']),
      expected: [{ path: '/spec/policies/0/policyRef/name', message: 'the value is not allowed (one of http-basic-authentication-flex, message-logging-flex, rate-limiting-flex)' }],
    },
    {
      name: 'Flex: inline order must be an integer',
      doc: edited(fixture('ApiInstance/bookinfo-reviews'), ['/spec/policies/0/order', 'first']),
      expected: [{ path: '/spec/policies/0/order', message: 'the value has the wrong type (expected integer)' }],
    },
  ];

  for (const testCase of cases) {
    it(`rejects ${testCase.name}`, () => assertIssues(validateDocument(testCase.doc, testCase.versions ?? pinned), testCase.expected));
  }

  it('exports the allow-list of deliberately unchecked kinds, each with a reason', () => {
    assert.ok(UNCHECKED_KINDS.some((unchecked) => unchecked.kind === 'Kustomization'));
    for (const unchecked of UNCHECKED_KINDS) assert.ok(unchecked.reason.length > 10);
  });
});
