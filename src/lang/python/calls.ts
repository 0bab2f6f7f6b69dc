// Call arguments by keyword or by position. A `*args` or `**kwargs` that could carry the
// argument makes the answer "unknown", so rules stay silent instead of guessing.
import type { SyntaxNode } from './tree.js';

export type ArgumentLookup =
  | { kind: 'present'; node: SyntaxNode; keyword: boolean }
  | { kind: 'absent' }
  | { kind: 'unknown'; reason: 'star-args' | 'star-kwargs' };

/**
 * The name a call's target ends with, as written: `gather` for `asyncio.gather(...)`,
 * `gather(...)` and `(gather)(...)`; undefined when the target is not a name or an attribute.
 */
export function calleeName(call: SyntaxNode): string | undefined {
  let fn = call.childForFieldName('function');
  while (fn?.type === 'parenthesized_expression' && fn.namedChildCount === 1) fn = fn.namedChild(0);
  return fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
}

export function argumentOf(call: SyntaxNode, name: string, params?: readonly string[]): ArgumentLookup {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return { kind: 'absent' };
  const position = params ? params.indexOf(name) : -1;
  let index = 0;
  let starArgs = false;
  let starKwargs = false;
  for (const a of args.namedChildren) {
    switch (a.type) {
      case 'keyword_argument':
        if (a.childForFieldName('name')?.text === name) return { kind: 'present', node: a.childForFieldName('value')!, keyword: true };
        break;
      case 'list_splat':
        starArgs = true;
        break;
      case 'dictionary_splat':
        starKwargs = true;
        break;
      case 'comment':
        break;
      default:
        if (!starArgs && position >= 0 && index === position) return { kind: 'present', node: a, keyword: false };
        index++;
    }
  }
  if (starKwargs) return { kind: 'unknown', reason: 'star-kwargs' };
  if (starArgs && position >= 0) return { kind: 'unknown', reason: 'star-args' };
  return { kind: 'absent' };
}

/** The positional (non-keyword, non-splat) arguments of a call. */
export function positionalArguments(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return [];
  return args.namedChildren.filter((a) => !['keyword_argument', 'list_splat', 'dictionary_splat', 'comment'].includes(a.type));
}

/** The keyword argument nodes of a call, by name. */
export function keywordArguments(call: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  const args = call.childForFieldName('arguments');
  for (const a of args?.namedChildren ?? []) {
    if (a.type === 'keyword_argument') {
      const n = a.childForFieldName('name');
      if (n) out.set(n.text, a);
    }
  }
  return out;
}

export function hasStarArguments(call: SyntaxNode): boolean {
  const args = call.childForFieldName('arguments');
  return !!args?.namedChildren.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat');
}
