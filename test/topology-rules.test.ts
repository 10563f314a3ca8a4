// Environments the schema accepts but a cluster would not run: each is refused with the field to change and why
// (regressions: Envoy's ports for Flex, Flex in the Istio namespace, the test namespace equal to Bookinfo's, …).
import assert from 'node:assert/strict';
import { InputError } from '../generator/diagnostics.ts';
import { parseTopology } from '../generator/env/load.ts';
import { ENVOY_RESERVED_PORTS } from '../generator/env/topology-rules.ts';
import { DEV_FILE, devTextWith, type Edit } from './support/fixtures.ts';

function refusal(...edits: Edit[]): string[] {
  return refusalOf(devTextWith(...edits), DEV_FILE);
}

function refusalOf(text: string, file: string): string[] {
  try {
    parseTopology(text, file);
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error.diagnostics.map((d) => `${d.path}: ${d.problem} (${d.expected ?? ''})`);
  }
  return [];
}

describe('topology rules: refused with a reason', () => {
  const cases: Array<{ name: string; edits: Edit[]; message: RegExp }> = [
    ...ENVOY_RESERVED_PORTS.map((port) => ({ name: `flex.port ${port} (bound by the sidecar)`, edits: [[['flex', 'port'], port]] as Edit[], message: new RegExp(`^flex\\.port: port ${port} is bound by the istio-proxy sidecar`) })),
    { name: 'Flex in the Istio namespace', edits: [[['flex', 'namespace'], 'istio-system']], message: /^flex\.namespace: Flex Gateway would share the Istio namespace "istio-system"/ },
    { name: 'Bookinfo in the Argo CD namespace', edits: [[['namespaces', 'bookinfo'], 'argocd']], message: /^namespaces\.bookinfo: Bookinfo would share the namespace "argocd" of Argo CD/ },
    { name: 'the test client in the verification namespace', edits: [[['namespaces', 'test'], 'argo']], message: /^namespaces\.test: the sleep test client would share the namespace "argo" of the verification/ },
    { name: 'the test namespace equal to the Bookinfo one', edits: [[['namespaces', 'test'], 'bookinfo']], message: /^namespaces\.test: the test namespace equals the Bookinfo namespace/ },
    { name: 'an upstream flexmesh does not deploy', edits: [[['apis', 1, 'upstream'], { service: 'inventory', port: 8080 }]], message: /^apis\[1\]\.upstream: Service bookinfo\/inventory is not deployed by this bundle/ },
    { name: 'an upstream on a port its Service does not serve', edits: [[['apis', 1, 'upstream', 'port'], 9090]], message: /^apis\[1\]\.upstream\.port: Service bookinfo\/reviews serves port 9080, not 9090/ },
    { name: 'an upstream in a namespace other than Bookinfo\'s', edits: [[['apis', 1, 'upstream', 'namespace'], 'shop']], message: /^apis\[1\]\.upstream: Service shop\/reviews is not deployed/ },
    { name: 'two east-west APIs for one Service', edits: [[['apis', 2], { name: 'again', basePath: '/again/', traffic: 'east-west', upstream: { service: 'reviews', port: 9080 } }]], message: /^apis\[2\]\.upstream: a second east-west API for reviews\.bookinfo\.svc\.cluster\.local/ },
    { name: 'a base path under another API\'s on the one Flex port', edits: [[['apis', 1, 'basePath'], '/ingress/reviews/']], message: /^apis\[1\]\.basePath: base path \/ingress\/reviews\/ lies under \/ingress\/ of apis\[0\]/ },
    { name: 'every reviews version excluded', edits: [[['samples', 'bookinfo', 'excludeVersions'], ['v1', 'v2', 'v3']]], message: /^samples\.bookinfo\.excludeVersions: every reviews version is excluded/ },
    { name: 'a lockdown that refuses Flex', edits: [[['lockdown', 'allowFromNamespaces'], ['bookinfo']]], message: /^lockdown\.allowFromNamespaces: Flex's namespace "flex" is not admitted/ },
    { name: 'a lockdown that refuses Bookinfo\'s own calls', edits: [[['lockdown', 'allowFromNamespaces'], ['flex']]], message: /^lockdown\.allowFromNamespaces: Bookinfo's own namespace "bookinfo" is not admitted/ },
    { name: 'a Flex release named like a Bookinfo app (its pods would bypass Flex)', edits: [[['flex', 'releaseName'], 'productpage']], message: /^flex\.releaseName: release "productpage" gives Flex's pods the label app=productpage/ },
    { name: 'a Flex release named like the gateway', edits: [[['flex', 'releaseName'], 'istio-ingress']], message: /^flex\.releaseName: release "istio-ingress"/ },
    { name: 'a gateway release named istiod', edits: [[['istio', 'ingressGateway', 'releaseName'], 'istiod']], message: /^istio\.ingressGateway\.releaseName: release "istiod" collides/ },
    { name: 'basic-auth in front of a Service Bookinfo calls', edits: [[['apis', 1, 'policies', 2], { type: 'basic-auth', credentials: 'ingress-users' }]], message: /^apis\[1\]\.policies\[2\]: basic-auth on east-west API bookinfo-reviews would refuse the calls productpage-v1 make to reviews/ },
    { name: 'two demo Secrets with one name', edits: [[['credentials', 0, 'insecureDemoUser'], { username: 'a', password: 'b' }], [['credentials', 1], { name: 'more', secretName: 'flex-basic-auth', usernameKey: 'u2', passwordKey: 'p2', insecureDemoUser: { username: 'c', password: 'd' } }]], message: /^credentials\[1\]\.secretName: demo Secret "flex-basic-auth" is also named by credentials\[0\]/ },
    { name: 'a demo Secret named like the registration Secret', edits: [[['credentials', 0, 'secretName'], 'flex-registration'], [['credentials', 0, 'insecureDemoUser'], { username: 'a', password: 'b' }]], message: /^credentials\[0\]\.secretName: demo Secret "flex-registration" is the Flex registration Secret/ },
  ];
  for (const { name, edits, message } of cases) {
    it(name, () => {
      const messages = refusal(...edits);
      assert.ok(messages.some((line) => message.test(line)), messages.join('\n') || '(accepted)');
    });
  }

  it('an environment name whose Application names would exceed 63 characters', () => {
    const name = 'e'.repeat(50);
    const messages = refusalOf(devTextWith(), `environments/${name}.yaml`);
    assert.ok(messages.some((line) => /^\(root\): environment name "e{50}" makes the Application name e{50}-prerequisites \(64 characters\) \(a file name of at most 49/.test(line)), messages.join('\n'));
    assert.deepEqual(refusalOf(devTextWith([['argocd', 'project'], 'p']), `environments/${'e'.repeat(49)}.yaml`), []);
  });

  describe('accepted: these work as written', () => {
    const accepted: Array<{ name: string; edits: Edit[] }> = [
      { name: 'dev', edits: [] },
      { name: 'Flex on a port next to the reserved ones', edits: [[['flex', 'port'], 15002]] },
      { name: 'the test client in Flex\'s namespace (the lockdown probe is left out, with the reason)', edits: [[['namespaces', 'test'], 'flex']] },
      { name: 'basic-auth in front of ratings when no kept reviews version calls it', edits: [[['apis', 2], { name: 'ratings', basePath: '/ratings/', traffic: 'east-west', upstream: { service: 'ratings', port: 9080 }, policies: [{ type: 'basic-auth', credentials: 'ingress-users' }] }]] },
      { name: 'an upstream given as the sleep Service', edits: [[['apis', 1, 'upstream'], { service: 'sleep', namespace: 'test', port: 80 }]] },
    ];
    for (const { name, edits } of accepted) it(name, () => assert.deepEqual(refusal(...edits), []));
  });
});
