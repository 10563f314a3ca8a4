// requireCompiled (generator/validate/compiled-script.ts): CommonJS through a V8 code cache, keyed by the exact source.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireCompiled, writeCodeCache } from '../generator/validate/compiled-script.ts';
import { useTempDirs } from './support/fixtures.ts';

describe('requireCompiled', () => {
  const tempDir = useTempDirs();
  const withCache = <T>(dir: string, run: () => T): T => {
    const before = process.env['FLEXMESH_CACHE_DIR'];
    process.env['FLEXMESH_CACHE_DIR'] = dir;
    try {
      return run();
    } finally {
      if (before === undefined) delete process.env['FLEXMESH_CACHE_DIR'];
      else process.env['FLEXMESH_CACHE_DIR'] = before;
    }
  };
  const cached = (dir: string) => {
    try {
      return readdirSync(join(dir, 'code-cache')).length;
    } catch {
      return 0;
    }
  };

  it('returns module.exports, with require resolving from the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'helper.cjs'), 'module.exports = (x) => x * 2;');
    writeFileSync(join(dir, 'main.cjs'), 'const helper = require("./helper.cjs"); exports.twice = helper; exports.name = __filename;');
    const loaded = withCache('', () => requireCompiled(join(dir, 'main.cjs'))) as { twice: (x: number) => number; name: string };
    assert.equal(loaded.twice(21), 42);
    assert.equal(loaded.name, join(dir, 'main.cjs'));
  });

  it('writes one cache per exact source, reuses it, and writes none when caching is off', () => {
    const dir = tempDir();
    const cache = join(dir, 'cache');
    const file = join(dir, 'v.cjs');
    writeFileSync(file, 'exports.validate = (x) => typeof x === "string";');
    assert.equal(withCache(cache, () => (requireCompiled(file) as { validate(x: unknown): boolean }).validate('a')), true);
    writeCodeCache();
    assert.equal(cached(cache), 1);
    withCache(cache, () => requireCompiled(file)); // accepted: nothing new to write
    writeCodeCache();
    assert.equal(cached(cache), 1);
    writeFileSync(file, 'exports.validate = (x) => typeof x === "number";'); // same length, other source
    assert.equal(withCache(cache, () => (requireCompiled(file) as { validate(x: unknown): boolean }).validate('a')), false);
    writeCodeCache();
    assert.equal(cached(cache), 2);
    writeFileSync(file, 'exports.validate = (x) => typeof x === "object";');
    withCache('', () => requireCompiled(file)); // caching off: nothing is written anywhere
    writeCodeCache();
    assert.equal(cached(cache), 2);
  });

  it('keys the cache on a given source version instead of the text, and leaves no cache of another version behind', () => {
    const dir = tempDir();
    const cache = join(dir, 'cache');
    const file = join(dir, 'v.cjs');
    writeFileSync(file, 'exports.validate = (x) => typeof x === "string";');
    withCache(cache, () => requireCompiled(file, 'build-1'));
    writeCodeCache();
    writeFileSync(file, 'exports.validate = (x) => typeof x === "number";'); // a new build: a new version
    // Named as caches were before they had a version's tag, and a cache of the main thread's engine (kept).
    writeFileSync(join(cache, 'code-cache', '0123456789abcdef0123456789abcdef.bin'), 'old');
    writeFileSync(join(cache, 'code-cache', 'engine-0123456789abcdef0123456789abcdef-full.bin'), 'engine');
    assert.equal(withCache(cache, () => (requireCompiled(file, 'build-2') as { validate(x: unknown): boolean }).validate(1)), true);
    writeCodeCache();
    const [current] = readdirSync(join(cache, 'code-cache')).filter((name) => name.startsWith('compiled-'));
    assert.deepEqual(readdirSync(join(cache, 'code-cache')).sort(), [current, 'engine-0123456789abcdef0123456789abcdef-full.bin']);
    withCache(cache, () => requireCompiled(file, 'build-2'));
    writeCodeCache();
    assert.deepEqual(readdirSync(join(cache, 'code-cache')).sort(), [current, 'engine-0123456789abcdef0123456789abcdef-full.bin']);
  });
});
