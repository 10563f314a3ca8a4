// The vendored Istio samples are Istio's release files byte for byte. The upstream copies live in ../shared: without
// them the test fails (a skip would pass CI silently), unless FLEXMESH_ALLOW_MISSING_SHARED=1 asks to skip instead.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { samplePairs } from '../scripts/vendor-samples.ts';
import { ALLOW_MISSING_VARIABLE } from './support/helm.ts';

describe('vendored Istio samples', () => {
  for (const { upstream, vendored } of samplePairs()) {
    it(`${vendored.split('/templates/')[1]} is byte-identical to the upstream sample (npm run samples refreshes it)`, function () {
      if (!existsSync(upstream)) {
        if (process.env[ALLOW_MISSING_VARIABLE] === '1') this.skip();
        assert.fail(`${upstream} not found: the upstream samples live in ../shared/upstream-samples (or FLEXMESH_UPSTREAM_SAMPLES_DIR); set ${ALLOW_MISSING_VARIABLE}=1 to skip instead`);
      }
      assert.ok(readFileSync(vendored).equals(readFileSync(upstream)), `${vendored} differs from ${upstream}`);
    });
  }
});
