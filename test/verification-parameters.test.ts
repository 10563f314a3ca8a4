// The verification's parameters, derived from the environment: each expected value is written here as a literal,
// for dev and for variations of it, so a wrong derivation cannot pass by reading itself back.
import assert from 'node:assert/strict';
import type { Edit } from './support/fixtures.ts';
import { RENAMED_FLEX, generated, requireWorkflowTemplate, taskNames, workflowParameters } from './support/verification/bundle.ts';

const MAX_REQUESTS: Edit = [['apis', 1, 'policies', 1, 'rateLimits', 0, 'maximumRequests'], 5];

describe('verification parameters', () => {
  describe('derives every expectation from the environment', () => {
    const EXPECTATIONS: Array<{ name: string; edits: readonly Edit[]; parameters: Record<string, string>; readme?: RegExp }> = [
      {
        name: 'dev', edits: [], readme: /`rate-limit-bookinfo-reviews`: 3 calls to http:\/\/flex\.flex\.svc\.cluster\.local:8081\/bookinfo\/reviews\/reviews\/0 within 60000 ms: the last is 429 with x-ratelimit-limit 2/,
        parameters: {
          'argocd-apps-argocd-namespace': 'argocd', 'workloads-ready-namespaces': 'flex bookinfo test', 'north-south-expect-auth': 'true',
          'workloads-ready-deployments': 'istio-system/istiod istio-system/istio-ingress flex/flex bookinfo/details-v1 bookinfo/ratings-v1 bookinfo/reviews-v1 bookinfo/productpage-v1 test/sleep',
          'north-south-gateway-url': 'http://istio-ingress.istio-system.svc.cluster.local:80', 'north-south-api-path': '/api/v1/products/1', 'north-south-expect-status': '200',
          'north-south-expect-body-pattern': '"id"[[:space:]]*:[[:space:]]*"?1"?[[:space:]]*[,}]',
          'east-west-log-bookinfo-reviews-log-match-api': 'bookinfo-reviews.flex.svc', 'east-west-log-bookinfo-reviews-log-match-path': '/bookinfo/reviews/reviews/0',
          'east-west-log-bookinfo-reviews-trigger-url': 'http://reviews.bookinfo.svc.cluster.local:9080/reviews/0', 'east-west-log-bookinfo-reviews-from-namespace': 'test',
          'east-west-log-bookinfo-reviews-from-selector': 'app=sleep', 'east-west-log-bookinfo-reviews-from-container': 'sleep', 'east-west-log-bookinfo-reviews-flex-selector': 'app=flex',
          'rate-limit-bookinfo-reviews-api-url': 'http://flex.flex.svc.cluster.local:8081/bookinfo/reviews/reviews/0', 'rate-limit-bookinfo-reviews-maximum-requests': '2',
          'rate-limit-bookinfo-reviews-expect-headers': 'true', 'lockdown-from-namespace': 'test', 'lockdown-target-url': 'http://details.bookinfo.svc.cluster.local:9080/details/0',
          'flexctl-check-flex-namespace': 'flex', 'flexctl-check-target-url': 'http://details.bookinfo.svc.cluster.local:9080/details/0',
        },
      },
      { name: 'maximumRequests 5', edits: [MAX_REQUESTS], parameters: { 'rate-limit-bookinfo-reviews-maximum-requests': '5' }, readme: /6 calls to http\S+ within 60000 ms: the last is 429 with x-ratelimit-limit 5/ },
      { name: 'the tightest of several limits is the one a burst exhausts', edits: [[['apis', 1, 'policies', 1, 'rateLimits'], [{ maximumRequests: 9, timePeriodInMilliseconds: 60000 }, { maximumRequests: 4, timePeriodInMilliseconds: 20000 }]]], parameters: { 'rate-limit-bookinfo-reviews-maximum-requests': '4' } },
      {
        name: 'a smoke request of the environment',
        edits: [[['apis', 1, 'smoke'], { path: '/reviews/7', expectStatus: 200, expectBodyPattern: 'reviews' }]],
        parameters: { 'east-west-log-bookinfo-reviews-trigger-url': 'http://reviews.bookinfo.svc.cluster.local:9080/reviews/7', 'east-west-log-bookinfo-reviews-log-match-path': '/bookinfo/reviews/reviews/7', 'rate-limit-bookinfo-reviews-api-url': 'http://flex.flex.svc.cluster.local:8081/bookinfo/reviews/reviews/7' },
      },
      { name: 'north-south to details: its own endpoint and id', edits: [[['apis', 0, 'upstream'], { service: 'details', port: 9080 }]], parameters: { 'north-south-api-path': '/details/0', 'north-south-expect-body-pattern': '"id"[[:space:]]*:[[:space:]]*"?0"?[[:space:]]*[,}]' } },
      { name: 'exposeHeaders false', edits: [[['apis', 1, 'policies', 1, 'exposeHeaders'], false]], parameters: { 'rate-limit-bookinfo-reviews-expect-headers': 'false' } },
      {
        name: 'flex renamed to gw/flexgw on port 9091', edits: RENAMED_FLEX,
        parameters: {
          'rate-limit-bookinfo-reviews-api-url': 'http://flexgw.gw.svc.cluster.local:9091/bookinfo/reviews/reviews/0', 'workloads-ready-namespaces': 'gw bookinfo test',
          'east-west-log-bookinfo-reviews-flex-namespace': 'gw', 'east-west-log-bookinfo-reviews-flex-selector': 'app=flexgw', 'east-west-log-bookinfo-reviews-log-match-api': 'bookinfo-reviews.gw.svc',
          'flexctl-check-flex-namespace': 'gw', 'flexctl-check-flex-selector': 'app=flexgw',
        },
      },
      { name: 'another base path', edits: [[['apis', 1, 'basePath'], '/reviews-api/']], parameters: { 'east-west-log-bookinfo-reviews-log-match-path': '/reviews-api/reviews/0', 'rate-limit-bookinfo-reviews-api-url': 'http://flex.flex.svc.cluster.local:8081/reviews-api/reviews/0' } },
      { name: 'no basic-auth', edits: [[['apis', 0, 'policies', 0], undefined]], parameters: { 'north-south-expect-auth': 'false' }, readme: /`north-south`: through the ingress gateway to API ingress: GET \/api\/v1\/products\/1 returns 200/ },
      { name: 'test namespace sandbox', edits: [[['namespaces', 'test'], 'sandbox']], parameters: { 'lockdown-from-namespace': 'sandbox', 'workloads-ready-namespaces': 'flex bookinfo sandbox' } },
      {
        name: 'bookinfo namespace shop',
        edits: [[['namespaces', 'bookinfo'], 'shop'], [['apis', 0, 'upstream', 'namespace'], 'shop'], [['apis', 1, 'upstream', 'namespace'], 'shop'], [['lockdown', 'allowFromNamespaces'], ['flex', 'shop']]],
        parameters: { 'lockdown-target-url': 'http://details.shop.svc.cluster.local:9080/details/0', 'flexctl-check-target-url': 'http://details.shop.svc.cluster.local:9080/details/0', 'workloads-ready-namespaces': 'flex shop test', 'east-west-log-bookinfo-reviews-trigger-url': 'http://reviews.shop.svc.cluster.local:9080/reviews/0' },
      },
      {
        name: 'an east-west API on details moves the lockdown target to a Service not routed through Flex',
        edits: [[['apis', 1, 'upstream'], { service: 'details', port: 9080 }]],
        parameters: { 'lockdown-target-url': 'http://productpage.bookinfo.svc.cluster.local:9080/api/v1/products/1', 'flexctl-check-target-url': 'http://details.bookinfo.svc.cluster.local:9080/details/0' },
      },
      { name: 'argocd namespace gitops', edits: [[['argocd', 'namespace'], 'gitops']], parameters: { 'argocd-apps-argocd-namespace': 'gitops' } },
    ];
    for (const { name, edits, parameters, readme } of EXPECTATIONS) {
      it(name, () => {
        const bundle = generated(...edits);
        const actual = workflowParameters(requireWorkflowTemplate(bundle));
        assert.deepEqual(Object.fromEntries(Object.keys(parameters).map((key) => [key, actual[key]])), parameters);
        if (readme) assert.match(bundle.files.get('README.md')!, readme);
      });
    }
    it("waits for exactly this environment's Applications", () => {
      for (const { edits } of EXPECTATIONS) {
        const bundle = generated(...edits);
        if (!taskNames(requireWorkflowTemplate(bundle)).includes('argocd-apps')) continue;
        const apps = bundle.docs.filter((entry) => entry.path.startsWith('apps/') && entry.doc.kind === 'Application').map((entry) => entry.doc.metadata.name);
        assert.deepEqual(workflowParameters(requireWorkflowTemplate(bundle))['argocd-apps-applications']!.split(' ').sort(), apps.sort());
      }
    });
  });
});
