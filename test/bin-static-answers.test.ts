// bin/flexmesh.js answers `--help` and `--version` given alone from dist/build-info.json, without compiling the
// engine: the same bytes and exit code as the engine gives, and no engine run (it would leave a code cache).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELP_ARGUMENTS, VERSION_ARGUMENTS } from '../generator/cli/usage.ts';
import { staticAnswers } from '../scripts/build.ts';
import { inProcess } from './support/cli-run.ts';
import { FLEXMESH_BIN, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

describe('bin/flexmesh.js: answers that need no engine', () => {
  const tempDir = useTempDirs();
  const run = (cwd: string, cache: string, ...args: string[]) => spawnSync(process.execPath, [FLEXMESH_BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FLEXMESH_CACHE_DIR: cache } });
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

  it('are the ones the build records', () => {
    const recorded = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'dist/build-info.json'), 'utf8')) as { answers: unknown }).answers;
    assert.deepEqual(recorded, staticAnswers(version));
    assert.deepEqual(Object.keys(recorded as object).sort(), [...HELP_ARGUMENTS, ...VERSION_ARGUMENTS].sort());
  });

  for (const arg of [...HELP_ARGUMENTS, ...VERSION_ARGUMENTS]) {
    it(`flexmesh ${arg}: what the engine prints, exit 0, and the engine not run`, async () => {
      const cwd = tempDir();
      const cache = join(cwd, 'cache');
      const answered = run(cwd, cache, arg);
      const engine = await inProcess(cwd, [arg]);
      assert.equal(answered.status, 0, answered.stderr);
      assert.equal(engine.code, 0);
      // In-process main() reads the version from package.json, the bin from the build: the same here.
      assert.equal(answered.stdout, engine.stdout);
      assert.equal(answered.stderr, '');
      assert.equal(existsSync(join(cache, 'code-cache')), false, 'no engine code cache: the engine did not run');
    });
  }

  it('still goes through the engine with anything more on the line', () => {
    const cwd = tempDir();
    const cache = join(cwd, 'cache');
    const help = run(cwd, cache, '-C', '.', '--help');
    assert.equal(help.status, 0, help.stderr);
    assert.equal(help.stdout, run(cwd, cache, '--help').stdout);
    assert.equal(existsSync(join(cache, 'code-cache')), true, 'the engine ran and cached its code');
    const bare = run(cwd, cache);
    assert.equal(bare.status, 2, 'no command is a usage error, answered by the engine');
  });
});
