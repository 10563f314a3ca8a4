// The constraints the pinned upstream schemas lack (scripts/build-schemas/constraints.ts): how they are applied, and
// that the precompiled validators now catch each class on every place it occurs in the dev bundle. These breaks were
// caught only by the @kubernetes-models runtime layer before it was dropped.
import assert from 'node:assert/strict';
import { applyConstraints, type Constraint } from '../scripts/build-schemas/constraints.ts';
import { bundleValidation, generateFromFile } from '../generator/pipeline.ts';
import { validateDocument } from '../generator/validate/index.ts';
import { locateDocuments } from '../generator/validate/located.ts';
import type { Manifest } from '../generator/resources/types.ts';
import type { TargetVersions } from '../generator/validate/types.ts';
import { DEV_FILE, DEV_PATH } from './support/fixtures.ts';

const at = (path: string, add: Constraint['add']): Constraint => ({ target: { crdKind: 'X' }, at: path, add, source: 'test' });
const listOfNamed = () => ({ type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } });

describe('applyConstraints', () => {
  const schema = { type: 'object', properties: { spec: { type: 'object', properties: { steps: listOfNamed(), nested: { type: 'object', properties: { steps: listOfNamed() } } } } } };

  it('adds keywords at an exact path, leaving the input untouched', () => {
    const out = applyConstraints(schema, [at('spec/steps/*/name', { pattern: '^a$' })], 'test') as any;
    assert.equal(out.properties.spec.properties.steps.items.properties.name.pattern, '^a$');
    assert.equal(out.properties.spec.properties.nested.properties.steps.items.properties.name.pattern, undefined);
    assert.equal((schema as any).properties.spec.properties.steps.items.properties.name.pattern, undefined);
  });

  it('reaches every depth with **, and merges required lists', () => {
    const out = applyConstraints(schema, [at('**/steps/*', { required: ['name'] }), at('**/steps', { minItems: 1 })], 'test') as any;
    for (const steps of [out.properties.spec.properties.steps, out.properties.spec.properties.nested.properties.steps]) {
      assert.deepEqual(steps.items.required, ['name']);
      assert.equal(steps.minItems, 1);
    }
  });

  const refusals: Array<{ name: string; constraint: Constraint; error: RegExp }> = [
    { name: 'a path that matches nothing (a stale entry)', constraint: at('spec/missing', { minItems: 1 }), error: /matches no field/ },
    { name: 'a keyword upstream already states', constraint: at('spec/steps/*/name', { type: 'integer' }), error: /already has "type"/ },
  ];
  for (const { name, constraint, error } of refusals) it(`refuses ${name}`, () => assert.throws(() => applyConstraints(schema, [constraint], 'test'), error));
});

/** JSON pointers in `doc` matching an instance-path glob (`*` any item or key, `**` any depth). */
function pointersAt(value: unknown, segments: readonly string[], prefix = ''): string[] {
  const [head, ...rest] = segments;
  if (head === undefined) return [prefix];
  const entries = value !== null && typeof value === 'object' ? Object.entries(value as Record<string, unknown>) : [];
  if (head === '**') return [...pointersAt(value, rest, prefix), ...entries.flatMap(([key, child]) => pointersAt(child, segments, `${prefix}/${key}`))];
  return entries.filter(([key]) => head === '*' || key === head).flatMap(([key, child]) => pointersAt(child, rest, `${prefix}/${key}`));
}

function mutated(doc: Manifest, pointer: string, value: unknown): Manifest {
  const copy = structuredClone(doc) as Record<string, any>;
  const keys = pointer.split('/').slice(1);
  const last = keys.pop()!;
  const parent = keys.reduce((node, key) => node[key], copy);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy as Manifest;
}

const DELETE = Symbol('delete');
/** One row per constraint class: where it applies (a glob over the document) and values that break it. */
const CLASSES: Array<{ kind: string; at: string; breaks: unknown[]; reportedAt?: 'parent' }> = [
  { kind: 'WorkflowTemplate', at: 'spec/templates/*/name', breaks: ['Has_Underscore', '-leading-dash', 'x'.repeat(129)] },
  { kind: 'WorkflowTemplate', at: 'spec/templates/*/dag/tasks/*/name', breaks: ['has.dot', 'x'.repeat(129)] },
  { kind: 'WorkflowTemplate', at: 'spec/templates/*/dag/tasks', breaks: [[]] },
  { kind: 'WorkflowTemplate', at: 'spec/arguments/parameters/*/name', breaks: ['has space', 'a.b'] },
  { kind: 'WorkflowTemplate', at: 'spec/templates/*/inputs/parameters/*/name', breaks: ['has space'] },
  { kind: 'WorkflowTemplate', at: 'spec/templates/*/outputs/parameters/*/name', breaks: ['has space'] },
  { kind: 'WorkflowTemplate', at: 'spec/templates/*/dag/tasks/*/arguments/parameters/*/name', breaks: ['a/b'] },
  { kind: 'WorkflowTemplate', at: 'spec/templates/*/retryStrategy/retryPolicy', breaks: ['Sometimes'] },
  { kind: 'WorkflowTemplate', at: 'spec/templates/*/container/name', breaks: [DELETE], reportedAt: 'parent' },
  { kind: 'Deployment', at: 'spec/template/spec/containers/*/imagePullPolicy', breaks: ['Sometimes'] },
  { kind: 'Gateway', at: 'spec/servers/*/port/number', breaks: [0, 65536] },
  { kind: 'VirtualService', at: 'spec/http/*/route/*/destination/port/number', breaks: [0, 70000] },
];

describe('constraints the pinned upstream schemas lack are caught by the precompiled validators', () => {
  let docs: Manifest[];
  let targets: TargetVersions;
  before(() => {
    const { env, files } = generateFromFile(DEV_PATH, DEV_FILE);
    targets = bundleValidation(env).targets;
    docs = files.filter((file) => file.path.endsWith('.yaml')).flatMap((file) => locateDocuments(file.path, file.content).docs.map((located) => located.doc));
  });

  for (const { kind, at: glob, breaks, reportedAt } of CLASSES) {
    it(`${kind} ${glob}`, () => {
      const places = docs.filter((doc) => doc.kind === kind).flatMap((doc) => pointersAt(doc, glob.split('/')).map((pointer) => ({ doc, pointer })));
      assert.ok(places.length > 0, `the dev bundle has no ${kind} ${glob}: this row tests nothing`);
      const missed: string[] = [];
      for (const { doc, pointer } of places) {
        for (const value of breaks) {
          const expectedAt = reportedAt === 'parent' ? pointer.slice(0, pointer.lastIndexOf('/')) : pointer;
          const issues = validateDocument(mutated(doc, pointer, value === DELETE ? undefined : value), targets);
          if (!issues.some((issue) => issue.path === expectedAt)) missed.push(`${doc.metadata?.name} ${pointer} = ${String(value)}: ${JSON.stringify(issues)}`);
        }
      }
      assert.deepEqual(missed, []);
    });
  }
});
