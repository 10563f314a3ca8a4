// bin/engine-cache.js: the V8 code cache of dist/main.cjs — which cache a run reads and which it writes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

describe('the code cache of the built CLI (bin/engine-cache.js)', () => {
  const tempDir = useTempDirs();
  const BIN = join(PROJECT_ROOT, 'bin', 'flexmesh.js');

  function project(): { root: string; cache: string } {
    const root = tempDir();
    cpSync(join(PROJECT_ROOT, 'environments'), join(root, 'environments'), { recursive: true });
    return { root, cache: join(root, 'cache') };
  }
  const run = (root: string, cache: string, ...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, FLEXMESH_CACHE_DIR: cache, FLEXMESH_NO_FAST_PATH: '1' } });
    assert.equal(result.status, 0, result.stderr);
    return result;
  };
  const engineCaches = (cache: string) => (existsSync(join(cache, 'code-cache')) ? readdirSync(join(cache, 'code-cache')).filter((name) => name.startsWith('engine-')).sort() : []);
  const kinds = (cache: string) => engineCaches(cache).map((name) => /-(full|lite)\.bin$/.exec(name)?.[1]);

  it('writes a lite cache after a run that generates nothing, and a full one after the first run that generates', () => {
    const { root, cache } = project();
    run(root, cache, 'generate', '--help');
    assert.deepEqual(kinds(cache), ['lite']);
    run(root, cache, 'generate', '--env', 'dev', '--out', 'o');
    assert.deepEqual(kinds(cache), ['full', 'lite']);
    const full = engineCaches(cache).find((name) => name.endsWith('-full.bin'))!;
    const written = readFileSync(join(cache, 'code-cache', full));
    assert.ok(written.length > 100_000, 'the full cache holds the compiled pipeline');
    // A cache V8 accepts is not written again.
    run(root, cache, 'generate', '--env', 'dev', '--out', 'o2');
    assert.ok(readFileSync(join(cache, 'code-cache', full)).equals(written));
  });

  it('replaces a cache V8 refuses, and leaves nothing of other builds behind', () => {
    const { root, cache } = project();
    run(root, cache, 'generate', '--env', 'dev', '--out', 'o');
    const [full] = engineCaches(cache);
    writeFileSync(join(cache, 'code-cache', full!), 'not V8 cached data');
    writeFileSync(join(cache, 'code-cache', 'engine-0000000000000000000000000000dead-full.bin'), 'an older build');
    const again = run(root, cache, 'generate', '--env', 'dev', '--out', 'o3');
    assert.match(again.stdout, /o3\/dev: 43 written/);
    assert.deepEqual(engineCaches(cache), [full]);
    assert.ok(readFileSync(join(cache, 'code-cache', full!)).length > 100_000);
  });

  it('writes nothing when caching is off', () => {
    const { root } = project();
    run(root, '', 'generate', '--env', 'dev', '--out', 'o');
    assert.deepEqual(readdirSync(root).sort(), ['environments', 'o']);
  });
});
