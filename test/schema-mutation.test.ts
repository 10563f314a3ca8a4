// Schema-mutation test of the output check: out/dev broken one field at a time in ways the pinned schemas reject, and
// every break must be reported at its field. It proves the schema layer is wired to every document and field, not that
// the bundle means the right thing: the same schemas make and judge these breaks. Breaks the schemas accept, which only
// the cross-reference rules can catch, are test/meaning-mutation.test.ts. The mutations are not hand-picked: they are
// derived from every checked document of the generated dev bundle and from the pinned schema that applies at each place (test/support/mutation/schema.ts):
//   unknown field  `flexmeshUnknownField: 1` added to every object the schema closes,
//   wrong type     every typed scalar leaf replaced by a value of a type the schema rejects,
//   required       every field the schema requires on its object, deleted,
//   apiVersion     every document moved to apiVersions its product version does not serve.
// Each one is checked with checkManifests on the whole bundle (only the mutated document changes) and must yield a
// diagnostic on that document, at the mutated pointer. Hand-picked cross-reference breaks live in
// cross-references.test.ts. A mutation that is not caught is a gap in the check: the test lists it and fails.
import assert from 'node:assert/strict';
import type { Diagnostic } from '../generator/diagnostics.ts';
import { generateFromFile, preExistingNamespaces } from '../generator/pipeline.ts';
import { checkManifests } from '../generator/validate/check-manifests.ts';
import type { LocatedDoc } from '../generator/validate/cross-references/index.ts';
import { locateDocuments } from '../generator/validate/located.ts';
import type { TargetVersions } from '../generator/validate/types.ts';
import { DEV_FILE, DEV_PATH } from './support/fixtures.ts';
import { CLASSES, deriveMutations, isUnchecked, type Exception, type Mutation } from './support/mutation/mutations.ts';
import { objectName, runMutation, type Outcome } from './support/mutation/run.ts';
import type { JsonObject } from './support/mutation/schema.ts';

/**
 * Objects (not maps) a pinned schema leaves open on purpose, by schema node → why. Every other open object is a gap.
 * Maps (additionalProperties with a schema: labels, annotations, selectors, matchLabels, sourceLabels, ConfigMap data,
 * resource limits, ApiInstance spec.services, …) are computed from the schemas and need no entry: their keys are data.
 */
const OPEN_BY_DESIGN = new Map<string, string>([
  [
    'helm-values/istio-gateway-1.21.2 → #/$defs/values/properties/service',
    'the upstream gateway chart schema, pinned verbatim, types the service fields it knows and leaves the object open; Helm accepts any key there',
  ],
]);

/** How many gaps a failure message lists before "… N more". */
const LISTED = 60;

interface Dev { bundle: LocatedDoc[]; docs: JsonObject[]; preExisting: string[]; targets: TargetVersions; mutations: Mutation[]; exceptions: Exception[] }

function describeGap(dev: Dev, outcome: Outcome): string {
  const located = dev.bundle[outcome.mutation.doc]!;
  const evidence = outcome.diagnostics.length === 0 ? 'no diagnostic at all' : outcome.diagnostics.slice(0, 2).map((d: Diagnostic) => `${d.path}: ${d.problem}`).join(' | ');
  return `${outcome.verdict}: ${located.file} ${objectName(dev.docs[outcome.mutation.doc]!)} ${outcome.mutation.title} — ${evidence}`;
}

function listGaps(dev: Dev, gaps: readonly Outcome[]): string {
  const lines = gaps.slice(0, LISTED).map((gap) => describeGap(dev, gap));
  if (gaps.length > LISTED) lines.push(`… ${gaps.length - LISTED} more`);
  return `${gaps.length} mutation(s) not caught where expected:\n${lines.join('\n')}`;
}

describe('schema-mutation test: every schema-invalid break of one field of out/dev is reported at its field', function () {
  this.timeout(120_000);
  let dev: Dev;

  before(() => {
    const { env, files } = generateFromFile(DEV_PATH, DEV_FILE);
    const located = files.filter((file) => file.path.endsWith('.yaml')).map((file) => locateDocuments(`out/${env.name}/${file.path}`, file.content));
    assert.deepEqual(located.flatMap((entry) => entry.problems), []);
    const bundle = located.flatMap((entry) => entry.docs);
    const docs = bundle.map((entry) => entry.doc as unknown as JsonObject);
    // The same targets outputDiagnostics (generator/pipeline.ts) derives from the environment.
    const targets = { kubernetes: env.kubernetes.version, istio: env.istio.version, argocd: env.argocd.version, argoWorkflows: env.verification.argoWorkflowsVersion, flex: env.flex.version };
    dev = { bundle, docs, preExisting: preExistingNamespaces(env), targets, ...deriveMutations(docs, targets, new Set(OPEN_BY_DESIGN.keys())) };
  });

  it('the intact bundle is clean, and kustomization.yaml is its only unchecked document', function () {
    assert.deepEqual(checkManifests(dev.bundle, dev.preExisting, dev.targets), []);
    // Kustomization is in UNCHECKED_KINDS (read by kustomize in the repo-server, never applied), so it is the one
    // document without mutations; every other document, the verbatim upstream bookinfo.yaml and sleep.yaml included,
    // is checked and mutated.
    const unchecked = dev.bundle.filter((_, i) => isUnchecked(dev.docs[i]!)).map((entry) => `${entry.file} ${entry.doc.kind}`);
    assert.deepEqual(unchecked, ['out/dev/manifests/bookinfo/kustomization.yaml Kustomization']);
    const checked = dev.bundle.map((_, i) => i).filter((i) => !isUnchecked(dev.docs[i]!));
    const missing = checked.flatMap((i) => CLASSES.filter((cls) => !dev.mutations.some((m) => m.doc === i && m.cls === cls)).map((cls) => `${dev.bundle[i]!.file} ${objectName(dev.docs[i]!)}: no ${cls} mutation`));
    assert.deepEqual(missing, []);
    for (const file of ['manifests/bookinfo/bookinfo.yaml', 'manifests/sleep/sleep.yaml']) {
      assert.ok(dev.mutations.some((m) => dev.bundle[m.doc]!.file === `out/dev/${file}`), `${file} is mutated`);
    }
    this.test!.title = `${checked.length} of ${dev.bundle.length} documents are checked and each gets every class of mutation (${dev.mutations.length} mutations in all); only kustomization.yaml is unchecked`;
  });

  for (const cls of CLASSES) {
    it(`${cls}: every mutation is caught on its document, at its pointer`, function () {
      const mutations = dev.mutations.filter((mutation) => mutation.cls === cls);
      const outcomes = mutations.map((mutation) => runMutation(dev.bundle, mutation, dev.preExisting, dev.targets));
      const gaps = outcomes.filter((outcome) => outcome.verdict !== 'caught');
      const documents = new Set(mutations.map((mutation) => mutation.doc)).size;
      this.test!.title = `${cls}: ${mutations.length} mutations over ${documents} documents, ${mutations.length - gaps.length} caught`;
      assert.ok(mutations.length > 0);
      if (gaps.length > 0) assert.fail(listGaps(dev, gaps));
    });
  }

  it('exceptions: keys of maps, objects open by design (each one exercised), no untyped scalar outside them', function () {
    const count = (kind: Exception['kind']) => dev.exceptions.filter((exception) => exception.kind === kind);
    const open = count('open');
    assert.deepEqual([...new Set(open.map((exception) => exception.where))].sort(), [...OPEN_BY_DESIGN.keys()].sort(), 'every OPEN_BY_DESIGN entry is exercised (no stale entry)');
    const insideOpen = (exception: Exception) => open.some((place) => place.doc === exception.doc && exception.pointer.startsWith(`${place.pointer}/`));
    const stray = [...count('untyped'), ...count('null')].filter((exception) => !insideOpen(exception));
    assert.deepEqual(stray.map((exception) => `${dev.bundle[exception.doc]!.file} ${exception.pointer}: ${exception.kind} ${exception.where}`), [], 'scalars no schema types');
    const maps = count('map');
    const kinds = new Set(maps.map((exception) => exception.where.replace(/.*\/properties\/([^/]+)\/additionalProperties$/, '$1')));
    this.test!.title = `exceptions: ${maps.length} maps (${[...kinds].sort().join(', ')}), ${open.length} open by design, ${stray.length} untyped scalars`;
  });
});
