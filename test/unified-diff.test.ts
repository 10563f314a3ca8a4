// generator/util/unified-diff.ts against GNU diff -u: the same hunks for table cases and random edits.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { unifiedDiff } from '../generator/util/unified-diff.ts';

function gnuDiff(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flexmesh-diff-'));
  try {
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    const run = spawnSync('diff', ['-u', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    return run.stdout.split('\n').slice(2).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const body = (text: string) => text.split('\n').slice(2).join('\n');
const lines = (...items: string[]) => items.map((item) => `${item}\n`).join('');

describe('unified diff', () => {
  const cases: Array<{ name: string; before: string; after: string }> = [
    { name: 'one changed line in the middle', before: lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), after: lines('a', 'b', 'c', 'D', 'e', 'f', 'g', 'h') },
    { name: 'two hunks far apart', before: lines(...'abcdefghijklmnopqrstuvwxyz'.split('')), after: lines(...'Abcdefghijklmnopqrstuvwxyz'.replace('t', 'T').split('')) },
    { name: 'lines added at the end', before: lines('a', 'b'), after: lines('a', 'b', 'c', 'd') },
    { name: 'lines removed at the start', before: lines('x', 'y', 'a', 'b'), after: lines('a', 'b') },
    { name: 'everything replaced', before: lines('a', 'b'), after: lines('c') },
  ];
  for (const { name, before, after } of cases) it(`${name}: the hunks of diff -u`, () => assert.equal(body(unifiedDiff('f', before, after)), gnuDiff(before, after)));

  it('random line edits: as few removed and added lines as diff -u', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 30 }).map((items) => lines(...items));
    fc.assert(fc.property(text, text, (before, after) => {
      const ours = body(unifiedDiff('f', before, after));
      const theirs = gnuDiff(before, after);
      // Among equally short edit scripts the two may pick different lines; both must be shortest (same counts).
      const counts = (out: string) => [out.split('\n').filter((line) => line.startsWith('-')).length, out.split('\n').filter((line) => line.startsWith('+')).length];
      if (before === after) return ours === '' && theirs === '';
      assert.deepEqual(counts(ours), counts(theirs), `${ours}\n---\n${theirs}`);
      return ours.startsWith('@@ -');
    }), { numRuns: 60, seed: 9 });
  });

  it('a new file diffs from /dev/null, a removed one to /dev/null; equal texts give nothing', () => {
    assert.equal(unifiedDiff('out/x', undefined, lines('a')), '--- /dev/null\n+++ b/out/x\n@@ -0,0 +1 @@\n+a\n');
    assert.equal(unifiedDiff('out/x', lines('a', 'b'), undefined), '--- a/out/x\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n');
    assert.equal(unifiedDiff('out/x', 'same\n', 'same\n'), '');
  });
});
