// On environments nobody hand-picked: every valid environment gives a bundle that is right as a cluster reads it,
// or a clear refusal; never a wrong bundle with exit 0. Expectations are derived from the environment as written
// (and the samples' known Services), never from the generator's own helpers.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../generator/diagnostics.ts';
import { generateFromText } from '../generator/pipeline.ts';
import type { Manifest } from '../generator/resources/types.ts';
import { generatedDocuments } from './support/fixtures.ts';
import { randomEnvironment, type RandomEnvironment } from './support/random-environment.ts';
import { bundleProblems } from './support/bundle-invariants.ts';

const RUNS = Number(process.env.FLEXMESH_PROPERTY_RUNS ?? 250);
const SEED = Number(process.env.FLEXMESH_PROPERTY_SEED ?? 20261201);

describe('any valid environment: a correct bundle or a clear refusal (property)', function () {
  this.timeout(240_000);
  const outcomes = { accepted: 0, refused: new Map<string, number>() };

  it(`${RUNS} random environments (seed ${SEED})`, () => {
    fc.assert(
      fc.property(randomEnvironment, (random: RandomEnvironment) => {
        let files: Map<string, string>;
        try {
          files = new Map(generateFromText(random.text, `environments/${random.name}.yaml`).files.map((file) => [file.path, file.content]));
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          for (const diagnostic of error.diagnostics) {
            assert.ok(diagnostic.file && diagnostic.path && diagnostic.problem, `an unclear refusal: ${JSON.stringify(diagnostic)}`);
            // Output checks are flexmesh's own bugs: a valid input must be refused by an input rule, never at the output.
            assert.ok(diagnostic.file.startsWith('environments/'), `refused by an output check, i.e. a wrong bundle was built:\n${error.message}`);
            const reason = diagnostic.problem.replace(/"[^"]*"|\d+/g, '…');
            outcomes.refused.set(reason, (outcomes.refused.get(reason) ?? 0) + 1);
          }
          return;
        }
        outcomes.accepted++;
        const docs: Array<{ path: string; doc: Manifest }> = generatedDocuments(files);
        assert.deepEqual(bundleProblems(random.raw, random.name, files, docs), []);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // A property that refuses everything proves nothing.
    assert.ok(outcomes.accepted >= RUNS * 0.4, `only ${outcomes.accepted} of ${RUNS} environments were accepted; refusals: ${JSON.stringify([...outcomes.refused])}`);
  });
});
