// sha256 in hex, in one call: crypto.hash (Node >= 20.12) spares the Hash object that createHash makes per call,
// which showed in a fleet's profile (~45 files per environment are hashed for its manifest).
import { hash } from 'node:crypto';

export function sha256Hex(content: string | Buffer): string {
  return hash('sha256', content, 'hex');
}
