// load → validate input → build typed objects → render → validate output. Only loading touches the disk here;
// writing is the caller's last step.
import { readFileSync } from 'node:fs';
import { basename, dirname, posix } from 'node:path';
import { readChain } from './env/read-chain.ts';
import { loadAssets } from './assets.ts';
import { InputError, type Diagnostic } from './diagnostics.ts';
import { parseChain, type SourceFile } from './env/extends.ts';
import { parseTopology } from './env/load.ts';
import type { Locate } from './env/schema-errors.ts';
import type { Environment } from './env/types.ts';
import type { Topology } from './model/topology.ts';
import { buildBundle, renderBundle, type BundleValidation, type OutputFile } from './render/bundle.ts';
import { checkManifests } from './validate/check-manifests.ts';
import { locateBuiltDocuments, locateDocuments, parsedTemplate, sharedView } from './validate/located.ts';
import type { BundleFile, Manifest } from './resources/types.ts';
import { canonicalView } from './validate/canonical-view.ts';
import type { SchemaChecks } from './validate/schema-checks.ts';
import { schemaChecksLater, schemaWorkerConnected } from './validate/schema-worker.ts';
import { noteFullPipeline } from './util/run-profile.ts';

export interface GeneratedEnvironment { env: Environment; topology: Topology; files: OutputFile[]; /** Set when generated from an extends chain. */ locate?: Locate }

/** Namespaces every bundle may use without creating them: Argo CD's and Argo Workflows' own. */
export function preExistingNamespaces(env: Environment): string[] {
  return [env.argocd.namespace, env.verification.namespace, ...env.namespaces.preExisting];
}

/** What generate checks its output with; the bundle's manifest records it so `flexmesh validate` checks the same way. */
export function bundleValidation(env: Environment): BundleValidation {
  const targets = { kubernetes: env.kubernetes.version, istio: env.istio.version, argocd: env.argocd.version, argoWorkflows: env.verification.argoWorkflowsVersion, flex: env.flex.version };
  return { preExistingNamespaces: preExistingNamespaces(env), targets };
}

/**
 * Output problems are flexmesh bugs or impossible configurations: report every one, write nothing. Files whose
 * documents were built (`built`, by path, in canonical form: see documentsToCheck) are checked as those objects and
 * parsed only to place a problem; verbatim text files (and every file when `built` is not given) are parsed.
 * `schemaChecks` gives the schema results computed meanwhile (schemaChecksLater) by document.
 */
export function outputDiagnostics(env: Environment, files: readonly OutputFile[], built: ReadonlyMap<string, readonly Manifest[]> = new Map(), schemaChecks?: (doc: Manifest) => SchemaChecks): Diagnostic[] {
  const located = files.filter((file) => file.path.endsWith('.yaml')).map((file) => {
    const label = `out/${env.name}/${file.path}`;
    const viewed = built.get(file.path);
    if (viewed) return { docs: locateBuiltDocuments(label, file.content, viewed, 'as given'), problems: [] };
    // Verbatim samples were parsed by the build (for their exact text); everything else is parsed here.
    const documents = parsedTemplate(file.content);
    return documents ? { docs: locateBuiltDocuments(label, file.content, documents, 'shared'), problems: [] } : locateDocuments(label, file.content);
  });
  const { preExistingNamespaces: namespaces, targets } = bundleValidation(env);
  const docs = located.flatMap((entry) => entry.docs);
  return [...located.flatMap((entry) => entry.problems), ...checkManifests(docs, namespaces, targets, schemaChecks)];
}

/**
 * The documents a bundle's YAML files will hold, as the output checks see them (canonical), by path. Views already
 * in `views` (rendering makes them) are used as they are; missing ones are made and put there.
 */
function documentsToCheck(bundle: readonly BundleFile[], views: Map<string, readonly unknown[]>): Map<string, readonly Manifest[]> {
  const documents = new Map<string, readonly Manifest[]>();
  for (const file of bundle) {
    if (!file.path.endsWith('.yaml')) continue;
    if ('documents' in file) {
      if (!views.has(file.path)) views.set(file.path, file.documents.map(canonicalView));
      documents.set(file.path, views.get(file.path) as readonly Manifest[]);
    }
    else {
      // A verbatim file the build did not parse (none today) is parsed and checked after rendering instead.
      const parsed = parsedTemplate(file.text);
      if (parsed) documents.set(file.path, parsed.map(sharedView));
    }
  }
  return documents;
}

export function generateFromText(text: string, file: string): GeneratedEnvironment {
  return generateFromTopology(parseTopology(text, file));
}

/** An environment file and the bases it extends (environment first). */
export function generateFromSources(sources: readonly SourceFile[]): GeneratedEnvironment {
  const { topology, locate } = parseChain(sources);
  return { ...generateFromTopology(topology), locate };
}

function generateFromTopology(topology: Topology): GeneratedEnvironment {
  noteFullPipeline();
  const { env } = topology;
  const bundle = buildBundle(topology, loadAssets(env.istio.version));
  const validation = bundleValidation(env);
  const views = new Map<string, readonly unknown[]>();
  // A schema worker gets the documents before the bundle renders here; without one, rendering makes their views.
  let checked = schemaWorkerConnected() ? documentsToCheck(bundle, views) : undefined;
  let schemaChecks = checked && schemaChecksLater([...checked.values()].flat(), validation.targets);
  const files = renderBundle(env.name, bundle, validation, views);
  checked ??= documentsToCheck(bundle, views);
  schemaChecks ??= schemaChecksLater([...checked.values()].flat(), validation.targets);
  const problems = outputDiagnostics(env, files, checked, schemaChecks);
  if (problems.length > 0) throw new InputError(problems);
  return { env, topology, files };
}

/** `label` is how diagnostics name the file (relative to where the user ran flexmesh). Follows `extends` within its folder. */
export function generateFromFile(path: string, label = path): GeneratedEnvironment {
  const text = readFileSync(path, 'utf8');
  if (!/^extends:/m.test(text)) return generateFromText(text, label);
  const file = basename(path);
  const shown = (relativeFile: string) => (relativeFile === file ? label : posix.join(posix.dirname(label), relativeFile));
  return generateFromSources(readChain(dirname(path), file, shown));
}
