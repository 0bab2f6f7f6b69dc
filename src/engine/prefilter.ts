// The trigger-word prefilter: which of the enabled rules can report anything in a file, found
// from its text before it is parsed. A rule runs on a file only when one of its triggers occurs
// in the text (or, for words, in the file's dotted module name: inside a package, a relative
// import resolves to names under that package without spelling it); a file no rule can report
// on is not parsed at all. Triggers must be necessary conditions of a finding, never
// heuristics: findings are the same with the prefilter off (`--no-prefilter`, tested).
import type { Rule } from '../types.js';

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

  /** The words that occur in `text`. */
  find(text: string): Set<string> {
    const found = new Set<string>();
    const scan = this.scan;
    if (!scan) return found;
    scan.lastIndex = 0;
    for (let m = scan.exec(text); m; m = scan.exec(text)) {
      const w = m[1];
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
 * a trigger in the text (a word, or a pattern that matches) or a word in the module name.
 * `enabled` is the run's whole rule set, of which `candidates` is a subset; the scan is built
 * once for it.
 */
export function rulesTriggeredBy(
  text: string,
  candidates: readonly Rule[],
  enabled: readonly Rule[] = candidates,
  moduleName?: string,
): Rule[] {
  let words: Set<string> | undefined;
  // Several rules share a pattern (`async def`): each is tested once per text.
  const tested = new Map<RegExp, boolean>();
  const has = (t: string | RegExp): boolean => {
    if (typeof t !== 'string') {
      let v = tested.get(t);
      if (v === undefined) {
        t.lastIndex = 0; // a /g or /y pattern would otherwise resume where its last test stopped
        tested.set(t, (v = t.test(text)));
      }
      return v;
    }
    words ??= scannerFor(enabled).find(text);
    return words.has(t) || (moduleName !== undefined && moduleName.includes(t));
  };
  return candidates.filter((r) => r.triggers.length === 0 || r.triggers.some(has));
}
