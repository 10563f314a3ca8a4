// Assembles the pinned schema of one (group, version, kind): the strict body plus
// the envelope every object shares (exact apiVersion/kind, strict ObjectMeta).
import { joinApiVersion } from '../../generator/validate/products.ts';
import { applyConstraints, constraintsFor } from './constraints.ts';
import { strictCrdSchema } from './crd-schema.ts';
import { hoistRepeatedSubschemas } from './hoist.ts';
import { defRef, isObject, referencedDefs, type JsonObject, type Schema } from './json.ts';
import { OBJECT_META, type KubernetesDefinitions } from './kubernetes-definitions.ts';
import type { Crd, CrdVersion } from './upstream.ts';

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

interface Envelope {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly comment: string;
}

export function crdDocumentSchema(crd: Crd, version: CrdVersion, kubernetes: KubernetesDefinitions): Schema {
  const where = `${crd.kind}.${version.name}`;
  const body = applyConstraints(strictCrdSchema(version.openAPIV3Schema, where), constraintsFor({ crdKind: crd.kind }), where);
  const { root, defs } = hoistRepeatedSubschemas(body);
  return withEnvelope(root, { ...defs, ...kubernetes.closure([OBJECT_META]) }, {
    group: crd.group,
    version: version.name,
    kind: crd.kind,
    comment:
      `Derived by scripts/build-schemas.ts from upstream-crds/${crd.sourceFile} (see its SOURCE.txt). ` +
      `Strict: fields the API server would prune are errors; metadata is Kubernetes ${kubernetes.version} ObjectMeta.`,
  });
}

export function kubernetesDocumentSchema(
  kubernetes: KubernetesDefinitions,
  definition: string,
  gvk: { group: string; version: string; kind: string },
): Schema {
  const body = kubernetes.strict(definition);
  const defs = kubernetes.closure(referencedDefs(body).filter((name) => name !== OBJECT_META).concat(OBJECT_META));
  return withEnvelope(body, defs, {
    ...gvk,
    comment:
      `Derived by scripts/build-schemas.ts from upstream-crds/kubernetes/v${kubernetes.version}/_definitions.json ` +
      `(${definition}); additionalProperties:false added to every object schema with properties.`,
  });
}

function withEnvelope(body: Schema, defs: Record<string, Schema>, envelope: Envelope): Schema {
  const properties: JsonObject = isObject(body['properties']) ? { ...body['properties'] } : {};
  properties['apiVersion'] = { const: joinApiVersion(envelope.group, envelope.version) };
  properties['kind'] = { const: envelope.kind };
  // GitOps applies by name, so generateName-only objects are not acceptable output.
  properties['metadata'] = { ...defRef(OBJECT_META), required: ['name'], properties: { name: { minLength: 1 } } };
  const required = new Set(Array.isArray(body['required']) ? body['required'].map(String) : []);
  for (const field of ['apiVersion', 'kind', 'metadata']) required.add(field);
  return {
    $schema: SCHEMA_DIALECT,
    $comment: envelope.comment,
    ...body,
    type: 'object',
    properties,
    required: [...required].sort(),
    additionalProperties: false,
    $defs: defs,
  };
}
