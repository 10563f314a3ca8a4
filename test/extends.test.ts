// Shared bases (generator/env/extends.ts, read-chain.ts): the merge rules, where errors in a base are reported, chains
// and cycles, and the committed environments (dev adds nothing to _base.yaml).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, formatDiagnostic } from '../generator/diagnostics.ts';
import { mergeChain, mergeValues, owningLayer, parseChain } from '../generator/env/extends.ts';
import { parseEnvironment } from '../generator/env/load.ts';
import { readChain } from '../generator/env/read-chain.ts';
import { generateFromFile } from '../generator/pipeline.ts';
import { inProcess } from './support/cli-run.ts';
import { DEV_FILE, devText, generateCommitted, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics.map(formatDiagnostic);
    throw error;
  }
  assert.fail('expected an InputError');
}

describe('shared bases: merge rules', () => {
  const cases: Array<{ name: string; base: unknown; overlay: unknown; merged: unknown }> = [
    { name: 'maps merge key by key, recursively', base: { a: { x: 1, y: 2 }, b: 1 }, overlay: { a: { y: 3, z: 4 } }, merged: { a: { x: 1, y: 3, z: 4 }, b: 1 } },
    { name: 'scalars replace', base: { a: 1 }, overlay: { a: 'two' }, merged: { a: 'two' } },
    { name: 'lists replace whole (apis are never merged by name)', base: { apis: [{ name: 'a' }, { name: 'b' }] }, overlay: { apis: [{ name: 'b', x: 1 }] }, merged: { apis: [{ name: 'b', x: 1 }] } },
    { name: 'null removes an inherited key', base: { a: { server: 'https://x', y: 1 } }, overlay: { a: { server: null, name: 'c' } }, merged: { a: { y: 1, name: 'c' } } },
    { name: 'null over nothing removes nothing and is dropped', base: { a: 1 }, overlay: { b: null, c: { d: null, e: 1 } }, merged: { a: 1, c: { e: 1 } } },
    { name: 'a map replaces a scalar and a scalar a map', base: { a: 1, b: { c: 1 } }, overlay: { a: { c: 2 }, b: 3 }, merged: { a: { c: 2 }, b: 3 } },
    { name: 'nulls inside a replacing list are kept (the schema reports them)', base: {}, overlay: { l: [null, { a: null }] }, merged: { l: [null, { a: null }] } },
  ];
  for (const { name, base, overlay, merged } of cases) it(name, () => assert.deepEqual(mergeValues(base, overlay), merged));

  it('a chain merges from the deepest base up and drops every extends key', () => {
    assert.deepEqual(mergeChain([{ extends: 'b.yaml', a: 3 }, { extends: 'c.yaml', a: 2, b: 2 }, { a: 1, b: 1, c: 1 }]), { a: 3, b: 2, c: 1 });
  });

  const owners: Array<{ path: Array<string | number>; owner: number }> = [
    { path: ['a'], owner: 0 },
    { path: ['m', 'x'], owner: 2 },
    { path: ['m', 'y'], owner: 1 },
    { path: ['l', 0], owner: 1 },
    { path: ['cut', 'x'], owner: 0 },
    { path: ['missing', 'deep'], owner: 0 },
  ];
  const chain = [{ a: 1, cut: {} }, { m: { y: 1 }, l: [1], cut: 5 }, { m: { x: 1 }, l: [1, 2], cut: { x: 1 } }];
  for (const { path, owner } of owners) it(`the value at ${path.join('.')} was written by layer ${owner}`, () => assert.equal(owningLayer(chain, path), owner));
});

describe('shared bases: errors point where the value was written', () => {
  const base = (extra = '') => devText().replace('apiVersion: flexmesh/v1alpha1', `apiVersion: flexmesh/v1alpha1${extra}`);

  it('a bad value in the base is reported at the base file, naming the inheriting environment', () => {
    const text = base().replace('  port: 8081', '  port: 80810');
    const line = text.split('\n').findIndex((entry) => entry.includes('port: 80810')) + 1;
    const found = problems(() => parseChain([{ file: 'environments/qa.yaml', text: 'extends: _base.yaml\n' }, { file: 'environments/_base.yaml', text }]));
    assert.deepEqual(found, [`environments/_base.yaml:${line}:9: flex.port: number 80810 is out of range (inherited by environment qa from environments/_base.yaml) (at most 65535)`]);
  });

  it('a bad value in the overlay is reported at the overlay, without a note', () => {
    const found = problems(() => parseChain([{ file: 'environments/qa.yaml', text: 'extends: _base.yaml\nflex:\n  mode: lokal\n' }, { file: 'environments/_base.yaml', text: base() }]));
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^environments\/qa\.yaml:3:9: flex\.mode: "lokal" is not allowed \(one of local, connected; did you mean "local"\?\)$/);
  });

  it('an unknown key in a base is located at its key; a rule violation across files at the value that breaks it', () => {
    const overlay = 'extends: _base.yaml\napis:\n  - name: a\n    basePath: /a/\n    traffic: east-west\n    upstream: {service: reviews, port: 9080}\n    policies:\n      - type: basic-auth\n        credentials: nobody\n';
    const found = problems(() => parseChain([{ file: 'environments/qa.yaml', text: overlay }, { file: 'environments/_base.yaml', text: base('\nsurprise: 1') }]));
    assert.ok(found.some((entry) => /^environments\/_base\.yaml:\d+:1: surprise: unknown field "surprise" \(inherited by environment qa/.test(entry)), found.join('\n'));
    const apiManagerless = problems(() => parseChain([{ file: 'environments/qa.yaml', text: overlay }, { file: 'environments/_base.yaml', text: base() }]));
    assert.deepEqual(apiManagerless.map((entry) => entry.split(': ').slice(0, 2).join(': ')), ['environments/qa.yaml:9:22: apis[0].policies[0].credentials']);
  });

  it('null removing a required key is reported as missing', () => {
    const found = problems(() => parseChain([{ file: 'environments/qa.yaml', text: 'extends: _base.yaml\ngitops:\n  repoURL: null\n' }, { file: 'environments/_base.yaml', text: base() }]));
    assert.equal(found.length, 1);
    assert.match(found[0]!, /gitops: missing required field "repoURL"/);
  });
});

describe('shared bases: chains on disk', function () {
  this.timeout(60_000);
  const tempDir = useTempDirs();
  const project = (files: Record<string, string>) => {
    const root = tempDir();
    mkdirSync(join(root, 'environments', 'bases'), { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(root, 'environments', file), text);
    return root;
  };

  it('follows a chain, each path relative to the file that writes it', () => {
    const root = project({ 'qa.yaml': 'extends: bases/_mid.yaml\n', 'bases/_mid.yaml': 'extends: ../_base.yaml\nflex:\n  port: 8082\n', '_base.yaml': devText() });
    const sources = readChain(root, 'environments/qa.yaml');
    assert.deepEqual(sources.map((source) => source.path), ['environments/qa.yaml', 'environments/bases/_mid.yaml', 'environments/_base.yaml']);
    assert.equal(parseChain(sources).topology.env.flex.port, 8082);
  });

  const refused: Array<{ name: string; files: Record<string, string>; message: RegExp }> = [
    { name: 'a cycle', files: { 'qa.yaml': 'extends: _a.yaml\n', '_a.yaml': 'extends: _b.yaml\n', '_b.yaml': 'extends: _a.yaml\n' }, message: /^environments\/_b\.yaml:1:10: extends: extends _a\.yaml makes a cycle: environments\/qa\.yaml → environments\/_a\.yaml → environments\/_b\.yaml → environments\/_a\.yaml/ },
    { name: 'a file extending itself', files: { 'qa.yaml': 'extends: qa.yaml\n' }, message: /makes a cycle/ },
    { name: 'a missing base', files: { 'qa.yaml': 'flex:\n  port: 1\nextends: _nope.yaml\n' }, message: /^environments\/qa\.yaml:3:10: extends: base file environments\/_nope\.yaml does not exist/ },
    { name: 'a base that is not a YAML path', files: { 'qa.yaml': 'extends: [a]\n' }, message: /is not a base file \(a relative path to a \.yaml/ },
    { name: 'a base outside the project', files: { 'qa.yaml': 'extends: ../../x.yaml\n' }, message: /lies outside the project/ },
  ];
  for (const { name, files, message } of refused) {
    it(`refuses ${name}`, () => {
      const root = project(files);
      const found = problems(() => readChain(root, 'environments/qa.yaml'));
      assert.equal(found.length, 1);
      assert.match(found[0]!, message);
    });
  }

  it('generate --all skips _ bases, writes the overlay, and the README names both files', async () => {
    const root = project({ 'qa.yaml': 'extends: _base.yaml\n', '_base.yaml': devText() });
    const run = await inProcess(root, ['generate', '--all']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^out\/qa: \d+ written/);
    assert.doesNotMatch(run.stdout, /_base/);
  });

  it('an error in a base stops generate with exit 2, at the base line', async () => {
    const root = project({ 'qa.yaml': 'extends: _base.yaml\n', '_base.yaml': devText().replace('  mode: local', '  mode: lokal') });
    const run = await inProcess(root, ['generate', '--env', 'qa']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /environments\/_base\.yaml:\d+:9: flex\.mode: "lokal" is not allowed \(inherited by environment qa from environments\/_base\.yaml\)/);
  });
});

describe('shared bases: the committed environments', () => {
  it('dev adds nothing to _base.yaml: its merged environment is the base written out whole', () => {
    assert.deepEqual(generateCommitted('dev').env, parseEnvironment(devText(), DEV_FILE));
  });

  it('staging and prod extend _connected.yaml, which extends _base.yaml, and their READMEs say so', () => {
    for (const name of ['staging', 'prod']) {
      const generated = generateCommitted(name);
      assert.deepEqual(generated.topology.sources, [`environments/${name}.yaml`, 'environments/_connected.yaml', 'environments/_base.yaml']);
      const readme = generated.files.find((file) => file.path === 'README.md')!.content;
      assert.match(readme, new RegExp(`from \`environments/${name}\\.yaml\`, extending \`environments/_connected\\.yaml\`, extending \`environments/_base\\.yaml\``));
      assert.equal(generated.env.flex.mode, 'connected');
      assert.deepEqual(generated.env.argocd.destination, { name });
    }
  });

  it('prod runs two Flex replicas and a stricter rate limit than staging', () => {
    const prod = generateCommitted('prod');
    const staging = generateCommitted('staging');
    assert.equal(prod.env.flex.replicas, 2);
    assert.equal(staging.env.flex.replicas, undefined);
    const limit = (env: typeof prod.env) => env.apis.flatMap((api) => api.policies).flatMap((policy) => (policy.type === 'rate-limiting' ? policy.rateLimits : []))[0]!.maximumRequests;
    assert.ok(limit(prod.env) < limit(staging.env));
    const flexApp = prod.files.find((file) => file.path === 'apps/03-flex-gateway.yaml')!.content;
    assert.match(flexApp, /^ {8}replicaCount: 2$/m);
  });

  it('generateFromFile follows extends next to the file (as bench/ calls it on dev.yaml)', () => {
    const generated = generateFromFile(join(PROJECT_ROOT, 'environments/prod.yaml'), 'environments/prod.yaml');
    assert.deepEqual(generated.files.filter((file) => file.path !== 'README.md' && file.path !== '.flexmesh-manifest.json'), generateCommitted('prod').files.filter((file) => file.path !== 'README.md' && file.path !== '.flexmesh-manifest.json'));
  });

  it('reads the committed chain from the project root', () => {
    assert.equal(readChain(PROJECT_ROOT, 'environments/dev.yaml').length, 2);
  });
});
