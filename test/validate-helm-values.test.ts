import assert from 'node:assert/strict';
import { validateHelmValues, type HelmChartId } from '../generator/validate/index.ts';

interface Case {
  name: string;
  chart: HelmChartId;
  version?: string;
  values: unknown;
  /** Exact issues; a RegExp message matches messages too long to spell out (allowed-field lists). */
  expected: { path: string; message: string | RegExp }[];
}

const CHART_VERSION: Record<HelmChartId, string> = {
  'istio-base': '1.21.2',
  istiod: '1.21.2',
  'istio-gateway': '1.21.2',
  'flex-gateway': '1.7.0',
};

/** Values of the Flex-on-Istio tutorial install (`helm upgrade -i ... --set ...`). */
const tutorialFlexValues = {
  gateway: { scope: 'Namespace', mode: 'connected' },
  service: { type: 'ClusterIP', http: { port: 8081 }, https: { enabled: false } },
  registration: { content: 'registration: {}' },
};

const cases: Case[] = [
  // Istio gateway chart: upstream values.schema.json, evaluated the way Helm does
  { name: 'gateway: tutorial values', chart: 'istio-gateway', values: { service: { type: 'ClusterIP' }, labels: { app: 'istio-ingress' }, replicaCount: null }, expected: [] },
  // Stricter than `helm install` (which drops the upstream root closure): a top-level typo would render silently.
  { name: 'gateway: the chart\'s own `defaults` key is allowed', chart: 'istio-gateway', values: { defaults: {} }, expected: [] },
  { name: 'gateway: unknown top-level keys are errors, with did-you-mean', chart: 'istio-gateway', values: { servce: { type: 'ClusterIP' } }, expected: [{ path: '/servce', message: /^unknown field "servce" \(did you mean "service"\?\)$/ }] },
  {
    name: 'gateway: wrong enum and type',
    chart: 'istio-gateway',
    values: { kind: 'StatefulSet', service: { ports: [{ name: 'http', port: '80' }] } },
    expected: [
      { path: '/kind', message: 'the value is not allowed (one of Deployment, DaemonSet)' },
      { path: '/service/ports/0/port', message: 'the value has the wrong type (expected integer)' },
    ],
  },
  { name: 'gateway: unprivilegedPort accepts true/false/"auto" only', chart: 'istio-gateway', values: { unprivilegedPort: 'yes' }, expected: [{ path: '/unprivilegedPort', message: 'the value is not allowed (one of true, false, auto)' }] },

  // Istio base and istiod: minimal project models
  { name: 'base: defaults', chart: 'istio-base', values: { defaultRevision: 'default', global: { istioNamespace: 'istio-system' } }, expected: [] },
  { name: 'base: empty values file', chart: 'istio-base', values: null, expected: [] },
  {
    name: 'base: typo and wrong type',
    chart: 'istio-base',
    values: { defaultRevison: 'default', base: { enableCRDTemplates: 'yes' } },
    expected: [
      { path: '/base/enableCRDTemplates', message: 'the value has the wrong type (expected boolean)' },
      { path: '/defaultRevison', message: 'unknown field "defaultRevison" (did you mean "defaultRevision"?)' },
    ],
  },
  { name: 'istiod: typical values', chart: 'istiod', values: { pilot: { autoscaleEnabled: false, resources: { requests: { cpu: '100m', memory: '256Mi' } }, env: { PILOT_TRACE_SAMPLING: 1 } }, meshConfig: { accessLogFile: '/dev/stdout', anyOtherKey: {} } }, expected: [] },
  {
    name: 'istiod: resources use the strict Kubernetes schema',
    chart: 'istiod',
    values: { pilot: { resources: { request: { cpu: '100m' } } } },
    expected: [{ path: '/pilot/resources/request', message: 'unknown field "request" (did you mean "requests"?)' }],
  },
  {
    name: 'istiod: outbound traffic mode enum',
    chart: 'istiod',
    values: { meshConfig: { outboundTrafficPolicy: { mode: 'ALLOW_ALL' } } },
    expected: [{ path: '/meshConfig/outboundTrafficPolicy/mode', message: 'the value is not allowed (one of ALLOW_ANY, REGISTRY_ONLY)' }],
  },

  // flex-gateway chart 1.7.0: project model (UNVERIFIED)
  { name: 'flex: tutorial values', chart: 'flex-gateway', values: tutorialFlexValues, expected: [] },
  {
    name: 'flex: extraEnvs from a Secret (Kubernetes EnvVar schema)',
    chart: 'flex-gateway',
    values: { ...tutorialFlexValues, extraEnvs: [{ name: 'USERNAME', valueFrom: { secretKeyRef: { name: 'flex-basic-auth', key: 'username' } } }] },
    expected: [],
  },
  {
    name: 'flex: EnvVar without name, misspelt secretKeyRef field',
    chart: 'flex-gateway',
    values: { extraEnvs: [{ valueFrom: { secretKeyRef: { name: 's', keyy: 'k' } } }] },
    expected: [
      { path: '/extraEnvs/0', message: 'missing required field "name" (add name)' },
      { path: '/extraEnvs/0/valueFrom/secretKeyRef', message: 'missing required field "key" (add key)' },
      { path: '/extraEnvs/0/valueFrom/secretKeyRef/keyy', message: 'unknown field "keyy" (did you mean "key"?)' },
    ],
  },
  {
    name: 'flex: mode/scope enums, port type, unknown key',
    chart: 'flex-gateway',
    values: { gateway: { mode: 'hybrid', scope: 'Namespaces' }, service: { http: { port: '8081' } }, replicas: 2 },
    expected: [
      { path: '/gateway/mode', message: 'the value is not allowed (one of local, connected)' },
      { path: '/gateway/scope', message: 'the value is not allowed (one of Cluster, Namespace)' },
      { path: '/replicas', message: 'unknown field "replicas" (allowed fields: extraEnvs, extraVolumeMounts, extraVolumes, gateway, ingressClass, registerSecretName, registration, replicaCount, resources, service)' },
      { path: '/service/http/port', message: 'the value has the wrong type (expected integer)' },
    ],
  },
  {
    name: 'flex: extraVolumes and extraVolumeMounts use the Kubernetes schemas',
    chart: 'flex-gateway',
    values: { extraVolumes: [{ name: 'certs', secret: { secretName: 'certs' } }], extraVolumeMounts: [{ name: 'certs' }] },
    expected: [{ path: '/extraVolumeMounts/0', message: 'missing required field "mountPath" (add mountPath)' }],
  },

  // Versions
  { name: 'unsupported chart version', chart: 'istiod', version: '1.22.0', values: {}, expected: [{ path: '', message: 'Istio istiod chart 1.22.0 has no pinned values schema (supported: 1.21.2)' }] },
  { name: 'a leading v is accepted', chart: 'flex-gateway', version: 'v1.7.0', values: tutorialFlexValues, expected: [] },
];

describe('validateHelmValues', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const actual = validateHelmValues(testCase.chart, testCase.version ?? CHART_VERSION[testCase.chart], testCase.values);
      assert.equal(actual.length, testCase.expected.length, JSON.stringify(actual, null, 2));
      testCase.expected.forEach((want, index) => {
        assert.equal(actual[index]?.path, want.path);
        if (typeof want.message === 'string') assert.equal(actual[index]?.message, want.message);
        else assert.match(actual[index]?.message ?? '', want.message);
      });
    });
  }
});
