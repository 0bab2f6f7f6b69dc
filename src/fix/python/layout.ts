// Lines and indentation of Python source, for fixes that insert or move whole statements.
// Offsets are JS string indices (UTF-16), the unit tree-sitter's Node binding reports.
import type { Edit } from '../../types.js';
import type { SyntaxNode } from '../../lang/python/tree.js';

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i + 1;
  }
  return 0;
}

/** Offset of the end of the line holding `offset` (before its `\n` / `\r\n`). */
export function lineEnd(text: string, offset: number): number {
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** Offset just after the line break that ends the line holding `offset` (text length on the last line). */
export function nextLineStart(text: string, offset: number): number {
  const end = lineEnd(text, offset);
  if (end >= text.length) return end;
  return text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
}

/** The whitespace that starts the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\f')) i++;
  return text.slice(start, i);
}

/** True when only whitespace precedes `node` on its line: the statement starts its own line. */
export function startsLine(text: string, node: SyntaxNode): boolean {
  return /^[ \t\f]*$/.test(text.slice(lineStart(text, node.startIndex), node.startIndex));
}

/**
 * True when nothing but whitespace or a comment follows `node` on its last line (no `; other`
 * statement), so the lines of `node` can move without taking a neighbour along.
 */
export function endsLine(text: string, node: SyntaxNode): boolean {
  const rest = text.slice(node.endIndex, lineEnd(text, node.endIndex));
  return /^[ \t\f]*(#.*)?$/.test(rest);
}

/** The end of the line that holds the end of `node`, comment included. */
export function endOfLastLine(text: string, node: SyntaxNode): number {
  return lineEnd(text, node.endIndex);
}

/**
 * The unit one more block level adds, taken from the code around `node`: the difference between
 * the indentation of the block holding it and that of the block's header; else the first indented
 * block of the file; else four spaces. Tabs stay tabs.
 */
export function indentUnit(text: string, node: SyntaxNode): string {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.type !== 'block' || !n.parent) continue;
    const first = n.namedChildren.find((c) => c.type !== 'comment') ?? n.firstNamedChild;
    if (!first || !startsLine(text, first)) continue;
    const inner = indentAt(text, first.startIndex);
    const outer = indentAt(text, n.parent.startIndex);
    if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
  }
  let root = node;
  while (root.parent) root = root.parent;
  const unit = firstBlockUnit(text, root);
  return unit ?? '    ';
}

function firstBlockUnit(text: string, root: SyntaxNode): string | undefined {
  const cursor = root.walk();
  for (;;) {
    const n = cursor.currentNode;
    if (n.type === 'block' && n.parent) {
      const first = n.namedChildren.find((c) => c.type !== 'comment');
      if (first && startsLine(text, first)) {
        const inner = indentAt(text, first.startIndex);
        const outer = indentAt(text, n.parent.startIndex);
        if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
      }
    }
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return undefined;
  }
}

/**
 * Line starts in [from, to) that sit inside a string literal spanning lines (a triple-quoted
 * string or a backslash-continued one): re-indenting them would change the string's value.
 */
function protectedLineStarts(nodes: readonly SyntaxNode[], from: number, to: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const visit = (n: SyntaxNode) => {
    if (n.endIndex <= from || n.startIndex >= to) return;
    if (n.startPosition.row === n.endPosition.row) return;
    if (n.type === 'string') {
      spans.push([n.startIndex, n.endIndex]);
      return;
    }
    for (const c of n.children) visit(c);
  };
  for (const n of nodes) visit(n);
  return spans;
}

/**
 * Insertions adding `add` at the start of every line of `nodes` (statements of one block, in
 * order) — from `fromOffset` (a line start) when given, to take comment lines above them along —
 * except blank lines and lines that begin inside a multi-line string. The first node must start
 * its line.
 */
export function indentEdits(text: string, nodes: readonly SyntaxNode[], add: string, fromOffset?: number): Edit[] {
  if (nodes.length === 0) return [];
  const from = fromOffset ?? lineStart(text, nodes[0].startIndex);
  const to = nodes[nodes.length - 1].endIndex;
  const strings = protectedLineStarts(nodes, from, to);
  const edits: Edit[] = [];
  for (let at = from; at < to; at = nextLineStart(text, at)) {
    const end = lineEnd(text, at);
    if (!/^[ \t\f]*$/.test(text.slice(at, end)) && !strings.some(([s, e]) => s < at && at < e)) {
      edits.push({ start: at, end: at, text: add });
    }
    if (end >= text.length) break;
  }
  return edits;
}
