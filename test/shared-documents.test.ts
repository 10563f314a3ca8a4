// Schema checks of the documents every environment shares (the vendored samples) are made once per set of target
// versions: the answers are those of an unmemoised check, for valid and invalid documents and for every target.
import assert from 'node:assert/strict';
import { validateDocument, type TargetVersions } from '../generator/validate/index.ts';
import { PINNED_TARGETS } from '../generator/validate/check-manifests.ts';
import { parsedTemplate, locateBuiltDocuments } from '../generator/validate/located.ts';
import { checkedOnce, isSharedDocument, registerSharedDocument } from '../generator/validate/shared-documents.ts';
import { loadAssets } from '../generator/assets.ts';
import { outputDiagnostics } from '../generator/pipeline.ts';
import { devEnvWith } from './support/fixtures.ts';

const OTHER_KUBERNETES: TargetVersions = { ...PINNED_TARGETS, kubernetes: 'v1.0.0' };

describe('checks of shared documents', () => {
  it('answer as an unmemoised check, each time and for each set of targets', () => {
    const invalid = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } };
    const valid = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } };
    for (const doc of [invalid, valid]) registerSharedDocument(doc);
    let calls = 0;
    const counted = (doc: unknown, targets: TargetVersions) => (calls++, validateDocument(doc, targets));
    for (let round = 0; round < 3; round++) {
      for (const targets of [PINNED_TARGETS, OTHER_KUBERNETES]) {
        for (const doc of [invalid, valid]) assert.deepEqual(checkedOnce(doc, targets, counted), validateDocument(doc, targets));
      }
    }
    assert.equal(calls, 4, 'two documents, two sets of targets, each checked once');
    assert.ok(validateDocument(invalid, PINNED_TARGETS).length > 0, 'the invalid one has issues to remember');
  });

  it('documents not registered are checked every time (a built document may be changed and checked again)', () => {
    const doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } };
    assert.deepEqual(checkedOnce(doc, PINNED_TARGETS, validateDocument), []);
    (doc.metadata as Record<string, unknown>)['name'] = 42;
    assert.ok(checkedOnce(doc, PINNED_TARGETS, validateDocument).length > 0);
  });

  it('only the vendored samples generate checks are registered, and they are checked as before', () => {
    const env = devEnvWith();
    const sample = loadAssets(env.istio.version).samples.bookinfo;
    const documents = parsedTemplate(sample);
    assert.ok(documents && documents.length > 5, 'the build parsed the sample');
    const located = locateBuiltDocuments('out/dev/manifests/bookinfo/bookinfo.yaml', sample, [...documents], 'shared');
    assert.ok(located.every((entry) => isSharedDocument(entry.doc)));
    assert.equal(located[0]!.doc, locateBuiltDocuments('other.yaml', sample, [...documents], 'shared')[0]!.doc, 'one view for every environment');
    assert.ok(locateBuiltDocuments('x.yaml', sample, structuredClone([...documents])).every((entry) => !isSharedDocument(entry.doc)), 'an equal document built anew is not');
    // A sample that fails the checks still fails them with its own file and position, in every environment.
    const files = [{ path: 'manifests/bookinfo/bookinfo.yaml', content: sample }];
    const strictTargets = { ...env, kubernetes: { version: 'v1.0.0' } } as typeof env;
    const first = outputDiagnostics(strictTargets, files);
    assert.ok(first.length > 0 && first.every((problem) => problem.file === `out/${env.name}/manifests/bookinfo/bookinfo.yaml` && problem.line !== undefined));
    assert.deepEqual(outputDiagnostics({ ...strictTargets, name: 'other' }, files).map((problem) => problem.file), first.map(() => 'out/other/manifests/bookinfo/bookinfo.yaml'));
  });
});
