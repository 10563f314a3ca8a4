// Golden bundles of the fixture environments (test/fixtures/environments/: every value changed, Connected Mode,
// a remote cluster, lockdown off, north-south to another Service): exact file lists, byte for byte. A difference
// is a change of what flexmesh generates: read it, and only then run `npx tsx scripts/update-fixture-bundles.ts`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_BUNDLES, fixtureNames, generateFixture } from '../scripts/update-fixture-bundles.ts';
import { listFiles } from './support/fixtures.ts';

describe('golden fixture bundles', () => {
  it('there are the named fixtures', () => {
    assert.deepEqual(fixtureNames(), ['connected', 'every-value', 'lockdown-off', 'north-south-details', 'remote-cluster']);
  });
  for (const name of fixtureNames()) {
    it(`${name}: the same files, byte for byte`, () => {
      const dir = join(FIXTURE_BUNDLES, name);
      assert.ok(existsSync(dir), `${dir} is missing`);
      const { files } = generateFixture(name);
      assert.deepEqual(files.map((file) => file.path).sort(), listFiles(dir));
      for (const file of files) assert.equal(file.content, readFileSync(join(dir, file.path), 'utf8'), `${name}/${file.path}`);
    });
  }
});
