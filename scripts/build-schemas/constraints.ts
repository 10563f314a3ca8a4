// Constraints the pinned upstream schemas lack but the products enforce, added to the derived schemas.
// They used to be caught at run time by the @kubernetes-models validators (newer upstream versions, loaded on every
// run); stating them here keeps one strict, precompiled layer. Each entry says where the rule comes from.
import { isObject, type Json, type Schema } from './json.ts';

export type ConstraintTarget = { readonly crdKind: string } | { readonly definition: string };

export interface Constraint {
  readonly target: ConstraintTarget;
  /** Instance path below the target, `/`-separated: a field name, `*` (any list item or map value), `**` (any depth). */
  readonly at: string;
  /** Keywords added to every schema node at that path; `required` is merged, anything else must be new. */
  readonly add: Schema;
  readonly source: string;
}

// UNVERIFIED against the v3.6.19 Go sources (not vendored): Argo Workflows' workflow/validate rejects these when a
// workflow is linted or submitted; @kubernetes-models/argo-workflows 2.0.0 states the same patterns, limits and enum.
const ARGO_VALIDATE = 'Argo Workflows workflow/validate (name rules, retry policies), as in @kubernetes-models/argo-workflows 2.0.0';
const ARGO_FIELD_NAME = { pattern: '^[a-zA-Z0-9][-a-zA-Z0-9]*$', maxLength: 128 };

export const CONSTRAINTS: readonly Constraint[] = [
  { target: { crdKind: 'WorkflowTemplate' }, at: 'spec/templates/*/name', add: ARGO_FIELD_NAME, source: ARGO_VALIDATE },
  { target: { crdKind: 'WorkflowTemplate' }, at: '**/dag/tasks/*/name', add: ARGO_FIELD_NAME, source: ARGO_VALIDATE },
  { target: { crdKind: 'WorkflowTemplate' }, at: '**/dag/tasks', add: { minItems: 1 }, source: ARGO_VALIDATE },
  { target: { crdKind: 'WorkflowTemplate' }, at: '**/parameters/*/name', add: { pattern: '^[-a-zA-Z0-9_]+$' }, source: ARGO_VALIDATE },
  {
    target: { crdKind: 'WorkflowTemplate' },
    at: '**/retryStrategy/retryPolicy',
    add: { enum: ['Always', 'OnFailure', 'OnError', 'OnTransientError'] },
    source: ARGO_VALIDATE,
  },
  {
    target: { crdKind: 'WorkflowTemplate' },
    at: 'spec/templates/*/container',
    add: { required: ['name'] },
    source: "Argo Workflows v3.6.19 api/jsonschema/schema.json: a template's container is an io.k8s.api.core.v1.Container, which requires name (the full CRD drops it)",
  },
  {
    target: { crdKind: 'WorkflowTemplate' },
    at: '**/imagePullPolicy',
    add: { enum: ['Always', 'Never', 'IfNotPresent'] },
    source: 'Kubernetes core/v1 PullPolicy (the constants the API server validates against)',
  },
  {
    target: { definition: 'io.k8s.api.core.v1.Container' },
    at: 'imagePullPolicy',
    add: { enum: ['Always', 'Never', 'IfNotPresent'] },
    source: 'Kubernetes core/v1 PullPolicy; the 1.29.0 OpenAPI states it only in the description ("One of Always, Never, IfNotPresent")',
  },
  // UNVERIFIED: the CRDs type these uint32 proto fields as bare integers; istiod's validation accepts TCP ports only.
  { target: { crdKind: 'Gateway' }, at: 'spec/servers/*/port/number', add: { minimum: 1, maximum: 65535 }, source: 'Istio Gateway server port (a TCP port)' },
  { target: { crdKind: 'VirtualService' }, at: '**/destination/port/number', add: { minimum: 1, maximum: 65535 }, source: 'Istio destination port (a TCP port)' },
];

export function constraintsFor(target: ConstraintTarget, table: readonly Constraint[] = CONSTRAINTS): Constraint[] {
  return table.filter((constraint) => JSON.stringify(constraint.target) === JSON.stringify(target));
}

/** The schema nodes reached by following properties / items / additionalProperties along an instance-path glob. */
function nodesAt(schema: Schema, segments: readonly string[]): Schema[] {
  const [head, ...rest] = segments;
  if (head === undefined) return [schema];
  if (head === '**') return [...nodesAt(schema, rest), ...children(schema).flatMap((child) => nodesAt(child, segments))];
  const next = children(schema, head);
  return next.flatMap((child) => nodesAt(child, rest));
}

/** Child nodes of a schema; named: the property of that name, `*`: list items and map values, none: all of them. */
function children(schema: Schema, name?: string): Schema[] {
  const found: Schema[] = [];
  const properties = schema['properties'];
  if (isObject(properties)) {
    for (const [key, child] of Object.entries(properties)) if (isObject(child) && (name === undefined || name === key)) found.push(child);
  }
  if (name === undefined || name === '*') {
    for (const key of ['items', 'additionalProperties']) if (isObject(schema[key])) found.push(schema[key]);
  }
  return found;
}

function merge(node: Schema, add: Schema, where: string): void {
  for (const [key, value] of Object.entries(add)) {
    const existing = node[key];
    if (key === 'required') {
      node[key] = [...new Set([...(Array.isArray(existing) ? existing : []), ...(value as Json[])])].map(String).sort();
    } else if (existing === undefined) {
      node[key] = value;
    } else {
      // Upstream now states it: the entry is obsolete (or contradicts upstream) and must be looked at.
      throw new Error(`${where}: the upstream schema already has "${key}"; remove or fix this constraint`);
    }
  }
}

/** A copy of `schema` with the constraints applied; a constraint that matches nothing is an error (stale table). */
export function applyConstraints(schema: Schema, constraints: readonly Constraint[], where: string): Schema {
  if (constraints.length === 0) return schema;
  const copy = structuredClone(schema);
  for (const constraint of constraints) {
    const nodes = [...new Set(nodesAt(copy, constraint.at.split('/')))];
    if (nodes.length === 0) throw new Error(`${where}: constraint at "${constraint.at}" matches no field`);
    for (const node of nodes) merge(node, constraint.add, `${where} ${constraint.at}`);
  }
  return copy;
}
