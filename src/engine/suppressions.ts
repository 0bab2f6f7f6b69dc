// `# noqa`, `# noqa: CL101`, `# conn-lint: ignore[CL101]` on the reported line, and a file-level
// `# conn-lint: noqa` (optionally `: CL101, ...`) on a line of its own. Only real comments count:
// the comment is found in the syntax tree, so `"# noqa"` inside a string suppresses nothing.
import type { SyntaxNode } from '../lang/python/tree.js';
import type { Diagnostic, Rule } from '../types.js';
import { findRule } from './select.js';

const LINE_NOQA = /#\s*noqa(?::\s*([\w-]+(?:\s*,\s*[\w-]+)*))?/i;
const OWN_IGNORE = /#\s*conn-lint:\s*ignore\[([^\]]*)\]/i;
const FILE_NOQA = /^[ \t]*#\s*conn-lint:\s*noqa(?::\s*([\w-]+(?:\s*,\s*[\w-]+)*))?\s*$/im;
// Every file is checked for FILE_NOQA, and that pattern tries every line start: this quick test
// for its fixed part (5x faster on the stdlib) skips the files that cannot match.
const MENTIONS_CONN_LINT = /conn-lint/i;

/** Codes (or null for "all") suppressed for the whole file by a file-level comment. */
export function fileSuppressions(source: string, rules: readonly Rule[]): Set<string> | null | undefined {
  if (!MENTIONS_CONN_LINT.test(source)) return undefined;
  const m = FILE_NOQA.exec(source);
  if (!m) return undefined;
  if (!m[1]) return null;
  return new Set(splitIds(m[1], rules));
}

function splitIds(list: string, rules: readonly Rule[]): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => findRule(id, rules)?.code ?? id.toUpperCase());
}

/** True when a comment on the diagnostic's first line suppresses it. */
export function isSuppressedAtLine(d: Diagnostic, lines: readonly string[], root: SyntaxNode, rules: readonly Rule[]): boolean {
  for (const lineNo of new Set([d.line, d.endLine])) {
    const text = lines[lineNo - 1];
    if (!text || !text.includes('#')) continue;
    const comment = commentOnLine(root, lineNo - 1, text);
    if (!comment) continue;
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
  return false;
}

function commentOnLine(root: SyntaxNode, row: number, text: string): string | undefined {
  // The last '#' that starts a comment node on this row.
  for (let col = text.indexOf('#'); col !== -1; col = text.indexOf('#', col + 1)) {
    const node = root.descendantForPosition({ row, column: col });
    if (node.type === 'comment' && node.startPosition.row === row && node.startPosition.column === col) return node.text;
  }
  return undefined;
}
