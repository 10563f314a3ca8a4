// Suggests the intended name for a misspelt one ("rewritee" → "rewrite").

/** The closest candidate within a typo-sized distance, or undefined when nothing is close. */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const lowered = input.toLowerCase();
  const caseOnly = candidates.find((candidate) => candidate.toLowerCase() === lowered);
  if (caseOnly !== undefined) return caseOnly;
  const budget = Math.max(1, Math.floor(input.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of [...candidates].sort()) {
    const distance = editDistance(lowered, candidate.toLowerCase());
    if (distance <= budget && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("nmae" → "name" is 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}
