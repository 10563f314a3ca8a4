// YAML text → the objects it holds, each with the file, line and column where it starts. Generated bundles and
// directories on disk go through the same function, so `generate` and `validate` check exactly the same way.
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { pointerToPath, positionOf } from '../env/source-positions.ts';
import { controlCharacterProblems, yamlFeatureProblems } from '../env/strict-yaml.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Manifest } from '../resources/types.ts';
import type { LocatedDoc } from './cross-references/index.ts';

export interface LocatedText { docs: LocatedDoc[]; problems: Diagnostic[] }

function isManifest(value: unknown): value is Manifest {
  const candidate = value as Partial<Manifest> | null;
  return candidate !== null && typeof candidate === 'object' && typeof candidate.apiVersion === 'string' && typeof candidate.kind === 'string';
}

export function locateDocuments(file: string, text: string): LocatedText {
  const lines = new LineCounter();
  const docs: LocatedDoc[] = [];
  const problems: Diagnostic[] = [];
  problems.push(...controlCharacterProblems(text, file));
  for (const document of parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true })) {
    for (const error of document.errors) {
      const { line, col } = lines.linePos(error.pos[0]);
      problems.push({ file, line, col, path: '(yaml)', problem: error.message.split('\n')[0] ?? 'invalid YAML', expected: 'valid YAML' });
    }
    // Aliases, tags and inexact numbers are refused as in environment files; such a document is not converted.
    const refused = yamlFeatureProblems(document as Document, lines, file);
    problems.push(...refused);
    if (refused.length > 0) continue;
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    const { line, col } = lines.linePos(document.contents?.range[0] ?? 0);
    if (!isManifest(value)) {
      problems.push({ file, line, col, path: '(document)', problem: 'is not a Kubernetes object', expected: 'apiVersion and kind' });
      continue;
    }
    docs.push({ file, line, col, doc: value, positionOf: (pointer: string) => positionOf(document as Document, lines, pointerToPath(pointer)) });
  }
  return { docs, problems };
}
