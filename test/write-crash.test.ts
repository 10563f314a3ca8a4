// Crash safety of the writer, at every file-system step: the fault-injection seam stops the writer before step k
// (as kill -9 would: no clean-up, the lock left behind), then the invariants are checked and a fresh run recovers.
// A few points are also hit by a real SIGKILL in a child process, to show the in-process stand-in is faithful.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { OutputFile } from '../generator/render/bundle.ts';
import { LOCK_FILE } from '../generator/write/names.ts';
import { bundleState, driftOf, InjectedCrash, writeBundle } from '../generator/write/write-bundle.ts';
import { DEV_FILE, devTextWith, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';
import { addUserFiles, asState, generatedState, userState } from './support/user-files.ts';
import { generateFromText } from '../generator/pipeline.ts';
import { inProcess } from './support/cli-run.ts';

const FULL = generateFromText(devTextWith(), DEV_FILE).files;
// Two files fewer, twelve changed: a run between them writes, replaces and removes.
const SMALLER_TEXT = devTextWith([['apis', 1], undefined], [['gitops', 'targetRevision'], 'release-2']);
const SMALLER = generateFromText(SMALLER_TEXT, DEV_FILE).files;
const HAND_EDITED = 'manifests/mesh/virtualservice-istio-system-bookinfo-reviews.yaml';

/** A pid no process has: a child that has exited. */
const DEAD_PID = spawnSync(process.execPath, ['-e', '0']).pid;

/** What kill -9 would leave: the lock's holder is gone. */
function holderDies(dir: string): void {
  const path = join(dir, LOCK_FILE);
  if (existsSync(path)) writeFileSync(path, readFileSync(path, 'utf8').replace(/"pid":\d+/, `"pid":${DEAD_PID}`));
}

interface Transition { name: string; from: readonly OutputFile[]; to: readonly OutputFile[]; recover: readonly OutputFile[] }
const TRANSITIONS: Transition[] = [
  { name: 'full → smaller, recovered by the same input', from: FULL, to: SMALLER, recover: SMALLER },
  { name: 'smaller → full, recovered by the same input', from: SMALLER, to: FULL, recover: FULL },
  { name: 'smaller → full, recovered by the previous input', from: SMALLER, to: FULL, recover: SMALLER },
];

describe('writer crash points (fault-injection seam)', function () {
  this.timeout(180_000);
  const tempDir = useTempDirs();

  function setUp(from: readonly OutputFile[]): { root: string; dir: string } {
    const base = tempDir();
    const root = join(base, 'out');
    const dir = join(root, 'dev');
    writeBundle(dir, from, { root });
    addUserFiles(dir, join(base, 'elsewhere'));
    // A file flexmesh wrote and someone changed since: theirs now, kept even when no longer generated.
    if (existsSync(join(dir, HAND_EDITED))) writeFileSync(join(dir, HAND_EDITED), '# edited by hand\n');
    return { root, dir };
  }

  function stepsOf(transition: Transition): string[] {
    const { root, dir } = setUp(transition.from);
    const steps: string[] = [];
    writeBundle(dir, transition.to, { root, beforeStep: (step) => steps.push(step) });
    return steps;
  }

  let crashPoints = 0;
  after(() => console.log(`      (${crashPoints} crash points checked)`));

  for (const transition of TRANSITIONS) {
    it(`${transition.name}: the previous bundle until the first rename, then previous, new or a torn state check reports; recovery leaves no debris`, () => {
      const steps = stepsOf(transition);
      const firstRename = steps.findIndex((step) => step.startsWith('rename '));
      assert.ok(steps.length > 30 && firstRename > 0, `expected many steps, got ${steps.length}`);
      for (let k = 0; k < steps.length; k++) {
        const { root, dir } = setUp(transition.from);
        const userBefore = userState(root, 'dev', [...transition.from, ...transition.to]);
        const previous = generatedState(dir, transition.from, transition.to);
        let count = 0;
        assert.throws(
          () => writeBundle(dir, transition.to, { root, beforeStep: (step) => { if (count++ === k) throw new InjectedCrash(step); } }),
          InjectedCrash,
        );
        crashPoints++;
        const at = `crash before step ${k} (${steps[k]})`;
        assert.ok(lstatSync(dir).isDirectory(), `${at}: bundle directory present`);
        const ownNames = /(^|\/)\.flexmesh-(lock|journal\.json)|\.flexmesh-partial$/;
        const userAfter = Object.fromEntries(Object.entries(userState(root, 'dev', [...transition.from, ...transition.to])).filter(([path]) => !ownNames.test(path)));
        assert.deepEqual(userAfter, userBefore, `${at}: user files, links and folders untouched`);
        const now = generatedState(dir, transition.from, transition.to);
        const kept = transition.from.some((file) => file.path === HAND_EDITED) && !transition.to.some((file) => file.path === HAND_EDITED);
        const isNew = isDeepStrictEqual(now, { ...(kept ? { [HAND_EDITED]: previous[HAND_EDITED] } : {}), ...asState(transition.to) });
        const isPrevious = JSON.stringify(now) === JSON.stringify(previous);
        if (k <= firstRename) assert.ok(isPrevious, `${at}: the previous bundle is intact`);
        else if (!isPrevious) assert.ok(bundleState(dir).some((line) => /mix of old and new/.test(line)) || isNew, `${at}: a torn bundle is reported`);
        // check always notices an unfinished run against the new input.
        assert.ok(driftOf(dir, transition.to).length > 0 || bundleState(dir).length > 0, `${at}: check reports the interrupted run`);

        holderDies(dir);
        writeBundle(dir, transition.recover, { root });
        assert.deepEqual(bundleState(dir), [], `${at}: recovered`);
        assert.deepEqual(driftOf(dir, transition.recover), [], `${at}: recovered bundle is exact`);
        const keptAfter = transition.from.some((file) => file.path === HAND_EDITED) && !transition.recover.some((file) => file.path === HAND_EDITED);
        const expectedUser = { ...userBefore, ...(keptAfter ? { [`dev/${HAND_EDITED}`]: '# edited by hand\n' } : {}) };
        assert.deepEqual(userState(root, 'dev', transition.recover), expectedUser, `${at}: no debris, nothing of the user's lost`);
      }
    });
  }

  it('flexmesh check reports a torn bundle (exit 1) and the next generate completes it', async () => {
    const base = tempDir();
    mkdirSync(join(base, 'environments'));
    writeFileSync(join(base, 'environments', 'dev.yaml'), SMALLER_TEXT);
    const root = join(base, 'out');
    const dir = join(root, 'dev');
    writeBundle(dir, FULL, { root });
    let renames = 0;
    const seam = (step: string) => {
      if (step.startsWith('rename ') && renames++ === 3) throw new InjectedCrash(step);
    };
    assert.throws(() => writeBundle(dir, SMALLER, { root, beforeStep: seam }), InjectedCrash);
    holderDies(dir);
    const check = await inProcess(base, ['check']);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /out\/dev: an interrupted generate left a mix of old and new files/);
    assert.match(check.stderr, /out\/dev: a stale lock of pid \d+, which is gone/);
    assert.equal((await inProcess(base, ['generate'])).code, 0);
    const after = await inProcess(base, ['check']);
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /out\/dev: up to date \(\d+ files\)/);
  });

  it('a real kill -9 in a child process at chosen steps leaves what the seam predicts, and the next run takes over the stale lock', async () => {
    const steps = stepsOf(TRANSITIONS[0]!);
    const chosen = ['lock', 'journal staging: rename', 'journal committing: rename', steps.find((step) => step.startsWith('remove manifests'))!, 'unlock'];
    for (const name of chosen) {
      const k = steps.indexOf(name);
      assert.ok(k >= 0, name);
      const { root, dir } = setUp(FULL);
      const userBefore = userState(root, 'dev', [...FULL, ...SMALLER]);
      const filesJson = join(root, '..', 'files.json');
      writeFileSync(filesJson, JSON.stringify(SMALLER));
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test/support/kill-writer.ts'), dir, root, filesJson, String(k)], { cwd: PROJECT_ROOT, stdio: 'ignore' });
        child.on('exit', (_code, sig) => resolve(sig));
      });
      assert.equal(signal, 'SIGKILL', `${name}: the child was killed at the step`);
      assert.ok(lstatSync(dir).isDirectory());
      if (name === 'unlock' || name === 'lock') assert.equal(existsSync(join(dir, LOCK_FILE)), name === 'unlock', `${name}: lock left as a crash leaves it`);
      writeBundle(dir, SMALLER, { root, lockTimeoutMs: 5_000 });
      assert.deepEqual(bundleState(dir), []);
      assert.deepEqual(driftOf(dir, SMALLER), []);
      assert.deepEqual(userState(root, 'dev', SMALLER), { ...userBefore, [`dev/${HAND_EDITED}`]: '# edited by hand\n' }, name);
    }
  });
});
