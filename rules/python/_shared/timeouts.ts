// Shared by the timeout rules: what a call's `timeout` argument says.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';

export type TimeoutState =
  | { kind: 'missing' }
  | { kind: 'none'; node: SyntaxNode }
  | { kind: 'set'; node: SyntaxNode }
  /** Passed through `**kwargs` or `*args`: may carry one, so stay silent. */
  | { kind: 'unknown' };

export function timeoutState(model: SemanticModel, call: SyntaxNode, calleeName?: string, param = 'timeout'): TimeoutState {
  const arg = model.argument(call, param, calleeName);
  if (arg.kind === 'unknown') return { kind: 'unknown' };
  if (arg.kind === 'absent') return { kind: 'missing' };
  return model.constantValue(arg.node) === null ? { kind: 'none', node: arg.node } : { kind: 'set', node: arg.node };
}

/** Insertion edit that adds `name=value` as the call's last argument, keeping a trailing comma style. */
export function addKeywordArgument(call: SyntaxNode, name: string, value: string): { start: number; end: number; text: string } | undefined {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return undefined;
  const close = args.lastChild;
  if (!close || close.type !== ')') return undefined;
  const items = args.namedChildren.filter((c) => c.type !== 'comment');
  if (items.length === 0) return { start: close.startIndex, end: close.startIndex, text: `${name}=${value}` };
  const last = items[items.length - 1];
  // Insert right after the last argument, before any trailing comma or comment.
  return { start: last.endIndex, end: last.endIndex, text: `, ${name}=${value}` };
}
