// Regenerates the golden bundles of the fixture environments (test/fixtures/environments/*.yaml) into
// test/fixtures/bundles/<name>/. Run it only after reading what changed: test/fixture-bundles.test.ts fails on any
// difference, and the rule tests beside it say which differences are bugs.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFromText } from '../generator/pipeline.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURE_ENVIRONMENTS = join(ROOT, 'test/fixtures/environments');
export const FIXTURE_BUNDLES = join(ROOT, 'test/fixtures/bundles');

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_ENVIRONMENTS).filter((file) => file.endsWith('.yaml')).map((file) => file.slice(0, -'.yaml'.length)).sort();
}

export function generateFixture(name: string) {
  return generateFromText(readFileSync(join(FIXTURE_ENVIRONMENTS, `${name}.yaml`), 'utf8'), `environments/${name}.yaml`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  rmSync(FIXTURE_BUNDLES, { recursive: true, force: true });
  for (const name of fixtureNames()) {
    const { files } = generateFixture(name);
    for (const file of files) {
      const path = join(FIXTURE_BUNDLES, name, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    console.log(`test/fixtures/bundles/${name}: ${files.length} files`);
  }
}
