// One thread's share of a parallel generate (generator/cli/fleet-share.ts), and the main thread taking its share
// beside the workers (FleetWorkers.generate's `local`, FleetWorkers.write's kept bundles).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FleetWorkers, type Outcome } from '../generator/cli/fleet-parallel.ts';
import { generateOne, KeptBundles, type WriteEvent } from '../generator/cli/fleet-share.ts';
import { MAIN_SHARES_UP_TO } from '../generator/cli/fleet-threads.ts';
import { projectAt } from '../generator/cli/output-root.ts';
import { listFiles, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

const nameOf = (index: number) => `env-${String(index).padStart(2, '0')}`;
const fileOf = (index: number) => `environments/${nameOf(index)}.yaml`;

describe('fleet share', function () {
  this.timeout(120_000);
  const tempDir = useTempDirs();

  function fleet(size: number, broken: number[] = []): string {
    const root = tempDir();
    mkdirSync(join(root, 'environments'));
    copyFileSync(join(PROJECT_ROOT, 'environments/_base.yaml'), join(root, 'environments/_base.yaml'));
    for (let index = 0; index < size; index++) {
      const port = broken.includes(index) ? 'flex:\n  port: not-a-port\n' : '';
      writeFileSync(join(root, fileOf(index)), `extends: _base.yaml\nargocd:\n  destination:\n    server: https://${nameOf(index)}.example.com:6443\n${port}`);
    }
    return root;
  }
  const outOf = (root: string) => ({ path: join(root, 'out'), shown: 'out' });

  describe('generateOne', () => {
    it('says whether the bundle directory is new, and returns problems of the input located', () => {
      const root = fleet(2, [1]);
      const project = projectAt(root, root);
      mkdirSync(join(root, 'out', nameOf(0)), { recursive: true });
      const existing = generateOne(project, outOf(root), fileOf(0));
      assert.equal(existing.diagnostics, undefined);
      assert.equal(existing.summary?.file, fileOf(0));
      assert.ok(existing.summary && !existing.fresh && existing.name === nameOf(0));
      assert.ok(existing.files.some((file) => file.path === 'README.md'));
      const fresh = generateOne(project, { path: join(root, 'elsewhere'), shown: 'elsewhere' }, fileOf(0));
      assert.ok(fresh.summary && fresh.fresh);
      const invalid = generateOne(project, outOf(root), fileOf(1));
      assert.equal(invalid.summary, undefined);
      assert.match(`${invalid.diagnostics?.[0]?.file}:${invalid.diagnostics?.[0]?.line}`, /env-01\.yaml:6$/);
    });
  });

  describe('KeptBundles', () => {
    function kept(root: string, indices: number[]): KeptBundles {
      const project = projectAt(root, root);
      const bundles = new KeptBundles();
      for (const index of indices) {
        const one = generateOne(project, outOf(root), fileOf(index));
        assert.ok(one.summary);
        bundles.keep(index, one.name, one.files);
      }
      return bundles;
    }

    it('writes in the order of the indices, whatever the order kept, and lets the bundles go', () => {
      const root = fleet(3);
      const bundles = kept(root, [2, 0, 1]);
      const events: WriteEvent[] = [];
      bundles.write(outOf(root), new Int32Array(new SharedArrayBuffer(4)), (event) => events.push(event));
      assert.deepEqual(events.map((event) => [event.type, event.index]), [['written', 0], ['written', 1], ['written', 2]]);
      assert.match(events[0]!.type === 'written' ? events[0]!.line : '', /^out\/env-00: 41 written, 0 unchanged, 0 removed$/);
      assert.equal(bundles.size, 0);
      assert.ok(existsSync(join(root, 'out', nameOf(2), 'README.md')));
    });

    it('writes nothing once another thread set the stop flag', () => {
      const root = fleet(2);
      const stop = new Int32Array(new SharedArrayBuffer(4));
      Atomics.store(stop, 0, 1);
      const events: WriteEvent[] = [];
      kept(root, [0, 1]).write(outOf(root), stop, (event) => events.push(event));
      assert.deepEqual(events, []);
      assert.equal(existsSync(join(root, 'out')), false);
    });

    it('a refusal sets the stop flag, is reported with its index, and nothing after it is written', () => {
      const root = fleet(3);
      const bundles = kept(root, [0, 1, 2]);
      mkdirSync(join(root, 'out'));
      writeFileSync(join(root, 'out', nameOf(1)), 'a file where the bundle goes\n');
      const stop = new Int32Array(new SharedArrayBuffer(4));
      const events: WriteEvent[] = [];
      bundles.write(outOf(root), stop, (event) => events.push(event));
      assert.deepEqual(events.map((event) => [event.type, event.index]), [['written', 0], ['refused', 1]]);
      assert.equal(Atomics.load(stop, 0), 1);
      assert.equal(existsSync(join(root, 'out', nameOf(2))), false);
      assert.equal(readFileSync(join(root, 'out', nameOf(1)), 'utf8'), 'a file where the bundle goes\n');
    });
  });

  describe('the main thread beside one worker', () => {
    it('takes a share of the environments; every outcome comes back in the order of the files', async () => {
      const size = 18;
      const root = fleet(size, [5]);
      const project = projectAt(root, root);
      const pool = new FleetWorkers(1, root, root, outOf(root));
      const local: number[] = [];
      try {
        const files = Array.from({ length: size }, (_, index) => fileOf(index));
        const outcomes = await pool.generate(files, () => undefined, (index, file): Outcome => {
          local.push(index);
          const one = generateOne(project, outOf(root), file);
          return one.diagnostics ? one : { summary: one.summary };
        });
        assert.equal(outcomes.length, size);
        outcomes.forEach((outcome, index) => (index === 5 ? assert.ok(outcome.diagnostics?.length) : assert.equal(outcome.summary?.file, fileOf(index))));
        assert.ok(local.length > 0 && local.length < size, `this thread generated ${local.length} of ${size}`);
        assert.deepEqual(local, [...local].sort((a, b) => a - b), 'it takes the next environment in order');
      } finally {
        await pool.close();
      }
      assert.deepEqual(listFiles(root).filter((path) => path.startsWith('out/')), [], 'nothing written before write');
    });

    it(`takes no share beside ${MAIN_SHARES_UP_TO} workers or more (it stages what they send back)`, async () => {
      const root = fleet(12);
      const pool = new FleetWorkers(MAIN_SHARES_UP_TO, root, root, outOf(root));
      try {
        const files = Array.from({ length: 12 }, (_, index) => fileOf(index));
        const outcomes = await pool.generate(files, () => undefined, () => assert.fail('the main thread generated one'));
        assert.deepEqual(outcomes.map((outcome) => outcome.summary?.file), files);
      } finally {
        await pool.close();
      }
    });

    it('a bug in its own share stops the run with that error', async () => {
      const root = fleet(12);
      const pool = new FleetWorkers(1, root, root, outOf(root));
      try {
        const files = Array.from({ length: 12 }, (_, index) => fileOf(index));
        await assert.rejects(pool.generate(files, () => undefined, () => {
          throw new Error('a bug in this thread');
        }), /a bug in this thread/);
      } finally {
        await pool.close();
      }
    });
  });
});
