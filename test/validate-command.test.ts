// `flexmesh validate` as a user runs it: a child process on copies of out/dev outside the repository.
// All runs start together in before() and each test awaits its own; every run is a full CLI start (~0.6 s CPU),
// so the table keeps to one run per behaviour.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { FLEXMESH_BIN, PROJECT_ROOT } from './support/fixtures.ts';

interface Run { code: number | null; stdout: string; stderr: string }
interface Dirs { good: string; broken: string; noTestNamespace: string; brokenFile: string; duplicateLine: number }

function validate(args: readonly string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [FLEXMESH_BIN, 'validate', ...args], { cwd: PROJECT_ROOT }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const LINE = /^(?<file>[^\s:]+):(?<line>\d+):(?<col>\d+) (?<object>[A-Za-z]+\/[-.a-z0-9]+): (?<message>.+)$/;
const lines = (text: string) => text.split('\n').filter(Boolean);
const context = (run: Run) => `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

const CASES: Array<{ name: string; args: (dirs: Dirs) => string[]; expect: (run: Run, dirs: Dirs) => void }> = [
  {
    name: 'exits 0 on a copy of out/dev',
    args: (dirs) => [dirs.good],
    expect: (run) => {
      assert.equal(run.code, 0, context(run));
      assert.equal(run.stderr, '');
      assert.match(run.stdout, /^\d+ file\(s\), \d+ object\(s\): valid\n$/);
    },
  },
  {
    name: 'exits 1 with path:line:col Kind/name: message after a break outside the repository',
    args: (dirs) => [dirs.broken],
    expect: (run, dirs) => {
      assert.equal(run.code, 1, context(run));
      const problems = lines(run.stderr);
      assert.ok(problems.length > 0 && problems.every((line) => LINE.test(line)), context(run));
      const hit = problems.map((line) => LINE.exec(line)!.groups!).find((groups) => groups.object === 'ApiInstance/ingress-copy');
      assert.ok(hit, context(run));
      assert.equal(resolve(PROJECT_ROOT, hit.file!), dirs.brokenFile, 'the path is relative to the working directory');
      assert.ok(hit.file!.startsWith('..'), hit.file);
      assert.ok(Number(hit.line) > dirs.duplicateLine, 'the line is inside the second document');
      assert.match(readFileSync(dirs.brokenFile, 'utf8').split('\n')[Number(hit.line) - 1] ?? '', /^\s*address: http:\/\/0\.0\.0\.0:8081\/ingress\/$/, 'line and column of the field at fault');
      assert.match(hit.message!, /^\/spec\/address: shares port 8081 and base path \/ingress\/ with ApiInstance\/ingress .*\(rule apiinstance-unique-address\)$/);
      assert.match(run.stdout, /: 1 problem\(s\)\n$/);
    },
  },
  {
    name: 'takes a single file',
    args: (dirs) => [join(dirs.good, 'manifests', 'prerequisites', 'namespace-test.yaml')],
    expect: (run) => {
      assert.equal(run.code, 0, context(run));
      assert.equal(run.stdout, '1 file(s), 1 object(s): valid\n');
    },
  },
  {
    name: 'reports a missing namespace',
    args: (dirs) => [dirs.noTestNamespace],
    expect: (run) => {
      assert.equal(run.code, 1, context(run));
      assert.ok(lines(run.stderr).some((line) => /Role\/dev-verification: \/metadata\/namespace: namespace "test" .*\(rule namespace-exists\)$/.test(line)), context(run));
    },
  },
  {
    name: '--pre-existing makes the namespace-exists issue go away (comma-separated list)',
    args: (dirs) => ['--pre-existing', 'qa,test', dirs.noTestNamespace],
    expect: (run) => assert.equal(run.code, 0, context(run)),
  },
  {
    name: 'exits 2 on a missing path',
    args: (dirs) => [join(dirs.good, 'no-such-dir')],
    expect: (run) => {
      assert.equal(run.code, 2, context(run));
      assert.match(run.stderr, /no such file or directory: .*no-such-dir/);
    },
  },
  {
    name: '--help exits 0 with the usage',
    args: () => ['--help'],
    expect: (run) => {
      assert.equal(run.code, 0, context(run));
      assert.match(run.stdout, /^Usage: flexmesh validate <dir\|file>\.\.\. \[--pre-existing NS/);
      assert.match(run.stdout, /`path:line:col Kind\/name: message`/);
    },
  },
];

describe('flexmesh validate (child process)', function () {
  this.timeout(30000);
  let root: string;
  let dirs: Dirs;
  const runs = new Map<string, Promise<Run>>();

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'flexmesh-validate-'));
    assert.ok(relative(PROJECT_ROOT, root).startsWith('..'), 'the copies live outside the repository');
    const copy = (name: string) => {
      const dir = join(root, name);
      cpSync(join(PROJECT_ROOT, 'out', 'dev'), dir, { recursive: true });
      return dir;
    };
    const good = copy('good');
    const broken = copy('broken');
    const noTestNamespace = copy('no-test-namespace');
    rmSync(join(noTestNamespace, 'manifests', 'prerequisites', 'namespace-test.yaml'));
    // A second ApiInstance on the address of the first, as a second document in the same file.
    const brokenFile = join(broken, 'manifests', 'flex-apis', 'apiinstance-ingress.yaml');
    const original = readFileSync(brokenFile, 'utf8');
    assert.ok(original.endsWith('\n') && original.includes('\n  name: ingress\n'));
    appendFileSync(brokenFile, `---\n${original.replace('\n  name: ingress\n', '\n  name: ingress-copy\n')}`);
    const duplicateLine = original.split('\n').length + 1;
    dirs = { good, broken, noTestNamespace, brokenFile, duplicateLine };
    for (const entry of CASES) runs.set(entry.name, validate(entry.args(dirs)));
  });

  after(async () => {
    await Promise.allSettled(runs.values());
    if (root) rmSync(root, { recursive: true, force: true });
  });

  for (const entry of CASES) {
    it(entry.name, async () => entry.expect(await runs.get(entry.name)!, dirs));
  }
});
