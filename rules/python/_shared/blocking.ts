// Shared by the sync-in-async rules (CL5xx): is a call made directly on the event loop, and
// what does it call? One answer per call node, computed once and shared by the six rules.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { CallInfo, SemanticModel } from '../../../src/lang/python/model.js';
import { enclosingFunction, isAsyncFunction } from '../../../src/lang/python/context.js';
import { argumentOf, type ArgumentLookup } from '../../../src/lang/python/calls.js';
import type { PythonRule as Rule, RuleContext } from '../../../src/types.js';

/** `async def`, the only place the sync-in-async rules look at. */
export const ASYNC_DEF = /\basync[\s\\]+def\b/;

export interface LoopCall {
  /** The `async def` whose body runs the call. */
  fn: SyntaxNode;
  /** What the call invokes; `info.name` is undefined when the model cannot tell. */
  info: CallInfo;
}

const cache = new WeakMap<SemanticModel, Map<number, LoopCall | null>>();

/**
 * Last segments (`get`, `sleep`, `open`, `execute`) of every call a CL5 rule can report, filled by
 * the rules when their modules load. A call whose name is not among them is skipped before any
 * scope or type work: most calls in a coroutine are `await`ed or plainly not blocking.
 */
const NAMES = new Set<string>();
/** Rules that match any method of a receiver type (redis): checked only when the file names the module. */
const ANY_METHOD_MODULES = new Set<string>();

export function registerBlockingCalls(qualifiedNames: Iterable<string>): void {
  for (const q of qualifiedNames) NAMES.add(q.slice(q.lastIndexOf('.') + 1));
}

export function registerAnyMethodOf(module: string): void {
  ANY_METHOD_MODULES.add(module);
}

const extraNames = new WeakMap<readonly string[], Set<string>>();
const fileMentions = new WeakMap<SemanticModel, boolean>();

function mayBeBlocking(call: SyntaxNode, ctx: RuleContext): boolean {
  const fn = call.childForFieldName('function');
  const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (name === undefined) return false;
  if (NAMES.has(name)) return true;
  if (fn!.type === 'identifier' && ctx.model.fileSpellings().aliases.has(name)) return true;
  const configured = ctx.settings.blockingCalls;
  if (configured.length) {
    let set = extraNames.get(configured);
    if (!set) {
      set = new Set(configured.map((q) => q.slice(q.lastIndexOf('.') + 1)));
      extraNames.set(configured, set);
    }
    if (set.has(name)) return true;
  }
  if (fn!.type !== 'attribute' || ANY_METHOD_MODULES.size === 0) return false;
  let mentions = fileMentions.get(ctx.model);
  if (mentions === undefined) {
    mentions = [...ANY_METHOD_MODULES].some((m) => ctx.source.includes(m));
    fileMentions.set(ctx.model, mentions);
  }
  return mentions;
}

/**
 * The call's target when the call runs directly on the event loop: its nearest enclosing function
 * is an `async def` (a nested `def`, `lambda` or class body resets that), and its result is not
 * awaited or entered with `async with` / iterated with `async for` — an awaited call returns an
 * awaitable, so it is not the synchronous API a rule is looking for (or the model mistook the type).
 * Functions handed uncalled to `asyncio.to_thread`, `run_in_executor` or `functools.partial` are not
 * calls at all, so they never get here. Null as well for calls no CL5 rule could report.
 */
export function loopCall(call: SyntaxNode, ctx: RuleContext): LoopCall | null {
  const model = ctx.model;
  let perModel = cache.get(model);
  if (!perModel) {
    perModel = new Map();
    cache.set(model, perModel);
  }
  const hit = perModel.get(call.id);
  if (hit !== undefined) return hit;
  const result = mayBeBlocking(call, ctx) ? compute(call, model) : null;
  perModel.set(call.id, result);
  return result;
}

function compute(call: SyntaxNode, model: SemanticModel): LoopCall | null {
  const fn = enclosingFunction(call);
  if (!isAsyncFunction(fn)) return null;
  if (consumedAsynchronously(call) || handedToScheduler(call, model)) return null;
  return { fn: fn!, info: model.resolveCall(call) };
}

/** asyncio functions whose arguments are awaitables: `wait_for(proc.wait(), 5)` passes a coroutine. */
const AWAITABLE_TAKERS = new Set([
  'asyncio.wait_for', 'asyncio.gather', 'asyncio.shield', 'asyncio.create_task', 'asyncio.ensure_future',
  'asyncio.wait', 'asyncio.as_completed', 'asyncio.run', 'asyncio.run_coroutine_threadsafe',
]);
const AWAITABLE_METHODS = new Set(['create_task', 'ensure_future', 'run_until_complete', 'start_soon']);

function handedToScheduler(call: SyntaxNode, model: SemanticModel): boolean {
  let n: SyntaxNode = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  let outer = n.parent;
  if (outer?.type === 'keyword_argument') outer = outer.parent;
  if (outer?.type !== 'argument_list') return false;
  const taker = outer.parent;
  if (taker?.type !== 'call') return false;
  const f = taker.childForFieldName('function');
  if (f?.type === 'attribute' && AWAITABLE_METHODS.has(f.childForFieldName('attribute')!.text)) return true;
  const name = f ? model.qualifiedName(f) : undefined;
  return !!name && AWAITABLE_TAKERS.has(name);
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

/** `use X` → `Use X`: an alternative written in lower case, starting a sentence of a message. */
export function capitalized(text: string): string {
  return `${text[0].toUpperCase()}${text.slice(1)}`;
}

/**
 * A sync-in-async rule (CL5xx): category sync-in-async, run on calls in files that mention
 * `async`, and `check` called only for a call that runs directly on the event loop (see loopCall),
 * with what it calls.
 */
export function syncInAsyncRule(
  spec: Pick<Rule, 'code' | 'name' | 'severity' | 'fixable' | 'docs'> & {
    check(call: SyntaxNode, site: LoopCall, ctx: RuleContext): void;
  },
): Rule {
  return {
    code: spec.code,
    name: spec.name,
    category: 'sync-in-async',
    severity: spec.severity,
    ...(spec.fixable ? { fixable: spec.fixable } : {}),
    // Only code inside `async def` is checked; Python allows any whitespace (or a line
    // continuation) between the two keywords.
    triggers: [ASYNC_DEF],
    nodeTypes: ['call'],
    docs: spec.docs,
    visit(call, ctx) {
      const site = loopCall(call, ctx);
      if (site) spec.check(call, site, ctx);
    },
  };
}

/** The text a message shows for the call's target: the qualified name with `()`. */
export function callLabel(info: CallInfo): string {
  return `\`${info.name}()\``;
}
