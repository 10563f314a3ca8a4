// What builders produce: Kubernetes-shaped documents placed in files of the bundle.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A file of the bundle: generated documents, or text carried verbatim (vendored samples, README). */
export type BundleFile =
  | { path: string; documents: Manifest[] }
  | { path: string; text: string };
