// Wrapping statements in a new block: `with X as y:` / `async with`, and `try: ... finally:`.
// Moved lines get one more indentation unit in front (the unit of the enclosing block), so the
// relative indentation inside them — tabs or spaces — is untouched.
import type { Edit } from '../../types.js';
import type { SyntaxNode } from '../../lang/python/tree.js';
import { endOfLastLine, endsLine, indentAt, indentEdits, indentUnit, lineStart, nextLineStart, startsLine } from './layout.js';

/**
 * True when `nodes` are consecutive statements of one block, each on lines of its own, so that
 * they can be moved into a new block as whole lines.
 */
export function movableStatements(text: string, nodes: readonly SyntaxNode[]): boolean {
  if (nodes.length === 0) return false;
  const parent = nodes[0].parent;
  if (!parent || (parent.type !== 'block' && parent.type !== 'module')) return false;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (!n.parent || n.parent.id !== parent.id) return false;
    if (i > 0) {
      let next = nodes[i - 1].nextNamedSibling;
      while (next && next.type === 'comment' && next.id !== n.id) next = next.nextNamedSibling;
      if (!next || next.id !== n.id) return false;
    }
  }
  // Every statement on lines of its own (no `a; b`), so whole lines can move.
  return nodes.every((n) => startsLine(text, n) && endsLine(text, n));
}

/**
 * `header` (e.g. `with open(p) as f:`) inserted on its own line above `nodes`, which move into
 * its body. Null when the statements cannot be moved as whole lines.
 */
export function wrapInBlock(text: string, nodes: readonly SyntaxNode[], header: string): Edit[] | null {
  if (!movableStatements(text, nodes)) return null;
  const indent = indentAt(text, nodes[0].startIndex);
  const unit = indentUnit(text, nodes[0]);
  const edits = indentEdits(text, nodes, unit);
  const start = lineStart(text, nodes[0].startIndex);
  // The first line's indentation edit and the header are one insertion at the same point.
  const first = edits.findIndex((e) => e.start === start);
  const headerText = `${indent}${header}\n`;
  if (first >= 0) edits[first] = { start, end: start, text: headerText + unit };
  else edits.unshift({ start, end: start, text: headerText });
  return edits;
}

export interface WithHeader {
  /** The context manager expression, as source text. */
  expression: string;
  /** The name bound by `as`, if any. */
  target?: string;
  async?: boolean;
}

export function withHeader(h: WithHeader): string {
  return `${h.async ? 'async ' : ''}with ${h.expression}${h.target ? ` as ${h.target}` : ''}:`;
}

/** `with X as y:` above `nodes`, which move into its body. */
export function wrapInWith(text: string, nodes: readonly SyntaxNode[], header: WithHeader): Edit[] | null {
  return wrapInBlock(text, nodes, withHeader(header));
}

/**
 * Turns the statement `y = X` (`assignment`) into `with X as y:` and moves `body` (the statements
 * right after it, in the same block) into the new block. With no body, the block gets `pass`.
 */
export function assignmentToWith(text: string, statement: SyntaxNode, body: readonly SyntaxNode[], header: WithHeader): Edit[] | null {
  if (!movableStatements(text, [statement, ...body])) return null;
  const edits: Edit[] = [{ start: statement.startIndex, end: statement.endIndex, text: withHeader(header) }];
  if (body.length === 0) {
    const indent = indentAt(text, statement.startIndex) + indentUnit(text, statement);
    const end = endOfLastLine(text, statement);
    edits.push({ start: end, end, text: `\n${indent}pass` });
    return edits;
  }
  // Comment lines between the assignment and the body move along with the body.
  edits.push(...indentEdits(text, body, indentUnit(text, statement), nextLineStart(text, statement.endIndex)));
  return edits;
}

/**
 * `try:` above `nodes`, which move into its body, and `finally:` with `cleanup` (statements, one
 * per entry) below them.
 */
export function wrapInTryFinally(text: string, nodes: readonly SyntaxNode[], cleanup: readonly string[]): Edit[] | null {
  if (cleanup.length === 0) return null;
  const edits = wrapInBlock(text, nodes, 'try:');
  if (!edits) return null;
  const indent = indentAt(text, nodes[0].startIndex);
  const unit = indentUnit(text, nodes[0]);
  const end = endOfLastLine(text, nodes[nodes.length - 1]);
  edits.push({ start: end, end, text: `\n${indent}finally:` + cleanup.map((s) => `\n${indent}${unit}${s}`).join('') });
  return edits;
}
