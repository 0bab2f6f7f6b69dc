// "Did you mean ...?": the known names close to what a user typed (a config key, a rule selector).

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/**
 * The candidates within a few edits of `typed` (ignoring case): at most 2 edits, or a quarter of the
 * candidate's length for long ones. Nearest first, then closest in length, then in the order given; `limit` at most.
 */
export function nearest(typed: string, candidates: readonly string[], limit: number): string[] {
  const lower = typed.toLowerCase();
  return candidates
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(x.c.length / 4)))
    // Equally near: the one of the typed length first (`rulez` → `rules`, not `rule`).
    .sort((a, b) => a.d - b.d || Math.abs(a.c.length - typed.length) - Math.abs(b.c.length - typed.length))
    .slice(0, limit)
    .map((x) => x.c);
}
