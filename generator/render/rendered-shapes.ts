// Rendering remembered by shape. A fleet renders the same documents a thousand times over, differing only in a few
// strings (names, the environment label, the cluster): writing them was a quarter of an environment's time. The
// writer (yaml.ts) decides everything but a string value's own text from the shape alone (keys and their order,
// undefined properties, lengths, numbers, booleans, nulls: document-shape.ts), and writes a string value with
// stringScalar at an indent the shape fixes. So a document of a shape written before is that text with the pieces
// of its differing strings written anew, and its view is that view with those strings put in.
import { Shape, type PathSegment } from '../validate/document-shape.ts';
import { noteSameShape } from '../validate/validated-shapes.ts';
import { piecesWithStrings, setOwn } from './yaml.ts';
import { stringScalar, Unsupported } from './yaml-scalar.ts';

interface Written {
  /** Of the built document, whose strings come in its own key order. */
  shape: Shape;
  text: string;
  /** Deep-frozen: documents of this shape share its unchanged parts. */
  view: unknown;
  /** By view order (the order the writer writes): where each string value's piece is, and its indent. */
  starts: number[];
  ends: number[];
  indents: string[];
  viewPaths: PathSegment[][];
  /** Built string index → view string index. */
  inView: number[];
}

interface Remembered { written: Written[]; next: number }

const SHAPES_PER_KIND = 64;
const remembered = new Map<string, Remembered>();
const differing: unknown[] = [];

/** toYamlWithView's answer for `document`: undefined where it has none (the caller falls back to the library). */
export function writtenWithView(document: unknown): { text: string; view: unknown } | undefined {
  const kind = kindOf(document);
  let memory = kind === undefined ? undefined : remembered.get(kind);
  if (kind !== undefined && !memory) remembered.set(kind, (memory = { written: [], next: 0 }));
  if (memory) {
    const { written } = memory;
    for (let tried = 0; tried < written.length; tried++) {
      const index = (memory.next + tried) % written.length;
      differing.length = 0;
      if (!written[index]!.shape.matches(document, differing)) continue;
      memory.next = (index + 1) % written.length;
      return rewritten(written[index]!);
    }
  }
  const recorded = piecesWithStrings(document);
  if (!recorded) return undefined;
  const text = recorded.pieces.join('');
  if (memory && memory.written.length < SHAPES_PER_KIND) {
    const entry = remember(document, text, recorded);
    if (entry) memory.written.push(entry);
  }
  return { text, view: recorded.view };
}

function kindOf(document: unknown): string | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const { apiVersion, kind } = document as { apiVersion?: unknown; kind?: unknown };
  return typeof apiVersion === 'string' && typeof kind === 'string' ? `${apiVersion}\0${kind}` : undefined;
}

/** The text and view of a document matching `written`, whose differing strings are in `differing`. */
function rewritten(written: Written): { text: string; view: unknown } | undefined {
  const changes: { at: number; value: string; text: string }[] = [];
  for (let pair = 0; pair < differing.length; pair += 2) {
    const at = written.inView[differing[pair] as number]!;
    const value = differing[pair + 1] as string;
    try {
      changes.push({ at, value, text: stringScalar(value, written.indents[at]!, false) });
    } catch (error) {
      // Text only the library writes (control characters, ...): the whole document goes through it as before.
      if (error instanceof Unsupported) return undefined;
      throw error;
    }
  }
  changes.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const change of changes) {
    parts.push(written.text.slice(from, written.starts[change.at]), change.text);
    from = written.ends[change.at]!;
  }
  parts.push(written.text.slice(from));
  const view = withStrings(written.view, changes.map((change) => ({ path: written.viewPaths[change.at]!, value: change.value })));
  noteSameShape(view, written.view, changes.map((change) => [change.at, change.value] as const));
  return { text: parts.join(''), view };
}

function remember(document: unknown, text: string, recorded: { pieces: string[]; view: unknown; strings: (number | string)[] }): Written | undefined {
  const shape = Shape.of(document, { undefinedProperties: true });
  const viewShape = Shape.of(recorded.view);
  if (!shape || !viewShape || viewShape.paths.length * 2 !== recorded.strings.length) return undefined;
  const byPath = new Map(viewShape.paths.map((path, index) => [JSON.stringify(path), index]));
  const inView: number[] = [];
  for (const path of shape.paths) {
    const index = byPath.get(JSON.stringify(path));
    if (index === undefined) return undefined;
    inView.push(index);
  }
  const starts: number[] = [];
  const ends: number[] = [];
  const indents: string[] = [];
  let offset = 0;
  let next = 0;
  for (let piece = 0; piece < recorded.pieces.length; piece++) {
    if (recorded.strings[next] === piece) {
      starts.push(offset);
      ends.push(offset + recorded.pieces[piece]!.length);
      indents.push(recorded.strings[next + 1] as string);
      next += 2;
    }
    offset += recorded.pieces[piece]!.length;
  }
  return { shape, text, view: deepFreeze(recorded.view), starts, ends, indents, viewPaths: viewShape.paths, inView };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** `view` with the string at each path replaced: new objects along those paths only, the rest shared. */
function withStrings(view: unknown, changes: readonly { path: readonly PathSegment[]; value: string }[], depth = 0): unknown {
  if (changes.length === 0) return view;
  if (depth === changes[0]!.path.length) return changes[0]!.value;
  const bySegment = new Map<PathSegment, { path: readonly PathSegment[]; value: string }[]>();
  for (const change of changes) {
    const segment = change.path[depth]!;
    const list = bySegment.get(segment);
    if (list) list.push(change);
    else bySegment.set(segment, [change]);
  }
  if (Array.isArray(view)) {
    const copy = view.slice();
    for (const [segment, list] of bySegment) copy[segment as number] = withStrings(view[segment as number], list, depth + 1);
    return copy;
  }
  const record = view as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const list = bySegment.get(key);
    setOwn(copy, key, list ? withStrings(record[key], list, depth + 1) : record[key]);
  }
  return copy;
}
