// All cross-reference rules over one set of manifests; every issue collected, none stops the others.
import { ManifestIndex, type LocatedDoc } from './context.ts';
import { apiManagerIssues } from './api-manager.ts';
import { probeTargetIssues } from './probe-targets.ts';
import { RULES, type CrossReferenceIssue } from './rules.ts';
import { VERIFICATION_RULES } from './verification-rules.ts';

export type { CrossReferenceIssue } from './rules.ts';
export type { LocatedDoc } from './context.ts';

/** Rules that only Connected-Mode bundles can break (test/api-manager-validation.test.ts breaks each). */
export const CONNECTED_RULE_NAMES = ['desired-state-schema', 'desired-state-fits-bundle', 'reconcile-job'];
const ALL_RULES = { ...RULES, ...VERIFICATION_RULES };
export const RULE_NAMES = [...Object.keys(ALL_RULES), 'probe-targets', ...CONNECTED_RULE_NAMES];

export function crossReferenceIssues(docs: readonly LocatedDoc[], preExistingNamespaces: readonly string[]): CrossReferenceIssue[] {
  const index = new ManifestIndex(docs, preExistingNamespaces);
  return [...Object.values(ALL_RULES).flatMap((rule) => rule(index)), ...probeTargetIssues(index), ...apiManagerIssues(index)];
}
