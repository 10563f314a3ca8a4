// schemas/pinned/environment-overlay.schema.json (scripts/build-schemas/environment-overlay.ts): what an editor checks a
// file with `extends:` against. It accepts every committed overlay and still refuses what the merge could never fix.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { PROJECT_ROOT } from './support/fixtures.ts';

const schemaOf = (path: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, path), 'utf8')) as object;
const overlay = new Ajv2020({ allErrors: true, strict: false }).compile(schemaOf('schemas/pinned/environment-overlay.schema.json'));
const full = new Ajv2020({ allErrors: true, strict: false }).compile(schemaOf('schemas/environment.schema.json'));
const environments = readdirSync(join(PROJECT_ROOT, 'environments')).filter((name) => name.endsWith('.yaml')).sort();
const textOf = (name: string) => readFileSync(join(PROJECT_ROOT, 'environments', name), 'utf8');

describe('the environment overlay schema (for editors)', () => {
  for (const name of environments) {
    const text = textOf(name);
    const extending = /^extends:/m.test(text);
    it(`environments/${name} names the schema for its kind of file, and is valid under it`, () => {
      const schema = extending ? 'schemas/pinned/environment-overlay.schema.json' : 'schemas/environment.schema.json';
      assert.equal(text.split('\n')[0], `# yaml-language-server: $schema=../${schema}`);
      const validate = extending ? overlay : full;
      assert.ok(validate(parse(text)), JSON.stringify(validate.errors));
    });
  }

  const cases: Array<[string, unknown, boolean]> = [
    ['a partial overlay', { extends: '_base.yaml', flex: { replicas: 2 } }, true],
    ['null, which removes what the base set', { extends: '_base.yaml', flex: { replicas: null }, anypoint: null }, true],
    ['an unknown field', { extends: '_base.yaml', flex: { replica: 2 } }, false],
    ['a wrong type', { extends: '_base.yaml', flex: { replicas: 'two' } }, false],
    ['a list item left incomplete (lists replace the base\'s whole)', { extends: '_base.yaml', apis: [{ name: 'product' }] }, false],
    ['extends that is not a YAML file', { extends: '_base.json' }, false],
  ];
  for (const [what, data, valid] of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${what}`, () => {
      assert.equal(overlay(data), valid, JSON.stringify(overlay.errors));
    });
  }

  it('is no substitute for the full schema: an overlay alone is not an environment', () => {
    assert.equal(full(parse(textOf('staging.yaml'))), false);
  });
});
