import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { loadAssets } from '../generator/assets.ts';
import { parseChain } from '../generator/env/extends.ts';
import { readChain } from '../generator/env/read-chain.ts';
import { buildBundle } from '../generator/render/bundle.ts';
import { toYamlStream } from '../generator/render/yaml.ts';
import { checkManifests } from '../generator/validate/check-manifests.ts';
import { locateBuiltDocuments, locateDocuments, parsedForBuild, parsedTemplate } from '../generator/validate/located.ts';
import type { Manifest } from '../generator/resources/types.ts';
import { parsedTemplates } from '../scripts/build.ts';
import { PROJECT_ROOT } from './support/fixtures.ts';

describe('locateDocuments (YAML text → objects with positions)', () => {
  it('finds every object of a stream with the line and column where it starts, and resolves pointers to lines', () => {
    const text = ['# leading comment', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: a', '---', '', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: b', 'data:', '  key: value', ''].join('\n');
    const { docs, problems } = locateDocuments('x.yaml', text);
    assert.deepEqual(problems, []);
    assert.deepEqual(docs.map((d) => [d.doc.kind, d.line, d.col]), [['Namespace', 2, 1], ['ConfigMap', 8, 1]]);
    assert.deepEqual(docs[1]!.positionOf!('/data/key'), { line: 13, col: 8 });
    // A pointer that does not exist points at its deepest existing parent.
    assert.deepEqual(docs[1]!.positionOf!('/data/missing'), { line: 13, col: 3 });
  });

  const problemCases: Array<{ name: string; text: string; problem: RegExp; line: number }> = [
    { name: 'a YAML syntax error', text: 'apiVersion: v1\nkind: [Namespace\n', problem: /./, line: 3 },
    { name: 'a duplicate key', text: 'apiVersion: v1\nkind: Namespace\nkind: ConfigMap\n', problem: /unique/i, line: 3 },
    { name: 'a document that is no Kubernetes object', text: 'just: data\n', problem: /is not a Kubernetes object/, line: 1 },
  ];
  for (const { name, text, problem, line } of problemCases) {
    it(`reports ${name} with its position instead of an object`, () => {
      const { docs, problems } = locateDocuments('y.yaml', text);
      assert.ok(problems.length > 0, 'a problem is reported');
      assert.match(problems[0]!.problem, problem);
      assert.equal(problems[0]!.file, 'y.yaml');
      assert.equal(problems[0]!.line, line);
      if (name !== 'a duplicate key') assert.equal(docs.length, 0);
    });
  }

  it('skips empty documents and leaves a missing metadata missing, for the schema to report', () => {
    const { docs, problems } = locateDocuments('z.yaml', '---\n---\napiVersion: v1\nkind: Namespace\n');
    assert.deepEqual(problems, []);
    assert.equal(docs.length, 1);
    assert.equal((docs[0]!.doc as { metadata?: unknown }).metadata, undefined);
  });
});

describe('locateBuiltDocuments (generate checks the objects it built, and parses only to place a problem)', () => {
  const environments = [join(PROJECT_ROOT, 'environments'), join(PROJECT_ROOT, 'test/fixtures/environments')]
    // Bases (`_*.yaml`) are not environments; an environment is read with the bases it extends.
    .flatMap((dir) => readdirSync(dir).filter((name) => name.endsWith('.yaml') && !name.startsWith('_')).map((name) => join(dir, name)));

  for (const path of environments) {
    it(`the built objects are what their YAML parses back to: ${relative(PROJECT_ROOT, path)}`, () => {
      const topology = parseChain(readChain(dirname(path), basename(path))).topology;
      const bundle = buildBundle(topology, loadAssets(topology.env.istio.version));
      let files = 0;
      for (const file of bundle) {
        if (!('documents' in file)) continue;
        const text = toYamlStream(file.documents);
        const built = locateBuiltDocuments(file.path, text, file.documents).map((located) => located.doc);
        assert.deepEqual(built, locateDocuments(file.path, text).docs.map((located) => located.doc), file.path);
        files++;
      }
      assert.ok(files > 5, 'the bundle has built YAML files');
    });
  }

  it('places a document and a pointer only when asked, from the text', () => {
    const documents = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { key: 'value' }, dropped: undefined },
    ];
    const text = toYamlStream(documents);
    const [first, second] = locateBuiltDocuments('x.yaml', text, documents);
    assert.deepEqual(second!.doc, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { key: 'value' } });
    assert.deepEqual([first!.line, second!.line], [1, 6]);
    assert.deepEqual(second!.positionOf!('/data/key'), { line: 11, col: 8 });
  });

  it('keeps placing a document the checks give a stand-in metadata (a document written without one)', () => {
    const values = { defaultRevision: 7 };
    const source = { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'base', targetRevision: '1.21.2', helm: { valuesObject: values } };
    const documents = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', spec: { project: 'p', destination: { server: 'https://kubernetes.default.svc', namespace: 'a' }, source } },
    ] as unknown as Manifest[];
    const text = toYamlStream(documents);
    const problems = checkManifests(locateBuiltDocuments('x.yaml', text, documents), []);
    const missing = problems.find((problem) => /"metadata"/.test(problem.problem));
    const chartValue = problems.find((problem) => problem.expected === 'values of chart base 1.21.2');
    assert.deepEqual(missing && [missing.file, missing.line, missing.col, missing.path], ['x.yaml', 6, 1, 'Application/(unnamed)']);
    // The values are checked on the stand-in, and the problem still points at the line of the value.
    assert.deepEqual(chartValue && [chartValue.file, chartValue.line, chartValue.col, chartValue.path], ['x.yaml', 17, 26, 'Application/(unnamed)']);
  });
});

describe('parsedTemplate (the build parses the vendored samples once, for their exact text)', () => {
  const parsed = JSON.parse(parsedTemplates()) as Record<string, Manifest[]>;
  const samples = ['bookinfo.yaml', 'sleep.yaml'].map((name) => readFileSync(join(PROJECT_ROOT, 'templates/samples/istio-1.21.2', name), 'utf8'));

  it('holds every vendored sample as what parsing its text at run time gives', () => {
    for (const text of samples) assert.deepEqual(parsedTemplate(text, parsed), locateDocuments('x.yaml', text).docs.map((located) => located.doc));
  });

  it('answers nothing for any other text, so an edited sample is parsed (and its problems reported) at run time', () => {
    assert.equal(parsedTemplate(`${samples[0]}\n# edited\n`, parsed), undefined);
    assert.equal(parsedForBuild('broken.yaml', 'apiVersion: v1\nkind: [Namespace\n'), undefined);
  });
});
