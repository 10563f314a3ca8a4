// bin/flexmesh.js runs the build in dist/, and in a checkout refuses a build older than the sources it was made from.
// (Tests import the TypeScript sources; `npm test` builds first, so the tests that spawn the bin run a current build.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

describe('bin/flexmesh.js and the build it runs', () => {
  const tempDir = useTempDirs();

  /** A copy of the package as installed (no sources), optionally with a generator/ source dir as in a checkout. */
  function copy(): string {
    const root = tempDir();
    for (const path of ['bin', 'dist', 'package.json']) cpSync(join(PROJECT_ROOT, path), join(root, path), { recursive: true, preserveTimestamps: true });
    return root;
  }
  // Through the engine (`--version` alone is answered from build-info.json: bin-static-answers.test.ts).
  const version = (root: string) => spawnSync(process.execPath, [join(root, 'bin', 'flexmesh.js'), 'version', '--help'], { encoding: 'utf8' });
  const past = new Date(Date.now() - 3_600_000);

  it('runs the build when there are no sources (an installed package)', () => {
    const root = copy();
    assert.equal(version(root).status, 0);
  });

  it('runs a build newer than every source, and refuses one older than any of them, naming it', () => {
    const root = copy();
    mkdirSync(join(root, 'generator', 'cli'), { recursive: true });
    const source = join(root, 'generator', 'cli', 'main.ts');
    writeFileSync(source, '');
    utimesSync(source, past, past);
    utimesSync(join(root, 'package.json'), past, past);
    for (const file of readdirSync(join(root, 'bin'))) utimesSync(join(root, 'bin', file), past, past);
    assert.equal(version(root).status, 0, version(root).stderr);
    writeFileSync(source, '// edited after the build\n');
    const refused = version(root);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^flexmesh: the build in dist\/ is older than generator\/cli\/main\.ts; run: npm run build$/m);
  });

  it('ends a command whose reader went away (diff | head) with the command\'s exit code, not an EPIPE crash', () => {
    const root = tempDir();
    cpSync(join(PROJECT_ROOT, 'environments'), join(root, 'environments'), { recursive: true });
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${join(PROJECT_ROOT, 'bin', 'flexmesh.js')}" diff --all | head -n 1 >/dev/null; echo "exit \${PIPESTATUS[0]}" >&2`], { cwd: root, encoding: 'utf8' });
    assert.doesNotMatch(piped.stderr, /EPIPE|Unhandled/);
    assert.match(piped.stderr, /^exit 1$/m, 'diff exits 1: generate would write every bundle');
  });

  it('refuses to run without a build', () => {
    const root = tempDir();
    cpSync(join(PROJECT_ROOT, 'bin'), join(root, 'bin'), { recursive: true });
    const run = version(root);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /no build in dist\//);
  });
});
