// Shared by the timeout rules: what a call's `timeout` argument says, and the edits that add,
// replace or remove an argument.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import type { Edit, RuleContext } from '../../../src/types.js';
import { addKeywordArgumentEdit } from '../../../src/fix/python/arguments.js';

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
  return isNoneConstant(model, arg.node) ? { kind: 'none', node: arg.node } : { kind: 'set', node: arg.node };
}

/** `None`, or a name bound once to `None` (`TIMEOUT = None`). */
export function isNoneConstant(model: SemanticModel, node: SyntaxNode): boolean {
  return model.constantValue(node) === null;
}

/**
 * Insertion edit that adds `name=value` as the call's last argument, in the call's layout: on the
 * same line, or on a line of its own when the call lists one argument per line (see
 * src/fix/python/arguments.ts).
 */
export function addKeywordArgument(call: SyntaxNode, name: string, value: string): Edit | undefined {
  return addKeywordArgumentEdit(call, name, value);
}

/**
 * Deletion edit that removes one argument (`timeout=None`) with its separating comma, so
 * `f(a, timeout=None, b=1)` becomes `f(a, b=1)` and `f(timeout=None)` becomes `f()`. Undefined when
 * a comment sits next to it (deleting could swallow or strand it).
 */
export function removeArgument(argument: SyntaxNode): Edit | undefined {
  const args = argument.parent;
  if (!args || args.type !== 'argument_list') return undefined;
  const items = args.namedChildren;
  const i = items.findIndex((c) => c.id === argument.id);
  if (i < 0) return undefined;
  const prev = items[i - 1];
  const next = items[i + 1];
  if (prev?.type === 'comment' || next?.type === 'comment') return undefined;
  // Prefer eating the comma before it; the first argument eats the comma (and spaces) after it.
  if (prev) return { start: prev.endIndex, end: argument.endIndex, text: '' };
  if (next) return { start: argument.startIndex, end: next.startIndex, text: '' };
  // The only argument: also drop a trailing comma.
  const close = args.lastChild;
  return { start: argument.startIndex, end: close?.type === ')' ? close.startIndex : argument.endIndex, text: '' };
}

/**
 * True when the call sits in a function that takes a timeout parameter (`timeout`,
 * `connect_timeout`, ...) and uses it somewhere: leaving it out of this call is then a decision
 * (`if timeout is not None: ... else: create_connection(addr)`), and the fix belongs to the
 * caller that passes the timeout. A parameter that is never used is a forgotten one: not excused.
 */
export function callerControlsTimeout(model: SemanticModel, call: SyntaxNode, parameter: RegExp = /timeout/i): boolean {
  const fn = model.enclosingFunction(call);
  if (!fn || fn.type !== 'function_definition') return false;
  const names = new Set<string>();
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    const id = p.type === 'identifier' ? p : p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier');
    if (id?.type === 'identifier' && parameter.test(id.text)) names.add(id.text);
  }
  if (names.size === 0) return false;
  const body = fn.childForFieldName('body');
  const isKeywordName = (id: SyntaxNode) => id.parent?.type === 'keyword_argument' && id.parent.childForFieldName('name')?.id === id.id;
  return !!body?.descendantsOfType('identifier').some((id) => names.has(id.text) && !isKeywordName(id));
}

/**
 * requests' timeout, where a `(connect, read)` tuple with a `None` read timeout waits forever for
 * the response just like `timeout=None`: reported as `none` on the tuple's `None`.
 */
export function requestsTimeoutState(model: SemanticModel, call: SyntaxNode, calleeName?: string): TimeoutState & { readOnly?: boolean } {
  const state = timeoutState(model, call, calleeName);
  if (state.kind !== 'set') return state;
  const v = state.node.type === 'parenthesized_expression' ? state.node.namedChild(0) : state.node;
  if (v?.type === 'tuple' && v.namedChildCount === 2) {
    const read = v.namedChild(1)!;
    if (isNoneConstant(model, read)) return { kind: 'none', node: read, readOnly: true };
  }
  return state;
}

/**
 * Reports a requests call (module function or Session method) whose timeout is missing, `None`,
 * or a `(connect, None)` tuple, with the fix for each: adding the configured timeout is safe,
 * replacing a `None` someone wrote is unsafe. `what` names the call as the user wrote it; `remedy`
 * is appended to the message (for sessions: how to give the session a default once).
 */
export function reportRequestsTimeout(
  ctx: RuleContext,
  call: SyntaxNode,
  state: TimeoutState & { readOnly?: boolean },
  what: string,
  remedy = '',
): void {
  const timeout = ctx.settings.requestsTimeout;
  const tail = remedy ? `, ${remedy}` : '.';
  if (state.kind === 'missing') {
    const edit = addKeywordArgument(call, 'timeout', timeout);
    ctx.report({
      node: call,
      message:
        `\`${what}()\` has no timeout, and requests has no default: if the server stops answering, this call blocks ` +
        `its worker forever. Pass \`timeout=${timeout}\` (connect, read seconds)${tail}`,
      fix: edit ? { applicability: 'safe', message: `Add \`timeout=${timeout}\``, edits: [edit] } : null,
    });
  } else if (state.kind === 'none' && state.readOnly) {
    // The read half of the configured `(connect, read)` timeout.
    const read = /^\(\s*[^,()]+,\s*([^,()]+?)\s*\)$/.exec(timeout)?.[1] ?? ctx.settings.defaultTimeout;
    ctx.report({
      node: call,
      message:
        `\`${what}()\` has no read timeout (\`None\` in the (connect, read) tuple): a server that accepts the ` +
        `connection and never answers blocks this worker forever. Give the read timeout a value, e.g. \`timeout=${timeout}\`.`,
      fix: {
        applicability: 'unsafe',
        message: `Replace the read timeout \`None\` with \`${read}\``,
        edits: [{ start: state.node.startIndex, end: state.node.endIndex, text: read }],
      },
    });
  } else if (state.kind === 'none') {
    ctx.report({
      node: call,
      message:
        `\`${what}()\` is called with \`timeout=None\`, which waits forever on a server that stops answering. ` +
        `Pass a finite timeout such as \`timeout=${timeout}\`${tail}`,
      fix: {
        applicability: 'unsafe',
        message: `Replace \`None\` with \`${timeout}\``,
        edits: [{ start: state.node.startIndex, end: state.node.endIndex, text: timeout }],
      },
    });
  }
}
