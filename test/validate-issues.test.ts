import assert from 'node:assert/strict';
import type { ErrorObject } from 'ajv';
import { closestMatch, editDistance } from '../generator/util/did-you-mean.ts';
import { issuesFromAjvErrors, sortedUniqueIssues } from '../generator/validate/issues.ts';

const ajvError = (error: Partial<ErrorObject> & Pick<ErrorObject, 'keyword'>): ErrorObject => ({
  instancePath: '',
  schemaPath: '#',
  params: {},
  ...error,
});

describe('issuesFromAjvErrors', () => {
  const cases: { name: string; errors: ErrorObject[]; expected: { path: string; message: string }[] }[] = [
    {
      name: 'unknown field (propertyNames enum) with a suggestion; the companion error is dropped',
      errors: [
        ajvError({ keyword: 'enum', instancePath: '/spec', schemaPath: '#/propertyNames/enum', params: { allowedValues: ['hosts', 'http'] }, propertyName: 'htpp' }),
        ajvError({ keyword: 'propertyNames', instancePath: '/spec', params: { propertyName: 'htpp' } }),
      ],
      expected: [{ path: '/spec/htpp', message: 'unknown field "htpp" (did you mean "http"?)' }],
    },
    {
      name: 'unknown field in an object that accepts none',
      errors: [ajvError({ keyword: 'false schema', instancePath: '/none', schemaPath: '#/propertyNames/false schema', propertyName: 'a/b' })],
      expected: [{ path: '/none/a~1b', message: 'unknown field "a/b" (no fields are allowed here)' }],
    },
    {
      name: 'mutually exclusive fields reported once at the object, whichever side fails',
      errors: [
        ajvError({ keyword: 'false schema', instancePath: '/m/prefix', schemaPath: '#/dependentSchemas/exact/properties/prefix/false schema' }),
        ajvError({ keyword: 'false schema', instancePath: '/m/exact', schemaPath: '#/dependentSchemas/prefix/properties/exact/false schema' }),
      ],
      expected: [{ path: '/m', message: 'fields "exact" and "prefix" are mutually exclusive (set at most one)' }],
    },
    {
      name: 'required, type, enum, const',
      errors: [
        ajvError({ keyword: 'required', instancePath: '/r', params: { missingProperty: 'destination' } }),
        ajvError({ keyword: 'type', instancePath: '/t', params: { type: 'integer,string' } }),
        ajvError({ keyword: 'enum', instancePath: '/e', params: { allowedValues: ['A', 1, null] } }),
        ajvError({ keyword: 'const', instancePath: '/c', params: { allowedValue: 'v1' } }),
      ],
      expected: [
        { path: '/c', message: 'the value is not allowed (must be "v1")' },
        { path: '/e', message: 'the value is not allowed (one of A, 1, null)' },
        { path: '/r', message: 'missing required field "destination" (add destination)' },
        { path: '/t', message: 'the value has the wrong type (expected integer or string)' },
      ],
    },
    {
      name: 'bounds, lengths and patterns',
      errors: [
        ajvError({ keyword: 'maximum', instancePath: '/a', params: { comparison: '<=', limit: 65535 } }),
        ajvError({ keyword: 'minLength', instancePath: '/b', params: { limit: 1 } }),
        ajvError({ keyword: 'pattern', instancePath: '/c', params: { pattern: '^x$' } }),
        ajvError({ keyword: 'uniqueItems', instancePath: '/d', params: { i: 2, j: 0 } }),
      ],
      expected: [
        { path: '/a', message: 'the value is out of range (at most 65535)' },
        { path: '/b', message: 'the value is too short (at least 1 character(s))' },
        { path: '/c', message: 'the value is not valid (expected a value matching ^x$)' },
        { path: '/d', message: 'has duplicate entries (items 0 and 2 are equal; remove one)' },
      ],
    },
    { name: 'the if wrapper is dropped (its then-branch errors carry the detail)', errors: [ajvError({ keyword: 'if', params: { failingKeyword: 'then' } })], expected: [] },
  ];
  for (const { name, errors, expected } of cases) it(name, () => assert.deepEqual(issuesFromAjvErrors(errors), expected));
});

describe('sortedUniqueIssues', () => {
  it('drops duplicates and sorts array indexes numerically', () => {
    const issue = (path: string) => ({ path, message: 'm' });
    assert.deepEqual(sortedUniqueIssues([issue('/a/10'), issue('/a/2'), issue('/a/2'), issue(''), issue('/a')]), [
      issue(''),
      issue('/a'),
      issue('/a/2'),
      issue('/a/10'),
    ]);
  });
});

describe('closestMatch', () => {
  const cases: [input: string, candidates: string[], expected: string | undefined][] = [
    ['rewritee', ['redirect', 'rewrite', 'route'], 'rewrite'],
    ['nmae', ['name', 'namespace'], 'name'],
    ['Labels', ['annotations', 'labels'], 'labels'],
    ['selfHeall', ['allowEmpty', 'prune', 'selfHeal'], 'selfHeal'],
    ['zzz', ['hosts', 'http'], undefined],
  ];
  for (const [input, candidates, expected] of cases) {
    it(`${input} → ${String(expected)}`, () => assert.equal(closestMatch(input, candidates), expected));
  }
  it('counts an adjacent transposition as one edit', () => assert.equal(editDistance('nmae', 'name'), 1));
});
