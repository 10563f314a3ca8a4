// Meaning-mutation test of the output checks: every scalar value of out/dev changed once, in a way the pinned schemas
// still accept (test/support/mutation/meaning.ts). The schemas cannot see such a break; only the cross-reference
// rules can, so the share they catch is what the rules are worth, and it is asserted: it may rise, never fall.
// Many values carry no cross-reference at all (a description, an image tag, a resource limit), so 100 % is not the
// aim; the floor below is the rate measured when it was last raised. Schema breaks are test/schema-mutation.test.ts.
import assert from 'node:assert/strict';
import { generateFromFile, preExistingNamespaces } from '../generator/pipeline.ts';
import { RULE_NAMES, type LocatedDoc } from '../generator/validate/cross-references/index.ts';
import { locateDocuments } from '../generator/validate/located.ts';
import type { TargetVersions } from '../generator/validate/types.ts';
import { DEV_FILE, DEV_PATH } from './support/fixtures.ts';
import { meaningMutations, runMeaningMutation, type MeaningOutcome } from './support/mutation/meaning.ts';
import { HANG_GUARD_MS } from './support/hang-guard.ts';

/** Caught / (caught + missed), measured on out/dev; raise it when a new rule catches more. */
const MIN_CATCH_RATE = 0.13;
/** Rules that no single-value change of dev can trip, with the reason. Every other rule must catch something. */
const NOT_REACHABLE_BY_ONE_VALUE: Record<string, string> = {
  'apiinstance-unique-address': 'needs two ApiInstances to end up on one address; a changed value only ever makes an address new (its break is in cross-references.test.ts)',
  // out/dev is Local Mode; these rules read the Connected-Mode reconcile documents (broken row by row in api-manager-validation.test.ts).
  'desired-state-schema': 'Connected Mode only',
  'desired-state-fits-bundle': 'Connected Mode only',
  'reconcile-job': 'Connected Mode only',
};

describe('meaning-mutation test: schema-valid single-value changes of out/dev caught by the cross-reference rules', function () {
  this.timeout(HANG_GUARD_MS); // bounded by the number of leaves, see hang-guard.ts
  let outcomes: MeaningOutcome[] = [];
  let bundle: LocatedDoc[] = [];

  before(() => {
    const { env, files } = generateFromFile(DEV_PATH, DEV_FILE);
    bundle = files.filter((file) => file.path.endsWith('.yaml')).flatMap((file) => locateDocuments(`out/${env.name}/${file.path}`, file.content).docs);
    const targets: TargetVersions = { kubernetes: env.kubernetes.version, istio: env.istio.version, argocd: env.argocd.version, argoWorkflows: env.verification.argoWorkflowsVersion, flex: env.flex.version };
    const preExisting = preExistingNamespaces(env);
    // A Kustomization is read by kustomize, never checked; the verbatim Istio samples are checked like the rest.
    const mutations = meaningMutations(bundle, (located) => located.doc.kind === 'Kustomization');
    outcomes = mutations.map((mutation) => runMeaningMutation(bundle, mutation, preExisting, targets));
  });

  it(`catches at least ${MIN_CATCH_RATE * 100} % of the schema-valid changes`, function () {
    const caught = outcomes.filter((outcome) => outcome.verdict === 'caught').length;
    const missed = outcomes.filter((outcome) => outcome.verdict === 'missed').length;
    const invalid = outcomes.length - caught - missed;
    const rate = caught / (caught + missed);
    this.test!.title = `${outcomes.length} single-value changes: ${invalid} rejected by a schema, ${caught} of the ${caught + missed} schema-valid ones caught by a rule (${(rate * 100).toFixed(1)} %, floor ${MIN_CATCH_RATE * 100} %)`;
    console.log(`      ${this.test!.title}`);
    assert.ok(caught + missed >= 500, `only ${caught + missed} schema-valid changes: the mutation derivation lost leaves`);
    assert.ok(rate >= MIN_CATCH_RATE, `catch rate ${(rate * 100).toFixed(1)} % fell below ${MIN_CATCH_RATE * 100} %`);
  });

  it('every cross-reference rule catches some single-value change', () => {
    const tripped = new Set(outcomes.flatMap((outcome) => outcome.rules));
    const silent = RULE_NAMES.filter((rule) => !tripped.has(rule) && !(rule in NOT_REACHABLE_BY_ONE_VALUE));
    assert.deepEqual(silent, []);
  });

  it('what the rules check is caught: the references between documents', () => {

    const MUST: Array<[string, RegExp]> = [
      ['VirtualService', /^\/spec\/http\/\d+\/route\/\d+\/destination\/(host|port\/number)$/],
      ['VirtualService', /^\/spec\/http\/\d+\/rewrite\/uri$/],
      ['ApiInstance', /^\/spec\/address$/],
      ['Gateway', /^\/spec\/selector\//],
      // The Flex namespace among the admitted ones (lockdown.allowFromNamespaces may name namespaces the bundle does not manage).
      ['AuthorizationPolicy', /^\/spec\/rules\/0\/from\/0\/source\/namespaces\/0$/],
      ['Application', /^\/spec\/destination\/namespace$/],
      ['WorkflowTemplate', /^\/spec\/arguments\/parameters\/\d+\/value$/],
      ['WorkflowTemplate', /^\/spec\/templates\/\d+\/dag\/(failFast|tasks\/\d+\/dependencies\/\d+)$/],
    ];
    // Probe parameters that name something of the bundle; the others are expectations (a status, a smoke path, the
    // hop under its base path) no other document states, so no rule can tell a changed one from the intended one.
    const REFERENCE_PARAMETER = /-(applications|namespaces?|deployments|from-selector|from-container|flex-selector|log-match-api|wait-seconds)$/;
    const parameterName = (outcome: MeaningOutcome) => {
      const match = /^\/spec\/arguments\/parameters\/(\d+)\/value$/.exec(outcome.mutation.pointer);
      const spec = bundle[outcome.mutation.doc]!.doc.spec as { arguments?: { parameters?: Array<{ name: string }> } };
      return match ? spec.arguments?.parameters?.[Number(match[1])]?.name ?? '' : undefined;
    };
    const at = (kind: string, pointer: RegExp) => outcomes.filter((outcome) => bundle[outcome.mutation.doc]!.doc.kind === kind && pointer.test(outcome.mutation.pointer) && outcome.verdict !== 'schema-invalid' && REFERENCE_PARAMETER.test(parameterName(outcome) ?? '-namespace'));
    const problems = MUST.flatMap(([kind, pointer]) => {
      const found = at(kind, pointer);
      if (found.length === 0) return [`${kind} ${pointer}: no such schema-valid change (did the bundle change shape?)`];
      return found.filter((outcome) => outcome.verdict !== 'caught').map((outcome) => `${kind} ${outcome.mutation.pointer}: ${JSON.stringify(outcome.mutation.from)} → ${JSON.stringify(outcome.mutation.to)} not caught`);
    });
    assert.deepEqual(problems, []);
  });
});
