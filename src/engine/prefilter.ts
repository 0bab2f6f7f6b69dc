// The trigger-word prefilter: which of the enabled rules can report anything in a file, found
// from its text before it is parsed. A rule runs on a file only when one of its triggers occurs
// in the file's code — not in a comment or a plain string literal (lang/python/non-code.ts) —
// or, for words, in the file's dotted module name (inside a package, a relative import
// resolves to names under that package without spelling them); a file no rule can report on
// is not parsed at all. Triggers must be necessary conditions of a finding, never heuristics:
// findings are the same with the prefilter off (`--no-prefilter`, tested).
import type { Rule } from '../types.js';
import { nonCodeRanges, rangeEndAt } from '../lang/python/non-code.js';

/** Finds, in one scan of a text, which of a fixed set of words occur in it. */
export class WordScanner {
  private readonly scan: RegExp | undefined;
  /** word → the other words it contains (they occur wherever it does). */
  private readonly contained = new Map<string, string[]>();

  constructor(readonly words: readonly string[]) {
    const distinct = [...new Set(words)].filter((w) => w.length > 0);
    // Longest first: where several words start at one position, the longest is the one
    // captured, and the shorter ones it starts with are added through `contained`.
    distinct.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    for (const w of distinct) this.contained.set(w, distinct.filter((o) => o !== w && w.includes(o)));
    // A zero-width lookahead tried at every position, so that overlapping words are all seen
    // (`ClientSession` and `Session`): one pass instead of one `includes` per word.
    if (distinct.length) this.scan = new RegExp(`(?=(${distinct.map(escapeRegExp).join('|')}))`, 'g');
  }

  /** The words that occur in `text`, outside the `skip` ranges (see nonCodeRanges) if given. */
  find(text: string, skip?: readonly number[]): Set<string> {
    const found = new Set<string>();
    const scan = this.scan;
    if (!scan) return found;
    scan.lastIndex = 0;
    for (let m = scan.exec(text); m; m = scan.exec(text)) {
      const w = m[1];
      const skipTo = skip ? rangeEndAt(skip, m.index) : -1;
      if (skipTo !== -1) {
        scan.lastIndex = skipTo;
        continue;
      }
      if (!found.has(w)) {
        found.add(w);
        for (const o of this.contained.get(w)!) found.add(o);
      }
      scan.lastIndex = m.index + 1;
    }
    return found;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const scanners = new WeakMap<readonly Rule[], WordScanner>();

/** The scanner for the word triggers of a rule set (built once per set). */
function scannerFor(rules: readonly Rule[]): WordScanner {
  let s = scanners.get(rules);
  if (!s) {
    s = new WordScanner(rules.flatMap((r) => r.triggers.filter((t): t is string => typeof t === 'string')));
    scanners.set(rules, s);
  }
  return s;
}

/**
 * The rules of `candidates` that can report on this text: those without triggers, and those with
 * a trigger in the text's code (a word, or a pattern that matches) or a word in the module
 * name. `enabled` is the run's whole rule set, of which `candidates` is a subset; the scan is
 * built once for it.
 */
export function rulesTriggeredBy(
  text: string,
  candidates: readonly Rule[],
  enabled: readonly Rule[] = candidates,
  moduleName?: string,
): Rule[] {
  // First anywhere in the text, which rules out most files at the cost of one scan; only then
  // is the text split into code and non-code, and the words looked for again in the code.
  const anywhere = triggered(text, candidates, enabled, moduleName, undefined);
  if (anywhere.every((r) => r.triggers.length === 0)) return anywhere;
  return triggered(text, anywhere, enabled, moduleName, nonCodeRanges(text));
}

function triggered(
  text: string,
  candidates: readonly Rule[],
  enabled: readonly Rule[],
  moduleName: string | undefined,
  skip: readonly number[] | undefined,
): Rule[] {
  let words: Set<string> | undefined;
  // Several rules share a pattern (`async def`): each is tested once per text.
  const tested = new Map<RegExp, boolean>();
  const has = (t: string | RegExp): boolean => {
    if (typeof t !== 'string') {
      let v = tested.get(t);
      if (v === undefined) tested.set(t, (v = matchesOutside(t, text, skip)));
      return v;
    }
    words ??= scannerFor(enabled).find(text, skip);
    return words.has(t) || (moduleName !== undefined && moduleName.includes(t));
  };
  return candidates.filter((r) => r.triggers.length === 0 || r.triggers.some(has));
}

const globalCopies = new WeakMap<RegExp, RegExp>();

/** True when `pattern` matches somewhere in `text` that starts outside the `skip` ranges. */
function matchesOutside(pattern: RegExp, text: string, skip: readonly number[] | undefined): boolean {
  let g = globalCopies.get(pattern);
  if (!g) globalCopies.set(pattern, (g = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + 'g')));
  g.lastIndex = 0;
  for (let m = g.exec(text); m; m = g.exec(text)) {
    const skipTo = skip ? rangeEndAt(skip, m.index) : -1;
    if (skipTo === -1) return true;
    g.lastIndex = Math.max(skipTo, m.index + 1);
  }
  return false;
}
