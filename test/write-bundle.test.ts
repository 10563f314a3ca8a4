// The writer: files replaced in place, removal of only its own stale files. Crashes: write-crash.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { manifestFile, MANIFEST_FILE, type OutputFile } from '../generator/render/bundle.ts';
import { driftOf, previouslyWritten, writeBundle } from '../generator/write/write-bundle.ts';
import { listFiles, useTempDirs } from './support/fixtures.ts';

/** Files as renderBundle returns them: the given ones plus the manifest that records them. */
function bundle(files: Record<string, string>): OutputFile[] {
  const list = Object.entries(files).map(([path, content]) => ({ path, content }));
  return [...list, manifestFile('test', list)];
}
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}
function put(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

const V1 = bundle({ 'apps/a.yaml': 'a: 1\n', 'apps/b.yaml': 'b: 1\n', 'manifests/x/c.yaml': 'c: 1\n' });
const V2 = bundle({ 'apps/a.yaml': 'a: 2\n', 'apps/b.yaml': 'b: 1\n' });

describe('writeBundle', () => {
  const tempDir = useTempDirs();
  let dir = '';
  beforeEach(() => {
    dir = join(tempDir(), 'out', 'dev');
  });

  it('writes a fresh bundle, creating parent directories, with the manifest of its files', () => {
    const summary = writeBundle(dir, V1);
    assert.deepEqual(summary, { written: ['apps/a.yaml', 'apps/b.yaml', 'manifests/x/c.yaml', MANIFEST_FILE], unchanged: [], removed: [] });
    assert.deepEqual(snapshot(dir), Object.fromEntries(V1.map((file) => [file.path, file.content])));
    assert.deepEqual([...previouslyWritten(dir)].sort(), [MANIFEST_FILE, 'apps/a.yaml', 'apps/b.yaml', 'manifests/x/c.yaml'].sort());
  });

  it('counts unchanged files and rewrites nothing else on a second run', () => {
    writeBundle(dir, V1);
    assert.deepEqual(writeBundle(dir, V1), { written: [], unchanged: V1.map((file) => file.path), removed: [] });
  });

  it('removes the files it wrote before that are no longer generated, and keeps foreign files', () => {
    writeBundle(dir, V1);
    put(dir, 'NOTES.md', 'mine\n');
    put(dir, 'manifests/x/extra.yaml', 'also mine\n');
    const summary = writeBundle(dir, V2);
    assert.deepEqual(summary, { written: ['apps/a.yaml', MANIFEST_FILE], unchanged: ['apps/b.yaml'], removed: ['manifests/x/c.yaml'] });
    assert.deepEqual(snapshot(dir), { ...Object.fromEntries(V2.map((file) => [file.path, file.content])), 'NOTES.md': 'mine\n', 'manifests/x/extra.yaml': 'also mine\n' });
  });

  it('without a manifest, every existing file counts as foreign and is kept', () => {
    put(dir, 'apps/old.yaml', 'old\n');
    const summary = writeBundle(dir, V2);
    assert.deepEqual(summary.removed, []);
    assert.equal(readFileSync(join(dir, 'apps/old.yaml'), 'utf8'), 'old\n');
  });

  it('a failure in the middle of writing leaves the previous bundle intact and no staging directory', () => {
    writeBundle(dir, V1);
    put(dir, 'NOTES.md', 'mine\n');
    const before = snapshot(dir);
    // `apps` is both a directory (of apps/a.yaml) and a file: the second write fails after the first succeeded.
    const broken = [{ path: 'apps/a.yaml', content: 'new\n' }, { path: 'apps', content: 'boom\n' }];
    assert.throws(() => writeBundle(dir, broken), /EISDIR|EEXIST|ENOTDIR/);
    assert.deepEqual(snapshot(dir), before);
    assert.equal(existsSync(`${dir}.staging`), false);
    assert.equal(existsSync(`${dir}.previous`), false);
  });

  it('never touches sibling <dir>.previous and <dir>.staging folders: flexmesh no longer makes them, so they are a user\'s', () => {
    writeBundle(dir, V1);
    put(`${dir}.previous`, 'apps/ghost.yaml', 'ghost\n');
    put(`${dir}.staging`, 'apps/half.yaml', 'half\n');
    writeBundle(dir, V2);
    assert.equal(readFileSync(`${dir}.previous/apps/ghost.yaml`, 'utf8'), 'ghost\n');
    assert.equal(readFileSync(`${dir}.staging/apps/half.yaml`, 'utf8'), 'half\n');
    assert.deepEqual(listFiles(dir), V2.map((file) => file.path).sort());
  });
});

describe('driftOf', () => {
  const tempDir = useTempDirs();

  const cases: Array<{ name: string; change: (dir: string) => void; drift: string[] }> = [
    { name: 'clean', change: () => {}, drift: [] },
    { name: 'hand edit', change: (dir) => put(dir, 'apps/b.yaml', 'b: edited\n'), drift: ['apps/b.yaml'] },
    { name: 'deleted file', change: (dir) => rmSync(join(dir, 'apps/a.yaml')), drift: ['apps/a.yaml'] },
    { name: 'emptied file', change: (dir) => writeFileSync(join(dir, 'apps/a.yaml'), ''), drift: ['apps/a.yaml'] },
    { name: 'foreign file only', change: (dir) => put(dir, 'NOTES.md', 'mine\n'), drift: [] },
  ];
  for (const { name, change, drift } of cases) {
    it(name, () => {
      const dir = join(tempDir(), 'dev');
      writeBundle(dir, V1);
      change(dir);
      assert.deepEqual(driftOf(dir, V1), drift);
    });
  }

  it('lists missing files, and our own files a fresh generate would remove', () => {
    const dir = join(tempDir(), 'dev');
    writeBundle(dir, V1);
    assert.deepEqual(driftOf(dir, V2), ['.flexmesh-manifest.json', 'apps/a.yaml', 'manifests/x/c.yaml']);
    assert.deepEqual(driftOf(join(tempDir(), 'absent'), V2), V2.map((file) => file.path).sort());
  });
});
