// `flexmesh validate` as a user runs it: a child process on bundles generated into a directory outside the repository.
// The bundles are generated fresh (not copied from out/), so these tests do not depend on out/ being regenerated.
// All runs start together in before() and each test awaits its own; every run is a full CLI start (~0.6 s CPU),
// so the table keeps to one run per behaviour.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { generateFromText } from '../generator/pipeline.ts';
import { devTextWith, FLEXMESH_BIN, PROJECT_ROOT, type Edit } from './support/fixtures.ts';
import { HANG_GUARD_MS } from './support/hang-guard.ts';

interface Run { code: number | null; stdout: string; stderr: string }
type Dirs = Record<'good' | 'broken' | 'noTestNamespace' | 'gitops' | 'several' | 'severalBroken' | 'mixed' | 'legacy' | 'badManifest', string> & {
  brokenFile: string;
  duplicateLine: number;
};

function validate(args: readonly string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [FLEXMESH_BIN, 'validate', ...args], { cwd: PROJECT_ROOT, timeout: HANG_GUARD_MS }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Generates environments/<name>.yaml (dev.yaml with `edits`) into `dir`, as `flexmesh generate` would write it. */
function generateInto(dir: string, name: string, ...edits: Edit[]): string {
  for (const file of generateFromText(devTextWith(...edits), `environments/${name}.yaml`).files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  return dir;
}

const LINE = /^(?<file>[^\s:]+):(?<line>\d+):(?<col>\d+): (?<object>[A-Za-z]+\/[-.a-z0-9]+): (?<message>.+)$/;
const lines = (text: string) => text.split('\n').filter(Boolean);
const context = (run: Run) => `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
/** The summary line of the bundle in `dir`, as validate prints it from PROJECT_ROOT. */
const summaryOf = (dir: string, env: string) => `bundle ${relative(PROJECT_ROOT, dir)}/ (environment ${env}): `;
const SUMMARY = /^bundle \S+\/ \(environment [-a-z0-9]+\): \d+ file\(s\), \d+ object\(s\): (valid|\d+ problem\(s\))/;
// Two environments whose Flex Gateways listen on different ports: merged into one set, the ApiInstances and routes
// of one would be checked against the Flex Service of the other.
const STAGE: Edit[] = [[['flex', 'port'], 8082], [['gitops', 'path'], 'out/stage']];

const CASES: Array<{ name: string; args: (dirs: Dirs) => string[]; expect: (run: Run, dirs: Dirs) => void }> = [
  {
    name: 'exits 0 on a bundle flexmesh generated, with one summary line naming the bundle',
    args: (dirs) => [dirs.good],
    expect: (run, dirs) => {
      assert.equal(run.code, 0, context(run));
      assert.equal(run.stderr, '');
      assert.ok(run.stdout.startsWith(summaryOf(dirs.good, 'dev')), context(run));
      assert.match(run.stdout, /^bundle \S+ \(environment dev\): \d+ file\(s\), \d+ object\(s\): valid\n$/);
    },
  },
  {
    name: 'exits 1 with path:line:col: Kind/name: message after a break outside the repository',
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
    name: 'takes a single file, checked with the bundle it is in',
    args: (dirs) => [join(dirs.good, 'manifests', 'prerequisites', 'namespace-test.yaml')],
    expect: (run, dirs) => {
      assert.equal(run.code, 0, context(run));
      assert.equal(run.stdout, `${summaryOf(dirs.good, 'dev')}1 file(s), 1 object(s): valid\n`);
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
    name: 'a bundle whose Argo CD and verification namespaces are gitops and workflows is valid (read from its manifest)',
    args: (dirs) => [dirs.gitops],
    expect: (run, dirs) => {
      assert.equal(run.code, 0, context(run));
      assert.equal(run.stderr, '');
      assert.match(run.stdout, new RegExp(`^${escape(summaryOf(dirs.gitops, 'gitops'))}\\d+ file\\(s\\), \\d+ object\\(s\\): valid\\n$`));
    },
  },
  {
    name: 'a folder of two bundles: each is checked on its own (merged, their Flex ports would clash)',
    args: (dirs) => [dirs.several],
    expect: (run, dirs) => {
      assert.equal(run.code, 0, context(run));
      assert.equal(run.stderr, '');
      const summaries = lines(run.stdout);
      assert.equal(summaries.length, 2, context(run));
      assert.ok(summaries[0]!.startsWith(summaryOf(join(dirs.several, 'dev'), 'dev')), context(run));
      assert.ok(summaries[1]!.startsWith(summaryOf(join(dirs.several, 'stage'), 'stage')), context(run));
      assert.ok(summaries.every((line) => SUMMARY.test(line) && line.endsWith(': valid')), context(run));
    },
  },
  {
    name: 'a broken document inside one bundle is reported for that bundle only',
    args: (dirs) => [dirs.severalBroken],
    expect: (run, dirs) => {
      assert.equal(run.code, 1, context(run));
      const problems = lines(run.stderr);
      assert.ok(problems.length > 0, context(run));
      const stage = `${relative(PROJECT_ROOT, join(dirs.severalBroken, 'stage'))}/`;
      assert.ok(problems.every((line) => line.startsWith(`${stage}manifests/mesh/broken.yaml:`)), context(run));
      const [dev, stageSummary] = lines(run.stdout);
      assert.match(dev ?? '', /: valid$/, context(run));
      assert.ok(stageSummary?.startsWith(summaryOf(join(dirs.severalBroken, 'stage'), 'stage')), context(run));
      assert.match(stageSummary ?? '', new RegExp(`: ${problems.length} problem\\(s\\)$`));
    },
  },
  {
    name: 'YAML files outside any bundle are one more group, checked with the default namespaces',
    args: (dirs) => [dirs.mixed],
    expect: (run, dirs) => {
      assert.equal(run.code, 1, context(run));
      // The loose ConfigMap lives in "workflows": the gitops bundle next to it records that namespace, the loose group does not.
      const problems = lines(run.stderr);
      assert.equal(problems.length, 1, context(run));
      assert.match(problems[0]!, /^\S+loose\/configmap\.yaml:\d+:\d+: ConfigMap\/notes: \/metadata\/namespace: namespace "workflows" .*\(rule namespace-exists\)$/);
      assert.deepEqual(lines(run.stdout).map((line) => line.replace(/: \d+ file.*/, '')), [summaryOf(join(dirs.mixed, 'gitops'), 'gitops').slice(0, -2), 'files outside any bundle']);
      assert.match(lines(run.stdout)[1]!, /^files outside any bundle: 1 file\(s\), 1 object\(s\): 1 problem\(s\)$/);
    },
  },
  {
    name: 'a manifest without the validation record (older flexmesh): the defaults, and the summary says so',
    args: (dirs) => [dirs.legacy],
    expect: (run) => {
      assert.equal(run.code, 0, context(run));
      assert.match(run.stdout, /^bundle \S+ \(environment dev\): \d+ file\(s\), \d+ object\(s\): valid; checked with the defaults \(pre-existing namespaces argocd, argo; the pinned versions\): its \.flexmesh-manifest\.json has no validation record/);
    },
  },
  {
    name: 'a manifest that is not valid JSON is a problem line of that bundle, not a crash',
    args: (dirs) => [dirs.badManifest, dirs.good],
    expect: (run, dirs) => {
      assert.equal(run.code, 1, context(run));
      const manifest = relative(PROJECT_ROOT, join(dirs.badManifest, '.flexmesh-manifest.json'));
      assert.deepEqual(lines(run.stderr).map((line) => line.split(' (manifest): ')[0]), [`${manifest}:3:1:`], context(run));
      assert.match(run.stderr, /\(manifest\): is not valid JSON: .* \(the file flexmesh generate writes; regenerate the bundle/);
      const [bad, good] = lines(run.stdout);
      assert.match(bad ?? '', /: 1 problem\(s\); checked with the defaults .*: its manifest is unusable$/, context(run));
      assert.match(good ?? '', /: valid$/, context(run));
    },
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

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('flexmesh validate (child process)', function () {
  this.timeout(HANG_GUARD_MS);
  let root: string;
  let dirs: Dirs;
  const runs = new Map<string, Promise<Run>>();

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'flexmesh-validate-'));
    assert.ok(relative(PROJECT_ROOT, root).startsWith('..'), 'the copies live outside the repository');
    const good = generateInto(join(root, 'good'), 'dev');
    const copy = (name: string) => {
      cpSync(good, join(root, name), { recursive: true });
      return join(root, name);
    };
    const broken = copy('broken');
    const noTestNamespace = copy('no-test-namespace');
    rmSync(join(noTestNamespace, 'manifests', 'prerequisites', 'namespace-test.yaml'));
    // A second ApiInstance on the address of the first, as a second document in the same file.
    const brokenFile = join(broken, 'manifests', 'flex-apis', 'apiinstance-ingress.yaml');
    const original = readFileSync(brokenFile, 'utf8');
    assert.ok(original.endsWith('\n') && original.includes('\n  name: ingress\n'));
    appendFileSync(brokenFile, `---\n${original.replace('\n  name: ingress\n', '\n  name: ingress-copy\n')}`);
    const duplicateLine = original.split('\n').length + 1;

    const gitopsEdits: Edit[] = [[['argocd', 'namespace'], 'gitops'], [['verification', 'namespace'], 'workflows'], [['gitops', 'path'], 'out/gitops']];
    const gitops = generateInto(join(root, 'gitops'), 'gitops', ...gitopsEdits);
    const several = join(root, 'several');
    cpSync(good, join(several, 'dev'), { recursive: true });
    generateInto(join(several, 'stage'), 'stage', ...STAGE);
    const severalBroken = join(root, 'several-broken');
    cpSync(several, severalBroken, { recursive: true });
    // ConfigMap data values must be strings: a schema error in the stage bundle alone.
    writeFileSync(join(severalBroken, 'stage', 'manifests', 'mesh', 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  namespace: flex\ndata:\n  key: [1, 2]\n');
    const mixed = join(root, 'mixed');
    cpSync(gitops, join(mixed, 'gitops'), { recursive: true });
    mkdirSync(join(mixed, 'loose'));
    writeFileSync(join(mixed, 'loose', 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n  namespace: workflows\ndata:\n  note: hi\n');
    const legacy = copy('legacy');
    const legacyManifest = join(legacy, '.flexmesh-manifest.json');
    const { validation, ...older } = JSON.parse(readFileSync(legacyManifest, 'utf8')) as Record<string, unknown>;
    assert.ok(validation, 'a fresh manifest has the validation record');
    writeFileSync(legacyManifest, `${JSON.stringify(older, null, 2)}\n`);
    const badManifest = copy('bad-manifest');
    writeFileSync(join(badManifest, '.flexmesh-manifest.json'), '{\n  "generator": "flexmesh",\n}\n');

    dirs = { good, broken, noTestNamespace, brokenFile, duplicateLine, gitops, several, severalBroken, mixed, legacy, badManifest };
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
