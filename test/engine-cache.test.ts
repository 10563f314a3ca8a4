// bin/engine-cache.js: the V8 code cache of dist/main.cjs — which cache a run reads and which it writes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

  describe("a fleet's workers", function () {
    this.timeout(120_000);
    const FLEET = 40;

    function fleet(): { root: string; cache: string } {
      const root = tempDir();
      mkdirSync(join(root, 'environments'));
      copyFileSync(join(PROJECT_ROOT, 'environments/_base.yaml'), join(root, 'environments/_base.yaml'));
      for (let index = 0; index < FLEET; index++) {
        const name = `env-${String(index).padStart(2, '0')}`;
        writeFileSync(join(root, 'environments', `${name}.yaml`), `extends: _base.yaml\nargocd:\n  destination:\n    server: https://${name}.clusters.example.com:6443\n`);
      }
      cpSync(join(PROJECT_ROOT, 'environments/dev.yaml'), join(root, 'environments/zz-dev.yaml'));
      return { root, cache: join(root, 'cache') };
    }
    const generateAll = (root: string, cache: string, out: string, workers = '2') =>
      spawnSync(process.execPath, [BIN, 'generate', '--all', '--out', out], { cwd: root, encoding: 'utf8', env: { ...process.env, FLEXMESH_CACHE_DIR: cache, FLEXMESH_THREADS: workers } });
    const generateOne = (root: string, cache: string, out: string) => run(root, cache, 'generate', '--env', 'zz-dev', '--out', out);
    /** Every cache file with its inode and mtime: a cache V8 refused is written anew, so these change. */
    const state = (cache: string) => readdirSync(join(cache, 'code-cache')).sort().map((name) => {
      const stat = statSync(join(cache, 'code-cache', name));
      return `${name} ${stat.ino} ${stat.mtimeMs}`;
    });

    it('compile the engine through a cache of their own, which the first worker to have compiled the pipeline writes once', () => {
      const { root, cache } = fleet();
      const first = generateAll(root, cache, 'o1');
      assert.equal(first.status, 0, first.stderr);
      const worker = engineCaches(cache).filter((name) => /-worker-[0-9a-f]{8}\.bin$/.test(name));
      assert.equal(worker.length, 1, `one worker cache under the fleet's V8 flags: ${engineCaches(cache).join(', ')}`);
      assert.ok(readFileSync(join(cache, 'code-cache', worker[0]!)).length > 100_000, 'the worker cache holds the compiled pipeline');
      // The main thread's own cache was written before the fleet changed V8's flags, so it holds no refused data.
      assert.deepEqual(kinds(cache), ['lite', undefined]);
      const again = generateAll(root, cache, 'o2');
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, /o2\/env-39: 41 written/);
      assert.deepEqual(engineCaches(cache).filter((name) => name.includes('-worker-')), worker);
    });

    it('keep their caches and the main thread its own: none is refused and written again, whichever runs next', () => {
      const { root, cache } = fleet();
      assert.equal(generateAll(root, cache, 'o1').status, 0);
      generateOne(root, cache, 'o2');
      // Every cache now exists: the workers' (engine and validators, under the fleet's flags) and the main thread's.
      const written = state(cache);
      assert.ok(written.length > 20, written.join('\n'));
      assert.equal(generateAll(root, cache, 'o3').status, 0);
      generateOne(root, cache, 'o4');
      assert.equal(generateAll(root, cache, 'o5').status, 0);
      assert.deepEqual(state(cache), written);
    });

    it('replace a worker cache V8 refuses', () => {
      const { root, cache } = fleet();
      assert.equal(generateAll(root, cache, 'o1').status, 0);
      const worker = engineCaches(cache).find((name) => name.includes('-worker-'))!;
      writeFileSync(join(cache, 'code-cache', worker), 'not V8 cached data');
      const again = generateAll(root, cache, 'o2');
      assert.equal(again.status, 0, again.stderr);
      assert.ok(readFileSync(join(cache, 'code-cache', worker)).length > 100_000);
    });
  });
});
