// New bundles staged during a parallel generate (generator/write/staging.ts): moved into place whole, handed to the
// ordinary writer when something appeared where they go, and never left behind, whatever happens.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { manifestFile, type OutputFile } from '../generator/render/bundle.ts';
import { WriteRefused } from '../generator/write/refusal.ts';
import { encodeFiles, removeAbandonedStaging, StagingArea, stagingAreas } from '../generator/write/staging.ts';
import { listFiles, useTempDirs } from './support/fixtures.ts';

function bundle(files: Record<string, string>): OutputFile[] {
  const list = Object.entries(files).map(([path, content]) => ({ path, content }));
  return [...list, manifestFile('test', list)];
}
const BUNDLE = bundle({ 'apps/a.yaml': 'a: 1\n', 'manifests/x/y/c.yaml': 'c: ü 1\n', 'README.md': '# r — ✓\n', 'empty.txt': '' });
const contentsOf = (files: readonly OutputFile[]) => Object.fromEntries(files.map((file) => [file.path, file.content]));
const snapshot = (dir: string) => Object.fromEntries(listFiles(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('StagingArea', () => {
  const tempDir = useTempDirs();

  it('moves a staged bundle into place whole and reports every file written', () => {
    const out = join(tempDir(), 'out');
    const staging = new StagingArea(out);
    staging.stage('dev', encodeFiles(BUNDLE));
    assert.equal(existsSync(join(out, 'dev')), false, 'nothing visible before the commit');
    const summary = staging.commit('dev', { path: join(out, 'dev'), shown: 'out/dev' });
    assert.deepEqual(summary, { written: BUNDLE.map((file) => file.path), unchanged: [], removed: [] });
    assert.deepEqual(snapshot(join(out, 'dev')), contentsOf(BUNDLE));
    staging.discard();
    assert.deepEqual(readdirSync(out), ['dev'], 'no staging area left');
  });

  it('gives a bundle to the ordinary writer when a directory appeared where it goes, keeping what is there', () => {
    const out = join(tempDir(), 'out');
    const staging = new StagingArea(out);
    staging.stage('dev', encodeFiles(BUNDLE));
    mkdirSync(join(out, 'dev'));
    writeFileSync(join(out, 'dev', 'notes.txt'), 'mine\n');
    const summary = staging.commit('dev', { path: join(out, 'dev'), shown: 'out/dev' });
    assert.deepEqual(summary.written, BUNDLE.map((file) => file.path));
    assert.deepEqual(snapshot(join(out, 'dev')), { ...contentsOf(BUNDLE), 'notes.txt': 'mine\n' });
    staging.discard();
    assert.deepEqual(readdirSync(out), ['dev']);
  });

  it('refuses, as the writer does, when a file appeared where the bundle goes', () => {
    const out = join(tempDir(), 'out');
    const staging = new StagingArea(out);
    staging.stage('dev', encodeFiles(BUNDLE));
    writeFileSync(join(out, 'dev'), 'a file\n');
    assert.throws(() => staging.commit('dev', { path: join(out, 'dev'), shown: 'out/dev' }), (error: unknown) => error instanceof WriteRefused && /out\/dev: it exists and is not a directory/.test(error.problems.join('\n')));
    staging.discard();
    assert.deepEqual(readdirSync(out), ['dev']);
    assert.equal(readFileSync(join(out, 'dev'), 'utf8'), 'a file\n');
  });

  it('discarding removes every staged bundle, and the output root when it created it', () => {
    const project = tempDir();
    const staging = new StagingArea(join(project, 'out'));
    staging.stage('dev', encodeFiles(BUNDLE));
    staging.stage('prod', encodeFiles(BUNDLE));
    staging.discard();
    assert.equal(existsSync(join(project, 'out')), false);
    mkdirSync(join(project, 'kept'));
    const inExisting = new StagingArea(join(project, 'kept'));
    inExisting.stage('dev', encodeFiles(BUNDLE));
    inExisting.discard();
    assert.deepEqual(readdirSync(join(project, 'kept')), [], 'an existing output root stays');
  });

  it('refuses to stage one name twice (a bug, not an input problem)', () => {
    const staging = new StagingArea(join(tempDir(), 'out'));
    staging.stage('dev', encodeFiles(BUNDLE));
    assert.throws(() => staging.stage('dev', encodeFiles(BUNDLE)), /staged twice/);
    staging.discard();
  });
});

describe('abandoned staging areas', () => {
  const tempDir = useTempDirs();
  const area = (out: string, name: string, owner?: object) => {
    mkdirSync(join(out, name, 'dev', 'apps'), { recursive: true });
    writeFileSync(join(out, name, 'dev', 'apps', 'a.yaml'), 'a: 1\n');
    if (owner) writeFileSync(join(out, name, '.flexmesh-owner.json'), JSON.stringify(owner));
  };

  const cases = [
    { name: 'its generate is gone', owner: () => ({ pid: deadPid(), host: hostname(), since: 'x' }), old: false, abandoned: true },
    { name: 'its generate is running (this process)', owner: () => ({ pid: process.pid, host: hostname(), since: 'x' }), old: false, abandoned: false },
    { name: 'it belongs to another host', owner: () => ({ pid: deadPid(), host: `${hostname()}-elsewhere`, since: 'x' }), old: false, abandoned: false },
    { name: 'it has no owner record and is old', owner: () => undefined, old: true, abandoned: true },
    { name: 'it has no owner record and is new (being created)', owner: () => undefined, old: false, abandoned: false },
  ];
  for (const entry of cases) {
    it(`${entry.abandoned ? 'removes' : 'keeps'} a staging area when ${entry.name}`, () => {
      const out = tempDir();
      const name = '.flexmesh-staging-1-abcd';
      area(out, name, entry.owner());
      if (entry.old) utimesSync(join(out, name), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      mkdirSync(join(out, 'prod'));
      assert.deepEqual(stagingAreas(out).map((state) => state.abandoned), [entry.abandoned]);
      removeAbandonedStaging(out);
      assert.deepEqual(readdirSync(out).sort(), entry.abandoned ? ['prod'] : [name, 'prod'].sort());
    });
  }
});
