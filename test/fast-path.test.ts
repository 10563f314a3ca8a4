// The no-change fast path (generator/cli/fast-path.ts): a repeated generate or check answers without the generator
// only when nothing it depends on changed, and says the same as the full pipeline; any doubt means a full run.
import assert from 'node:assert/strict';
import { JOURNAL_FILE } from '../generator/write/names.ts';
import { encodeFiles, StagingArea } from '../generator/write/staging.ts';
import { HANG_GUARD_MS } from './support/hang-guard.ts';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fastPath } from '../generator/cli/fast-path.ts';
import { main } from '../generator/cli/main.ts';
import type { Io, Tool } from '../generator/cli/usage.ts';
import { FLEXMESH_BIN, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

const TOOL: Tool = { version: '0.0.0-test', fingerprint: 'f'.repeat(64) };
const tempDir = useTempDirs();

interface Project { root: string; cache: string }

function project(): Project {
  const root = tempDir();
  cpSync(join(PROJECT_ROOT, 'environments'), join(root, 'environments'), { recursive: true });
  return { root, cache: join(root, '.cache') };
}

/** main() as the bin calls it (with a built tool), in-process; stdout lines. */
async function run(p: Project, args: string[], tool: Tool | undefined = TOOL): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const io: Io = { cwd: p.root, out: (line) => out.push(line), err: () => undefined, ...(tool ? { tool } : {}) };
  process.env['FLEXMESH_CACHE_DIR'] = p.cache;
  try {
    return { code: await main(args, io), out };
  } finally {
    delete process.env['FLEXMESH_CACHE_DIR'];
  }
}

/** What the fast path answers now for `generate` (undefined: the full pipeline would run). */
function answer(p: Project, { tool = TOOL as Tool | null, outRoot = 'out', cache = p.cache } = {}): number | undefined {
  process.env['FLEXMESH_CACHE_DIR'] = cache;
  try {
    const io: Io = { cwd: p.root, out: () => undefined, err: () => undefined, ...(tool ? { tool } : {}) };
    return fastPath({ names: [], all: false, outRoot }, false, io)?.answer('generate');
  } finally {
    delete process.env['FLEXMESH_CACHE_DIR'];
  }
}

describe('no-change fast path', () => {
  it('answers a repeated generate and check with exactly what the full pipeline prints', async () => {
    const p = project();
    const first = await run(p, ['generate']);
    assert.match(first.out[0]!, /^out\/dev: \d+ written, 0 unchanged, 0 removed$/);
    const full = await run(p, ['generate'], undefined); // no tool: the sources, always the full pipeline
    assert.equal(answer(p), 0, 'the fast path answers');
    const fast = await run(p, ['generate']);
    assert.deepEqual(fast.out, full.out);
    const fullCheck = await run(p, ['check'], undefined);
    await run(p, ['check']); // records check's own selection (--all)
    assert.deepEqual((await run(p, ['check'])).out, fullCheck.out);
  });

  const doubts: Array<{ name: string; change: (p: Project) => void; options?: Parameters<typeof answer>[1] }> = [
    { name: 'the environment file changed', change: (p) => appendFileSync(join(p.root, 'environments/dev.yaml'), '\n# edited\n') },
    { name: 'another file under environments/ changed (rules read other environments; shared bases)', change: (p) => writeFileSync(join(p.root, 'environments/_base.yaml'), 'x: 1\n') },
    { name: 'a generated file was edited', change: (p) => appendFileSync(join(p.root, 'out/dev/manifests/prerequisites/namespace-bookinfo.yaml'), '# edited\n') },
    { name: 'a generated file was deleted', change: (p) => rmSync(join(p.root, 'out/dev/README.md')) },
    { name: 'the bundle manifest was edited', change: (p) => appendFileSync(join(p.root, 'out/dev/.flexmesh-manifest.json'), ' ') },
    { name: 'the bundle was removed', change: (p) => rmSync(join(p.root, 'out/dev'), { recursive: true }) },
    { name: 'an interrupted fleet generate left its staging area', change: (p) => new StagingArea(join(p.root, 'out')).stage('qa', encodeFiles([])) },
    { name: 'an interrupted write left its journal in the bundle', change: (p) => writeFileSync(join(p.root, 'out/dev', JOURNAL_FILE), '{}') },
    { name: 'the record is corrupt', change: (p) => { for (const file of readdirJson(p.cache)) writeFileSync(file, '{"key": '); } },
    { name: 'another build of the tool runs', change: () => undefined, options: { tool: { ...TOOL, fingerprint: 'e'.repeat(64) } } },
    { name: 'another version of the tool runs', change: () => undefined, options: { tool: { ...TOOL, version: '9.9.9' } } },
    { name: 'the sources run (no build)', change: () => undefined, options: { tool: null } },
    { name: 'another --out', change: () => undefined, options: { outRoot: 'elsewhere' } },
    { name: 'the cache is turned off (FLEXMESH_CACHE_DIR empty)', change: () => undefined, options: { cache: '' } },
  ];
  for (const { name, change, options } of doubts) {
    it(`runs the full pipeline when ${name}`, async () => {
      const p = project();
      await run(p, ['generate']);
      assert.equal(answer(p), 0, 'answered before the change');
      change(p);
      assert.equal(answer(p, options), undefined);
    });
  }

  for (const { edited, expected } of [{ edited: false, expected: 0 }, { edited: true, expected: undefined }]) {
    it(`records the environments as hashed when answering: ${edited ? 'an edit during the run means a full run next' : 'unchanged, the next run is answered'}`, async () => {
      const p = project();
      const io: Io = { cwd: p.root, out: () => undefined, err: () => undefined, tool: TOOL };
      process.env['FLEXMESH_CACHE_DIR'] = p.cache;
      try {
        const first = fastPath({ names: [], all: false, outRoot: 'out' }, false, io)!;
        assert.equal(first.recorded, false);
        assert.equal(first.answer('generate'), undefined);
        assert.equal((await run(p, ['generate'], undefined)).code, 0); // the sources: writes out/dev, records nothing
        process.env['FLEXMESH_CACHE_DIR'] = p.cache;
        if (edited) appendFileSync(join(p.root, 'environments/dev.yaml'), '\n# edited while generating\n');
        const manifest = readFileSync(join(p.root, 'out/dev/.flexmesh-manifest.json'));
        first.record([{ dir: join(p.root, 'out/dev'), manifest: createHash('sha256').update(manifest).digest('hex') }]);
        const second = fastPath({ names: [], all: false, outRoot: 'out' }, false, io)!;
        assert.equal(second.recorded, true);
        assert.equal(second.answer('generate'), expected);
      } finally {
        delete process.env['FLEXMESH_CACHE_DIR'];
      }
    });
  }

  it('records the manifests a run wrote as they are on disk (known from memory, not read back)', async () => {
    const p = project();
    await run(p, ['generate', '--all']);
    const [record] = readdirJson(p.cache);
    const { bundles } = JSON.parse(readFileSync(record!, 'utf8')) as { bundles: Array<{ dir: string; manifest: string }> };
    assert.ok(bundles.length >= 3, 'every bundle and the fleet');
    for (const bundle of bundles) {
      assert.equal(bundle.manifest, createHash('sha256').update(readFileSync(join(bundle.dir, '.flexmesh-manifest.json'))).digest('hex'), bundle.dir);
    }
  });

  it('never reports a hand-edited bundle as up to date, and a full run after a doubt records afresh (bin)', () => {
    const p = project();
    const env = { FLEXMESH_CACHE_DIR: p.cache };
    // check judges every environment, so every one is generated first.
    assert.equal(flexmesh(p.root, 'generate', '--all', env).code, 0);
    assert.equal(flexmesh(p.root, 'check', env).code, 0);
    assert.match(flexmesh(p.root, 'check', env).stdout, /^out\/dev: up to date \(\d+ files\)$/m);
    const file = join(p.root, 'out/dev/manifests/prerequisites/namespace-bookinfo.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('istio-injection', 'istio-inject'));
    const drift = flexmesh(p.root, 'check', env);
    assert.equal(drift.code, 1, drift.stdout);
    assert.match(drift.stderr, /namespace-bookinfo\.yaml/);
    assert.match(flexmesh(p.root, 'generate', env).stdout, /^out\/dev: 1 written, \d+ unchanged, 0 removed$/m);
    assert.equal(flexmesh(p.root, 'check', env).code, 0);
  });
});

function readdirJson(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => join(dir, name));
}

/** The real bin, with its own cache directory. */
function flexmesh(cwd: string, ...args: [...string[], { FLEXMESH_CACHE_DIR: string }]): { code: number | null; stdout: string; stderr: string } {
  const env = args.pop() as { FLEXMESH_CACHE_DIR: string };
  const result = spawnSync(process.execPath, [FLEXMESH_BIN, ...(args as string[])], { cwd, encoding: 'utf8', timeout: HANG_GUARD_MS, env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
