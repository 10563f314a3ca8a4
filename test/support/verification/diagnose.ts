// The output checks of a generated bundle as `validate` runs them on files: located YAML, then every rule. Used by
// the one-break-per-row tests, which edit one file's text and expect the named rule to report it.
import type { Diagnostic } from '../../../generator/diagnostics.ts';
import { preExistingNamespaces } from '../../../generator/pipeline.ts';
import { checkManifests } from '../../../generator/validate/check-manifests.ts';
import { locateDocuments } from '../../../generator/validate/located.ts';
import type { Generated } from './bundle.ts';

/** The rule a cross-reference diagnostic names (its `expected` is "rule <name>"). */
export const ruleOf = (diagnostic: Diagnostic) => /^rule (.+)$/.exec(diagnostic.expected ?? '')?.[1] ?? `(not a cross-reference: ${diagnostic.problem})`;

export function diagnose(bundle: Generated, files: ReadonlyMap<string, string>): Diagnostic[] {
  const located = [...files].filter(([path]) => path.endsWith('.yaml')).map(([path, content]) => locateDocuments(`out/dev/${path}`, content));
  return [...located.flatMap((entry) => entry.problems), ...checkManifests(located.flatMap((entry) => entry.docs), preExistingNamespaces(bundle.env))];
}
