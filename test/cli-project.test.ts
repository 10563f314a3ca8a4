// Where the CLI works: the project root found upward from the working directory (like git and npm), -C/--chdir,
// --out relative to the root, and which files of environments/ are environments (one naming rule for --env and --all).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { flexmesh, inProcess } from './support/cli-run.ts';
import { HANG_GUARD_MS } from './support/hang-guard.ts';
import { DEV_PATH, devTextWith, listFiles, useTempDirs } from './support/fixtures.ts';

const DEV = readFileSync(DEV_PATH, 'utf8');

describe('flexmesh CLI: project root, -C, environment file names', function () {
  this.timeout(HANG_GUARD_MS); // every run is bounded by its exit, see hang-guard.ts
  const tempDir = useTempDirs();

  /** A project directory holding environments/<file> for each entry (file names as given, extension included). */
  function project(files: Record<string, string> = { 'dev.yaml': DEV }): string {
    const root = tempDir();
    mkdirSync(join(root, 'environments'));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(root, 'environments', file), text);
    return root;
  }

  it('runs from a subdirectory: finds the root upward, prints paths relative to where it runs, --out is relative to the root', async () => {
    const root = project();
    const deep = join(root, 'docs', 'notes');
    mkdirSync(deep, { recursive: true });
    const run = await inProcess(deep, ['generate', '--out', 'build']);
    assert.equal(run.code, 0, run.stderr);
    const count = listFiles(join(root, 'build', 'dev')).length;
    assert.equal(run.stdout, `../../build/dev: ${count} written, 0 unchanged, 0 removed\n`);
    assert.equal(existsSync(join(deep, 'build')), false, '--out is not relative to the working directory');
    assert.equal((await inProcess(deep, ['check', '--out', 'build'])).stdout, `../../build/dev: up to date (${count} files)\n`);

    const absolute = join(tempDir(), 'bundles');
    const elsewhere = await inProcess(deep, ['generate', '--out', absolute]);
    assert.equal(elsewhere.stdout, `${join(absolute, 'dev')}: ${count} written, 0 unchanged, 0 removed\n`, 'an absolute --out is used and printed as given');

    writeFileSync(join(root, 'environments', 'dev.yaml'), devTextWith([['flex', 'mode'], 'lokal']));
    const bad = await inProcess(deep, ['generate']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^\.\.\/\.\.\/environments\/dev\.yaml:\d+:\d+: flex\.mode: "lokal" is not allowed/m, 'diagnostics name the file from where flexmesh runs');
  });

  it('-C DIR before the command and --chdir DIR after it (bin): the same as running in DIR', () => {
    const root = project();
    const run = flexmesh(dirname(root), '-C', basename(root), 'generate');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^out\/dev: \d+ written, 0 unchanged, 0 removed\n$/);
    assert.ok(existsSync(join(root, 'out', 'dev', '.flexmesh-manifest.json')));
    const check = flexmesh(tempDir(), 'check', '--chdir', root);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /^out\/dev: up to date \(\d+ files\)\n$/);
  });

  it('outside any project: exit 2, the directories searched and how to fix it', async () => {
    const empty = tempDir();
    const ancestors: string[] = [];
    for (let dir = empty; ; dir = dirname(dir)) {
      assert.equal(existsSync(join(dir, 'environments')), false, `precondition: ${dir} has no environments/`);
      ancestors.push(dir);
      if (dirname(dir) === dir) break;
    }
    const run = await inProcess(empty, ['check']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.startsWith(`flexmesh: no environments/ directory found in ${ancestors.join(', ')}\n`), run.stderr);
    assert.match(run.stderr, /or name the project with -C DIR \(--chdir DIR\)/);
  });

  it('--all: file names that cannot name an environment, and x.yml next to x.yaml, are errors with a reason; nothing is written', async () => {
    const root = project({ 'dev.yaml': DEV, 'dev.yml': DEV, 'My Env.yaml': DEV, '..yaml': DEV, 'stage.yaml': DEV });
    const run = await inProcess(root, ['generate', '--all']);
    assert.equal(run.code, 2, run.stderr);
    assert.deepEqual(run.stderr.split('\n').filter(Boolean), [
      'environments/..yaml: (file name): "." cannot name an environment: it must be a DNS label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (rename the file, or start its name with "_" so --all skips it)',
      'environments/My Env.yaml: (file name): "My Env" cannot name an environment: it must be a DNS label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (rename the file, or start its name with "_" so --all skips it)',
      'environments/dev.yml: (file name): environment "dev" is also defined by environments/dev.yaml (keep one of the two files)',
      'flexmesh: 3 problem(s) found; nothing was written',
    ]);
    assert.equal(existsSync(join(root, 'out')), false);
    const named = await inProcess(root, ['generate', '--env', 'dev']);
    assert.equal(named.code, 2);
    assert.match(named.stderr, /^flexmesh: environments\/dev\.yaml and environments\/dev\.yml both define environment "dev"; keep one of the two files$/m);
  });

  it('--all skips files starting with "_" (shared bases) without reading them; .yml files are environments too', async () => {
    const root = project({ 'dev.yaml': DEV, '_base.yaml': 'not: [an environment', 'stage.yml': devTextWith([['gitops', 'path'], 'out/stage']) });
    const run = await inProcess(root, ['generate', '--all']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.split('\n').filter(Boolean).map((line) => line.split(':')[0]), ['out/dev', 'out/stage', 'out/_fleet']);
    assert.equal(existsSync(join(root, 'out', '_base')), false);
    assert.equal((await inProcess(root, ['check', '--env', 'stage'])).code, 0, 'stage.yml is found by name');
    const base = await inProcess(root, ['generate', '--env', '_base']);
    assert.equal(base.code, 2);
    assert.match(base.stderr, /environment name "_base" is not valid: names starting with "_" are reserved for shared bases/);
  });
});
