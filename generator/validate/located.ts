// YAML text → the objects it holds, each with the file, line and column where it starts. Generated bundles and
// directories on disk go through the same function, so `generate` and `validate` check exactly the same way.
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { pointerToPath, positionOf } from '../env/source-positions.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { canonical } from '../render/yaml.ts';
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
  for (const document of parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true })) {
    for (const error of document.errors) {
      const { line, col } = lines.linePos(error.pos[0]);
      problems.push({ file, line, col, path: '(yaml)', problem: error.message.split('\n')[0] ?? 'invalid YAML', expected: 'valid YAML' });
    }
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

/**
 * Documents built by generate, checked as the objects they are (what the YAML writer serialises) without parsing
 * `text`: the text is parsed only when a diagnostic asks where something is, so a clean run never re-parses its output.
 * test/located.test.ts checks that the objects equal what their text parses back to.
 */
export function locateBuiltDocuments(file: string, text: string, documents: readonly Manifest[]): LocatedDoc[] {
  let parsed: LocatedDoc[] | undefined;
  const source = (index: number): LocatedDoc | undefined => (parsed ??= locateDocuments(file, text).docs)[index];
  return documents.map((doc, index) => ({
    file,
    doc: canonical(doc) as Manifest,
    get line() {
      return source(index)?.line ?? 1;
    },
    get col() {
      return source(index)?.col ?? 1;
    },
    positionOf: (pointer: string) => source(index)?.positionOf?.(pointer) ?? { line: source(index)?.line ?? 1, col: source(index)?.col ?? 1 },
  }));
}
