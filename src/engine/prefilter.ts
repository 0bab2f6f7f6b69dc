// The trigger-word prefilter: which of the enabled rules can report anything in a file, found
// from its text before it is parsed. A rule runs on a file only when one of its triggers occurs
// in the file's code — not in a comment or a plain string literal (lang/python/non-code.ts) —
// or, for words, in the file's dotted module name (inside a package, a relative import
// resolves to names under that package without spelling them); a file no rule can report on
// is not parsed at all. A trigger may be a list whose items must all occur, not necessarily
// together: a name's module and its last part (`['aiohttp', 'Connector']`). Its first item counts
// as a trigger of its own does; the others count anywhere in the text, comments and strings
// included, since a class can be named in a string annotation (`s: "aiohttp.TCPConnector"`)
// while its module is imported in code.
// Triggers must be necessary conditions of a finding, never heuristics:
// findings are the same with the prefilter off (`--no-prefilter`, tested).
import type { Rule, Trigger } from '../types.js';
import { CodeMap } from '../lang/python/non-code.js';

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
    // One pass instead of one `includes` per word. After each match the scan goes on from the
    // next character, not from the match's end, so overlapping words are all seen (`requests`
    // and `socket` in `requestsocket`). A zero-width lookahead would say the same but keeps the
    // regexp engine from skipping ahead: 1.5x slower.
    if (distinct.length) this.scan = new RegExp(`(${distinct.map(escapeRegExp).join('|')})`, 'g');
  }

  /** Every occurrence of a word in `text`: its offset and the longest word that starts there. */
  occurrences(text: string): { at: number[]; words: string[] } {
    const at: number[] = [];
    const words: string[] = [];
    const scan = this.scan;
    if (!scan) return { at, words };
    scan.lastIndex = 0;
    for (let m = scan.exec(text); m; m = scan.exec(text)) {
      at.push(m.index);
      words.push(m[1]);
      scan.lastIndex = m.index + 1;
    }
    return { at, words };
  }

  /** The words that occur in `text`. */
  find(text: string): Set<string> {
    return this.wordsAt(this.occurrences(text));
  }

  /** The words of `found` (from occurrences()), with the words they contain. */
  wordsAt(found: { at: readonly number[]; words: readonly string[] }): Set<string> {
    const out = new Set<string>();
    for (let k = 0; k < found.at.length; k++) {
      const w = found.words[k];
      if (out.has(w)) continue;
      out.add(w);
      for (const o of this.contained.get(w)!) out.add(o);
    }
    return out;
  }

  /** True when `word` occurs (itself, or inside a longer word) at an occurrence of `found` that is code. */
  occursInCode(found: { at: readonly number[]; words: readonly string[] }, word: string, code: CodeMap): boolean {
    for (let k = 0; k < found.at.length; k++) {
      const w = found.words[k];
      if ((w === word || this.contained.get(w)!.includes(word)) && code.nonCodeEndAt(found.at[k]) === -1) return true;
    }
    return false;
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
    // A list's later items count anywhere in the text: includes() answers for them, only when
    // the list's first item is there (they are common words: `get`, `connect`, `http`).
    const heads = rules.flatMap((r) => r.triggers.map((t) => (Array.isArray(t) ? t[0] : t)));
    s = new WordScanner(heads.filter((t): t is string => typeof t === 'string'));
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
export function rulesTriggeredBy<R extends Rule>(
  text: string,
  candidates: readonly R[],
  enabled: readonly Rule[] = candidates,
  moduleName?: string,
  /** JS/TS: words count anywhere in the text (there is no lexical scan for JS comments and strings). */
  anywhereOnly = false,
): R[] {
  // One scan finds every occurrence of a word. First the words anywhere in the text, which
  // rules out most files; only then are the remaining rules asked again with words counted in
  // code only, comments and strings found as far as those questions need (CodeMap).
  const scanner = scannerFor(enabled);
  let found: { at: number[]; words: string[] } | undefined;
  const triggered = (rules: readonly R[], code: CodeMap | undefined): R[] => {
    let wordsAnywhere: Set<string> | undefined;
    const inCode = new Map<string, boolean>();
    // Several rules share a pattern (`async def`): each is tested once per text (and place).
    const tested = new Map<RegExp, boolean>();
    const testedAnywhere = new Map<RegExp, boolean>();
    const has = (t: Trigger, inCodeOnly = true): boolean => {
      const codeHere = inCodeOnly ? code : undefined;
      if (typeof t !== 'string') {
        const memo = codeHere ? tested : testedAnywhere;
        let v = memo.get(t);
        if (v === undefined) memo.set(t, (v = matchesInCode(t, text, codeHere)));
        return v;
      }
      if (moduleName !== undefined && moduleName.includes(t)) return true;
      if (!inCodeOnly) return text.includes(t);
      found ??= scanner.occurrences(text);
      if (!code) return (wordsAnywhere ??= scanner.wordsAt(found)).has(t);
      let v = inCode.get(t);
      if (v === undefined) inCode.set(t, (v = scanner.occursInCode(found, t, code)));
      return v;
    };
    const holds = (t: Trigger | readonly Trigger[]): boolean => {
      if (!Array.isArray(t)) return has(t as Trigger);
      for (let i = 0; i < t.length; i++) if (!has(t[i], i === 0)) return false;
      return true;
    };
    return rules.filter((r) => r.triggers.length === 0 || r.triggers.some(holds));
  };
  const anywhere = triggered(candidates, undefined);
  if (anywhereOnly || anywhere.every((r) => r.triggers.length === 0)) return anywhere;
  // Comments and strings are found only as far as the questions asked need (CodeMap).
  return triggered(anywhere, new CodeMap(text));
}

const globalCopies = new WeakMap<RegExp, RegExp>();

/** True when `pattern` matches somewhere in `text` (that starts in code, when `code` is given). */
function matchesInCode(pattern: RegExp, text: string, code: CodeMap | undefined): boolean {
  let g = globalCopies.get(pattern);
  if (!g) globalCopies.set(pattern, (g = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + 'g')));
  g.lastIndex = 0;
  for (let m = g.exec(text); m; m = g.exec(text)) {
    const skipTo = code ? code.nonCodeEndAt(m.index) : -1;
    if (skipTo === -1) return true;
    g.lastIndex = Math.max(skipTo, m.index + 1);
  }
  return false;
}
