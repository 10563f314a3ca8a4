import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { samplePairs } from '../scripts/vendor-samples.ts';

describe('vendored Istio samples', () => {
  for (const { upstream, vendored } of samplePairs()) {
    it(`${vendored.split('/templates/')[1]} is byte-identical to the upstream sample (npm run samples refreshes it)`, function () {
      if (!existsSync(upstream)) this.skip();
      assert.ok(readFileSync(vendored).equals(readFileSync(upstream)), `${vendored} differs from ${upstream}`);
    });
  }
});
