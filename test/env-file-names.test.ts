// Environment file names become bundle directories: --all applies the same rule as --env, and no name, however
// odd, gets a bundle directory outside out/ (the worst case: "...yaml" → environment ".." → out/.. = the project).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError } from '../generator/diagnostics.ts';
import { environmentNameProblem, selectEnvironmentFiles } from '../generator/cli/environments.ts';
import { UsageError } from '../generator/cli/usage.ts';
import { outsideRootProblem } from '../generator/write/names.ts';
import { inProcess } from './support/cli-run.ts';
import { devTextWith, listFiles, useTempDirs } from './support/fixtures.ts';

describe('environment file names', () => {
  const tempDir = useTempDirs();
  function project(entries: Record<string, string | 'DIR' | 'DANGLING'>): string {
    const root = tempDir();
    mkdirSync(join(root, 'environments'));
    for (const [name, content] of Object.entries(entries)) {
      const path = join(root, 'environments', name);
      if (content === 'DIR') mkdirSync(path);
      else if (content === 'DANGLING') symlinkSync(join(root, 'nowhere.yaml'), path);
      else writeFileSync(path, content);
    }
    return root;
  }

  const refusedByAll: Array<{ name: string; file: string; entry?: 'DIR' | 'DANGLING'; problem: RegExp }> = [
    { name: '"...yaml" (environment "..")', file: '...yaml', problem: /"\.\." cannot name an environment/ },
    { name: '"..yaml" (environment ".")', file: '..yaml', problem: /"\." cannot name an environment/ },
    { name: 'upper case', file: 'Stage.yaml', problem: /"Stage" cannot name an environment/ },
    { name: 'a space', file: 'my env.yaml', problem: /"my env" cannot name an environment/ },
    { name: 'over 63 characters', file: `${'a'.repeat(64)}.yaml`, problem: /it has 64 characters/ },
    { name: 'a trailing dash', file: 'dev-.yml', problem: /"dev-" cannot name an environment/ },
    { name: 'a bidi override (escaped in the message)', file: 'de\u202Ev.yaml', problem: /"de\\u202Ev" cannot name an environment/ },
    { name: 'a directory named like an environment file', file: 'qa.yaml', entry: 'DIR', problem: /environments\/qa\.yaml: \(file name\): is named like an environment file but is not a regular file/ },
    { name: 'a link to nothing', file: 'qa.yml', entry: 'DANGLING', problem: /environments\/qa\.yml: \(file name\): is named like an environment file but is not a regular file/ },
  ];
  for (const { name, file, entry, problem } of refusedByAll) {
    it(`--all refuses ${name} with exit 2 and writes nothing`, async () => {
      const root = project({ 'dev.yaml': devTextWith(), [file]: entry ?? devTextWith() });
      const before = listFiles(root);
      const run = await inProcess(root, ['generate', '--all']);
      assert.equal(run.code, 2, run.stdout);
      assert.match(run.stderr, problem);
      assert.doesNotMatch(run.stderr, /[\u202E]|\n\s+at /);
      assert.deepEqual(listFiles(root), before);
      assert.deepEqual(readdirSync(root).sort(), ['environments']);
    });
  }

  it('x.yml beside x.yaml: one bundle, two sources, refused', () => {
    const root = project({ 'qa.yaml': devTextWith(), 'qa.yml': devTextWith() });
    assert.throws(() => selectEnvironmentFiles(root, [], true), (error: unknown) => error instanceof InputError && /environment "qa" is also defined by environments\/qa\.yaml/.test(error.message));
    assert.throws(() => selectEnvironmentFiles(root, ['qa'], false), /both define environment "qa"/);
  });

  it('--env NAME naming a directory says so', () => {
    const root = project({ 'qa.yaml': 'DIR' });
    assert.throws(() => selectEnvironmentFiles(root, ['qa'], false), (error: unknown) => error instanceof UsageError && /environments\/qa\.yaml is not a regular file/.test(error.message));
  });

  it('property: whatever a file is called, --all selects it only under a valid name, and its bundle is directly inside out/', () => {
    const nameChar = fc.constantFrom('a', 'z', '0', '-', '.', '_', ' ', 'A', 'é', '\u202E', '\t', '~', '$', '*');
    const root = tempDir();
    const out = join(root, 'out');
    let n = 0;
    fc.assert(
      fc.property(fc.string({ unit: nameChar, minLength: 1, maxLength: 70 }), fc.constantFrom('.yaml', '.yml'), (stem, extension) => {
        const project = join(root, `p${n++}`);
        mkdirSync(join(project, 'environments'), { recursive: true });
        writeFileSync(join(project, 'environments', `${stem}${extension}`), 'x: 1\n');
        let selected: string[] = [];
        try {
          selected = selectEnvironmentFiles(project, [], true);
        } catch (error) {
          assert.ok(error instanceof InputError || error instanceof UsageError, String(error));
        }
        const valid = !stem.startsWith('_') && environmentNameProblem(stem) === undefined && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(stem) && stem.length <= 63;
        assert.deepEqual(selected, valid ? [`environments/${stem}${extension}`] : []);
        if (valid) assert.equal(outsideRootProblem(join(out, stem), out), undefined);
      }),
      { numRuns: 200 },
    );
  });

  it('property: the writer\'s root check accepts exactly one plain path segment below the root', () => {
    const out = '/srv/project/out';
    fc.assert(
      fc.property(fc.array(fc.constantFrom('..', '.', 'dev', 'a', '', '/'), { minLength: 0, maxLength: 4 }), (segments) => {
        const dir = join(out, ...segments);
        const rest = dir === out ? '' : dir.startsWith(`${out}/`) ? dir.slice(out.length + 1).replace(/\/+$/, '') : undefined;
        const direct = rest !== undefined && rest !== '' && !rest.includes('/');
        assert.equal(outsideRootProblem(dir, out) === undefined, direct, dir);
      }),
      { numRuns: 200 },
    );
  });
});
