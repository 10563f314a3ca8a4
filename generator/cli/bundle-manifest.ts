// Reads what `flexmesh validate` needs from a bundle's .flexmesh-manifest.json: the environment it was generated
// from and the validation record (pre-existing namespaces, target versions). Any defect is a diagnostic, never a
// crash: a hand-edited or half-merged manifest must not stop the other bundles from being checked.
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics.ts';
import type { BundleValidation } from '../render/bundle.ts';
import type { TargetVersions } from '../validate/types.ts';

export interface BundleManifest {
  environment?: string;
  /** Undefined for a manifest written before the record existed, or one whose record is unusable. */
  validation?: BundleValidation;
  problem?: Diagnostic;
}

const TARGET_KEYS: ReadonlyArray<keyof TargetVersions> = ['kubernetes', 'istio', 'argocd', 'argoWorkflows', 'flex'];
const REGENERATE = 'the file flexmesh generate writes; regenerate the bundle with flexmesh generate, or restore the file from version control';

/** 1-based line and column of a character offset. */
function positionAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length))).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

/** Where JSON.parse stopped: V8 names either the position or the line and column, depending on the version. */
function jsonErrorPosition(text: string, message: string): { line: number; col: number } {
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), col: Number(lineCol[2]) };
  const position = /position (\d+)/.exec(message);
  return position ? positionAt(text, Number(position[1])) : { line: 1, col: 1 };
}

/** The first problem of a validation record, as `field: what is wrong`; undefined when it is usable. */
function recordProblem(record: unknown): string | undefined {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return '/validation: must be an object';
  const { preExistingNamespaces, targets } = record as { preExistingNamespaces?: unknown; targets?: unknown };
  if (!Array.isArray(preExistingNamespaces) || !preExistingNamespaces.every((ns) => typeof ns === 'string' && ns !== '')) {
    return '/validation/preExistingNamespaces: must be a list of namespace names';
  }
  if (targets === null || typeof targets !== 'object' || Array.isArray(targets)) return '/validation/targets: must be an object';
  const missing = TARGET_KEYS.find((key) => typeof (targets as Record<string, unknown>)[key] !== 'string');
  return missing ? `/validation/targets/${missing}: must be a version string` : undefined;
}

/** `label` is how the diagnostic names the file (relative to the working directory). */
export function readBundleManifest(path: string, label: string): BundleManifest {
  const problem = (message: string, position = { line: 1, col: 1 }): BundleManifest => ({
    problem: { file: label, ...position, path: '(manifest)', problem: message, expected: REGENERATE },
  });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return problem(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    return problem(`is not valid JSON: ${message}`, jsonErrorPosition(text, message));
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data) || (data as { generator?: unknown }).generator !== 'flexmesh') {
    return problem('is not a flexmesh manifest: expected a JSON object with "generator": "flexmesh"');
  }
  const { environment, validation } = data as { environment?: unknown; validation?: unknown };
  const name = typeof environment === 'string' ? environment : undefined;
  if (validation === undefined) return { environment: name };
  const wrong = recordProblem(validation);
  const at = positionAt(text, text.indexOf('"validation"'));
  if (wrong) return { ...problem(wrong, at), environment: name };
  return { environment: name, validation: validation as BundleValidation };
}
