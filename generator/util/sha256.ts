// sha256 in hex, in one call: crypto.hash (Node >= 20.12) spares the Hash object that createHash makes per call,
// which showed in a fleet's profile (~45 files per environment are hashed for its manifest).
import { hash } from 'node:crypto';

export function sha256Hex(content: string | Buffer): string {
  return hash('sha256', content, 'hex');
}

/**
 * sha256Hex of a text that recurs: the templates and vendored samples, looked up by their digest once per
 * environment (~35 kB a bundle, a third of what a fleet hashed). Kept by text; the map is emptied when full, so a
 * stream of texts that never recur costs only the look-up.
 */
export function sha256OfRecurring(text: string): string {
  let digest = recurring.get(text);
  if (digest === undefined) {
    if (recurring.size >= RECURRING_KEPT) recurring.clear();
    recurring.set(text, (digest = sha256Hex(text)));
  }
  return digest;
}

const recurring = new Map<string, string>();
const RECURRING_KEPT = 64;
