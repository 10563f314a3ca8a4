// The bundle README: sync order, the Secrets to create and their commands, the demo-credentials warning.
import assert from 'node:assert/strict';
import { loadAssets } from '../generator/assets.ts';
import { buildBundle } from '../generator/render/bundle.ts';
import { readmeData, renderReadme } from '../generator/render/readme.ts';
import { precompiledTemplates } from '../scripts/build.ts';
import { devTopologyWith, type Edit } from './support/fixtures.ts';
import { connectedEdits } from './support/api-manager/connected.ts';

const assets = loadAssets('1.21.2');
const DEMO: Edit = [['credentials', 0, 'insecureDemoUser'], { username: 'max', password: 'mule-demo-pw' }];
const CONNECTED = connectedEdits();
const NO_VERIFY: Edit = [['verification', 'enabled'], false];

/** The README as the bundle builds it (no output validation, so any environment variant renders). */
function readme(...edits: Edit[]): string {
  const file = buildBundle(devTopologyWith(...edits), assets).find((candidate) => candidate.path === 'README.md');
  assert.ok(file && 'text' in file);
  return file.text;
}
const section = (text: string, heading: string): string => text.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
const waveLines = (text: string): string[] => section(text, 'Sync order').split('\n').filter((line) => line.startsWith('- wave'));

describe('bundle README', () => {
  it('lists the ApiInstances in Local Mode, and in Connected Mode what the reconcile Job puts into API Manager', () => {
    const local = readme();
    const connected = readme(...CONNECTED);
    assert.match(section(local, 'What is in it'), /`manifests\/flex-apis\/` \| Flex ApiInstances/);
    assert.equal(section(local, 'API Manager (Connected Mode)'), '');
    assert.match(section(connected, 'What is in it'), /`manifests\/flex-apis\/` \| Connected Mode: ConfigMap `dev-api-manager` .*Sync-hook Job `dev-api-manager-reconcile`/);
    const apim = section(connected, 'API Manager (Connected Mode)');
    // One table per API, with the values the tutorial types into API Manager's UI.
    for (const row of ['| instance label | `flexmesh.dev.ingress` |', '| proxy URI (port + base path) | `http://0.0.0.0:8081/ingress/` |', '| upstream URL | `http://productpage.bookinfo.svc:9080/` |', '| route label | `productpage` |', '| route label | `reviews` |']) {
      assert.ok(apim.includes(row), `${row} in\n${apim}`);
    }
    assert.match(apim, /\| 2 \| basic-auth \| `http-basic-authentication` 1\.3\.2 \| username and password from Secret `flex-basic-auth` \(keys `username`, `password`\), read by the Job at run time \|/);
    assert.match(apim, /\| 2 \| rate-limiting \| `rate-limiting` 1\.4\.1 \| `\{"rateLimits":\[\{"maximumRequests":2,"timePeriodInMilliseconds":60000\}\],"exposeHeaders":true\}` \|/);
    assert.match(apim, /API Manager: Manage APIs Configuration, Manage Policies, View Policies, Deploy API Proxies/);
    assert.match(apim, /flexctl -v .* registration create .*--connected=true/);
    assert.match(apim, /kubectl -n flex create job --from=cronjob\/dev-api-manager-drift /);
  });

  it('escapes a pipe in a policy configuration so the table keeps its columns', () => {
    const apim = section(readme(...CONNECTED, [['apis', 1, 'policies', 0, 'items', 0, 'message'], "#['a|b']"]), 'API Manager (Connected Mode)');
    assert.ok(apim.includes("#['a\\|b']"), apim);
  });

  describe('renders every variant completely', () => {
    const variants: Array<[string, Edit[]]> = [
      ['dev', []],
      ['demo credentials', [DEMO]],
      ['connected mode', CONNECTED],
      ['no verification', [NO_VERIFY]],
      ['no credentials at all', [[['apis', 0, 'policies'], [{ type: 'rate-limiting', rateLimits: [{ maximumRequests: 1, timePeriodInMilliseconds: 1000 }] }]], [['credentials'], []]]],
    ];
    for (const [name, edits] of variants) {
      it(name, () => {
        const text = readme(...edits);
        assert.match(text, /^# flexmesh bundle: dev\n/);
        // Code spans are data (a policy's JSON configuration ends in "}}"); everything else is template text.
        assert.doesNotMatch(text.replace(/`[^`\n]*`/g, '``'), /\{\{|\}\}|undefined|\[object Object\]|NaN/);
        assert.match(text, /\n$/);
      });
    }
  });

  it('lists the sync waves with the Applications of each', () => {
    assert.deepEqual(waveLines(readme(NO_VERIFY)), [
      '- wave 0: `dev-istio-base` (Istio CRDs and the default validating webhook), `dev-prerequisites` (namespaces with istio-injection=enabled)',
      '- wave 1: `dev-istiod` (Istio control plane and sidecar injector)',
      '- wave 2: `dev-istio-ingress` (Istio ingress gateway)',
      '- wave 3: `dev-flex-gateway` (Flex Gateway)',
      '- wave 4: `dev-bookinfo` (Bookinfo without reviews-v2, reviews-v3), `dev-sleep` (sleep test client)',
      '- wave 5: `dev-flex-apis` (Flex ApiInstances with their policies), `dev-mesh-routing` (Istio Gateway, VirtualServices through Flex, Bookinfo lockdown)',
    ]);
  });

  it('connected mode: flex-apis is the API Manager reconcile in the sync order', () => {
    const lines = waveLines(readme(NO_VERIFY, ...CONNECTED));
    assert.equal(lines.at(-1), '- wave 5: `dev-flex-apis` (the Job that makes API Manager match the APIs, and its drift check), `dev-mesh-routing` (Istio Gateway, VirtualServices through Flex, Bookinfo lockdown)');
  });

  describe('Secrets to create', () => {
    const cases: Array<{ name: string; edits: Edit[]; rows: string[]; commands: string[] }> = [
      {
        name: 'dev: registration and basic-auth credentials',
        edits: [],
        rows: [
          '| `flex-registration` | `flex` | registration.yaml | Flex Gateway registration (flexctl registration create) |',
          '| `flex-basic-auth` | `flex` | username, password | basic-auth credentials "ingress-users", read by Flex Gateway |',
          '| `flex-basic-auth` | `argo` | username, password | the same credentials "ingress-users", sent by the verification probes |',
        ],
        commands: [
          'kubectl create secret generic flex-registration -n flex --from-file=registration.yaml',
          'kubectl create secret generic flex-basic-auth -n flex --from-literal=username=<user> --from-literal=password=<password>',
          'kubectl create secret generic flex-basic-auth -n argo --from-literal=username=<user> --from-literal=password=<password>',
        ],
      },
      {
        name: 'renamed namespace, registration Secret and keys',
        edits: [[['flex', 'namespace'], 'edge'], [['flex', 'registrationSecret'], 'reg'], [['credentials', 0, 'usernameKey'], 'u'], [['credentials', 0, 'passwordKey'], 'p'], [['lockdown', 'allowFromNamespaces'], undefined]],
        rows: [
          '| `reg` | `edge` | registration.yaml | Flex Gateway registration (flexctl registration create) |',
          '| `flex-basic-auth` | `edge` | u, p | basic-auth credentials "ingress-users", read by Flex Gateway |',
          '| `flex-basic-auth` | `argo` | u, p | the same credentials "ingress-users", sent by the verification probes |',
        ],
        commands: [
          'kubectl create secret generic reg -n edge --from-file=registration.yaml',
          'kubectl create secret generic flex-basic-auth -n edge --from-literal=u=<user> --from-literal=p=<password>',
          'kubectl create secret generic flex-basic-auth -n argo --from-literal=u=<user> --from-literal=p=<password>',
        ],
      },
      {
        name: 'connected mode: the Connected App Secret, and the credentials go to the reconcile Job',
        edits: [...connectedEdits({ connectedApp: { secretName: 'apim-app', clientIdKey: 'id', clientSecretKey: 'secret' } })],
        rows: [
          '| `flex-registration` | `flex` | registration.yaml | Flex Gateway registration (flexctl registration create) |',
          '| `apim-app` | `flex` | id, secret | the Connected App the reconcile Job signs in to API Manager with (scopes below) |',
          '| `flex-basic-auth` | `flex` | username, password | basic-auth credentials "ingress-users", sent to API Manager by the reconcile Job |',
          '| `flex-basic-auth` | `argo` | username, password | the same credentials "ingress-users", sent by the verification probes |',
        ],
        commands: [
          'kubectl create secret generic flex-registration -n flex --from-file=registration.yaml',
          'kubectl create secret generic apim-app -n flex --from-literal=id=<connected app client id> --from-literal=secret=<connected app client secret>',
          'kubectl create secret generic flex-basic-auth -n flex --from-literal=username=<user> --from-literal=password=<password>',
          'kubectl create secret generic flex-basic-auth -n argo --from-literal=username=<user> --from-literal=password=<password>',
        ],
      },
      {
        name: 'demo credentials are rendered, so they are not listed',
        edits: [DEMO],
        rows: ['| `flex-registration` | `flex` | registration.yaml | Flex Gateway registration (flexctl registration create) |'],
        commands: ['kubectl create secret generic flex-registration -n flex --from-file=registration.yaml'],
      },
    ];
    for (const { name, edits, rows, commands } of cases) {
      it(name, () => {
        const text = readme(...edits);
        assert.deepEqual(section(text, 'Secrets you create').split('\n').filter((line) => line.startsWith('| `')), rows);
        const listed = section(text, 'Bootstrap (once)').split('\n').filter((line) => line.includes('kubectl create secret'));
        assert.deepEqual(listed.map((line) => line.trim().replace(/^- `|`$/g, '')), commands);
      });
    }
  });

  describe('demo credentials warning', () => {
    it('insecureDemoUser: warns, names the Secret file, and never prints the password', () => {
      const text = readme(DEMO);
      assert.match(text, /WARNING: insecure demo credentials/);
      assert.match(text, /`manifests\/prerequisites\/secret-flex-basic-auth\.yaml` holds the tutorial's demo/);
      assert.match(text, /\(Secret `flex-basic-auth` in `flex`\)/);
      assert.doesNotMatch(text, /mule-demo-pw/);
    });

    it('without insecureDemoUser: no warning', () => {
      assert.doesNotMatch(readme(), /WARNING|insecure/i);
    });
  });

  it('bootstrap commands follow the Argo CD namespace, repository and path', () => {
    const text = readme([['argocd', 'namespace'], 'gitops'], [['gitops', 'path'], 'clusters/dev']);
    assert.match(text, /Install Argo CD v2\.13\.9 into `gitops`/);
    assert.match(text, /kubectl -n gitops patch configmap argocd-cm --type merge --patch-file bootstrap\/argocd-cm-application-health\.yaml/);
    assert.match(text, /at `clusters\/dev`, then/);
  });

  it('the verification section appears only when verification is enabled', () => {
    assert.match(readme(), /\n## Verify\n[\s\S]*argo submit --from workflowtemplate\/dev-verify -n argo --watch/);
    assert.match(readme(), /\| `manifests\/verification\/` \|/);
    assert.doesNotMatch(readme(NO_VERIFY), /## Verify|manifests\/verification|argo submit/);
  });

  it('renders in strict mode: a field the template needs but the data lacks is an error', () => {
    const data = readmeData(devTopologyWith());
    assert.throws(() => renderReadme('{{env.nope}}', data), /"nope" not defined/);
  });

  it('the build\'s precompiled template renders what compiling the text renders, and only for that exact text', () => {
    const specs = new Function('module', `${precompiledTemplates()}; return module.exports;`)({}) as Record<string, unknown>;
    assert.equal(Object.keys(specs).length, 1, 'one template: bundle-readme.md.hbs');
    for (const edits of [[], [DEMO], CONNECTED, [NO_VERIFY]] as Edit[][]) {
      const data = readmeData(devTopologyWith(...edits));
      assert.equal(renderReadme(assets.bundleReadme, data, specs), renderReadme(assets.bundleReadme, data, {}));
    }
    // An edited template has another hash, so it is compiled, never rendered from a stale spec.
    assert.equal(renderReadme(`${assets.bundleReadme}EDITED`, readmeData(devTopologyWith()), specs).endsWith('EDITED'), true);
    assert.throws(() => renderReadme('{{env.nope}}', readmeData(devTopologyWith()), specs), /"nope" not defined/);
  });
});
