// Edits → new text. Picks a set of fixes whose edits do not overlap (first come, first served,
// in source order), and applies them in one go. Fixes that conflict wait for the next pass.
import type { Edit, Fix } from '../types.js';

export interface Candidate<T = unknown> {
  fix: Fix;
  /** Whatever the caller wants back for the fixes that were picked (a diagnostic, ...). */
  tag: T;
}

export interface Selection<T> {
  picked: Candidate<T>[];
  /** Fixes left for a later pass because they overlap a picked one. */
  deferred: Candidate<T>[];
  /** Fixes that can never apply: edits out of range or overlapping each other. */
  invalid: Array<Candidate<T> & { reason: string }>;
}

/** Start of the first edit. */
function fixStart(fix: Fix): number {
  let s = Infinity;
  for (const e of fix.edits) s = Math.min(s, e.start);
  return s;
}

const RANK: Record<string, number> = { safe: 0, unsafe: 1, 'display-only': 2 };

/** Safe before unsafe, then source order. */
function byPriority(a: Fix, b: Fix): number {
  return (RANK[a.applicability] ?? 3) - (RANK[b.applicability] ?? 3) || fixStart(a) - fixStart(b);
}

/** Every edit of `inner` lies within text that one edit of `outer` replaces (strictly nested). */
function nestedIn(inner: Fix, outer: Fix): boolean {
  return inner.edits.every((e) =>
    outer.edits.some((o) => o.end > o.start && e.start >= o.start && e.end <= o.end && (e.start > o.start || e.end < o.end || e.start === e.end)),
  );
}

/** True when two edits touch the same text, or insert at the same point (order would be ambiguous). */
export function editsConflict(a: Edit, b: Edit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return a.start > b.start && a.start < b.end;
  if (b.start === b.end) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** Checks a fix on its own: edits inside the text, not overlapping each other. */
export function validateFix(fix: Fix, textLength: number): string | undefined {
  if (fix.edits.length === 0) return 'the fix has no edits';
  for (const e of fix.edits) {
    if (!(Number.isInteger(e.start) && Number.isInteger(e.end)) || e.start < 0 || e.end < e.start || e.end > textLength) {
      return `edit [${e.start}, ${e.end}) is outside the file (length ${textLength})`;
    }
  }
  for (let i = 0; i < fix.edits.length; i++) {
    for (let j = i + 1; j < fix.edits.length; j++) {
      if (editsConflict(fix.edits[i], fix.edits[j])) {
        return 'the fix has overlapping edits';
      }
    }
  }
  return undefined;
}

/** Two fixes with the same edits (one rewrite reported at several places, e.g. every call of a loop). */
export function sameEdits(a: Fix, b: Fix): boolean {
  if (a.edits.length !== b.edits.length) return false;
  const key = (f: Fix) => f.edits.map((e) => `${e.start}:${e.end}:${e.text}`).sort().join('\u0000');
  return key(a) === key(b);
}

/**
 * Picks non-overlapping fixes: safe before unsafe, then in source order — except that a fix nested
 * inside the text another one replaces goes first (a `timeout=` added inside a call before the
 * call is moved to a thread, so the moved call carries it); the outer fix is recomputed on the
 * next pass, on the text the inner one left. A fix whose edits are exactly those of a fix already
 * picked is picked too (it is the same rewrite). Any other overlap — even the same insertion at
 * the same place, like one more level of indentation from two different fixes — waits.
 */
export function selectFixes<T>(candidates: readonly Candidate<T>[], textLength: number): Selection<T> {
  const order = [...candidates].sort((a, b) => byPriority(a.fix, b.fix));
  const out: Selection<T> = { picked: [], deferred: [], invalid: [] };
  for (const c of order) {
    const reason = validateFix(c.fix, textLength);
    if (reason) {
      out.invalid.push({ ...c, reason });
      continue;
    }
    if (out.picked.some((p) => sameEdits(p.fix, c.fix))) {
      out.picked.push(c);
      continue;
    }
    const clashes = out.picked.filter((p) => c.fix.edits.some((e) => p.fix.edits.some((a) => editsConflict(a, e))));
    if (clashes.length === 0) {
      out.picked.push(c);
      continue;
    }
    if (clashes.every((p) => nestedIn(c.fix, p.fix))) {
      // The inner fix wins; the outer ones (and their repeats) wait for the next pass.
      const bumped = out.picked.filter((p) => clashes.some((x) => sameEdits(x.fix, p.fix)));
      out.picked = out.picked.filter((p) => !bumped.includes(p));
      out.deferred.push(...bumped);
      out.picked.push(c);
      continue;
    }
    out.deferred.push(c);
  }
  return out;
}

/** The line break a file uses: its first one (LF when it has none). */
export function detectEol(text: string): '\n' | '\r\n' | '\r' {
  const i = text.search(/\r\n|\r|\n/);
  if (i < 0) return '\n';
  if (text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

/**
 * Applies edits (which must not conflict) to `text`. Line breaks in inserted text are written as
 * `\n` by fix builders and converted to the file's own line break.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const eol = detectEol(text);
  const unique = [...edits];
  // Same start: insertions before replacements, so `insert at p` + `replace [p, q)` keeps both.
  unique.sort((a, b) => a.start - b.start || (a.end - a.start) - (b.end - b.start));
  const parts: string[] = [];
  let at = 0;
  for (const e of unique) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    parts.push(text.slice(at, e.start), eol === '\n' ? e.text : e.text.replace(/\r\n|\r|\n/g, eol));
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** All edits of the given fixes, applied together; a fix repeated (same edits) applies once. */
export function applyFixes(text: string, fixes: readonly Fix[]): string {
  const distinct: Fix[] = [];
  for (const f of fixes) if (!distinct.some((d) => sameEdits(d, f))) distinct.push(f);
  return applyEdits(
    text,
    distinct.flatMap((f) => f.edits),
  );
}
