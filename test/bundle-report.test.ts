// What check and diff say of one bundle (generator/cli/bundle-report.ts), for each state a bundle can be in: which
// lines, on which stream, in which order, and whether the command fails. The committed dev bundle is the bundle on disk.
import assert from 'node:assert/strict';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkReport, diffReport, printReport, reportOf, type BundleReport } from '../generator/cli/bundle-report.ts';
import { generateCommitted, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';

const DEV = generateCommitted('dev');
const SHOWN = 'out/dev';
const JOURNAL = JSON.stringify({ generator: 'flexmesh-journal', phase: 'staging', write: {}, remove: {} });
const ERR = (text: string) => ({ err: true, text });

const CASES: Array<{ name: string; change: (dir: string) => void; gitopsPath?: string | undefined; lines: BundleReport['lines']; drifted: boolean }> = [
  { name: 'up to date', change: () => {}, lines: [{ err: false, text: `${SHOWN}: up to date (${DEV.files.length} files)` }], drifted: false },
  { name: 'a file of the user that Argo CD does not sync', change: (dir) => writeFileSync(join(dir, 'NOTES.md'), 'mine\n'), lines: [{ err: false, text: `${SHOWN}: up to date (${DEV.files.length} files)` }], drifted: false },
  {
    name: 'a foreign file Argo CD syncs', change: (dir) => writeFileSync(join(dir, 'apps/extra.yaml'), 'kind: ConfigMap\n'),
    lines: [ERR(`${SHOWN}/apps/extra.yaml: not written by flexmesh, and Argo CD syncs it with the bundle; remove it or move it out of the synced folder`)], drifted: true,
  },
  { name: 'the same file in the fleet bundle (no GitOps folder: not looked for)', change: (dir) => writeFileSync(join(dir, 'apps/extra.yaml'), 'kind: ConfigMap\n'), gitopsPath: undefined, lines: [{ err: false, text: `${SHOWN}: up to date (${DEV.files.length} files)` }], drifted: false },
  { name: 'an edited file', change: (dir) => writeFileSync(join(dir, 'README.md'), 'edited\n'), lines: [ERR(`${SHOWN}: 1 file(s) differ from a fresh generate:`), ERR(`  ${SHOWN}/README.md`)], drifted: true },
  {
    name: 'an interrupted write and a removed file, the state first', change: (dir) => (writeFileSync(join(dir, '.flexmesh-journal.json'), JOURNAL), rmSync(join(dir, 'apps/appproject.yaml'))),
    lines: [ERR(`${SHOWN}: an interrupted generate left temporary files (.flexmesh-journal.json); the previous bundle is intact; run flexmesh generate`), ERR(`${SHOWN}: 1 file(s) differ from a fresh generate:`), ERR(`  ${SHOWN}/apps/appproject.yaml`)], drifted: true,
  },
  { name: 'an interrupted write alone', change: (dir) => writeFileSync(join(dir, '.flexmesh-journal.json'), JOURNAL), lines: [ERR(`${SHOWN}: an interrupted generate left temporary files (.flexmesh-journal.json); the previous bundle is intact; run flexmesh generate`)], drifted: true },
];

describe('checkReport: what check says of one bundle', () => {
  const tempDir = useTempDirs();
  for (const { name, change, lines, drifted, ...rest } of CASES) {
    it(name, () => {
      const dir = join(tempDir(), 'dev');
      cpSync(join(PROJECT_ROOT, 'out/dev'), dir, { recursive: true });
      change(dir);
      const gitopsPath = 'gitopsPath' in rest ? rest.gitopsPath : DEV.topology.gitops.path;
      const report = checkReport({ path: dir, shown: SHOWN }, DEV.files, gitopsPath);
      assert.deepEqual(report, { lines, drifted });
    });
  }

  it('a missing bundle: every file differs', () => {
    const report = checkReport({ path: join(tempDir(), 'nowhere'), shown: SHOWN }, DEV.files, DEV.topology.gitops.path);
    assert.equal(report.drifted, true);
    assert.equal(report.lines[0]!.text, `${SHOWN}: ${DEV.files.length} file(s) differ from a fresh generate:`);
    assert.equal(report.lines.length, DEV.files.length + 1);
  });

  it('printReport sends each line to its stream, in order', () => {
    const heard: string[] = [];
    printReport({ lines: [ERR('a'), { err: false, text: 'b' }, ERR('c')], drifted: true }, { cwd: '.', out: (line) => heard.push(`out ${line}`), err: (line) => heard.push(`err ${line}`) });
    assert.deepEqual(heard, ['err a', 'out b', 'err c']);
  });
});

describe('diffReport: what diff says of one bundle', () => {
  const tempDir = useTempDirs();
  const bundle = () => {
    const dir = join(tempDir(), 'dev');
    cpSync(join(PROJECT_ROOT, 'out/dev'), dir, { recursive: true });
    return dir;
  };

  it('nothing would change: no lines', () => {
    assert.deepEqual(diffReport({ path: bundle(), shown: SHOWN }, DEV.files), { lines: [], drifted: false });
  });

  it('a changed, a missing and a no-longer-generated file: one whole diff each, in path order, on standard output', () => {
    const dir = bundle();
    writeFileSync(join(dir, 'README.md'), 'edited\n');
    rmSync(join(dir, 'apps/appproject.yaml'));
    // fleet.json is in the manifest on disk but no longer generated: diff shows its removal.
    const fewer = DEV.files.filter((file) => file.path !== 'fleet.json');
    const report = diffReport({ path: dir, shown: SHOWN }, fewer);
    assert.equal(report.drifted, true);
    assert.deepEqual(report.lines.map((line) => [line.err, ...line.text.split('\n').slice(0, 2)]), [
      [false, `--- a/${SHOWN}/README.md`, `+++ b/${SHOWN}/README.md`],
      [false, '--- /dev/null', `+++ b/${SHOWN}/apps/appproject.yaml`],
      [false, `--- a/${SHOWN}/fleet.json`, '+++ /dev/null'],
    ]);
    assert.ok(report.lines.every((line) => !line.text.endsWith('\n')), 'each diff without its last newline, as printed');
    assert.deepEqual(reportOf('diff', { path: dir, shown: SHOWN }, fewer, undefined), report);
  });
});

