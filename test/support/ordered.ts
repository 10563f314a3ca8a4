// Keys in order at every level, so two values with the same entries in another order differ (deepStrictEqual alone
// ignores key order).
export function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([key, item]) => [key, ordered(item)]);
  return value;
}
