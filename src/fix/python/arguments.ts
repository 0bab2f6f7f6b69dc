// Adding a keyword argument to a call, in the call's own layout: `f(a, timeout=3)` on one line;
// one argument per line (with or without a trailing comma) when the call is written that way.
import type { Edit } from '../../types.js';
import type { SyntaxNode } from '../../lang/python/tree.js';

/** The insertion adding `name=value` as the call's last argument, or undefined when it cannot. */
export function addKeywordArgumentEdit(call: SyntaxNode, name: string, value: string): Edit | undefined {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return undefined; // `f(x for x in y)`
  const close = args.lastChild;
  if (!close || close.type !== ')') return undefined;
  const items = args.namedChildren.filter((c) => c.type !== 'comment');
  const kw = `${name}=${value}`;
  if (items.length === 0) {
    // `f(\n)` or `f(  # comment\n)`: keep it simple, the argument goes right after `(`.
    const open = args.firstChild!;
    return { start: open.endIndex, end: open.endIndex, text: kw };
  }
  const last = items[items.length - 1];
  const trailingComma = args.children.some((c) => c.type === ',' && c.startIndex >= last.endIndex);
  const multiline = last.startPosition.row > args.startPosition.row && close.startPosition.row > last.endPosition.row;
  if (multiline) {
    const indent = lineIndentWithin(args, last);
    if (indent !== undefined) {
      // The new line goes after the end of the last argument's line, so a comment there stays put.
      if (trailingComma) {
        const comma = args.children.find((c) => c.type === ',' && c.startIndex >= last.endIndex)!;
        const eol = lineEndWithin(args, comma.endIndex);
        return { start: eol, end: eol, text: `\n${indent}${kw},` };
      }
      const eol = lineEndWithin(args, last.endIndex);
      const rest = args.text.slice(last.endIndex - args.startIndex, eol - args.startIndex);
      return { start: last.endIndex, end: eol, text: `,${rest}\n${indent}${kw}` };
    }
  }
  // Right after the last argument, before any trailing comma or comment.
  return { start: last.endIndex, end: last.endIndex, text: `, ${kw}` };
}

/** The whitespace before `item` on its line, when only whitespace precedes it there. */
function lineIndentWithin(args: SyntaxNode, item: SyntaxNode): string | undefined {
  const text = args.text;
  const at = item.startIndex - args.startIndex;
  const nl = Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1));
  if (nl < 0) return undefined;
  const indent = text.slice(nl + 1, at);
  return /^[ \t]*$/.test(indent) ? indent : undefined;
}

/** Offset of the end of the line holding `offset`, looking only inside `args`. */
function lineEndWithin(args: SyntaxNode, offset: number): number {
  const text = args.text;
  const m = /[\r\n]/.exec(text.slice(offset - args.startIndex));
  return m ? offset + m.index : args.endIndex;
}
