// Every output check over located documents: upstream models, then cross-references. One list of diagnostics.
import type { Diagnostic } from '../diagnostics.ts';
import { crossReferenceIssues, type LocatedDoc } from './cross-references/index.ts';
import { modelProblems } from './models.ts';

const objectName = (located: LocatedDoc) => `${located.doc.kind}/${located.doc.metadata.name}`;

export function checkManifests(docs: readonly LocatedDoc[], preExistingNamespaces: readonly string[]): Diagnostic[] {
  const at = (located: LocatedDoc) => ({ file: located.file, line: located.line, col: located.col, path: objectName(located) });
  return [
    ...docs.flatMap((located) => modelProblems(located.doc).map((problem) => ({ ...at(located), problem, expected: 'a document the upstream model accepts' }))),
    ...crossReferenceIssues(docs, preExistingNamespaces).map((issue) => ({ ...at(issue.located), problem: issue.message, expected: `rule ${issue.rule}` })),
  ];
}
