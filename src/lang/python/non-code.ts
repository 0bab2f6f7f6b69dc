// Where a Python source's comments and plain string literals are, found by a lexical scan that
// needs no parse. The prefilter (engine/prefilter.ts) counts a trigger word only outside them:
// the standard library says `socket`, `requests` or `timeout` in docstrings and comments of
// many files that never use them, and each such file cost a parse.
//
// Being wrong here must only ever cost a parse, never a finding, so the scan errs towards code:
// f-strings count as code as a whole (their replacement fields are expressions), and a string
// left open at the end of a line (a syntax error unless triple-quoted) ends there.

/**
 * The comments and non-f string literals of `text`, as sorted, disjoint [start, end) offset
 * pairs, flattened: [s0, e0, s1, e1, ...].
 */
export function nonCodeRanges(text: string): number[] {
  const map = new CodeMap(text);
  map.nonCodeEndAt(text.length);
  return map.ranges;
}

/**
 * The same scan, made only as far as it is asked about: whether a trigger word's first
 * occurrence is in code is usually settled by an import near the top of the file.
 */
export class CodeMap {
  /** The ranges found so far (see nonCodeRanges). */
  readonly ranges: number[] = [];
  /** Scanned up to here: every range that starts before it is in `ranges`. */
  private i = 0;

  constructor(readonly text: string) {}

  /** The end of the comment or plain string literal that holds offset `at`, or -1 when `at` is in code. */
  nonCodeEndAt(at: number): number {
    const text = this.text;
    const n = text.length;
    const out = this.ranges;
    let i = this.i;
    // Up to 2 past `at`: a string's prefix letters (`rb"`) are scanned as a word before its quote.
    while (i <= at + 2 && i < n) {
      const c = text.charCodeAt(i);
      if (c === HASH) {
        const end = lineEnd(text, i);
        out.push(i, end);
        i = end;
      } else if (c === QUOTE || c === APOSTROPHE) {
        const start = stringStart(text, i);
        const f = isFString(text, start, i);
        const end = skipString(text, i, f);
        if (!f) out.push(start, end);
        i = end;
      } else if (isIdentifierChar(c)) {
        // Skip the whole word: a prefix letter such as the `r` of `for` must not be taken for a
        // string prefix, and no word holds a quote or a `#`.
        i++;
        while (i < n && isIdentifierChar(text.charCodeAt(i))) i++;
      } else i++;
    }
    this.i = i;
    return rangeEndAt(out, at);
  }
}

/** True when offset `at` lies in one of the ranges (binary search). */
export function inRanges(ranges: readonly number[], at: number): boolean {
  return rangeEndAt(ranges, at) !== -1;
}

/** The end of the range that contains `at`, or -1 when none does. */
export function rangeEndAt(ranges: readonly number[], at: number): number {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (at < ranges[2 * mid]) hi = mid - 1;
    else if (at >= ranges[2 * mid + 1]) lo = mid + 1;
    else return ranges[2 * mid + 1];
  }
  return -1;
}

const HASH = 0x23;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isIdentifierChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c > 0x7f;
}

function lineEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return i;
    i++;
  }
  return n;
}

// The string's prefix letters (r, b, u, f in any case and order, at most two) directly before
// the quote at `q`; the caller has already skipped whole words, so a letter before `q` here can
// only be a prefix (`rb"..."` reaches the quote as one word `rb` followed by it: see below).
function stringStart(text: string, q: number): number {
  let s = q;
  while (s > 0 && q - s < 2 && isPrefixLetter(text.charCodeAt(s - 1))) s--;
  // A longer word ending in those letters (`bar"..."` is `bar` then a string) is no prefix.
  if (s > 0 && isIdentifierChar(text.charCodeAt(s - 1))) return q;
  return s;
}

function isPrefixLetter(c: number): boolean {
  return c === 0x72 || c === 0x52 || c === 0x62 || c === 0x42 || c === 0x75 || c === 0x55 || c === 0x66 || c === 0x46;
}

function isFString(text: string, start: number, q: number): boolean {
  for (let k = start; k < q; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x66 || c === 0x46) return true;
  }
  return false;
}

/**
 * The offset after the string literal whose opening quote is at `q`. An f-string's replacement
 * fields (when `f`: it is an f-string) are followed brace by brace, so that a quote inside one
 * (`f"{d["k"]}"`, Python 3.12) does not end it.
 */
function skipString(text: string, q: number, f: boolean): number {
  const n = text.length;
  const quote = text.charCodeAt(q);
  const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
  let i = q + (triple ? 3 : 1);
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i += 2;
    } else if (c === quote) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return i + 3;
      i++;
    } else if ((c === LF || c === CR) && !triple) {
      return i; // unterminated: the line ends it
    } else if (f && c === OPEN_BRACE) {
      if (text.charCodeAt(i + 1) === OPEN_BRACE) i += 2;
      else i = skipReplacementField(text, i + 1);
    } else i++;
  }
  return n;
}

/** After the `{` of an f-string's replacement field: the offset after its closing `}`. */
function skipReplacementField(text: string, i: number): number {
  const n = text.length;
  let depth = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === APOSTROPHE) {
      i = skipString(text, i, isFString(text, stringStart(text, i), i));
    } else if (c === 0x28 || c === 0x5b || c === OPEN_BRACE) {
      depth++;
      i++;
    } else if (c === 0x29 || c === 0x5d) {
      depth--;
      i++;
    } else if (c === CLOSE_BRACE) {
      if (depth === 0) return i + 1;
      depth--;
      i++;
    } else if (c === HASH) {
      i = lineEnd(text, i);
    } else i++;
  }
  return n;
}
