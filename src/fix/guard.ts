// The re-parse guard: a fix must never leave a file that no longer parses. tree-sitter recovers
// from errors silently in places where CPython refuses the file — notably indentation: a header
// whose block sits at its own level, or statements of one block at different depths, can come
// out of tree-sitter without an ERROR node. So the guard checks those rules itself too.
import { firstSyntaxError, parsePython, type SyntaxNode, type Tree } from '../lang/python/tree.js';

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/** The first syntax or indentation error in `text`, if any. */
export function syntaxErrorIn(text: string): SyntaxProblem | undefined {
  let tree: Tree;
  try {
    tree = parsePython(text);
  } catch (e) {
    return { line: 1, column: 1, message: `parser failed: ${(e as Error).message}` };
  }
  return firstSyntaxError(tree) ?? indentationError(tree, text);
}

/** Width of leading whitespace with tabs to multiples of `tab` (CPython compares with 8 and 1). */
function width(indent: string, tab: number): number {
  let w = 0;
  for (const c of indent) w = c === '\t' ? (Math.floor(w / tab) + 1) * tab : w + 1;
  return w;
}

function indentOfLine(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t' || text[end] === '\f')) end++;
  return text.slice(start, end);
}

/** Only whitespace between the line start and `offset`. */
function startsItsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t' && c !== '\f') return false;
  }
  return true;
}

/**
 * CPython's block rules on the tree: a block is not empty; one that starts on its own line is indented deeper than
 * its header's line (by both tab conventions), and every statement of the block that starts a line
 * has exactly the block's indentation.
 */
export function indentationError(tree: Tree, text: string): SyntaxProblem | undefined {
  const cursor = tree.walk();
  for (;;) {
    if (cursor.nodeType === 'block') {
      const problem = checkBlock(cursor.currentNode, text);
      if (problem) return problem;
    }
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return undefined;
  }
}

function checkBlock(block: SyntaxNode, text: string): SyntaxProblem | undefined {
  if (!block.parent) return undefined;
  const statements = block.namedChildren.filter((c) => c.type !== 'comment');
  const at = (n: SyntaxNode, message: string): SyntaxProblem => ({ line: n.startPosition.row + 1, column: n.startPosition.column + 1, message });
  // tree-sitter gives a header with nothing indented under it an empty block, without an error.
  if (statements.length === 0) return at(block.parent, `indentation error: expected an indented block after line ${block.parent.startPosition.row + 1}`);
  const first = statements[0];
  if (!startsItsLine(text, first.startIndex)) return undefined; // `if x: pass` — a simple suite
  const header = indentOfLine(text, block.parent.startIndex);
  const inner = indentOfLine(text, first.startIndex);
  if (!(width(inner, 8) > width(header, 8) && width(inner, 1) > width(header, 1))) {
    return at(first, `indentation error: expected an indented block after line ${block.parent.startPosition.row + 1}`);
  }
  for (const s of statements.slice(1)) {
    if (!startsItsLine(text, s.startIndex)) continue; // `a; b`
    if (indentOfLine(text, s.startIndex) !== inner) return at(s, 'indentation error: unindent does not match the block');
  }
  return undefined;
}
