// The CLI as a user runs it: `node bin/flexmesh.js` in a directory of their own (templates come from the project).
// Exit codes: 0 ok, 1 check found drift, 2 bad input or usage; bad input writes nothing.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flexmesh, flexmeshAsync, inProcess, type Run } from './support/cli-run.ts';
import { HANG_GUARD_MS } from './support/hang-guard.ts';
import { DEV_PATH, devTextWith, listFiles, PROJECT_ROOT, useTempDirs, type Edit } from './support/fixtures.ts';
import { connectedEdits } from './support/api-manager/connected.ts';

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

const GOLDEN = join(PROJECT_ROOT, 'out', 'dev');
const GOLDEN_COUNT = listFiles(GOLDEN).length;
const TYPO: Edit = [['flex', 'mode'], 'lokal'];

describe('flexmesh CLI', function () {
  this.timeout(HANG_GUARD_MS); // every run is bounded by its exit, see hang-guard.ts
  const tempDir = useTempDirs();
  const COMMITTED_DEV = { dev: readFileSync(join(PROJECT_ROOT, 'environments/dev.yaml'), 'utf8'), _base: readFileSync(DEV_PATH, 'utf8') };
  const baseDir = useTempDirs('all');
  let generated = ''; // a workspace after one `flexmesh generate`; tests work on copies
  let firstRun: Run;
  before(() => {
    generated = workspace(undefined, baseDir);
    firstRun = flexmesh(generated, 'generate');
  });
  function generatedCopy(): string {
    const cwd = tempDir();
    cpSync(generated, cwd, { recursive: true });
    return cwd;
  }

  /** A fresh working directory with environments/<name>.yaml for each entry; by default the committed dev and its base. */
  function workspace(envs: Record<string, string> = COMMITTED_DEV, makeDir = tempDir): string {
    const cwd = makeDir();
    mkdirSync(join(cwd, 'environments'));
    for (const [name, text] of Object.entries(envs)) writeFileSync(join(cwd, 'environments', `${name}.yaml`), text);
    return cwd;
  }

  describe('usage', () => {
    const usageDir = useTempDirs('all');
    // `process: true` cases run bin/flexmesh.js (exit code and streams of the real binary, in parallel);
    // the rest call main() in-process, which is the same code behind the bin's two lines.
    const cases: Array<{ args: string[]; code: number; out?: RegExp; err?: RegExp; process?: true }> = [
      { args: ['--help'], code: 0, out: /^flexmesh: generate GitOps bundles[\s\S]*Exit codes: 0 ok, 1 check failed, 2 bad input or usage\.$/m, process: true },
      { args: ['generate', '--help'], code: 0, out: /^Usage: flexmesh generate \[--env NAME \.\.\.\|--all\] \[--out DIR\]/, process: true },
      { args: ['check', '-h'], code: 0, out: /^Usage: flexmesh check \[--env NAME \.\.\.\|--all\] \[--out DIR\]/ },
      { args: [], code: 2, out: /^Usage: flexmesh <command> \[options\]$/m },
      { args: ['deploy'], code: 2, err: /^flexmesh: unknown command "deploy" \(commands: generate, check, validate, diff, show, list, init, version, help\)\nRun 'flexmesh --help' for usage\.$/m, process: true },
      { args: ['generat'], code: 2, err: /^flexmesh: unknown command "generat"; did you mean "generate"\?$/m },
      { args: ['valdiate', 'out'], code: 2, err: /^flexmesh: unknown command "valdiate"; did you mean "validate"\?$/m },
      { args: ['generate', '--force'], code: 2, err: /^flexmesh: unknown option "--force" for generate \(options: --env, --all, --out, --help, --chdir\)$/m, process: true },
      { args: ['generate', '--evn', 'dev'], code: 2, err: /^flexmesh: unknown option "--evn" for generate; did you mean --env\?$/m },
      { args: ['check', '--al'], code: 2, err: /^flexmesh: unknown option "--al" for check; did you mean --all\?$/m },
      { args: ['validate', '--pre-exisitng', 'x', 'out'], code: 2, err: /^flexmesh: unknown option "--pre-exisitng" for validate; did you mean --pre-existing\?$/m },
      { args: ['--version'], code: 0, out: /^flexmesh \d+\.\d+\.\d+\n$/, process: true },
      { args: ['version'], code: 0, out: /^flexmesh \d+\.\d+\.\d+\n$/ },
      { args: ['check', 'dev'], code: 2, err: /^flexmesh: .*positional argument/im },
      { args: ['generate', '--env', 'Dev_1'], code: 2, err: /environment name "Dev_1" is not valid: it must be a DNS label/ },
      { args: ['generate', '--env', 'prod'], code: 2, err: /no environment file environments\/prod\.yaml \(environments: dev\)/ },
      { args: ['check', '--env', 'dve'], code: 2, err: /^flexmesh: no environment file environments\/dve\.yaml; did you mean --env dev\?$/m },
      { args: ['generate', '--env', 'dev.yaml'], code: 2, err: /^flexmesh: --env takes an environment name, not a file: "dev\.yaml"; did you mean --env dev\?$/m },
      { args: ['generate', '--env', 'environments/dev.yaml'], code: 2, err: /not a file: "environments\/dev\.yaml"; did you mean --env dev\?$/m },
      { args: ['generate', '-C'], code: 2, err: /^flexmesh: -C needs a directory, e\.g\. -C path\/to\/project$/m },
      { args: ['--chdir', 'nowhere', 'check'], code: 2, err: /^flexmesh: --chdir nowhere: \S+nowhere is not a directory$/m },
      { args: ['generate', '-h'], code: 0, out: /--all +every environments\/\*\.yaml and \*\.yml, except files starting with "_"[\s\S]*--out DIR +output root, relative to the project root unless absolute[\s\S]*-C DIR/ },
      { args: ['generate', '--env', 'dev', '--all'], code: 2, err: /use either --env or --all, not both/ },
      { args: ['check', '--all', '--help'], code: 0, out: /^Usage: flexmesh check/ },
    ];
    const runs = new Map<string, Run & { cwd: string }>();
    before(async () => {
      await Promise.all(
        cases.map(async ({ args, process: spawned }) => {
          const cwd = workspace(undefined, usageDir);
          runs.set(args.join(' '), { cwd, ...(spawned ? await flexmeshAsync(cwd, ...args) : await inProcess(cwd, args)) });
        }),
      );
    });
    for (const { args, code, out, err, process: spawned } of cases) {
      it(`flexmesh ${args.join(' ') || '(no arguments)'} → exit ${code}${spawned ? ' (bin)' : ''}`, () => {
        const { cwd, ...run } = runs.get(args.join(' '))!;
        assert.equal(run.code, code, run.stderr);
        if (out) assert.match(run.stdout, out);
        if (err) assert.match(run.stderr, err);
        if (!out) assert.equal(run.stdout, '');
        assert.equal(existsSync(join(cwd, 'out')), false, 'usage errors write nothing');
      });
    }
  });

  it('generate writes out/dev (the golden bundle) from any working directory; a rerun changes nothing; check is clean', () => {
    const cwd = generatedCopy();
    assert.equal(firstRun.code, 0, firstRun.stderr);
    assert.equal(firstRun.stdout, `out/dev: ${GOLDEN_COUNT} written, 0 unchanged, 0 removed\n`);
    assert.deepEqual(snapshot(join(cwd, 'out', 'dev')), snapshot(GOLDEN));

    const second = flexmesh(cwd, 'generate', '--env', 'dev');
    assert.equal(second.stdout, `out/dev: 0 written, ${GOLDEN_COUNT} unchanged, 0 removed\n`);

    const check = flexmesh(cwd, 'check');
    assert.equal(check.code, 0, check.stderr);
    assert.equal(check.stdout, `out/dev: up to date (${GOLDEN_COUNT} files)\n`);
  });

  it('check exits 1 and lists the drifted file after a hand edit; generate repairs it', () => {
    const cwd = generatedCopy();
    const edited = join(cwd, 'out/dev/apps/01-istiod.yaml');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('selfHeal: true', 'selfHeal: false'));
    const check = flexmesh(cwd, 'check', '--env', 'dev');
    assert.equal(check.code, 1);
    assert.equal(check.stderr, "out/dev: 1 file(s) differ from a fresh generate:\n  out/dev/apps/01-istiod.yaml\nrun 'flexmesh generate --all' and commit the result\n");
    assert.equal(flexmesh(cwd, 'generate').stdout, `out/dev: 1 written, ${GOLDEN_COUNT - 1} unchanged, 0 removed\n`);
  });

  it('bad input: exit 2, diagnostics on stderr, nothing written', () => {
    const cwd = workspace({ dev: devTextWith(TYPO) });
    const run = flexmesh(cwd, 'generate');
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^environments\/dev\.yaml:\d+:\d+: flex\.mode: "lokal" is not allowed \(one of local, connected; did you mean "local"\?\)$/m);
    assert.match(run.stderr, /^flexmesh: 1 problem\(s\) found; nothing was written$/m);
    assert.equal(existsSync(join(cwd, 'out')), false);
    assert.equal(flexmesh(cwd, 'check').code, 2);
  });

  it('bad input leaves a previous bundle byte-identical, also when another environment is fine (--all)', () => {
    const cwd = generatedCopy();
    const before = snapshot(join(cwd, 'out'));
    writeFileSync(join(cwd, 'environments', 'dev.yaml'), devTextWith([['gitops', 'targetRevision'], 'release'], [['argocd', 'project'], 'Bad_Project']));
    writeFileSync(join(cwd, 'environments', 'stage.yaml'), devTextWith([['gitops', 'path'], 'out/stage']));
    const run = flexmesh(cwd, 'generate', '--all');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^environments\/dev\.yaml:\d+:\d+: argocd\.project: "Bad_Project" is not valid/m);
    assert.deepEqual(snapshot(join(cwd, 'out')), before);
  });

  it('removes files flexmesh wrote before and no longer generates, keeps files the user added', () => {
    const cwd = generatedCopy();
    writeFileSync(join(cwd, 'out/dev/manifests/NOTES.md'), 'my notes\n');
    writeFileSync(join(cwd, 'environments', 'dev.yaml'), devTextWith([['verification', 'enabled'], false]));
    const stale = listFiles(join(cwd, 'out/dev')).filter((path) => path.includes('verification'));
    assert.ok(stale.length > 1, 'dev has verification files to remove');

    const run = flexmesh(cwd, 'generate');
    assert.equal(run.code, 0, run.stderr);
    const [, written, unchanged, removed] = /^out\/dev: (\d+) written, (\d+) unchanged, (\d+) removed$/.exec(run.stdout.trim())!.map(Number);
    assert.equal(removed, stale.length);
    assert.equal(written! + unchanged!, GOLDEN_COUNT - stale.length);
    const after = listFiles(join(cwd, 'out/dev'));
    assert.deepEqual(after.filter((path) => path.includes('verification')), []);
    assert.equal(readFileSync(join(cwd, 'out/dev/manifests/NOTES.md'), 'utf8'), 'my notes\n');
  });

  it('switching to connected mode replaces the ApiInstances with the API Manager reconcile Job', () => {
    const cwd = generatedCopy();
    writeFileSync(join(cwd, 'environments', 'dev.yaml'), devTextWith(...connectedEdits()));
    const run = flexmesh(cwd, 'generate');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^out\/dev: \d+ written, \d+ unchanged, 2 removed$/m);
    const after = listFiles(join(cwd, 'out/dev'));
    assert.deepEqual(after.filter((path) => /flex-apis/.test(path)), [
      'apps/05-flex-apis.yaml', 'manifests/flex-apis/configmap-dev-api-manager.yaml', 'manifests/flex-apis/cronjob-dev-api-manager-drift.yaml', 'manifests/flex-apis/job-dev-api-manager-reconcile.yaml',
    ]);
  });

  it('--out chooses the output root; --all generates every environment and the fleet; check defaults to all of them', () => {
    const cwd = workspace({ dev: readFileSync(DEV_PATH, 'utf8'), stage: devTextWith([['gitops', 'path'], 'build/stage']) });
    const run = flexmesh(cwd, 'generate', '--all', '--out', 'build');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.split('\n').filter(Boolean).map((line) => line.split(':')[0]), ['build/dev', 'build/stage', 'build/_fleet']);
    assert.equal(existsSync(join(cwd, 'out')), false);
    assert.match(readFileSync(join(cwd, 'build/stage/apps/04-bookinfo.yaml'), 'utf8'), /path: build\/stage\/manifests\/bookinfo/);
    const check = flexmesh(cwd, 'check', '--out', 'build');
    assert.equal(check.code, 0, check.stderr);
    assert.deepEqual(check.stdout.split('\n').filter(Boolean).map((line) => line.split(':')[0]), ['build/dev', 'build/stage', 'build/_fleet']);
  });
});
