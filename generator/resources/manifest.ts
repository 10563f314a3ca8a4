// Typed model interfaces (from @kubernetes-models) in, the bundle's Manifest shape out.
import type { Manifest, ObjectMeta } from './types.ts';

interface Typed { apiVersion: string; kind: string; metadata?: unknown }

/** Builders write against the upstream model interfaces; every emitted object still needs a name. */
export function manifest<T extends Typed>(doc: T & { metadata: ObjectMeta }): Manifest {
  return doc as unknown as Manifest;
}
