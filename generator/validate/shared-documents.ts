// Documents every environment of a run shares: the vendored samples' objects, parsed once by the build (see
// parsedTemplate in located.ts). A fleet of 1,000 environments checks the same ~30 sample documents 1,000 times;
// they are checked once per set of target versions instead. Only documents registered here are remembered, by
// identity: a built document is a new object in every environment, and nothing mutates a registered one.
import type { SchemaIssue, TargetVersions } from './types.ts';

const shared = new WeakSet<object>();
const checked = new Map<string, WeakMap<object, readonly SchemaIssue[]>>();

export function registerSharedDocument(doc: object): void {
  shared.add(doc);
}

export function isSharedDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && shared.has(doc);
}

/** `check(doc, targets)`, answered from memory for a shared document checked before with the same targets. */
export function checkedOnce(doc: unknown, targets: TargetVersions, check: (doc: unknown, targets: TargetVersions) => SchemaIssue[]): readonly SchemaIssue[] {
  if (!isSharedDocument(doc)) return check(doc, targets);
  const key = JSON.stringify([targets.kubernetes, targets.istio, targets.argocd, targets.argoWorkflows, targets.flex]);
  let known = checked.get(key);
  if (!known) checked.set(key, (known = new WeakMap()));
  let issues = known.get(doc as object);
  if (!issues) known.set(doc as object, (issues = check(doc, targets)));
  return issues;
}
