// Where generate writes: --out absolute, relative, "/", a file, a read-only place; out/<env> as a symbolic link;
// the writer's own refusal of any bundle directory not directly inside the output root. Every outcome is either
// the bundle exactly where asked or a clean exit 2 without a stack trace, and nothing written elsewhere.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../generator/render/bundle.ts';
import { InjectedCrash, WriteRefused, writeBundle } from '../generator/write/write-bundle.ts';
import { inProcess } from './support/cli-run.ts';
import { devTextWith, listFiles, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

const NO_STACK = /\n\s+at |TypeError|ReferenceError/;

describe('--out', () => {
  const tempDir = useTempDirs();
  function project(): string {
    const root = tempDir();
    mkdirSync(join(root, 'environments'));
    writeFileSync(join(root, 'environments', 'dev.yaml'), devTextWith());
    return root;
  }
  const entries = (dir: string) => readdirSync(dir).sort();

  it('absolute: the bundle lands exactly there, nothing under the project', async () => {
    const root = project();
    const target = join(tempDir(), 'abs', 'out');
    const run = await inProcess(root, ['generate', '--out', target]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(target, 'dev', MANIFEST_FILE)));
    assert.deepEqual(entries(root), ['environments']);
    assert.match(run.stdout, new RegExp(`^${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/dev: 43 written`));
  });

  it('relative: below the project root, from any subdirectory', async () => {
    const root = project();
    mkdirSync(join(root, 'environments', 'sub'));
    const run = await inProcess(join(root, 'environments', 'sub'), ['generate', '--out', 'build/gitops']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(root, 'build', 'gitops', 'dev', MANIFEST_FILE)));
    assert.match(run.stdout, /^\.\.\/\.\.\/build\/gitops\/dev: 43 written/);
  });

  const refusals: Array<{ name: string; out: (root: string) => string; message: RegExp }> = [
    { name: '"/" (the bundle would be /dev)', out: () => '/', message: /--out \/: the file-system root cannot hold bundles/ },
    { name: 'empty', out: () => '', message: /--out needs a directory/ },
    { name: 'a regular file', out: (root) => (writeFileSync(join(root, 'file.txt'), 'x'), 'file.txt'), message: /file\.txt exists and is not a directory/ },
    { name: 'below a regular file', out: (root) => (writeFileSync(join(root, 'file.txt'), 'x'), 'file.txt/out'), message: /--out file\.txt\/out: file\.txt\/out cannot be a directory \(ENOTDIR/ },
    { name: 'inside /proc (nobody may create folders there)', out: () => '/proc/flexmesh-out-test', message: /cannot write \/proc\/flexmesh-out-test\/dev: E[A-Z]+/ },
  ];
  for (const { name, out, message } of refusals) {
    it(`${name}: exit 2, a clear message, no stack trace`, async () => {
      const root = project();
      const run = await inProcess(root, ['generate', '--out', out(root)]);
      assert.equal(run.code, 2, run.stdout);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, NO_STACK);
      assert.equal(existsSync(join(root, 'out')), false);
    });
  }

  it('a read-only directory: the bundle lands there (root may write anywhere) or a clean exit 2 with the previous state kept', async () => {
    const root = project();
    const readOnly = join(root, 'ro');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    try {
      const run = await inProcess(root, ['generate', '--out', 'ro']);
      if (run.code === 0) assert.ok(existsSync(join(readOnly, 'dev', MANIFEST_FILE)));
      else {
        assert.equal(run.code, 2);
        assert.match(run.stderr, /cannot write ro\/dev: EACCES/);
        assert.doesNotMatch(run.stderr, NO_STACK);
        assert.deepEqual(entries(readOnly), []);
      }
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });

  it('out/<env> a symbolic link to a directory: the link is kept and the bundle written into its target', async () => {
    const root = project();
    const target = join(tempDir(), 'real-bundle');
    mkdirSync(target);
    mkdirSync(join(root, 'out'));
    symlinkSync(target, join(root, 'out', 'dev'));
    for (let i = 0; i < 2; i++) assert.equal((await inProcess(root, ['generate'])).code, 0);
    assert.ok(lstatSync(join(root, 'out', 'dev')).isSymbolicLink());
    assert.equal(readlinkSync(join(root, 'out', 'dev')), target);
    assert.equal(listFiles(target).length, listFiles(join(PROJECT_ROOT, 'out', 'dev')).length);
  });

  const odd: Array<{ name: string; make: (dev: string) => void; message: RegExp }> = [
    { name: 'a dangling symbolic link', make: (dev) => symlinkSync('/nonexistent/flexmesh', dev), message: /out\/dev: it is a symbolic link to nothing/ },
    { name: 'a regular file', make: (dev) => writeFileSync(dev, 'mine'), message: /out\/dev: it exists and is not a directory/ },
    { name: 'a symbolic link to a file', make: (dev) => (writeFileSync(`${dev}.txt`, 'mine'), symlinkSync(`${dev}.txt`, dev)), message: /out\/dev: it exists and is not a directory/ },
  ];
  for (const { name, make, message } of odd) {
    it(`out/<env> ${name}: refused with exit 2 and left as it is`, async () => {
      const root = project();
      mkdirSync(join(root, 'out'));
      make(join(root, 'out', 'dev'));
      const before = lstatSync(join(root, 'out', 'dev'));
      const run = await inProcess(root, ['generate']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, NO_STACK);
      const after = lstatSync(join(root, 'out', 'dev'));
      assert.equal(after.ino, before.ino);
      assert.equal(after.isSymbolicLink(), before.isSymbolicLink());
    });
  }
});

describe('check on an unusable bundle directory reports drift, without a stack trace', () => {
  const tempDir = useTempDirs();
  const cases: Array<{ name: string; make: (dev: string) => void }> = [
    { name: 'a regular file', make: (dev) => writeFileSync(dev, 'mine') },
    { name: 'a dangling link', make: (dev) => symlinkSync('/nonexistent/flexmesh', dev) },
    { name: 'an empty folder', make: (dev) => mkdirSync(dev) },
  ];
  for (const { name, make } of cases) {
    it(name, async () => {
      const root = tempDir();
      mkdirSync(join(root, 'environments'));
      writeFileSync(join(root, 'environments', 'dev.yaml'), devTextWith());
      mkdirSync(join(root, 'out'));
      make(join(root, 'out', 'dev'));
      const run = await inProcess(root, ['check']);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /out\/dev: 43 file\(s\) differ from a fresh generate/);
      assert.doesNotMatch(run.stderr, NO_STACK);
    });
  }
});

describe('the writer refuses a bundle directory not directly inside the output root', () => {
  const tempDir = useTempDirs();
  const files = [{ path: 'a.yaml', content: 'a: 1\n' }];
  const cases: Array<{ name: string; dir: (root: string) => string; problem: RegExp }> = [
    { name: 'the output root itself (environment "")', dir: (root) => root, problem: /it is the output root itself/ },
    { name: 'its parent (environment "..", out/.. is the project)', dir: (root) => join(root, '..'), problem: /it is outside the output root/ },
    { name: 'a sibling of the root', dir: (root) => join(root, '..', 'other'), problem: /it is outside the output root/ },
    { name: 'two levels down', dir: (root) => join(root, 'a', 'b'), problem: /it is not directly inside the output root/ },
    { name: 'an unrelated absolute path', dir: () => '/etc', problem: /it is outside the output root/ },
  ];
  for (const { name, dir, problem } of cases) {
    it(name, () => {
      const base = tempDir();
      const root = join(base, 'project', 'out');
      mkdirSync(root, { recursive: true });
      writeFileSync(join(base, 'project', 'README.md'), 'the project\n');
      const before = listFiles(base);
      assert.throws(() => writeBundle(dir(root), files, { root }), (error: unknown) => error instanceof WriteRefused && problem.test(error.message));
      assert.deepEqual(listFiles(base), before);
    });
  }
});

describe('a file-system error while writing is a clean refusal and the previous bundle stays', () => {
  const tempDir = useTempDirs();
  const v1 = [{ path: 'apps/a.yaml', content: 'a: 1\n' }, { path: 'b.yaml', content: 'b: 1\n' }];
  const v2 = [{ path: 'apps/a.yaml', content: 'a: 2\n' }, { path: 'b.yaml', content: 'b: 2\n' }];
  const errors = ['EACCES', 'ENOSPC', 'EROFS', 'EIO'];
  for (const code of errors) {
    it(`${code} while staging`, () => {
      const root = tempDir();
      const dir = join(root, 'dev');
      writeBundle(dir, v1, { root });
      const seam = (step: string) => {
        if (step.startsWith('write ') && step.includes('b.yaml')) throw Object.assign(new Error(`${code}: simulated, write 'b.yaml'`), { code });
      };
      assert.throws(() => writeBundle(dir, v2, { root, beforeStep: seam, label: 'out/dev' }), (error: unknown) => {
        assert.ok(error instanceof WriteRefused && !(error instanceof InjectedCrash));
        assert.match(error.message, new RegExp(`cannot write out/dev: ${code}`));
        assert.match(error.outcome, /the previous bundle is unchanged/);
        return true;
      });
      assert.deepEqual(listFiles(dir), ['apps/a.yaml', 'b.yaml']);
      assert.equal(readFileSync(join(dir, 'apps/a.yaml'), 'utf8'), 'a: 1\n');
    });
  }
});
