// Shared by the sync-in-async rules (CL5xx): is a call made directly on the event loop, and
// what does it call? One answer per call node, computed once and shared by the six rules.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { CallInfo, SemanticModel } from '../../../src/lang/python/model.js';
import { enclosingFunction, isAsyncFunction } from '../../../src/lang/python/context.js';
import { argumentOf, type ArgumentLookup } from '../../../src/lang/python/calls.js';

export interface LoopCall {
  /** The `async def` whose body runs the call. */
  fn: SyntaxNode;
  /** What the call invokes; `info.name` is undefined when the model cannot tell. */
  info: CallInfo;
}

const cache = new WeakMap<SemanticModel, Map<number, LoopCall | null>>();

/**
 * The call's target when the call runs directly on the event loop: its nearest enclosing function
 * is an `async def` (a nested `def`, `lambda` or class body resets that), and its result is not
 * awaited or entered with `async with` / iterated with `async for` — an awaited call returns an
 * awaitable, so it is not the synchronous API a rule is looking for (or the model mistook the type).
 * Functions handed uncalled to `asyncio.to_thread`, `run_in_executor` or `functools.partial` are not
 * calls at all, so they never get here.
 */
export function loopCall(call: SyntaxNode, model: SemanticModel): LoopCall | null {
  let perModel = cache.get(model);
  if (!perModel) {
    perModel = new Map();
    cache.set(model, perModel);
  }
  const hit = perModel.get(call.id);
  if (hit !== undefined) return hit;
  const result = compute(call, model);
  perModel.set(call.id, result);
  return result;
}

function compute(call: SyntaxNode, model: SemanticModel): LoopCall | null {
  const fn = enclosingFunction(call);
  if (!isAsyncFunction(fn)) return null;
  if (consumedAsynchronously(call)) return null;
  return { fn: fn!, info: model.resolveCall(call) };
}

function consumedAsynchronously(call: SyntaxNode): boolean {
  let n: SyntaxNode = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'await') return true;
  if (p.type === 'with_item' || (p.type === 'as_pattern' && p.parent?.type === 'with_item')) {
    const stmt = (p.type === 'with_item' ? p : p.parent!).parent?.parent;
    return stmt?.type === 'with_statement' && stmt.child(0)?.type === 'async';
  }
  if (p.type === 'for_statement' && p.childForFieldName('right')?.id === n.id) return p.child(0)?.type === 'async';
  return false;
}

/** An argument by keyword or position with a signature the rule supplies. */
export function arg(call: SyntaxNode, name: string, params: readonly string[]): ArgumentLookup {
  return argumentOf(call, name, params);
}

/** The constant value of an argument: `absent`, `unknown` (not a constant, or `**kwargs`), or the value. */
export function argValue(
  model: SemanticModel,
  call: SyntaxNode,
  name: string,
  params: readonly string[],
): { kind: 'absent' } | { kind: 'unknown'; node?: SyntaxNode } | { kind: 'value'; value: number | string | boolean | null; node: SyntaxNode } {
  const a = argumentOf(call, name, params);
  if (a.kind === 'absent') return { kind: 'absent' };
  if (a.kind === 'unknown') return { kind: 'unknown' };
  const v = model.constantValue(a.node);
  return v === undefined ? { kind: 'unknown', node: a.node } : { kind: 'value', value: v, node: a.node };
}

/** Python truthiness of a constant. */
export function truthy(v: number | string | boolean | null): boolean {
  return !(v === null || v === false || v === 0 || v === '');
}

/** The receiver expression of a method call (`x` in `x.m()`), if the call is one. */
export function receiverOf(call: SyntaxNode): SyntaxNode | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return null;
  return fn.childForFieldName('object');
}

/** True when `call` sits in the body of a `try` with a handler for one of `exceptions`. */
export function guardedBy(call: SyntaxNode, model: SemanticModel, exceptions: readonly string[]): boolean {
  for (let n = call.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type !== 'try_statement') continue;
    const body = n.childForFieldName('body');
    if (!body || call.startIndex < body.startIndex || call.endIndex > body.endIndex) continue;
    for (const clause of n.namedChildren) {
      if (clause.type !== 'except_clause') continue;
      for (const id of clause.descendantsOfType(['identifier', 'attribute'])) {
        const q = model.qualifiedName(id) ?? id.text;
        if (exceptions.some((e) => q === e || q.endsWith(`.${e}`))) return true;
      }
    }
  }
  return false;
}

/** The text a message shows for the call's target: the qualified name with `()`. */
export function callLabel(info: CallInfo): string {
  return `\`${info.name}()\``;
}
