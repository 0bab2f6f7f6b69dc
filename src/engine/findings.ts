// Finishing a file's findings, the same for every language: one per rule and span, in order.
import type { Diagnostic } from '../types.js';

/** Drops repeats: the same rule reporting the same span twice (two paths to one node). */
export function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.ruleId}:${d.startOffset}:${d.endOffset}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}
