// check and diff over a fleet with worker threads (generator/cli/compare-parallel.ts): the same exit code, the same
// lines on standard output and on standard error, in the same order, as the sequential command, for a fleet that is
// up to date, one that drifted in every way check reports, and one whose input has problems. FLEXMESH_THREADS forces
// the threads: 0 (sequential), 2 (the main thread and a worker), 3 (and two workers), 4 (workers alone).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inProcess, type Run } from './support/cli-run.ts';
import { FLEXMESH_BIN, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';
import { HANG_GUARD_MS } from './support/hang-guard.ts';
import { withThreads } from './support/threads.ts';

const FLEET = 18;
const THREADS = ['2', '3', '4'];
const nameOf = (index: number) => `env-${String(index).padStart(2, '0')}`;
const overlay = (index: number) => `extends: _base.yaml\nargocd:\n  destination:\n    server: https://${nameOf(index)}.clusters.example.com:6443\n`;

const run = (root: string, threads: string, args: string[]): Promise<Run> => withThreads(threads, () => inProcess(root, args));

/** Each thread count, one after the other (FLEXMESH_THREADS is one variable of the process), against the sequential run. */
async function sameAsSequential(root: string, args: string[] = ['check', '--all']): Promise<Run> {
  const sequential = await run(root, '0', args);
  for (const threads of THREADS) {
    const parallel = await run(root, threads, args);
    assert.deepEqual({ code: parallel.code, stdout: parallel.stdout, stderr: parallel.stderr }, { code: sequential.code, stdout: sequential.stdout, stderr: sequential.stderr }, `${threads} threads`);
  }
  return sequential;
}

describe('check and diff with worker threads', function () {
  this.timeout(240_000);
  const tempDir = useTempDirs();

  /** A generated fleet of FLEET environments extending the committed base. */
  async function fleet(): Promise<string> {
    const root = tempDir();
    mkdirSync(join(root, 'environments'));
    copyFileSync(join(PROJECT_ROOT, 'environments/_base.yaml'), join(root, 'environments/_base.yaml'));
    for (let index = 0; index < FLEET; index++) writeFileSync(join(root, 'environments', `${nameOf(index)}.yaml`), overlay(index));
    const generated = await withThreads('0', () => inProcess(root, ['generate', '--all']));
    assert.equal(generated.code, 0, generated.stderr);
    return root;
  }

  it('an up-to-date fleet: exit 0 and a line per bundle and the fleet bundle, in order', async () => {
    const root = await fleet();
    const run = await sameAsSequential(root);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.deepEqual(run.stdout.split('\n').filter(Boolean), [...Array.from({ length: FLEET }, (_, index) => `out/${nameOf(index)}: up to date (41 files)`), 'out/_fleet: up to date (3 files)']);
  });

  // What check reports, each broken in its own bundle of one fleet; the line each must produce on standard error.
  const DRIFTS: Array<{ name: string; index: number; change: (bundle: string, root: string) => void; reported: RegExp }> = [
    { name: 'an edited file', index: 1, change: (bundle) => writeFileSync(join(bundle, 'apps/appproject.yaml'), 'edited: true\n'), reported: /^out\/env-01: 1 file\(s\) differ from a fresh generate:\n {2}out\/env-01\/apps\/appproject\.yaml$/m },
    { name: 'a removed file', index: 4, change: (bundle) => rmSync(join(bundle, 'manifests/sleep/sleep.yaml')), reported: /^out\/env-04: 1 file\(s\) differ from a fresh generate:\n {2}out\/env-04\/manifests\/sleep\/sleep\.yaml$/m },
    { name: 'a foreign file Argo CD syncs', index: 7, change: (bundle) => writeFileSync(join(bundle, 'apps/extra.yaml'), 'kind: ConfigMap\n'), reported: /^out\/env-07\/apps\/extra\.yaml: not written by flexmesh, and Argo CD syncs it with the bundle/m },
    { name: 'an interrupted write', index: 9, change: (bundle) => writeFileSync(join(bundle, '.flexmesh-journal.json'), JSON.stringify({ generator: 'flexmesh-journal', phase: 'committing', write: {}, remove: {} })), reported: /^out\/env-09: an interrupted generate left a mix of old and new files/m },
    { name: 'a missing bundle', index: 12, change: (bundle, root) => renameSync(bundle, join(root, 'moved-away')), reported: /^out\/env-12: 41 file\(s\) differ from a fresh generate:$/m },
    { name: 'a drifted fleet bundle', index: -1, change: (_, root) => writeFileSync(join(root, 'out/_fleet/flexmesh-fleet.yaml'), 'edited: true\n'), reported: /^out\/_fleet: 1 file\(s\) differ from a fresh generate:$/m },
    { name: 'an orphan bundle', index: -1, change: (_, root) => cpSync(join(root, 'out', nameOf(0)), join(root, 'out/ghost'), { recursive: true }), reported: /^out\/ghost: orphan bundle/m },
  ];

  it(`a fleet that drifted in ${DRIFTS.length} ways: exit 1 and every report, as the sequential check makes them`, async () => {
    const root = await fleet();
    // Files Argo CD would not sync are not reported (a note beside the manifests, a folder the apps do not recurse into).
    writeFileSync(join(root, 'out', nameOf(2), 'manifests/mesh/notes.md'), 'mine\n');
    mkdirSync(join(root, 'out', nameOf(3), 'apps/nested'));
    writeFileSync(join(root, 'out', nameOf(3), 'apps/nested/x.yaml'), 'kind: ConfigMap\n');
    for (const drift of DRIFTS) drift.change(join(root, 'out', drift.index < 0 ? '_fleet' : nameOf(drift.index)), root);
    const run = await sameAsSequential(root);
    assert.equal(run.code, 1);
    for (const drift of DRIFTS) assert.match(run.stderr, drift.reported, drift.name);
    assert.doesNotMatch(run.stderr, /notes\.md|nested/);
    assert.match(run.stderr, /run 'flexmesh generate --all' and commit the result\n$/);
    assert.equal(run.stdout.split('\n').filter((line) => line.endsWith('up to date (41 files)')).length, FLEET - 5, 'the bundles that did not drift');
  });

  it('problems of the input (a wrong type, a GitOps folder shared across environments): exit 2, each at its line, as the sequential check', async () => {
    const root = await fleet();
    writeFileSync(join(root, 'environments', `${nameOf(5)}.yaml`), 'extends: _base.yaml\nargocd:\n  destination:\n    server: 42\n');
    writeFileSync(join(root, 'environments', `${nameOf(6)}.yaml`), `extends: _base.yaml\ngitops:\n  path: out/${nameOf(8)}\nargocd:\n  destination:\n    server: https://x.example.com:6443\n`);
    const run = await sameAsSequential(root);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^environments\/env-05\.yaml:4:13: argocd\.destination\.server: number 42 has the wrong type/m);
    assert.match(run.stderr, /^environments\/env-06\.yaml:3:9: gitops\.path: environment env-06 shares its GitOps folder out\/env-08 with env-08/m);
    assert.equal(run.stdout, '');
  });

  it('a selection by name: its bundles only, without the fleet bundle or the orphans', async () => {
    const root = await fleet();
    cpSync(join(root, 'out', nameOf(0)), join(root, 'out/ghost'), { recursive: true });
    writeFileSync(join(root, 'out', nameOf(3), 'README.md'), 'edited\n');
    const run = await sameAsSequential(root, ['check', '--env', nameOf(3), '--env', nameOf(4)]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, `out/${nameOf(4)}: up to date (41 files)\n`);
    assert.equal(run.stderr, `out/${nameOf(3)}: 1 file(s) differ from a fresh generate:\n  out/${nameOf(3)}/README.md\nrun 'flexmesh generate --all' and commit the result\n`);
  });

  it('diff of an up-to-date fleet: nothing on standard output, exit 0', async () => {
    const root = await fleet();
    const run = await sameAsSequential(root, ['diff']);
    assert.deepEqual([run.code, run.stdout, run.stderr], [0, '', 'flexmesh diff: generate would change nothing\n']);
  });

  it('diff of a fleet that drifted: every file generate would change, in order, as the sequential diff prints them', async () => {
    const root = await fleet();
    writeFileSync(join(root, 'out', nameOf(1), 'README.md'), 'edited\n');
    rmSync(join(root, 'out', nameOf(4), 'manifests/sleep/sleep.yaml'));
    renameSync(join(root, 'out', nameOf(12)), join(root, 'moved-away'));
    writeFileSync(join(root, 'environments', `${nameOf(15)}.yaml`), `${overlay(15)}lockdown:\n  enabled: false\n`);
    const run = await sameAsSequential(root, ['diff', '--all']);
    assert.equal(run.code, 1, run.stderr);
    const headers = run.stdout.split('\n').filter((line) => line.startsWith('+++ '));
    assert.ok(headers.includes(`+++ b/out/${nameOf(1)}/README.md`) && headers.includes(`+++ b/out/${nameOf(4)}/manifests/sleep/sleep.yaml`));
    assert.equal(headers.filter((line) => line.includes(`out/${nameOf(12)}/`)).length, 41, 'a missing bundle: every file new');
    assert.ok(headers.some((line) => line.includes(`out/${nameOf(15)}/`)), 'an environment that changed');
    assert.match(run.stderr, /^flexmesh diff: generate would change \d+ file\(s\)\n$/);
  });

  it('the built CLI checks with its workers as the sequential run does, and a rerun answers the same from the fast path', async () => {
    const root = await fleet();
    writeFileSync(join(root, 'out', nameOf(10), 'fleet.json'), '{}\n');
    const spawnCheck = (threads: string, fastPath: boolean) => spawnSync(process.execPath, [FLEXMESH_BIN, 'check', '--all'], { cwd: root, encoding: 'utf8', timeout: HANG_GUARD_MS, env: { ...process.env, FLEXMESH_THREADS: threads, ...(fastPath ? {} : { FLEXMESH_NO_FAST_PATH: '1' }) } });
    const sequential = spawnCheck('0', false);
    const parallel = spawnCheck('2', false);
    assert.equal(sequential.status, 1, sequential.stderr);
    assert.deepEqual([parallel.status, parallel.stdout, parallel.stderr], [sequential.status, sequential.stdout, sequential.stderr]);
    // Fixed, checked in parallel with the fast path on (which records the success), then answered from the record.
    const fixed = await withThreads('0', () => inProcess(root, ['generate', '--all']));
    assert.equal(fixed.code, 0, fixed.stderr);
    const first = spawnCheck('2', true);
    const again = spawnCheck('2', true);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual([again.status, again.stdout, again.stderr], [first.status, first.stdout, first.stderr]);
  });
});
