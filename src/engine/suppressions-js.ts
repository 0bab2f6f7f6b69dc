// Suppression comments in JS/TS files, in the Python forms with `//` (or `/* */`): `// noqa`,
// `// noqa: CL151`, `// conn-lint: ignore[fetch-without-timeout]` on the reported line, and a
// file-level `// conn-lint: noqa` (optionally `: CL151, ...`) on a line of its own. Only real
// comments count: the comment ranges come from the parsed file, so `"// noqa"` in a string does not.
import type * as TS from 'typescript';
import type { Diagnostic, Rule } from '../types.js';
import { findRule } from './select.js';

const LINE_NOQA = /^(?:\/\/|\/\*)\s*noqa(?::\s*([\w-]+(?:\s*,\s*[\w-]+)*))?/i;
const OWN_IGNORE = /^(?:\/\/|\/\*)\s*conn-lint:\s*ignore\[([^\]]*)\]/i;
const FILE_NOQA = /^[ \t]*(?:\/\/|\/\*)\s*conn-lint:\s*noqa(?::\s*([\w-]+(?:\s*,\s*[\w-]+)*))?\s*(?:\*\/)?\s*$/im;

function splitIds(list: string, rules: readonly Rule[]): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => findRule(id, rules)?.code ?? id.toUpperCase());
}

/** Every comment of the file: [start, end) ranges, sorted by start. */
export function commentRanges(ts: typeof TS, sf: TS.SourceFile): Array<[number, number]> {
  const text = sf.text;
  const seen = new Set<number>();
  const out: Array<[number, number]> = [];
  const add = (ranges: TS.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      out.push([r.pos, r.end]);
    }
  };
  const stack: TS.Node[] = [sf];
  while (stack.length) {
    const n = stack.pop()!;
    add(ts.getLeadingCommentRanges(text, n.pos));
    add(ts.getTrailingCommentRanges(text, n.end));
    ts.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  add(ts.getLeadingCommentRanges(text, sf.endOfFileToken.pos));
  return out.sort((a, b) => a[0] - b[0]);
}

/**
 * Codes suppressed for the whole file (null: every rule), or undefined. `comments` is asked only
 * when the text has a candidate line, so that files without one are not walked for comments.
 */
export function jsFileSuppressions(text: string, rules: readonly Rule[], comments: () => Array<[number, number]>): Set<string> | null | undefined {
  if (!/conn-lint/i.test(text)) return undefined;
  const re = new RegExp(FILE_NOQA.source, 'gim');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[0].search(/\/[/*]/);
    if (!comments().some(([s]) => s === at)) continue;
    return m[1] ? new Set(splitIds(m[1], rules)) : null;
  }
  return undefined;
}

/** True when a comment on the diagnostic's first or last line suppresses it. */
export function isSuppressedJs(d: Diagnostic, comments: ReadonlyArray<[number, number]>, text: string, lineStarts: readonly number[], rules: readonly Rule[]): boolean {
  for (const lineNo of new Set([d.line, d.endLine])) {
    const start = lineStarts[lineNo - 1];
    const end = lineNo < lineStarts.length ? lineStarts[lineNo] : text.length;
    for (const [s, e] of comments) {
      if (s < start || s >= end) continue;
      const comment = text.slice(s, e);
      const own = OWN_IGNORE.exec(comment);
      if (own) {
        const ids = splitIds(own[1], rules);
        if (ids.length === 0 || ids.includes(d.ruleId)) return true;
      }
      const noqa = LINE_NOQA.exec(comment);
      if (noqa) {
        if (!noqa[1]) return true;
        if (splitIds(noqa[1], rules).includes(d.ruleId)) return true;
      }
    }
  }
  return false;
}
