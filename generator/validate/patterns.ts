// String grammars the API server enforces but JSON Schema can only express as
// `pattern`. The build writes these into the pinned schemas (instead of ajv
// `format`s, which standalone ESM code could only reach through require());
// the runtime maps a failed pattern back to the readable description.

export interface NamedPattern {
  readonly pattern: string;
  readonly description: string;
}

/** OpenAPI `format: byte`: Go's encoding/json decodes []byte as standard, padded base64. */
export const BASE64_PATTERN: NamedPattern = {
  pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
  description: 'a base64-encoded string',
};

/** OpenAPI `format: date-time`: metav1.Time unmarshals with time.RFC3339. */
export const RFC3339_PATTERN: NamedPattern = {
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$',
  description: 'an RFC 3339 timestamp such as 2024-01-31T12:00:00Z',
};

/**
 * resource.Quantity as a string. Same grammar controller-gen writes into CRDs for
 * Quantity fields (e.g. the Argo Workflows `full` CRDs), so built-in kinds and CRDs agree.
 */
export const QUANTITY_PATTERN: NamedPattern = {
  pattern:
    '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  description: 'a Kubernetes quantity such as 500m, 1, 1.5 or 512Mi',
};

const BY_PATTERN = new Map<string, NamedPattern>(
  [BASE64_PATTERN, RFC3339_PATTERN, QUANTITY_PATTERN].map((named) => [named.pattern, named]),
);

export function describePattern(pattern: string): string | undefined {
  return BY_PATTERN.get(pattern)?.description;
}
