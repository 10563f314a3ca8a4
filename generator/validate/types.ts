/** Product versions a generated bundle targets; every document is checked against these. */
export interface TargetVersions {
  kubernetes: string;
  istio: string;
  argocd: string;
  argoWorkflows: string;
  flex: string;
}

export interface SchemaIssue {
  /** JSON pointer into the checked document or values, e.g. `/spec/http/0/route`; `` is the root. */
  path: string;
  /** Human-readable, e.g. `missing required field "destination"`. */
  message: string;
}
