// The sha256 of a rendered file, computed once: the manifest records it and the writer's journal records it again.
// Kept per file object and checked against its content, so a file whose content was replaced is hashed afresh.
import { sha256Hex } from '../util/sha256.ts';

const known = new WeakMap<object, { content: string; digest: string }>();

export function digestOf(file: { readonly content: string }): string {
  const cached = known.get(file);
  if (cached !== undefined && cached.content === file.content) return cached.digest;
  const digest = sha256Hex(file.content);
  known.set(file, { content: file.content, digest });
  return digest;
}

