// Concurrent generates of one bundle: five real processes at once, a few rounds, two projects with different inputs
// writing the same --out. After every round the bundle is exactly one of the two complete bundles, the user's files
// are all there, and every process either finished or said clearly that it gave up waiting: never a stack trace.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFromText } from '../generator/pipeline.ts';
import { bundleState, driftOf } from '../generator/write/write-bundle.ts';
import { flexmeshAsync } from './support/cli-run.ts';
import { DEV_FILE, devTextWith, useTempDirs } from './support/fixtures.ts';
import { addUserFiles, userState } from './support/user-files.ts';

const WRITERS = 5;
const ROUNDS = 3;

describe('concurrent generates of one bundle (real processes)', function () {
  this.timeout(240_000);
  const tempDir = useTempDirs();

  it(`${WRITERS} processes at once, ${ROUNDS} rounds: never a torn bundle, a lost user file or a stack trace`, async () => {
    const base = tempDir();
    const texts = { a: devTextWith(), b: devTextWith([['apis', 1], undefined], [['gitops', 'targetRevision'], 'release-2']) };
    const bundles = { a: generateFromText(texts.a, DEV_FILE).files, b: generateFromText(texts.b, DEV_FILE).files };
    for (const [name, text] of Object.entries(texts)) {
      mkdirSync(join(base, name, 'environments'), { recursive: true });
      writeFileSync(join(base, name, 'environments', 'dev.yaml'), text);
    }
    const out = join(base, 'out');
    const dir = join(out, 'dev');
    const first = await flexmeshAsync(base, '-C', 'a', 'generate', '--out', out);
    assert.equal(first.code, 0, first.stderr);
    addUserFiles(dir, join(base, 'elsewhere'));
    const userBefore = userState(out, 'dev', [...bundles.a, ...bundles.b]);

    for (let round = 0; round < ROUNDS; round++) {
      const runs = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) => flexmeshAsync(base, '-C', (i + round) % 2 === 0 ? 'a' : 'b', 'generate', '--out', out)),
      );
      for (const run of runs) {
        assert.doesNotMatch(run.stderr, /\n\s+at |Error:/, `round ${round}: no stack trace`);
        if (run.code !== 0) assert.match(run.stderr, /is being written by flexmesh generate \(pid \d+/, `round ${round}: a loser says why`);
      }
      assert.ok(runs.some((run) => run.code === 0), `round ${round}: someone wrote the bundle`);
      assert.deepEqual(bundleState(dir), [], `round ${round}: no lock, no journal left`);
      const matches = Object.entries(bundles).filter(([, files]) => driftOf(dir, files).length === 0).map(([name]) => name);
      assert.equal(matches.length, 1, `round ${round}: exactly one complete bundle, got ${matches.join(', ') || 'a torn one'}`);
      assert.deepEqual(userState(out, 'dev', [...bundles.a, ...bundles.b]), userBefore, `round ${round}: user files untouched`);
    }
  });
});
