import assert from 'node:assert/strict';
import { prepareForCompilation } from '../scripts/build-schemas/compile.ts';
import { strictCrdSchema } from '../scripts/build-schemas/crd-schema.ts';
import { asHelmEvaluatesIt } from '../scripts/build-schemas/hand-written.ts';
import { hoistRepeatedSubschemas } from '../scripts/build-schemas/hoist.ts';
import type { JsonObject } from '../scripts/build-schemas/json.ts';

const OBJECT_META_REF = { $ref: '#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };

describe('strictCrdSchema (openAPIV3Schema → strict JSON Schema)', () => {
  const cases: { name: string; input: JsonObject; expected: JsonObject }[] = [
    {
      name: 'objects reject fields the API server would prune; documentation is dropped',
      input: { type: 'object', description: 'd', properties: { a: { type: 'string', default: 'x' } } },
      expected: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
    },
    {
      name: 'an object without properties keeps nothing',
      input: { type: 'object' },
      expected: { type: 'object', additionalProperties: false },
    },
    {
      name: 'x-kubernetes-preserve-unknown-fields allows anything',
      input: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'integer' } } },
      expected: { type: 'object', properties: { known: { type: 'integer' } } },
    },
    {
      name: 'x-kubernetes-int-or-string replaces the controller-gen anyOf',
      input: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
      expected: { type: ['integer', 'string'] },
    },
    {
      name: 'x-kubernetes-embedded-resource gets apiVersion, kind and ObjectMeta',
      input: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      expected: {
        type: 'object',
        properties: { spec: { type: 'object' }, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: OBJECT_META_REF },
        additionalProperties: false,
      },
    },
    {
      name: 'nullable allows null, also in enums',
      input: { type: 'string', enum: ['A'], nullable: true },
      expected: { type: ['string', 'null'], enum: ['A', null] },
    },
    {
      name: "Istio's at-most-one oneOf idiom becomes dependentSchemas naming both fields",
      input: {
        type: 'object',
        properties: { exact: { type: 'string' }, prefix: { type: 'string' } },
        oneOf: [{ not: { anyOf: [{ required: ['exact'] }, { required: ['prefix'] }] } }, { required: ['exact'] }, { required: ['prefix'] }],
      },
      expected: {
        type: 'object',
        properties: { exact: { type: 'string' }, prefix: { type: 'string' } },
        dependentSchemas: { exact: { properties: { prefix: false } }, prefix: { properties: { exact: false } } },
        additionalProperties: false,
      },
    },
    {
      name: 'a one-field at-most-one group is always satisfied and disappears',
      input: { type: 'object', properties: { provider: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, oneOf: [{ not: { anyOf: [{ required: ['provider'] }] } }, { required: ['provider'] }] },
      expected: { type: 'object', properties: { provider: { type: 'object' } }, additionalProperties: false },
    },
    {
      name: 'other oneOf branches only add value checks and are not made strict',
      input: { type: 'object', properties: { a: { type: 'string' } }, oneOf: [{ properties: { a: { minLength: 2 } } }, { required: ['a'] }] },
      expected: { type: 'object', properties: { a: { type: 'string' } }, oneOf: [{ properties: { a: { minLength: 2 } } }, { required: ['a'] }], additionalProperties: false },
    },
    {
      name: 'int32 becomes a range that keeps a tighter upstream bound; set lists are unique',
      input: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'integer', minimum: 0, format: 'int32' } },
      expected: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 2147483647 }, uniqueItems: true },
    },
    {
      name: 'OpenAPI 3.0 boolean exclusive bounds become 2020-12 numbers',
      input: { type: 'number', minimum: 0, exclusiveMinimum: true },
      expected: { type: 'number', exclusiveMinimum: 0 },
    },
  ];
  for (const { name, input, expected } of cases) it(name, () => assert.deepEqual(strictCrdSchema(input, 'test'), expected));

  it('refuses constructs it cannot enforce instead of silently ignoring them', () => {
    assert.throws(() => strictCrdSchema({ type: 'string', 'x-kubernetes-validations': [{ rule: 'self != ""' }] }, 'test'), /CEL rules/);
    assert.throws(() => strictCrdSchema({ type: 'string', discriminator: 'x' }, 'test'), /unsupported openAPIV3Schema keyword "discriminator"/);
    assert.throws(() => strictCrdSchema({ type: 'string', format: 'uuid' }, 'test'), /unsupported format "uuid"/);
  });
});

describe('hoistRepeatedSubschemas', () => {
  const big = (extra: string): JsonObject => ({
    type: 'object',
    properties: { image: { type: 'string' }, imagePullPolicy: { type: 'string' }, command: { type: 'array', items: { type: 'string' } }, [extra]: { type: 'boolean' } },
    additionalProperties: false,
  });
  it('moves repeated object schemas into $defs named after the first field using them', () => {
    const { root, defs } = hoistRepeatedSubschemas({ type: 'object', properties: { init: big('x'), main: big('x'), other: big('y'), tiny: { type: 'object', properties: { a: { type: 'string' } } }, tiny2: { type: 'object', properties: { a: { type: 'string' } } } } });
    assert.deepEqual(Object.keys(defs), ['init']);
    assert.deepEqual(root['properties'], {
      init: { $ref: '#/$defs/init' },
      main: { $ref: '#/$defs/init' },
      other: big('y'),
      tiny: { type: 'object', properties: { a: { type: 'string' } } },
      tiny2: { type: 'object', properties: { a: { type: 'string' } } },
    });
  });
});

describe('asHelmEvaluatesIt', () => {
  it('drops keywords beside $ref, as Helm (gojsonschema, draft-07) does', () => {
    const schema = asHelmEvaluatesIt(
      { $schema: 'http://json-schema.org/schema#', type: 'object', additionalProperties: false, $ref: '#/$defs/values', $defs: { values: { type: 'object' } } },
      'istio/gateway-chart-values.schema.json',
    );
    assert.equal(schema['$ref'], '#/$defs/values');
    assert.equal(schema['additionalProperties'], undefined);
    // The root's closure moves onto the referenced values, so top-level typos are errors (stricter than Helm).
    assert.deepEqual(schema['$defs'], { values: { type: 'object', properties: {}, additionalProperties: false } });
  });
  it('keeps schema-valued root keys (the gateway chart\'s `defaults`) allowed when closing the values', () => {
    const schema = asHelmEvaluatesIt(
      { type: 'object', additionalProperties: false, defaults: { $ref: '#/$defs/values', type: 'object' }, $ref: '#/$defs/values', $defs: { values: { type: 'object', properties: { name: { type: 'string' } } } } },
      'istio/gateway-chart-values.schema.json',
    );
    assert.deepEqual(schema['$defs'], { values: { type: 'object', properties: { name: { type: 'string' }, defaults: { $ref: '#/$defs/values' } }, additionalProperties: false } });
  });
});

describe('prepareForCompilation', () => {
  it('moves the body into a $def and lists allowed names for unknown-field errors', () => {
    const prepared = prepareForCompilation({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { b: { type: 'object', additionalProperties: false }, a: { type: 'string' } },
      additionalProperties: false,
      $defs: { shared: { type: 'object', additionalProperties: { type: 'string' } } },
    });
    assert.deepEqual(prepared, {
      $ref: '#/$defs/__document',
      $defs: {
        shared: { type: 'object', additionalProperties: { type: 'string' } },
        __document: { type: 'object', properties: { b: { type: 'object', propertyNames: false }, a: { type: 'string' } }, propertyNames: { enum: ['a', 'b'] } },
      },
    });
  });
});
