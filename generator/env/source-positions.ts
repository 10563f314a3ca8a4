// Maps a path inside a parsed YAML document back to a line and column of its source text,
// so every diagnostic can point at the exact spot a person has to edit.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

import type { PathSegment } from '../util/json-pointer.ts';

export { pointerToPath, type PathSegment } from '../util/json-pointer.ts';
export interface Position { line: number; col: number }

/** Deepest node that exists along `path`, and whether the whole path resolved. */
function walk(doc: Document, path: readonly PathSegment[]): { node: Node | null; keyNode?: Node; complete: boolean } {
  let node = doc.contents as Node | null;
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return { node, complete: false };
      keyNode = pair.key as Node;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      keyNode = undefined;
      node = node.items[segment] as Node;
    } else {
      return { node, complete: false };
    }
  }
  return { node, keyNode, complete: true };
}

/**
 * Where `path` is written. `at: 'key'` points at the key of the last segment (for unknown fields),
 * `at: 'value'` at its value; a path that does not exist points at its deepest existing parent.
 */
export function positionOf(doc: Document, lines: LineCounter, path: readonly PathSegment[], at: 'key' | 'value' = 'value'): Position {
  const { node, keyNode, complete } = walk(doc, path);
  const target = complete && at === 'key' && keyNode ? keyNode : complete && node ? node : node ?? keyNode;
  const offset = target?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { line, col };
}


/** `apis[0].policies[1].type`, the form a person reads. */
export function displayPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment), '') || '(root)';
}
