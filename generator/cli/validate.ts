// flexmesh validate <dir|file>...: the checks generate runs on its own output, on any manifests on disk
// (e.g. a hand-edited GitOps repository). Cross-reference rules only make sense inside one bundle, so every bundle
// (a directory holding a flexmesh manifest) is checked on its own, with the namespaces and versions it records;
// YAML files outside any bundle form one more group, checked with the defaults.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { formatDiagnostic, InputError, type Diagnostic } from '../diagnostics.ts';
import { decodeUtf8 } from '../env/strict-yaml.ts';
import { MANIFEST_FILE } from '../render/bundle.ts';
import { checkManifests, PINNED_TARGETS } from '../validate/check-manifests.ts';
import { locateDocuments } from '../validate/located.ts';
import { readBundleManifest } from './bundle-manifest.ts';
import { EXIT, UsageError, type Io } from './usage.ts';

/** Argo CD's and Argo Workflows' usual namespaces: what loose files and manifests without a record are assumed to use. */
export const DEFAULT_PRE_EXISTING = ['argocd', 'argo'];

const isYaml = (name: string) => /\.ya?ml$/.test(name);

interface Found { yaml: string[]; roots: string[] }

/** The nearest directory at or above `dir` holding a flexmesh manifest: a file given alone still belongs to its bundle. */
function enclosingRoot(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, MANIFEST_FILE))) return current;
    if (dirname(current) === current) return undefined;
  }
}

function discover(path: string): Found {
  if (!existsSync(path)) throw new UsageError(`no such file or directory: ${path}`);
  if (statSync(path).isFile()) {
    // Naming a bundle's manifest means the bundle.
    if (basename(path) === MANIFEST_FILE) return discover(dirname(path));
    const root = enclosingRoot(dirname(path));
    return { yaml: [path], roots: root ? [root] : [] };
  }
  const entries = readdirSync(path, { recursive: true, withFileTypes: true });
  const yaml = entries.filter((entry) => entry.isFile() && isYaml(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  const roots = entries.filter((entry) => entry.name === MANIFEST_FILE).map((entry) => entry.parentPath);
  const above = enclosingRoot(path);
  return { yaml, roots: above ? [above, ...roots] : roots };
}

interface Group { root?: string; files: string[] }

/** Each file goes to the innermost bundle that contains it, or to the loose group. */
function groupFiles(files: readonly string[], roots: readonly string[]): Group[] {
  const byDepth = [...roots].sort((a, b) => b.length - a.length);
  const groups = new Map<string | undefined, string[]>(roots.map((root) => [root, []]));
  for (const file of files) {
    const root = byDepth.find((candidate) => file.startsWith(candidate.endsWith(sep) ? candidate : candidate + sep));
    const list = groups.get(root) ?? [];
    if (list.length === 0) groups.set(root, list);
    list.push(file);
  }
  const bundles = [...groups].filter(([root]) => root !== undefined).sort(([a], [b]) => (a! < b! ? -1 : 1));
  const loose = groups.get(undefined);
  // With no bundle at all the loose group is reported even when empty, so there is always a summary line.
  const tail = loose || bundles.length === 0 ? [{ files: loose ?? [] }] : [];
  return [...bundles.map(([root, list]) => ({ root, files: list })), ...tail];
}

/** The one diagnostic format (formatDiagnostic), with a line and column always given. */
export function formatValidateLine(d: Diagnostic): string {
  return formatDiagnostic({ ...d, line: d.line ?? 1, col: d.col ?? 1 });
}

interface Settings { label: string; note: string; preExisting: readonly string[]; targets: typeof PINNED_TARGETS; problems: Diagnostic[] }

const DEFAULTS = `checked with the defaults (pre-existing namespaces ${DEFAULT_PRE_EXISTING.join(', ')}; the pinned versions)`;

/** How one group is checked, and how its summary line names it. */
function settingsOf(group: Group, cwd: string, extra: readonly string[]): Settings {
  const defaults = { preExisting: [...DEFAULT_PRE_EXISTING, ...extra], targets: PINNED_TARGETS };
  if (group.root === undefined) return { label: 'files outside any bundle', note: '', ...defaults, problems: [] };
  const manifestPath = join(group.root, MANIFEST_FILE);
  const manifest = readBundleManifest(manifestPath, relative(cwd, manifestPath));
  const label = `bundle ${relative(cwd, group.root) || '.'}/${manifest.environment ? ` (environment ${manifest.environment})` : ''}`;
  if (manifest.validation) {
    const { preExistingNamespaces, targets } = manifest.validation;
    return { label, note: '', preExisting: [...preExistingNamespaces, ...extra], targets, problems: [] };
  }
  if (manifest.problem) return { label, note: `; ${DEFAULTS}: its manifest is unusable`, ...defaults, problems: [manifest.problem] };
  const note = `; ${DEFAULTS}: its ${MANIFEST_FILE} has no validation record (an older flexmesh wrote it; run flexmesh generate to record it)`;
  return { label, note, ...defaults, problems: [] };
}

/** A file's documents; a file that is not UTF-8 is one problem, not a crash or silently replaced characters. */
function locateFile(path: string, shown: string): ReturnType<typeof locateDocuments> {
  try {
    return locateDocuments(shown, decodeUtf8(readFileSync(path), shown));
  } catch (error) {
    if (error instanceof InputError) return { docs: [], problems: error.diagnostics };
    throw error;
  }
}

export function runValidate(paths: readonly string[], extraPreExisting: readonly string[], io: Io): number {
  if (paths.length === 0) throw new UsageError('validate needs at least one directory or file');
  const found = paths.map((path) => discover(resolve(io.cwd, path)));
  const files = [...new Set(found.flatMap((entry) => entry.yaml))].sort();
  const roots = [...new Set(found.flatMap((entry) => entry.roots))];
  let failed = false;
  for (const group of groupFiles(files, roots)) {
    const settings = settingsOf(group, io.cwd, extraPreExisting);
    const located = group.files.map((file) => locateFile(file, relative(io.cwd, file)));
    const docs = located.flatMap((entry) => entry.docs);
    const problems = [...settings.problems, ...located.flatMap((entry) => entry.problems), ...checkManifests(docs, settings.preExisting, settings.targets)];
    for (const problem of problems) io.err(formatValidateLine(problem));
    const verdict = problems.length === 0 ? 'valid' : `${problems.length} problem(s)`;
    io.out(`${settings.label}: ${group.files.length} file(s), ${docs.length} object(s): ${verdict}${settings.note}`);
    failed ||= problems.length > 0;
  }
  return failed ? EXIT.checkFailed : EXIT.ok;
}
