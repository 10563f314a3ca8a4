// Property: for any valid environment (test/support/arbitrary-environment.ts varies every knob of the schema), the
// bundle is right, or the environment is refused with a clear message; never a wrong bundle with exit 0.
// One fc.check per invariant, all with the same seed: each environment is generated once (memoized), and a failing
// invariant reports its own shrunk counterexample. Expectations come from the environment as written (plus the
// schema's defaults), never from the generator's helpers.
//   FLEXMESH_PROPERTY_RUNS      number of environments (default 200)
//   FLEXMESH_PROPERTY_SEED      seed (default below; printed on failure)
//   FLEXMESH_PROPERTY_PATH      fast-check replay path printed on failure (with the seed: reruns that counterexample)
//   FLEXMESH_PROPERTY_SHRINK_MS time a failing invariant may spend shrinking its counterexample (default 6000)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HANG_GUARD_MS } from './support/hang-guard.ts';
import { arbitraryEnvironment, type ArbitraryEnvironment } from './support/arbitrary-environment.ts';
import { caseOf, refusalReason, reserveMemo, stats, type Case } from './support/property-bundle.ts';
import { acceptedCoverage, uncoveredSchemaFields } from './support/property-coverage.ts';
import { clearRefusal, namespacesExist, noStaleDefaults, probesTargetAndAuthenticate, routesTargetServices, type Check } from './support/property-invariants.ts';
import { argocdObjectsOnArgocdCluster, bookinfoKeepsReviews, istioChartsKnowTheirNamespace, verificationDagIsWellFormed } from './support/property-invariants-wiring.ts';

const positive = (value: string | undefined, fallback: number) => (value && Number.isSafeInteger(Number(value)) && Number(value) > 0 ? Number(value) : fallback);
const RUNS = positive(process.env.FLEXMESH_PROPERTY_RUNS, 200);
const SEED = process.env.FLEXMESH_PROPERTY_SEED !== undefined ? Number(process.env.FLEXMESH_PROPERTY_SEED) | 0 : 20_240_611;
const REPLAY_PATH = process.env.FLEXMESH_PROPERTY_PATH;
const SHRINK_MS = positive(process.env.FLEXMESH_PROPERTY_SHRINK_MS, 6000);

const INVARIANTS: Array<[string, Check]> = [
  ['1. a refusal is an InputError whose diagnostics name a file, a field path and a problem', clearRefusal],
  ['2. every namespace a document uses is created by the bundle, Argo CD\'s, the verification\'s or pre-existing', namespacesExist],
  ['3. routes and ApiInstances address Services of the bundle; each ApiInstance forwards to its API\'s upstream', routesTargetServices],
  ['4. probe URLs target served ports of the bundle\'s Services; probes of a basic-auth API send its credentials', probesTargetAndAuthenticate],
  ['5. no default (namespaces, 8081, /ingress/, out/dev) appears where the environment set another value', noStaleDefaults],
  ['6. the Bookinfo kustomization deletes exactly the excluded reviews versions and keeps one', bookinfoKeepsReviews],
  ['7. Application CRs and the AppProject live on Argo CD\'s cluster; workloads go to the destination', argocdObjectsOnArgocdCluster],
  ['8. the istio base and istiod charts get global.istioNamespace when it is not istio-system', istioChartsKnowTheirNamespace],
  ['9. the verification DAG has unique probe names and only existing dependencies', verificationDagIsWellFormed],
];

function failureReport(title: string, details: fc.RunDetails<unknown>): string {
  const [environment] = (details.counterexample ?? []) as [ArbitraryEnvironment?];
  const error = details.errorInstance as Error | undefined;
  return [
    `invariant ${title}`,
    `failed after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s)${details.interrupted ? ` (shrinking stopped after the ${SHRINK_MS} ms budget)` : ''}; seed ${details.seed}, path "${details.counterexamplePath}"`,
    `replay: FLEXMESH_PROPERTY_SEED=${details.seed} FLEXMESH_PROPERTY_PATH=${details.counterexamplePath} npx mocha test/environments.property.test.ts`,
    '', error?.message ?? String(details.errorInstance), '',
    environment ? `--- environments/${environment.name}.yaml\n${environment.text}---` : '(no counterexample)',
  ].join('\n');
}

function checkInvariant(title: string, check: Check): void {
  const property = fc.property(arbitraryEnvironment(), (environment) => {
    const problems = check(caseOf(environment));
    if (problems.length > 0) throw new Error(problems.map((problem) => `- ${problem}`).join('\n'));
  });
  // Every environment is checked, however long a loaded machine takes: no time limit on the runs. Only the
  // failure path is bounded in time, when it shrinks the counterexample found.
  const details = fc.check(property, { seed: SEED, numRuns: RUNS, ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}), endOnFailure: true });
  if (!details.failed) return;
  const shrunk = fc.check(property, { seed: SEED, numRuns: RUNS, path: details.counterexamplePath ?? undefined, plugins: [fc.interruptAfterTimeLimit(SHRINK_MS)] });
  assert.fail(failureReport(title, (shrunk.failed ? shrunk : details) as unknown as fc.RunDetails<unknown>));
}

describe('random valid environments (property)', function () {
  this.timeout(HANG_GUARD_MS); // bounded by the number of runs, see hang-guard.ts
  const cases: Case[] = [];
  let warmMs = 0;

  before(function () {
    // The same values fc.check draws with this seed: every invariant then reads memoized bundles.
    reserveMemo(RUNS);
    const started = performance.now();
    for (const environment of fc.sample(arbitraryEnvironment(), { seed: SEED, numRuns: RUNS })) cases.push(caseOf(environment));
    warmMs = performance.now() - started;
  });

  for (const [title, check] of INVARIANTS) it(title, () => checkInvariant(title, check));

  it('sets every field of schemas/environment.schema.json in some generated environment', () => {
    assert.deepEqual(uncoveredSchemaFields(cases), [], 'fields the arbitrary never sets: add them to test/support/arbitrary-environment.ts');
  });

  it('accepts enough of the generated environments, in every case the invariants distinguish, for them to mean something', () => {
    const accepted = cases.filter((c) => c.outcome.kind === 'accepted').length;
    assert.ok(accepted >= RUNS * 0.3, `only ${accepted} of ${RUNS} valid environments were accepted (seed ${SEED}); see the refusal table`);
    const missing = acceptedCoverage(cases).filter(([, n]) => n === 0).map(([name]) => name);
    assert.deepEqual(missing, [], `no accepted environment covers these cases (seed ${SEED})`);
  });

  after(function () {
    const count = (kind: Case['outcome']['kind']) => cases.filter((c) => c.outcome.kind === kind).length;
    const reasons = new Map<string, { count: number; example: Case }>();
    const outputChecks = new Map<string, { count: number; example: Case }>();
    for (const c of cases) {
      if (c.outcome.kind !== 'refused') continue;
      for (const diagnostic of c.outcome.diagnostics) {
        const table = diagnostic.file.startsWith('out/') ? outputChecks : reasons;
        const reason = refusalReason(c, diagnostic);
        const entry = table.get(reason);
        if (!entry) table.set(reason, { count: 1, example: c });
        else {
          entry.count++;
          if (c.text.length < entry.example.text.length) entry.example = c;
        }
      }
    }
    const lines = [
      `seed ${SEED}, ${RUNS} environments: ${count('accepted')} accepted, ${count('refused')} refused, ${count('crashed')} crashed`,
      `generation: ${(warmMs / 1000).toFixed(1)} s for ${RUNS} (mean ${(warmMs / Math.max(1, RUNS)).toFixed(1)} ms); ${stats.generated} generated in all (shrinking included), slowest ${stats.maxMs.toFixed(0)} ms`,
      'refusals (diagnostics by reason, the environment\'s own values shown as …; smallest example environment):',
      ...[...reasons].sort((a, b) => b[1].count - a[1].count).map(([reason, { count: n, example }]) => `  ${String(n).padStart(4)}  ${reason}   [e.g. ${example.name}, ${example.text.length} bytes]`),
      `accepted environments per case: ${acceptedCoverage(cases).map(([name, n]) => `${name} ${n}`).join(', ')}`,
      ...(outputChecks.size ? ['refusals by flexmesh\'s own output checks (a valid environment it built a bad bundle for):', ...[...outputChecks].map(([reason, { count: n }]) => `  ${String(n).padStart(4)}  ${reason}`)] : []),
    ];
    console.log(`\n    ${lines.join('\n    ')}\n`);
  });
});
