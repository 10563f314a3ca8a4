// Derives the pinned, strict JSON Schemas flexmesh validates its output against,
// plus precompiled ajv validators, from the vendored upstream data.
//
//   npx tsx scripts/build-schemas.ts      (upstream dir: ../shared/upstream-crds or $FLEXMESH_UPSTREAM_DIR)
//
// Output is deterministic (sorted keys, no timestamps); test/build-schemas.test.ts
// fails when the committed files differ from a fresh derivation.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PINNED_CHARTS,
  PINNED_PRODUCTS,
  documentSchemaPath,
  helmValuesSchemaPath,
  joinApiVersion,
  splitApiVersion,
  type HelmChartId,
  type ProductId,
} from '../generator/validate/products.ts';
import { compileStandaloneValidator } from './build-schemas/compile.ts';
import { crdDocumentSchema, kubernetesDocumentSchema } from './build-schemas/document-schema.ts';
import { compileDesiredStateValidator, compileEnvironmentValidator, DESIRED_STATE_VALIDATOR, ENVIRONMENT_SCHEMA, ENVIRONMENT_VALIDATOR } from './build-schemas/environment.ts';
import { ENVIRONMENT_OVERLAY_SCHEMA, environmentOverlaySchema } from './build-schemas/environment-overlay.ts';
import { asHelmEvaluatesIt, resolveHandWrittenSchema } from './build-schemas/hand-written.ts';
import { isObject, stableStringify, type JsonObject, type Schema } from './build-schemas/json.ts';
import { KubernetesDefinitions } from './build-schemas/kubernetes-definitions.ts';
import { CRD_TARGETS, HAND_WRITTEN_DOCUMENTS, HELM_VALUES_TARGETS, KUBERNETES_TARGETS } from './build-schemas/targets.ts';
import {
  assertSourcePinned,
  defaultUpstreamDir,
  readCrds,
  readJsonFile,
  readKubernetesDefinitions,
  upstreamDirExists,
} from './build-schemas/upstream.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Generated trees (repo-relative); both are wiped and rewritten on every run. */
export const GENERATED_DIRS = ['schemas/pinned', 'schemas/validators'] as const;

export interface ServedKind {
  product: ProductId;
  productVersion: string;
  group: string;
  kind: string;
  served: string[];
}

/** Pure derivation: repo-relative path → file content. Reads inputs, writes nothing. */
export function buildSchemas(upstreamDir: string, repoRoot: string = REPO_ROOT): Map<string, string> {
  const files = new Map<string, string>();
  const served: ServedKind[] = [];
  const emit = (relativePath: string, schema: Schema): void => {
    const pinnedFile = `schemas/pinned/${relativePath}.json`;
    files.set(pinnedFile, stableStringify(schema));
    files.set(`schemas/validators/${relativePath}.js`, compileStandaloneValidator(schema, pinnedFile));
  };
  const version = (product: ProductId): string => pinnedVersion(product);

  assertSourcePinned(upstreamDir, 'kubernetes', `v${version('kubernetes')}`);
  const kubernetes = new KubernetesDefinitions(readKubernetesDefinitions(upstreamDir, version('kubernetes')), version('kubernetes'));

  for (const { group, kind } of KUBERNETES_TARGETS) {
    const versions = kubernetes.servedVersions(group, kind);
    if (versions.length === 0) throw new Error(`Kubernetes ${version('kubernetes')} serves no ${group}/${kind}`);
    for (const { version: apiVersion, definition } of versions) {
      const schema = kubernetesDocumentSchema(kubernetes, definition, { group, version: apiVersion, kind });
      emit(documentSchemaPath('kubernetes', version('kubernetes'), joinApiVersion(group, apiVersion), kind), schema);
    }
    served.push({ product: 'kubernetes', productVersion: version('kubernetes'), group, kind, served: versions.map((v) => v.version) });
  }

  for (const target of CRD_TARGETS) {
    assertSourcePinned(upstreamDir, target.folder, version(target.product));
    const crds = readCrds(upstreamDir, target.file);
    for (const kind of target.kinds) {
      const crd = crds.find((candidate) => candidate.kind === kind);
      if (!crd) throw new Error(`${target.file} defines no ${kind}`);
      const servedVersions = crd.versions.filter((v) => v.served);
      for (const crdVersion of servedVersions) {
        const path = documentSchemaPath(target.product, version(target.product), joinApiVersion(crd.group, crdVersion.name), kind);
        emit(path, crdDocumentSchema(crd, crdVersion, kubernetes));
      }
      served.push({
        product: target.product,
        productVersion: version(target.product),
        group: crd.group,
        kind,
        served: servedVersions.map((v) => v.name).sort(),
      });
    }
  }

  for (const { product, file } of HAND_WRITTEN_DOCUMENTS) {
    const schema = resolveHandWrittenSchema(join(repoRoot, file), kubernetes);
    const { apiVersion, kind } = envelopeConstants(schema, file);
    emit(documentSchemaPath(product, version(product), apiVersion, kind), schema);
    const [group, apiVersionName] = splitApiVersion(apiVersion);
    served.push({ product, productVersion: version(product), group, kind, served: [apiVersionName] });
  }

  for (const { chart, source } of HELM_VALUES_TARGETS) {
    const schema =
      'handWritten' in source
        ? resolveHandWrittenSchema(join(repoRoot, source.handWritten), kubernetes)
        : asHelmEvaluatesIt(readJsonFile(join(upstreamDir, source.upstream)), source.upstream);
    emit(helmValuesSchemaPath(chart, chartVersion(chart)), schema);
  }

  files.set('schemas/pinned/index.json', stableStringify(pinnedIndex(served)));
  files.set(ENVIRONMENT_OVERLAY_SCHEMA, stableStringify(environmentOverlaySchema(JSON.parse(readFileSync(join(repoRoot, ENVIRONMENT_SCHEMA), 'utf8')) as JsonObject)));
  files.set(ENVIRONMENT_VALIDATOR, compileEnvironmentValidator(repoRoot));
  files.set(DESIRED_STATE_VALIDATOR, compileDesiredStateValidator(repoRoot));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function pinnedIndex(served: ServedKind[]) {
  const byKey = (entry: ServedKind): string => `${entry.product}/${entry.group}/${entry.kind}`;
  return {
    $comment:
      'Generated by scripts/build-schemas.ts. apiVersions each pinned product version serves per kind ' +
      '(CRD `served` flags; Kubernetes OpenAPI x-kubernetes-group-version-kind). Every listed version has a schema.',
    documents: [...served].sort((a, b) => byKey(a).localeCompare(byKey(b))).map((entry) => ({ ...entry })),
    helmValues: PINNED_CHARTS.map(({ id, version }) => ({ chart: id, chartVersion: version })),
  };
}

function pinnedVersion(product: ProductId): string {
  const pinned = PINNED_PRODUCTS.find((candidate) => candidate.id === product);
  if (!pinned) throw new Error(`no pinned version for ${product}`);
  return pinned.version;
}

function chartVersion(chart: HelmChartId): string {
  const pinned = PINNED_CHARTS.find((candidate) => candidate.id === chart);
  if (!pinned) throw new Error(`no pinned version for chart ${chart}`);
  return pinned.version;
}

/** Hand-written document schemas state their GVK as `const`s; the index is derived from them. */
function envelopeConstants(schema: Schema, file: string): { apiVersion: string; kind: string } {
  const properties = schema['properties'];
  const apiVersion = isObject(properties) && isObject(properties['apiVersion']) ? properties['apiVersion']['const'] : undefined;
  const kind = isObject(properties) && isObject(properties['kind']) ? properties['kind']['const'] : undefined;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new Error(`${file}: apiVersion and kind must be consts`);
  return { apiVersion, kind };
}

export function writeSchemas(files: Map<string, string>, repoRoot: string = REPO_ROOT): void {
  for (const dir of GENERATED_DIRS) rmSync(join(repoRoot, dir), { recursive: true, force: true });
  for (const [relativePath, content] of files) {
    const target = join(repoRoot, relativePath);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const upstreamDir = defaultUpstreamDir(REPO_ROOT);
  if (!upstreamDirExists(upstreamDir)) {
    console.error(`upstream data not found at ${upstreamDir}; set FLEXMESH_UPSTREAM_DIR`);
    process.exit(1);
  }
  const files = buildSchemas(upstreamDir);
  writeSchemas(files);
  const bytes = [...files.values()].reduce((total, content) => total + Buffer.byteLength(content), 0);
  console.log(`wrote ${files.size} files (${(bytes / 1024).toFixed(0)} KiB) from ${upstreamDir}`);
}
