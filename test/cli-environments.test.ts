// Rules between the environments of one project: a copied environment file must not sync another environment's
// folder or share its AppProject (regression: a copy of dev.yaml kept gitops.path out/dev).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flexmesh, inProcess } from './support/cli-run.ts';
import { devTextWith, listFiles, useTempDirs, type Edit } from './support/fixtures.ts';

describe('flexmesh CLI: rules across environments', function () {
  this.timeout(60_000);
  const tempDir = useTempDirs();

  function project(files: Record<string, string>): string {
    const root = tempDir();
    mkdirSync(join(root, 'environments'));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(root, 'environments', file), text);
    return root;
  }

  const cases: Array<{ name: string; staging: Edit[]; args: string[]; code: number; stderr?: RegExp }> = [
    { name: 'a plain copy derives its own folder and project', staging: [], args: ['generate', '--all'], code: 0 },
    { name: 'a copy that keeps gitops.path out/dev is refused, pointing at the line', staging: [[['gitops', 'path'], 'out/dev']], args: ['generate', '--env', 'staging'], code: 2, stderr: /environments\/staging\.yaml:\d+:\d+: gitops\.path: environment staging shares its GitOps folder out\/dev with dev \(environments\/dev\.yaml\) \(give each environment its own gitops\.path/ },
    { name: 'a copy that keeps argocd.project flexmesh-dev is refused, also when only dev is generated', staging: [[['argocd', 'project'], 'flexmesh-dev']], args: ['generate', '--env', 'dev'], code: 2, stderr: /environments\/dev\.yaml:\d+:\d+: argocd\.project: environment dev shares its AppProject flexmesh-dev with staging/ },
    { name: 'the same project name in another Argo CD namespace is another AppProject', staging: [[['argocd', 'project'], 'flexmesh-dev'], [['argocd', 'namespace'], 'argocd-staging']], args: ['generate', '--all'], code: 0 },
  ];
  for (const { name, staging, args, code, stderr } of cases) {
    it(name, async () => {
      const root = project({ 'dev.yaml': devTextWith(), 'staging.yaml': devTextWith(...staging) });
      const run = await inProcess(root, args);
      assert.equal(run.code, code, run.stderr);
      if (stderr) assert.match(run.stderr, stderr);
      if (code !== 0) assert.deepEqual(listFiles(root).filter((path) => path.startsWith('out/')), [], 'nothing written');
    });
  }

  // The built CLI reads the other environments while it waits for its schema worker (commands.ts): the same verdicts.
  for (const { name, staging, args, code, stderr } of cases.filter((entry) => !entry.args.includes('--all'))) {
    it(`${name} (the built CLI)`, () => {
      const root = project({ 'dev.yaml': devTextWith(), 'staging.yaml': devTextWith(...staging) });
      const run = flexmesh(root, ...args);
      assert.equal(run.code, code, run.stderr);
      if (stderr) assert.match(run.stderr, stderr);
      assert.deepEqual(listFiles(root).filter((path) => path.startsWith('out/')), [], 'nothing written');
    });
  }

  it('an environment file that does not load does not block generating the others', async () => {
    const root = project({ 'dev.yaml': devTextWith(), 'broken.yaml': 'apiVersion: nope\n' });
    const run = await inProcess(root, ['generate', '--env', 'dev']);
    assert.equal(run.code, 0, run.stderr);
  });
});
