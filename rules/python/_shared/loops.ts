// Shared by the session-reuse rules: telling loops that repeat work over many items from retry,
// polling and reconnect loops, which run their body a few times, or once per long-lived connection.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import { COMPREHENSION_TYPES, enclosingFunction, enclosingLoop, FUNCTION_TYPES, isInside } from '../../../src/lang/python/context.js';
import { positionalArguments } from '../../../src/lang/python/calls.js';
import { functionDefinition, isFixedSize, loopSource } from './fanout.js';
import { addTo } from '../../../src/util/multimap.js';

const INTERACTIVE = new Set(['input', 'getpass.getpass']);
const SLEEPS = new Set(['time.sleep', 'asyncio.sleep', 'anyio.sleep', 'trio.sleep', 'gevent.sleep', 'eventlet.sleep']);

/**
 * True for a `while` loop or a `for` over `range(...)`/`itertools.count()` that either sleeps
 * between turns (polling, backoff, reconnecting) or leaves on success from the `try` that holds
 * `node` (retrying), and for any loop that asks a person for `input()` each turn. Other loops over
 * collections and comprehensions are never retry loops.
 */
export function isRetryOrPollLoop(loop: SyntaxNode, node: SyntaxNode, model: SemanticModel): boolean {
  if (COMPREHENSION_TYPES.has(loop.type)) return false;
  // An interactive loop (`input()` each turn) is paced by a person, not a batch.
  const loopBody = loop.childForFieldName('body');
  if (loopBody && bodyCalls(loopBody, model, INTERACTIVE)) return true;
  if (loop.type === 'for_statement') {
    const iterable = loop.childForFieldName('right');
    const name = iterable?.type === 'call' ? model.resolveCall(iterable).name : undefined;
    if (name !== 'range' && name !== 'itertools.count') return false;
  }
  const body = loop.childForFieldName('body');
  if (!body) return false;
  if (bodyCalls(body, model, SLEEPS)) return true;
  // `while not result and attempts < 3:` — a retry counter compared with a small constant.
  const condition = loop.type === 'while_statement' ? loop.childForFieldName('condition') : null;
  if (condition && [condition, ...condition.descendantsOfType('comparison_operator')].some((c) => c.type === 'comparison_operator' && c.namedChildren.some((o) => {
    const v = model.constantValue(o);
    return typeof v === 'number' && v > 0 && v <= 10;
  }))) return true;
  // `try: return fetch() / break` inside the loop: the loop runs again only after a failure.
  for (let n = node.parent; n && n.id !== loop.id; n = n.parent) {
    if (n.type === 'try_statement') {
      const tryBody = n.childForFieldName('body');
      if (tryBody && isInside(node, tryBody) && exitsLoop(tryBody)) return true;
    }
  }
  return false;
}

/** True when a statement of the block (not nested in an inner loop or function) returns or breaks. */
function exitsLoop(block: SyntaxNode): boolean {
  const walk = (n: SyntaxNode): boolean => {
    if (n.type === 'return_statement' || n.type === 'break_statement') return true;
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition' || n.type === 'for_statement' || n.type === 'while_statement') return false;
    return n.namedChildren.some(walk);
  };
  return walk(block);
}

/** True when the block calls one of `names`, outside nested functions. */
export function bodyCalls(block: SyntaxNode, model: SemanticModel, names: ReadonlySet<string>): boolean {
  const walk = (n: SyntaxNode): boolean => {
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') return false;
    if (n.type === 'call' && model.callMatches(n, names)) return true;
    return n.namedChildren.some(walk);
  };
  return walk(block);
}

/** True when the loop or comprehension runs over a fixed handful of items (a literal, `range(3)`). */
export function isFixedLoop(loop: SyntaxNode, model: SemanticModel): boolean {
  if (loop.type === 'while_statement') return false;
  return loopSource(loop, loop, model).fixed;
}

/**
 * True when an argument of the call uses a loop variable: `Client(proxy=proxy)`,
 * `ClientSession(base_url=host)` — each turn needs a differently configured client, and no
 * connection could be shared across turns anyway.
 */
export function usesLoopVariable(call: SyntaxNode, loop: SyntaxNode, model: SemanticModel): boolean {
  const vars = loopSource(loop, loop, model).loopVars;
  if (!vars.size) return false;
  const args = call.childForFieldName('arguments');
  return !!args && args.descendantsOfType('identifier').some((id) => {
    if (!vars.has(id.text)) return false;
    const p = id.parent;
    // `proxy=` (a keyword's name) and `.host` (an attribute's name) are not uses of the variable.
    if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) return false;
    if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) return false;
    return true;
  });
}

const SERVER_WORDS = new Set([
  'host', 'hosts', 'hostname', 'addr', 'address', 'ip', 'server', 'servers', 'endpoint', 'domain', 'node',
  'proxy', 'region', 'cluster', 'instance', 'mirror', 'peer', 'site', 'registry', 'origin', 'upstream', 'backend',
]);

/**
 * True when the loop walks distinct servers (`for host in hosts`, `for vault_address in ...`):
 * connections cannot be shared across turns, so a client or a module-level call per turn costs
 * nothing that one shared client would save. Judged by the loop variables' names.
 */
export function iteratesServers(loop: SyntaxNode, model: SemanticModel): boolean {
  for (const v of loopSource(loop, loop, model).loopVars) {
    const words = v.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split('_');
    if (words.some((w) => SERVER_WORDS.has(w))) return true;
  }
  return false;
}

// ---- helpers called once per item -----------------------------------------------------------

const MAP_LIKE = new Set(['map', 'imap', 'imap_unordered', 'starmap', 'map_async', 'starmap_async']);
/** Calls that run a function they are handed (`executor.submit(fetch, url)`). */
const RUNNERS = new Set(['submit', 'run_in_executor', 'apply_async', 'to_thread', 'run_sync', 'start_soon', 'spawn']);

/** A module's calls by the names that can make them run a function called `name` (see perItemCallers). */
interface CallIndex {
  /** By the last name of the callee: `fetch(...)`, `self.fetch(...)`. */
  byCallee: Map<string, SyntaxNode[]>;
  /** By the names of positional arguments: `pool.map(fetch, ...)`, `submit(self.fetch, ...)`. */
  byArgument: Map<string, SyntaxNode[]>;
}
const indexCache = new WeakMap<SemanticModel, CallIndex>();

function calleeName(target: SyntaxNode): string {
  return target.type === 'attribute' ? target.childForFieldName('attribute')!.text : target.text;
}

function argumentName(arg: SyntaxNode): string | undefined {
  if (arg.type === 'identifier') return arg.text;
  if (arg.type === 'attribute') return arg.childForFieldName('attribute')!.text;
  return undefined;
}

// Built once per module, so that asking for every helper of a module stays linear in its size
// (scanning all calls per helper was quadratic: minutes for a module of thousands of functions).
function callIndex(model: SemanticModel): CallIndex {
  let index = indexCache.get(model);
  if (index) return index;
  index = { byCallee: new Map(), byArgument: new Map() };
  for (const call of model.root.descendantsOfType('call')) {
    const target = call.childForFieldName('function');
    if (!target) continue;
    addTo(index.byCallee, calleeName(target), call);
    const names = new Set<string>();
    for (const a of positionalArguments(call)) {
      const n = argumentName(a);
      if (n !== undefined) names.add(n);
    }
    for (const n of names) addTo(index.byArgument, n, call);
  }
  indexCache.set(model, index);
  return index;
}

/** The calls that mention `name` as callee or positional argument, in source order. */
function callsMentioning(name: string, model: SemanticModel): SyntaxNode[] {
  const { byCallee, byArgument } = callIndex(model);
  const a = byCallee.get(name) ?? [];
  const b = byArgument.get(name) ?? [];
  if (!b.length) return a;
  if (!a.length) return b;
  return [...new Set([...a, ...b])].sort((x, y) => x.pre - y.pre);
}

/**
 * Places in this module that run the function `fn` once per item of an input-sized loop: a call
 * inside a loop or comprehension over a collection (not a retry/poll loop, not a fixed handful),
 * `map(fn, items)` / `executor.map(fn, items)`, or `executor.submit(fn, item)` in such a loop.
 */
export function perItemCallers(fn: SyntaxNode, model: SemanticModel, depth = 0): SyntaxNode[] {
  const name = fn.childForFieldName('name')?.text;
  if (!name) return [];
  // A helper that loops itself makes many requests per call: one client per call is amortised.
  if (depth === 0 && hasLoop(fn)) return [];
  const out: SyntaxNode[] = [];
  const refersToFn = (expr: SyntaxNode) => functionDefinition(expr, model)?.id === fn.id;
  const inItemLoop = (site: SyntaxNode) => {
    if (isInside(site, fn)) return false;
    const loop = enclosingLoop(site);
    if (!loop || isRetryOrPollLoop(loop, site, model)) return false;
    if (loop.type === 'while_statement' || (loop.type === 'for_statement' && loop.child(0)?.type === 'async')) return false;
    return !loopSource(loop, site, model).fixed && !iteratesServers(loop, model);
  };
  for (const call of callsMentioning(name, model)) {
    const target = call.childForFieldName('function')!;
    const last = calleeName(target);
    if (last === name) {
      if (!refersToFn(target)) continue;
      if (inItemLoop(call)) out.push(call);
      else if (depth < 1 && !enclosingLoop(call)) {
        // `async def one(u): return await fetch(u)`, a closure gathered per item: one level up.
        const outer = enclosingFunction(call);
        const isClosure = !!outer && outer.type === 'function_definition' && !!enclosingFunction(outer);
        if (isClosure && outer!.id !== fn.id && perItemCallers(outer!, model, depth + 1).length) out.push(call);
      }
      continue;
    }
    const args = positionalArguments(call);
    const ref = args.find((a) => argumentName(a) === name);
    if (!ref || !refersToFn(ref)) continue;
    if (MAP_LIKE.has(last)) {
      const iterable = args[args.indexOf(ref) + 1];
      if (iterable && !isFixedSize(iterable, model) && !isInside(call, fn)) out.push(call);
    } else if (RUNNERS.has(last) && inItemLoop(call)) {
      // `executor.submit(fetch, url)` / `loop.run_in_executor(None, fetch, url)` in a loop.
      out.push(call);
    }
  }
  return out;
}

function hasLoop(fn: SyntaxNode): boolean {
  const body = fn.childForFieldName('body');
  const walk = (n: SyntaxNode): boolean => {
    if (n.type === 'for_statement' || n.type === 'while_statement' || COMPREHENSION_TYPES.has(n.type)) return true;
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') return false;
    return n.namedChildren.some(walk);
  };
  return !!body && walk(body);
}

/** True when `node` is reached only on some paths of its function (`x or Client()`, under an `if`). */
export function isConditional(node: SyntaxNode, fn: SyntaxNode): boolean {
  for (let n = node.parent; n && n.id !== fn.id; n = n.parent) {
    if (n.type === 'boolean_operator' || n.type === 'conditional_expression' || n.type === 'if_statement') return true;
  }
  return false;
}
