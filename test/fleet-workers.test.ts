// generate over a fleet with worker threads (generator/cli/fleet-parallel.ts): the same bundles, byte for byte, the
// same output lines and the same refusals as the sequential run; a problem anywhere still stops every write.
// FLEXMESH_THREADS forces the number of threads that generate (the main thread and workers), so both paths run on
// any machine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MAIN_SHARES_UP_TO, MIN_PARALLEL, threadCount, workersFor } from '../generator/cli/fleet-threads.ts';
import { receivedSummary, sentSummary } from '../generator/cli/fleet-protocol.ts';
import { fleetFacts } from '../generator/model/fleet-facts.ts';
import { parseChain } from '../generator/env/extends.ts';
import { readChain } from '../generator/env/read-chain.ts';
import { fleetBundle } from '../generator/render/fleet-bundle.ts';
import { poolFor, prestartWorkers } from '../generator/cli/prestart.ts';
import { inProcess, type Run } from './support/cli-run.ts';
import { FLEXMESH_BIN, listFiles, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';
import { HANG_GUARD_MS } from './support/hang-guard.ts';
import { withThreads } from './support/threads.ts';

const FLEET = 18;
const nameOf = (index: number) => `env-${String(index).padStart(2, '0')}`;
const overlay = (index: number, extra = '') => `extends: _base.yaml\nargocd:\n  destination:\n    server: https://${nameOf(index)}.clusters.example.com:6443\n${extra}`;

/** Every file under `root`/out with its bytes. */
function outputOf(root: string): Map<string, string> {
  return new Map(listFiles(join(root, 'out')).map((path) => [path, readFileSync(join(root, 'out', path), 'latin1')]));
}

describe('generate --all with worker threads', function () {
  this.timeout(180_000);
  const tempDir = useTempDirs();

  /** A fleet of `FLEET` environments extending the committed base; `extra` adds lines to some of them. */
  function fleet(extra: Record<number, string> = {}): string {
    const root = tempDir();
    mkdirSync(join(root, 'environments'));
    copyFileSync(join(PROJECT_ROOT, 'environments/_base.yaml'), join(root, 'environments/_base.yaml'));
    for (let index = 0; index < FLEET; index++) writeFileSync(join(root, 'environments', `${nameOf(index)}.yaml`), overlay(index, extra[index]));
    return root;
  }

  const generate = (root: string, workers: string): Promise<Run> => withThreads(workers, () => inProcess(root, ['generate', '--all']));

  it('writes the same bundles, byte for byte, and prints the same lines as the sequential run', async () => {
    const [sequential, parallel] = [fleet(), fleet()];
    const one = await generate(sequential, '0');
    const two = await generate(parallel, '3');
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(two.stdout, one.stdout);
    assert.equal(one.stdout.split('\n').filter(Boolean).length, FLEET + 1, 'a line per bundle and the fleet bundle');
    assert.deepEqual(outputOf(parallel), outputOf(sequential));
    // Four threads: workers alone generate, the main thread only stages (MAIN_SHARES_UP_TO).
    const workersOnly = fleet();
    const four = await generate(workersOnly, '4');
    assert.equal(four.stdout, one.stdout, four.stderr);
    assert.deepEqual(outputOf(workersOnly), outputOf(sequential));
    // A second run finds every file unchanged, as the sequential writer would.
    const again = await generate(parallel, '3');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^out\/env-00: 0 written, \d+ unchanged, 0 removed$/m);
  });

  it('a problem in one environment among many is reported with file:line:col, and nothing is written', async () => {
    const root = fleet({ 11: 'flex:\n  port: not-a-port\n' });
    const run = await generate(root, '2');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^environments\/env-11\.yaml:6:9: flex\.port: /m);
    assert.match(run.stderr, /1 problem\(s\) found; nothing was written/);
    assert.deepEqual(listFiles(root).filter((path) => path.startsWith('out/')), []);
    const sequential = await generate(root, '0');
    assert.equal(run.stderr, sequential.stderr, 'the same report as the sequential run');
  });

  it('rules across environments still find environments sharing a GitOps folder, at the line that says so', async () => {
    const root = fleet({ 3: 'gitops:\n  path: out/shared\n', 15: 'gitops:\n  path: out/shared\n' });
    const run = await generate(root, '2');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^environments\/env-03\.yaml:6:9: gitops\.path: environment env-03 shares its GitOps folder out\/shared with env-15 \(environments\/env-15\.yaml\)/m);
    assert.match(run.stderr, /^environments\/env-15\.yaml:6:9: gitops\.path: environment env-15 shares its GitOps folder out\/shared with env-03 \(environments\/env-03\.yaml\)/m);
    assert.deepEqual(listFiles(root).filter((path) => path.startsWith('out/')), []);
    assert.equal(run.stderr, (await generate(root, '0')).stderr);
  });

  it('a bundle directory that cannot be written is refused; bundles are not written after it, nor the fleet', async () => {
    const root = fleet();
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out', nameOf(0)), 'a file where the bundle goes\n');
    const run = await generate(root, '2');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^flexmesh: out\/env-00: it exists and is not a directory/m);
    assert.equal(listFiles(join(root, 'out')).some((path) => path.startsWith('_fleet/')), false, 'no fleet bundle');
    // Whatever another worker wrote before it heard of the refusal is reported, line by line.
    const reported = run.stdout.split('\n').filter(Boolean).map((line) => line.split(':')[0]);
    const written = [...new Set(listFiles(join(root, 'out')).filter((path) => path.includes('/')).map((path) => `out/${path.split('/')[0]}`))];
    assert.deepEqual(reported.sort(), written.sort());
  });

  it('new bundles (staged while the fleet is generated) and existing ones together come out as in the sequential run', async () => {
    const [sequential, parallel] = [fleet(), fleet()];
    assert.equal((await generate(sequential, '0')).code, 0);
    // Some bundles exist already, one of them out of date and holding a file of the user's.
    const some = await withThreads('0', () => inProcess(parallel, ['generate', '--env', nameOf(2), '--env', nameOf(7), '--env', nameOf(12)]));
    assert.equal(some.code, 0, some.stderr);
    writeFileSync(join(parallel, 'out', nameOf(7), 'README.md'), 'edited\n');
    writeFileSync(join(parallel, 'out', nameOf(12), 'notes.txt'), 'mine\n');
    const run = await generate(parallel, '3');
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').filter(Boolean);
    assert.deepEqual(lines.map((line) => line.split(':')[0]), [...Array.from({ length: FLEET }, (_, index) => `out/${nameOf(index)}`), 'out/_fleet'], 'one line per bundle, in order');
    assert.match(lines[2]!, /: 0 written, \d+ unchanged, 0 removed$/);
    assert.match(lines[7]!, /: 1 written, \d+ unchanged, 0 removed$/);
    assert.match(lines[0]!, /: 41 written, 0 unchanged, 0 removed$/);
    const expected = outputOf(sequential);
    expected.set(`${nameOf(12)}/notes.txt`, 'mine\n');
    assert.deepEqual(outputOf(parallel), expected, 'no staging area left, the user\'s file kept');
  });

  it('check reports new bundles an interrupted generate staged; the next generate removes them', async () => {
    const root = fleet();
    const abandoned = join(root, 'out', '.flexmesh-staging-1-dead');
    mkdirSync(join(abandoned, nameOf(0)), { recursive: true });
    writeFileSync(join(abandoned, '.flexmesh-owner.json'), JSON.stringify({ pid: spawnSync(process.execPath, ['-e', '0']).pid, host: hostname(), since: 'x' }));
    assert.equal((await generate(root, '2')).code, 0);
    assert.equal(existsSync(abandoned), false, 'removed by generate');
    mkdirSync(join(abandoned, nameOf(0)), { recursive: true });
    writeFileSync(join(abandoned, '.flexmesh-owner.json'), JSON.stringify({ pid: spawnSync(process.execPath, ['-e', '0']).pid, host: hostname(), since: 'x' }));
    const check = await withThreads('0', () => inProcess(root, ['check']));
    assert.equal(check.code, 1);
    assert.match(check.stderr, /^out\/\.flexmesh-staging-1-dead: new bundles staged by generate \(pid \d+\), which was interrupted; the next generate removes them/m);
  });

  it('generate uses the workers prestarted for exactly its run; others are stopped and it starts its own', async () => {
    const root = fleet();
    const io = { cwd: root, out: () => undefined, err: () => undefined };
    const none = await withThreads('0', async () => prestartWorkers({ names: [], all: true, outRoot: 'out' }, io));
    assert.equal(none, undefined, 'a selection generated in this thread starts no workers');
    const prestarted = await withThreads('2', async () => prestartWorkers({ names: [], all: true, outRoot: 'out' }, io));
    assert.ok(prestarted);
    assert.equal(prestarted.count, 1, 'the main thread and one worker');
    assert.equal(poolFor(prestarted, 1, prestarted.root, prestarted.cwd, prestarted.outRoot), prestarted.pool);
    const other = poolFor(prestarted, 1, prestarted.root, prestarted.cwd, { path: join(root, 'elsewhere'), shown: 'elsewhere' });
    try {
      assert.notEqual(other, prestarted.pool);
      const outcomes = await other.generate(['environments/env-00.yaml', 'environments/env-01.yaml'], () => undefined);
      assert.deepEqual(outcomes.map((outcome) => outcome.summary?.file), ['environments/env-00.yaml', 'environments/env-01.yaml']);
    } finally {
      await Promise.all([other.close(), prestarted.pool.close()]);
    }
  });

  it('the built CLI (one bundled file) runs the same workers', () => {
    const root = fleet();
    const run = spawnSync(process.execPath, [FLEXMESH_BIN, 'generate', '--all'], { cwd: root, encoding: 'utf8', timeout: HANG_GUARD_MS, env: { ...process.env, FLEXMESH_THREADS: '2', FLEXMESH_NO_FAST_PATH: '1' } });
    assert.equal(run.status, 0, run.stderr);
    const sequential = fleet();
    const reference = spawnSync(process.execPath, [FLEXMESH_BIN, 'generate', '--all'], { cwd: sequential, encoding: 'utf8', timeout: HANG_GUARD_MS, env: { ...process.env, FLEXMESH_THREADS: '0', FLEXMESH_NO_FAST_PATH: '1' } });
    assert.equal(reference.status, 0, reference.stderr);
    assert.equal(run.stdout, reference.stdout);
    assert.deepEqual(outputOf(root), outputOf(sequential));
  });
});

describe('threadCount', () => {
  it('keeps a few environments in the main thread and forces a count on request', () => {
    assert.equal(threadCount(MIN_PARALLEL - 1, undefined), 1);
    assert.ok(threadCount(1000, undefined) >= 1);
    assert.equal(threadCount(1000, '0'), 1, 'the main thread always generates');
    assert.equal(threadCount(1000, '1'), 1);
    assert.equal(threadCount(1000, '3'), 3);
    assert.equal(threadCount(2, '8'), 2, 'never more threads than environments');
    assert.equal(threadCount(MIN_PARALLEL - 1, 'many'), 1, 'an unreadable value means the default');
  });

  it(`the main thread is one of up to ${MAIN_SHARES_UP_TO} threads that generate; with more, workers alone generate`, async () => {
    const files = Array.from({ length: 100 }, (_, index) => `environments/env-${index}.yaml`);
    const workers = (threads: string, selected = files) => withThreads(threads, async () => workersFor(selected));
    // One after the other: withThreads sets and restores the one process-wide variable.
    const before = process.env['FLEXMESH_THREADS'];
    const counts: number[] = [];
    for (const threads of ['0', '1', '2', '3', '4', '8']) counts.push(await workers(threads));
    assert.deepEqual(counts, [0, 0, 1, 2, 4, 8]);
    assert.equal(process.env['FLEXMESH_THREADS'], before, 'left as it was');
    assert.equal(await workers('3', [files[0]!, files[0]!]), 0, 'a file named twice is written by one thread');
  });
});

describe('the summary a worker sends (the fleet facts of the topology, as JSON)', () => {
  const environments = [join(PROJECT_ROOT, 'environments'), join(PROJECT_ROOT, 'test/fixtures/environments')]
    .flatMap((dir) => readdirSync(dir).filter((name) => name.endsWith('.yaml') && !name.startsWith('_')).map((name) => ({ dir, name })));

  /** Paths in a value that JSON would not give back as they are: anything but plain objects, arrays, strings, finite numbers, booleans and null. */
  function notPlain(value: unknown, path: string): string[] {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
    if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
    if (typeof value !== 'object') return [`${path} (${typeof value})`];
    if (Array.isArray(value)) return value.flatMap((item, index) => (item === undefined ? [`${path}[${index}] (undefined)`] : notPlain(item, `${path}[${index}]`)));
    if (Object.getPrototypeOf(value) !== Object.prototype) return [`${path} (${value.constructor?.name})`];
    // An undefined field is dropped by JSON and reads the same afterwards.
    return Object.entries(value).flatMap(([key, item]) => (item === undefined ? [] : notPlain(item, `${path}.${key}`)));
  }

  for (const { dir, name } of environments) {
    it(`keeps every value of the facts: ${name}`, () => {
      const { topology } = parseChain(readChain(dir, name));
      const facts = fleetFacts(topology);
      assert.deepEqual(notPlain(facts, 'facts'), []);
      const summary = { file: name, text: 'text', topology: facts, manifest: 'digest' };
      const received = receivedSummary(sentSummary(summary));
      assert.deepEqual(received, JSON.parse(JSON.stringify(summary)));
      assert.ok(sentSummary(summary).factsJson.length < JSON.stringify(topology).length / 3, 'a small part of the topology');
      assert.deepEqual(fleetBundle([received.topology], () => topology), fleetBundle([topology], (whole) => whole), 'the fleet bundle is made the same from it');
    });
  }
});
