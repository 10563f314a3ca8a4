// What the writer may remove, and when it waits: the manifest claims a file only while its content has the recorded
// hash; hostile or broken manifests and journals claim nothing outside the bundle; symbolic links are never written
// through; the lock is waited for, refused clearly, and taken over when its holder is gone.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { manifestFile, MANIFEST_FILE, sha256, type OutputFile } from '../generator/render/bundle.ts';
import { JOURNAL_FILE, LOCK_FILE } from '../generator/write/names.ts';
import { ownershipOf, regularFileContent } from '../generator/write/ownership.ts';
import { BundleProbe } from '../generator/write/probe.ts';
import { bundleState, WriteRefused, writeBundle } from '../generator/write/write-bundle.ts';
import { listFiles, useTempDirs } from './support/fixtures.ts';

function bundle(files: Record<string, string>): OutputFile[] {
  const list = Object.entries(files).map(([path, content]) => ({ path, content }));
  return [...list, manifestFile('dev', list)];
}
function put(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
const VICTIM = 'precious: true\n';
const NEXT = bundle({ 'apps/a.yaml': 'a: 2\n' });

describe('manifests and journals claim nothing they cannot back up', () => {
  const tempDir = useTempDirs();
  /** base/project/out/dev with a victim file outside the bundle whose hash any record can name. */
  function setUp(): { base: string; root: string; dir: string; victim: string } {
    const base = tempDir();
    const root = join(base, 'project', 'out');
    const dir = join(root, 'dev');
    const victim = join(base, 'project', 'victim.yaml');
    put(victim, VICTIM);
    mkdirSync(dir, { recursive: true });
    return { base, root, dir, victim };
  }
  const hash = sha256(VICTIM);
  const manifests: Array<{ name: string; content: string }> = [
    { name: 'null', content: 'null' },
    { name: 'not JSON', content: '{"generator": "flexmesh", "files": {' },
    { name: 'an array', content: '[]' },
    { name: 'files: null', content: JSON.stringify({ generator: 'flexmesh', files: null }) },
    { name: 'files as a list', content: JSON.stringify({ generator: 'flexmesh', files: ['../victim.yaml'] }) },
    { name: 'an absolute path', content: JSON.stringify({ generator: 'flexmesh', files: { '/PLACEHOLDER': hash } }) },
    { name: '"../victim.yaml"', content: JSON.stringify({ generator: 'flexmesh', files: { '../victim.yaml': hash } }) },
    { name: '"apps/../../victim.yaml"', content: JSON.stringify({ generator: 'flexmesh', files: { 'apps/../../victim.yaml': hash } }) },
    { name: 'a backslash path', content: JSON.stringify({ generator: 'flexmesh', files: { '..\\victim.yaml': hash } }) },
    { name: 'a path through a user link to outside', content: JSON.stringify({ generator: 'flexmesh', files: { 'link/victim.yaml': hash } }) },
    { name: 'another generator', content: JSON.stringify({ generator: 'someone-else', files: { 'mine.yaml': hash } }) },
    { name: 'a non-hash value', content: JSON.stringify({ generator: 'flexmesh', files: { 'mine.yaml': 1 } }) },
  ];
  for (const { name, content } of manifests) {
    it(`manifest ${name}: generate works and deletes nothing`, () => {
      const { root, dir, victim } = setUp();
      symlinkSync(dirname(victim), join(dir, 'link'));
      put(join(dir, 'mine.yaml'), VICTIM);
      writeFileSync(join(dir, MANIFEST_FILE), content.replace('/PLACEHOLDER', victim));
      const summary = writeBundle(dir, NEXT, { root });
      assert.deepEqual(summary.removed, []);
      assert.equal(readFileSync(victim, 'utf8'), VICTIM);
      assert.equal(readFileSync(join(dir, 'mine.yaml'), 'utf8'), VICTIM);
      assert.equal(readFileSync(join(dir, MANIFEST_FILE), 'utf8'), NEXT.at(-1)!.content);
    });
  }

  it('a hand-edited journal naming paths outside the bundle removes nothing there', () => {
    const { root, dir, victim } = setUp();
    writeFileSync(join(dir, JOURNAL_FILE), JSON.stringify({ generator: 'flexmesh-journal', phase: 'committing', write: { '../victim.yaml': hash, [victim]: hash }, remove: { '../../project/victim.yaml': hash } }));
    writeBundle(dir, NEXT, { root });
    assert.equal(readFileSync(victim, 'utf8'), VICTIM);
    assert.deepEqual(bundleState(dir), []);
  });

  it('a file flexmesh wrote and someone changed is kept, reported, and claimed by nobody after', () => {
    const { root, dir } = setUp();
    writeBundle(dir, bundle({ 'apps/a.yaml': 'a: 1\n', 'apps/old.yaml': 'old: 1\n', 'apps/stale.yaml': 'stale: 1\n' }), { root });
    writeFileSync(join(dir, 'apps/old.yaml'), 'old: 1 # my change\n');
    const summary = writeBundle(dir, NEXT, { root });
    assert.deepEqual(summary.removed, ['apps/stale.yaml']);
    assert.deepEqual(summary.kept, ['apps/old.yaml']);
    assert.equal(readFileSync(join(dir, 'apps/old.yaml'), 'utf8'), 'old: 1 # my change\n');
    assert.deepEqual(writeBundle(dir, NEXT, { root }).kept, undefined, 'no longer in the manifest: just a user file now');
  });

  it('a symbolic link where a generated file or folder goes is refused, never written through or replaced', () => {
    const { base, root, dir } = setUp();
    put(join(base, 'elsewhere', 'a.yaml'), 'theirs\n');
    symlinkSync(join(base, 'elsewhere'), join(dir, 'apps'));
    assert.throws(() => writeBundle(dir, NEXT, { root, label: 'out/dev' }), (error: unknown) => error instanceof WriteRefused && /out\/dev\/apps is a symbolic link/.test(error.message));
    assert.equal(readFileSync(join(base, 'elsewhere', 'a.yaml'), 'utf8'), 'theirs\n');
    assert.deepEqual(listFiles(dir), []);
  });
});

describe('planning reads each file once, and reads what regularFileContent reads', () => {
  const tempDir = useTempDirs();
  function setUp(): string {
    const dir = join(tempDir(), 'dev');
    put(join(dir, 'apps/a.yaml'), 'a: 1\n');
    put(join(dir, 'apps/b.yaml'), 'b: 1\n');
    put(join(dir, 'plain'), 'a file where a folder goes\n');
    mkdirSync(join(dir, 'folder'));
    symlinkSync(join(dir, 'apps/a.yaml'), join(dir, 'file-link'));
    symlinkSync(join(dir, 'apps'), join(dir, 'folder-link'));
    return dir;
  }
  const PATHS = ['apps/a.yaml', 'apps/missing.yaml', 'missing/a.yaml', 'folder', 'file-link', 'folder-link/a.yaml', 'plain/a.yaml', 'plain'];

  it('BundleProbe.content answers as regularFileContent for files, gaps, folders and links', () => {
    const dir = setUp();
    const probe = new BundleProbe(dir);
    for (const path of PATHS) assert.deepEqual(probe.content(path), regularFileContent(dir, path), path);
    assert.equal(probe.content('apps/a.yaml')?.toString(), 'a: 1\n');
    assert.equal(probe.content('file-link'), undefined, 'a link is never read through');
  });

  it('the ownership check asks its reader once per recorded path, and the probe keeps the answer for the comparison', () => {
    const dir = setUp();
    const files = [{ path: 'apps/a.yaml', content: 'a: 1\n' }, { path: 'apps/b.yaml', content: 'b: changed\n' }];
    writeFileSync(join(dir, MANIFEST_FILE), manifestFile('dev', [files[0]!, { path: 'apps/b.yaml', content: 'b: 1\n' }]).content);
    const asked: string[] = [];
    const probe = new BundleProbe(dir);
    const { ours, changed } = ownershipOf(dir, (path) => (asked.push(path), probe.content(path)));
    assert.deepEqual([...ours].sort(), ['apps/a.yaml', 'apps/b.yaml']);
    assert.deepEqual([...changed], []);
    assert.deepEqual(asked.sort(), ['apps/a.yaml', 'apps/b.yaml']);
    // Changed on disk after the probe read it: planning compares what it read, under the lock, once.
    writeFileSync(join(dir, 'apps/a.yaml'), 'a: edited meanwhile\n');
    assert.equal(probe.probe('apps/a.yaml').content?.toString(), 'a: 1\n');
    assert.equal(probe.probe('apps/a.yaml'), probe.probe('apps/a.yaml'));
  });
});

describe('the bundle lock', () => {
  const tempDir = useTempDirs();
  const lockOf = (pid: number, extra: object = {}) => `${JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', ...extra })}\n`;
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

  it('held by a live process: waits, then refuses with the holder\'s pid, and leaves the lock alone', async () => {
    const dir = join(tempDir(), 'dev');
    mkdirSync(dir);
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, LOCK_FILE), lockOf(holder.pid!));
      const started = Date.now();
      assert.throws(() => writeBundle(dir, NEXT, { lockTimeoutMs: 300, label: 'out/dev' }), (error: unknown) => error instanceof WriteRefused && new RegExp(`out/dev is being written by flexmesh generate \\(pid ${holder.pid}`).test(error.message));
      assert.ok(Date.now() - started >= 300);
      assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), lockOf(holder.pid!));
      assert.deepEqual(listFiles(dir), [LOCK_FILE]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('released by its holder while waiting: the waiter goes on and writes', async () => {
    const dir = join(tempDir(), 'dev');
    mkdirSync(dir);
    const holder = spawn(process.execPath, ['-e', `setTimeout(() => require('fs').unlinkSync(${JSON.stringify(join(dir, LOCK_FILE))}), 400); setTimeout(() => {}, 5000)`], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, LOCK_FILE), lockOf(holder.pid!));
      writeBundle(dir, NEXT, { lockTimeoutMs: 10_000 });
      assert.equal(readFileSync(join(dir, 'apps/a.yaml'), 'utf8'), 'a: 2\n');
    } finally {
      holder.kill('SIGKILL');
    }
  });

  const stale: Array<{ name: string; lock: () => string; old?: boolean }> = [
    { name: 'its pid is gone', lock: () => lockOf(deadPid()) },
    { name: 'its pid was reused by another process (start time differs)', lock: () => lockOf(process.pid, { start: '1' }) },
    { name: 'it is unreadable and old', lock: () => 'garbage', old: true },
  ];
  for (const { name, lock, old } of stale) {
    it(`stale because ${name}: taken over, and released after`, () => {
      const dir = join(tempDir(), 'dev');
      mkdirSync(dir);
      writeFileSync(join(dir, LOCK_FILE), lock());
      if (old) utimesSync(join(dir, LOCK_FILE), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      assert.ok(bundleState(dir).some((line) => /stale lock/.test(line)));
      writeBundle(dir, NEXT, { lockTimeoutMs: 2_000 });
      assert.equal(existsSync(join(dir, LOCK_FILE)), false);
      assert.deepEqual(listFiles(dir).sort(), ['.flexmesh-manifest.json', 'apps/a.yaml']);
    });
  }

  it('debris of a process killed while locking (its private lock file, a takeover guard) is removed', () => {
    const dir = join(tempDir(), 'dev');
    mkdirSync(dir);
    const pid = deadPid();
    writeFileSync(join(dir, `${LOCK_FILE}.${pid}`), lockOf(pid));
    writeFileSync(join(dir, `${LOCK_FILE}.takeover`), lockOf(pid));
    writeBundle(dir, NEXT);
    assert.deepEqual(listFiles(dir).sort(), ['.flexmesh-manifest.json', 'apps/a.yaml']);
  });

  it('an unreadable lock that is fresh is waited for (it may be a holder of another flexmesh version)', () => {
    const dir = join(tempDir(), 'dev');
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    assert.throws(() => writeBundle(dir, NEXT, { lockTimeoutMs: 200 }), WriteRefused);
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), 'garbage');
  });
});
