// Versions are pinned in one place, generator/validate/products.ts. The environment schema's version enums and
// defaults are a hand-written copy (the schema is the input contract users read), so they are held to it here; code
// anywhere else reads the table, never a version literal.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeVersion, PINNED_CHARTS, PINNED_PRODUCTS } from '../generator/validate/products.ts';
import { ISTIO_SAMPLE_VERSIONS } from '../scripts/vendor-samples.ts';
import { listFiles, PROJECT_ROOT } from './support/fixtures.ts';

type Node = { enum?: unknown[]; default?: unknown; properties?: Record<string, Node> };
const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas/environment.schema.json'), 'utf8')) as Node;
const versionOf = (id: string) => PINNED_PRODUCTS.find((product) => product.id === id)!.version;
const field = (...path: string[]) => path.reduce<Node | undefined>((node, key) => node?.properties?.[key], schema)!;

describe('version pins', () => {
  const FIELDS: Array<[string, string[]]> = [
    ['kubernetes', ['kubernetes', 'version']],
    ['istio', ['istio', 'version']],
    ['argocd', ['argocd', 'version']],
    ['argoWorkflows', ['verification', 'argoWorkflowsVersion']],
    ['flex', ['flex', 'version']],
  ];
  for (const [id, path] of FIELDS) {
    it(`environment.schema.json ${path.join('.')}: only the pinned ${id} version, as its default`, () => {
      const node = field(...path);
      assert.deepEqual((node.enum ?? []).map((value) => normalizeVersion(String(value))), [versionOf(id)]);
      assert.equal(normalizeVersion(String(node.default)), versionOf(id));
    });
  }

  it('schemas/pinned holds exactly the pinned product versions and chart values', () => {
    const dirs = readdirSync(join(PROJECT_ROOT, 'schemas/pinned'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'helm-values').map((entry) => entry.name);
    assert.deepEqual(dirs.map((name) => /-(\d[\w.]*)$/.exec(name)?.[1]).sort(), PINNED_PRODUCTS.map((product) => product.version).sort());
    const charts = readdirSync(join(PROJECT_ROOT, 'schemas/pinned/helm-values')).map((name) => name.replace(/\.json$/, '')).sort();
    assert.deepEqual(charts, PINNED_CHARTS.map((chart) => `${chart.id}-${chart.version}`).sort());
  });

  it('the vendored samples are of the pinned Istio version', () => {
    assert.deepEqual(ISTIO_SAMPLE_VERSIONS, [versionOf('istio')]);
  });

  // Product versions live in products.ts; the Exchange policy asset versions of Connected Mode are the other table
  // (API Manager assets, not products flexmesh targets), in model/policy-assets.ts.
  const TABLES = ['validate/products.ts', 'model/policy-assets.ts'];
  it('no code outside products.ts (and the policy asset table) writes a version literal', () => {
    const offenders = listFiles(join(PROJECT_ROOT, 'generator')).filter((path) => path.endsWith('.ts') && !TABLES.includes(path)).flatMap((path) => {
      const code = readFileSync(join(PROJECT_ROOT, 'generator', path), 'utf8').split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*\*)/.test(line));
      return code.filter((line) => /['"`]v?\d+\.\d+\.\d+['"`]/.test(line)).map((line) => `generator/${path}: ${line.trim()}`);
    });
    assert.deepEqual(offenders, []);
  });
});
