// The package as a user installs it: `npm pack`, the tarball installed into a temporary prefix (as `npm install -g`
// does), then `flexmesh` run in a GitOps repository of its own. The tarball carries only what runs.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 180_000 });

describe('npm pack: the tarball installed elsewhere', function () {
  this.timeout(240_000);
  const tempDir = useTempDirs('all');
  let tarball: string;
  let files: string[];
  let prefix: string;
  let install: ReturnType<typeof npm>;

  before(() => {
    const packDir = tempDir();
    // As a release would: prepack leaves `prepare` out of the packed package.json, prepare builds, postpack restores.
    const before = readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8');
    const packed = npm(['pack', '--json', '--pack-destination', packDir], PROJECT_ROOT);
    assert.equal(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'), before, 'postpack restores package.json');
    assert.equal(packed.status, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(packDir, info!.filename);
    files = info!.files.map((file) => file.path).sort();
    prefix = tempDir();
    // Dependencies come from npm's cache, which `npm ci` filled.
    install = npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], packDir);
  });

  it('carries only what runs: the bin, the built code and validators, the pinned schemas (which checks by shape read), the templates', () => {
    const outside = files.filter((path) => !/^(bin\/(?:flexmesh\.js|engine-cache\.js|package\.json)|dist\/.+|schemas\/pinned\/.+\.json|templates\/.+|package\.json|README\.md)$/.test(path));
    assert.deepEqual(outside, []);
    for (const needed of ['bin/flexmesh.js', 'dist/main.cjs', 'bin/engine-cache.js', 'bin/package.json', 'dist/build-info.json', 'dist/templates.cjs', 'dist/validators/environment.cjs', 'schemas/pinned/index.json', 'schemas/pinned/argo-workflows-3.6.19/argoproj.io_v1alpha1_WorkflowTemplate.json', 'templates/bundle-readme.md.hbs']) {
      assert.ok(files.includes(needed), `${needed} is packed`);
    }
    assert.ok(!files.some((path) => path.endsWith('.ts')), 'no TypeScript sources');
  });

  it('installs without warnings (no EBADENGINE, no install scripts to approve)', () => {
    assert.equal(install.status, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /warn/i);
    const manifest = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', 'flexmesh', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.scripts ?? {}).filter((name) => /install|prepare|pack/.test(name)), []);
  });

  it('generates, checks and validates in a GitOps repository of its own, byte for byte what the checkout generates', () => {
    const repo = tempDir();
    // dev.yaml extends _base.yaml: the environment and its base, as a user's repository holds them.
    for (const file of ['dev.yaml', '_base.yaml']) cpSync(join(PROJECT_ROOT, 'environments', file), join(repo, 'environments', file));
    const bin = join(prefix, 'bin', 'flexmesh');
    const run = (...args: string[]) => execFileSync(bin, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, FLEXMESH_CACHE_DIR: join(repo, '.cache') } });
    assert.match(run('--version'), new RegExp(`^flexmesh ${JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).version}\\n$`));
    assert.match(run('generate'), /^out\/dev: \d+ written, 0 unchanged, 0 removed\n$/);
    const generated = listFiles(join(repo, 'out', 'dev'));
    assert.deepEqual(generated, listFiles(join(PROJECT_ROOT, 'out', 'dev')));
    for (const path of generated) assert.equal(readFileSync(join(repo, 'out', 'dev', path), 'utf8'), readFileSync(join(PROJECT_ROOT, 'out', 'dev', path), 'utf8'), path);
    assert.match(run('check'), /^out\/dev: up to date/);
    assert.match(run('validate', 'out'), /valid/);
  });
});
