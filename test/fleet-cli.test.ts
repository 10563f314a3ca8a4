// show, list, diff, init, and what check reports besides drift (orphan bundles, foreign files Argo CD would sync),
// on a copy of the committed environments.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseChain } from '../generator/env/extends.ts';
import { readChain } from '../generator/env/read-chain.ts';
import { generateFromSources } from '../generator/pipeline.ts';
import { inProcess } from './support/cli-run.ts';
import { generateCommitted, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

describe('flexmesh show, list, diff, init', function () {
  this.timeout(120_000);
  const tempDir = useTempDirs();
  const generatedDir = useTempDirs('all');
  let generated = '';
  before(async () => {
    generated = generatedDir();
    cpSync(join(PROJECT_ROOT, 'environments'), join(generated, 'environments'), { recursive: true });
    const run = await inProcess(generated, ['generate', '--all']);
    assert.equal(run.code, 0, run.stderr);
  });
  const copy = () => {
    const root = tempDir();
    cpSync(generated, root, { recursive: true });
    return root;
  };

  it('show prints the merged, defaulted environment; saved alone it loads to the same environment', async () => {
    const run = await inProcess(generated, ['show', '--env', 'staging']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^# Environment staging as flexmesh generate uses it: environments\/staging\.yaml, extending environments\/_connected\.yaml, extending environments\/_base\.yaml,/);
    assert.match(run.stdout, /^ {2}path: out\/staging$/m);
    assert.match(run.stdout, /^ {2}project: flexmesh-staging$/m);
    assert.doesNotMatch(run.stdout, /^extends:/m);
    // Saved alone it generates the same bundle; only the README's line naming the source files differs (and the hash of it).
    const withoutSources = (files: Array<{ path: string; content: string }>) => files.filter((file) => file.path !== 'README.md' && file.path !== '.flexmesh-manifest.json');
    assert.deepEqual(withoutSources(generateFromSources([{ file: 'environments/staging.yaml', text: run.stdout }]).files), withoutSources(generateCommitted('staging').files));
  });

  it('show needs exactly one --env', async () => {
    const run = await inProcess(generated, ['show', '--all']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /show takes exactly one --env NAME/);
  });

  it('list: every environment with its bases, mode, cluster and bundle state (up to date, drift, missing)', async () => {
    const root = copy();
    writeFileSync(join(root, 'out/prod/README.md'), 'edited\n');
    writeFileSync(join(root, 'environments/qa.yaml'), 'extends: _base.yaml\nargocd:\n  destination:\n    server: https://qa.example.com:6443\n');
    const run = await inProcess(root, ['list']);
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.trimEnd().split('\n').map((line) => line.split(/\s{2,}/));
    assert.deepEqual(rows, [
      ['ENVIRONMENT', 'BASES', 'MODE', 'CLUSTER', 'BUNDLE'],
      ['dev', 'environments/_base.yaml', 'local', 'https://kubernetes.default.svc', 'up to date'],
      ['prod', 'environments/_connected.yaml → environments/_base.yaml', 'connected', 'name:prod', 'drift'],
      ['qa', 'environments/_base.yaml', 'local', 'https://qa.example.com:6443', 'missing'],
      ['staging', 'environments/_connected.yaml → environments/_base.yaml', 'connected', 'name:staging', 'up to date'],
    ]);
  });

  it('diff exits 0 and prints nothing when generate would change nothing', async () => {
    const run = await inProcess(generated, ['diff']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /generate would change nothing/);
  });

  it('diff shows a change in a base as a unified diff in every bundle that inherits it, and exits 1; nothing is written', async () => {
    const root = copy();
    const base = join(root, 'environments/_connected.yaml');
    writeFileSync(base, readFileSync(base, 'utf8').replace('version: 1.0.0', 'version: 1.0.1'));
    const before = readFileSync(join(root, 'out/staging/manifests/flex-apis/configmap-staging-api-manager.yaml'), 'utf8');
    const run = await inProcess(root, ['diff', '--env', 'staging']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^--- a\/out\/staging\/manifests\/flex-apis\/configmap-staging-api-manager\.yaml\n\+\+\+ b\/out\/staging\/manifests\/flex-apis\/configmap-staging-api-manager\.yaml\n@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    assert.match(run.stdout, /^-\s+"version": "1\.0\.0"/m);
    assert.match(run.stdout, /^\+\s+"version": "1\.0\.1"/m);
    assert.doesNotMatch(run.stdout, /out\/dev\//);
    assert.equal(readFileSync(join(root, 'out/staging/manifests/flex-apis/configmap-staging-api-manager.yaml'), 'utf8'), before);
    const all = await inProcess(root, ['diff', '--all']);
    assert.match(all.stdout, /^\+\+\+ b\/out\/prod\//m);
  });

  it('diff shows new and removed files', async () => {
    const root = copy();
    const staging = join(root, 'environments/staging.yaml');
    writeFileSync(staging, `${readFileSync(staging, 'utf8')}verification:\n  enabled: false\n`);
    writeFileSync(join(root, 'environments/qa.yaml'), 'extends: _base.yaml\n');
    const run = await inProcess(root, ['diff', '--env', 'staging', '--env', 'qa']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^--- a\/out\/staging\/apps\/06-verification\.yaml\n\+\+\+ \/dev\/null$/m);
    assert.match(run.stdout, /^--- \/dev\/null\n\+\+\+ b\/out\/qa\/README\.md\n@@ -0,0 \+1,\d+ @@$/m);
  });

  it('init writes an overlay with a name-derived folder and project that generates, and refuses to overwrite', async () => {
    const root = copy();
    const run = await inProcess(root, ['init', 'qa', '--base', '_connected.yaml', '--cluster', 'https://qa.example.com:6443']);
    assert.equal(run.code, 0, run.stderr);
    const text = readFileSync(join(root, 'environments/qa.yaml'), 'utf8');
    assert.match(text, /^# yaml-language-server: \$schema=\.\.\/schemas\/pinned\/environment-overlay\.schema\.json\n/);
    assert.match(text, /^extends: _connected\.yaml\ngitops:\n {2}path: out\/qa\nargocd:\n {2}project: flexmesh-qa\n {2}destination:\n {4}server: https:\/\/qa\.example\.com:6443\n/m);
    assert.match(text, /# - the Flex registration Secret flex-registration in namespace flex/);
    assert.match(text, /# - the credentials Secret flex-basic-auth/);
    assert.match(text, /# - the Connected App Secret anypoint-connected-app/);
    const env = parseChain(readChain(root, 'environments/qa.yaml')).topology.env;
    assert.deepEqual([env.flex.mode, env.argocd.destination, env.anypoint?.environment], ['connected', { server: 'https://qa.example.com:6443' }, { name: 'Sandbox' }]);
    assert.equal((await inProcess(root, ['generate', '--env', 'qa'])).code, 0);
    const again = await inProcess(root, ['init', 'qa']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /environments\/qa\.yaml already exists; init never overwrites/);
    assert.equal(readFileSync(join(root, 'environments/qa.yaml'), 'utf8'), text);
  });

  const inits: Array<{ name: string; args: string[]; check: (text: string) => void }> = [
    { name: '--mode connected on a Local-Mode base adds placeholder anypoint values; a cluster name replaces the server', args: ['init', 'lab', '--mode', 'connected', '--cluster', 'lab'], check: (text) => {
      assert.match(text, /^ {2}destination:\n {4}name: lab\n {4}server: null\n/m);
      assert.match(text, /^flex:\n {2}mode: connected\nanypoint:\n {2}organizationId: 00000000-0000-0000-0000-000000000000\n/m);
    } },
    { name: '--from ENV extends that environment', args: ['init', 'lab', '--from', 'staging'], check: (text) => assert.match(text, /^extends: staging\.yaml$/m) },
    { name: '--mode local on a Connected-Mode base removes the anypoint block', args: ['init', 'lab', '--base', '_connected.yaml', '--mode', 'local'], check: (text) => assert.match(text, /^flex:\n {2}mode: local\nanypoint: null$/m) },
  ];
  for (const { name, args, check } of inits) {
    it(`init: ${name}`, async () => {
      const root = copy();
      const run = await inProcess(root, args);
      assert.equal(run.code, 0, run.stderr);
      check(readFileSync(join(root, 'environments/lab.yaml'), 'utf8'));
      const generate = await inProcess(root, ['generate', '--env', 'lab']);
      assert.equal(generate.code, 0, generate.stderr);
    });
  }

  const refusals: Array<{ args: string[]; stderr: RegExp }> = [
    { args: ['init', 'Bad_Name'], stderr: /environment name "Bad_Name" is not valid/ },
    { args: ['init', '_base2'], stderr: /reserved for shared bases/ },
    { args: ['init', 'qa', '--from', 'nope'], stderr: /environments\/nope\.yaml does not exist/ },
    { args: ['init', 'qa', '--from', 'dev', '--base', '_base.yaml'], stderr: /either --from ENV or --base FILE/ },
    { args: ['init', 'qa', '--mode', 'hybrid'], stderr: /--mode hybrid: expected local or connected/ },
    { args: ['init'], stderr: /init takes one environment name/ },
  ];
  for (const { args, stderr } of refusals) {
    it(`init refuses: ${args.join(' ')}`, async () => {
      const root = copy();
      const run = await inProcess(root, args);
      assert.equal(run.code, 2);
      assert.match(run.stderr, stderr);
      assert.equal(existsSync(join(root, 'environments/qa.yaml')), false);
    });
  }

  it('check reports an orphan bundle and a foreign file Argo CD would sync, but not files it would not sync', async () => {
    const root = copy();
    mkdirSync(join(root, 'out/ghost'));
    cpSync(join(root, 'out/dev/.flexmesh-manifest.json'), join(root, 'out/ghost/.flexmesh-manifest.json'));
    mkdirSync(join(root, 'out/notes'));
    writeFileSync(join(root, 'out/notes/x.yaml'), 'a: 1\n');
    writeFileSync(join(root, 'out/dev/apps/extra.yaml'), 'kind: ConfigMap\n');
    writeFileSync(join(root, 'out/dev/manifests/mesh/notes.md'), 'hi\n');
    mkdirSync(join(root, 'out/dev/apps/nested'));
    writeFileSync(join(root, 'out/dev/apps/nested/x.yaml'), 'kind: ConfigMap\n');
    const run = await inProcess(root, ['check']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^out\/dev\/apps\/extra\.yaml: not written by flexmesh, and Argo CD syncs it with the bundle/m);
    assert.match(run.stderr, /^out\/ghost: orphan bundle: it has a flexmesh manifest but no environments\/ghost\.yaml/m);
    assert.doesNotMatch(run.stderr, /notes|nested/);
  });

  it('generate --all writes out/_fleet, generate --env does not; check --all reports a fleet that drifted', async () => {
    const root = copy();
    assert.ok(existsSync(join(root, 'out/_fleet/flexmesh-fleet.yaml')));
    const fleetFile = join(root, 'out/_fleet/flexmesh-fleet.yaml');
    writeFileSync(fleetFile, readFileSync(fleetFile, 'utf8').replace('out/*/fleet.json', 'out/dev/fleet.json'));
    const check = await inProcess(root, ['check', '--all']);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /^out\/_fleet: 1 file\(s\) differ from a fresh generate:\n {2}out\/_fleet\/flexmesh-fleet\.yaml$/m);
    const one = await inProcess(root, ['generate', '--env', 'dev']);
    assert.doesNotMatch(one.stdout, /_fleet/);
    const all = await inProcess(root, ['generate', '--all']);
    assert.match(all.stdout, /^out\/_fleet: 1 written, 2 unchanged, 0 removed$/m);
  });
});
