// YAML text → the objects it holds, each with the file, line and column where it starts. Generated bundles and
// directories on disk go through the same function, so `generate` and `validate` check exactly the same way.
import { sha256OfRecurring } from '../util/sha256.ts';
import { createRequire } from 'node:module';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { PROJECT_ROOT } from '../assets.ts';
import { pointerToPath, positionOf } from '../env/source-positions.ts';
import { controlCharacterProblems, yamlFeatureProblems } from '../env/strict-yaml.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { canonicalView } from './canonical-view.ts';
import type { Manifest } from '../resources/types.ts';
import type { LocatedDoc } from './cross-references/index.ts';
import { registerSharedDocument } from './shared-documents.ts';

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

/**
 * Documents built by generate, checked as the objects they are (what the YAML writer serialises) without parsing
 * `text`: the text is parsed only when a diagnostic asks where something is, so a clean run never re-parses its output.
 * `view`: `canonical` makes each document's canonical view; `shared`, for parsedTemplate()'s documents (the same
 * objects in every environment, see shared-documents.ts), makes it once per run; `as given` keeps documents that
 * already are such views (the pipeline makes them before rendering for a schema worker, else while rendering: see pipeline.ts).
 * test/located.test.ts checks that the objects equal what their text parses back to.
 */
export type DocumentView = 'canonical' | 'shared' | 'as given';

export function locateBuiltDocuments(file: string, text: string, documents: readonly Manifest[], view: DocumentView = 'canonical'): LocatedDoc[] {
  const source = new LazySource(file, text);
  return documents.map((doc, index) => new BuiltDocument(file, view === 'as given' ? doc : view === 'shared' ? sharedView(doc) : (canonicalView(doc) as Manifest), source, index));
}

/** A file's text, parsed for positions the first time one of its documents is asked where something is. */
class LazySource {
  private parsed: LocatedDoc[] | undefined;

  constructor(private readonly file: string, private readonly text: string) {}

  at(index: number): LocatedDoc | undefined {
    return (this.parsed ??= locateDocuments(this.file, this.text).docs)[index];
  }
}

/**
 * A built document of a file, located only on demand. A class, so the position getters live on its prototype: a
 * fleet locates ~45 documents per environment, and an object literal with getters made closures for each.
 */
class BuiltDocument implements LocatedDoc {
  constructor(readonly file: string, readonly doc: Manifest, private readonly source: LazySource, private readonly index: number) {}

  get line(): number {
    return this.source.at(this.index)?.line ?? 1;
  }

  get col(): number {
    return this.source.at(this.index)?.col ?? 1;
  }

  positionOf(pointer: string): { line: number; col: number } {
    return this.source.at(this.index)?.positionOf?.(pointer) ?? { line: this.line, col: this.col };
  }
}

const sharedViews = new WeakMap<Manifest, Manifest>();

/** The canonical view of a document of parsedTemplate(), made once and registered as shared by every environment. */
export function sharedView(doc: Manifest): Manifest {
  let view = sharedViews.get(doc);
  if (!view) {
    view = canonicalView(doc) as Manifest;
    sharedViews.set(doc, view);
    registerSharedDocument(view);
  }
  return view;
}

/** Documents of the YAML files under templates/ (the vendored samples) by sha256 of their text; see scripts/build.ts. */
export type ParsedTemplates = Readonly<Record<string, readonly Manifest[]>>;

export const PARSED_TEMPLATES_FILE = 'dist/parsed-templates.json';

let parsedTemplates: ParsedTemplates | undefined;

/** The build's parse of a verbatim YAML file, used only for the exact text it was made from; undefined otherwise. */
export function parsedTemplate(text: string, parsed: ParsedTemplates = loadParsedTemplates()): readonly Manifest[] | undefined {
  return parsed[sha256OfRecurring(text)];
}

function loadParsedTemplates(): ParsedTemplates {
  try {
    parsedTemplates ??= createRequire(import.meta.url)(`${PROJECT_ROOT}${PARSED_TEMPLATES_FILE}`) as ParsedTemplates;
  } catch {
    parsedTemplates = {};
  }
  return parsedTemplates;
}

/** What the build stores for one YAML text: its documents, or nothing when parsing it reports any problem. */
export function parsedForBuild(file: string, text: string): Manifest[] | undefined {
  const { docs, problems } = locateDocuments(file, text);
  return problems.length === 0 ? docs.map((located) => located.doc) : undefined;
}
