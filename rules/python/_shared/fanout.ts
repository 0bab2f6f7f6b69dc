// Shared by the bounded-pool rules: how many coroutines or tasks a piece of code starts at once.
// Answers three questions: is an iterable of fixed size (a literal, `range(8)`, a chunk `xs[i:i+50]`)
// or input-sized; does the coroutine started per item acquire a limiter (a semaphore, a capacity
// limiter, a pool) — looking into functions defined in the same module; and where the awaitables
// handed to `gather`/`wait` come from (a comprehension, `map`, a list filled by a loop).
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import { COMPREHENSION_TYPES, decoratorsOf, enclosingFunction, enclosingLoop, FUNCTION_TYPES, isInside, unwrap } from '../../../src/lang/python/context.js';
import { positionalArguments } from '../../../src/lang/python/calls.js';
import { mayCall } from './names.js';

/** Types whose `async with x:` / `await x.acquire()` bounds how many coroutines run the guarded code. */
export const LIMITER_TYPES = new Set([
  'asyncio.Semaphore',
  'asyncio.BoundedSemaphore',
  'asyncio.Lock',
  'asyncio.Condition',
  'anyio.CapacityLimiter',
  'anyio.Semaphore',
  'anyio.Lock',
  'trio.CapacityLimiter',
  'trio.Semaphore',
  'trio.Lock',
  'aiolimiter.AsyncLimiter',
  'asyncpg.Pool',
]);

/** Libraries that run coroutines with a bounded concurrency. */
const POOL_LIBRARIES = ['aiometer.', 'asyncio_pool.', 'aiostream.'];

/** Calls that wrap a coroutine: what matters is the coroutine they receive. */
const WRAPPERS = new Set([
  'asyncio.create_task',
  'asyncio.ensure_future',
  'asyncio.wait_for',
  'asyncio.shield',
  'asyncio.TaskGroup.create_task',
  'asyncio.AbstractEventLoop.create_task',
]);

/** Calls that run work on an executor: bounded by the executor's worker count. */
const EXECUTOR_CALLS = new Set(['asyncio.to_thread', 'anyio.to_thread.run_sync', 'starlette.concurrency.run_in_threadpool', 'asgiref.sync.sync_to_async']);

/** Awaiting one of these inside the loop that starts tasks drains them as it goes. */
const DRAINS = new Set(['asyncio.wait', 'asyncio.gather', 'asyncio.as_completed', 'asyncio.wait_for']);

/** Calls that collect awaitables to wait for them all. */
export const COLLECTORS = new Set(['asyncio.gather', 'asyncio.wait', 'asyncio.as_completed']);

const SPAWN_NAMES = ['asyncio.create_task', 'asyncio.ensure_future', 'start_soon'];
const LOOP_FACTORIES = new Set(['asyncio.get_event_loop', 'asyncio.get_running_loop', 'asyncio.new_event_loop', 'asyncio.events.get_event_loop', 'asyncio.events.get_running_loop']);
const TASK_GROUP_FACTORIES = new Set(['anyio.create_task_group', 'trio.open_nursery']);

// ---- sizes ---------------------------------------------------------------------------------

/** A `range()` longer than this is not "a fixed handful". */
const MAX_FIXED = 100;

const SAME_SIZE_FUNCTIONS = new Set(['enumerate', 'sorted', 'reversed', 'list', 'tuple', 'set', 'frozenset', 'iter', 'dict', 'asyncio.as_completed']);
const SAME_SIZE_METHODS = new Set(['items', 'keys', 'values', 'copy']);
const MUTATORS = new Set(['append', 'extend', 'add', 'update', 'insert', 'appendleft', 'extendleft', 'setdefault']);

/**
 * True when an iterable has a size fixed in the code: a literal, `range(n)` (a count, not
 * `range(len(xs))`), a bounded slice (`xs[i:i + 50]`), a chunk of a batching loop, or a name bound
 * once to one of those. Parameters, attributes and call results are input-sized.
 */
export function isFixedSize(expr: SyntaxNode, model: SemanticModel, depth = 0): boolean {
  if (depth > 6) return false;
  const n = unwrap(expr);
  switch (n.type) {
    case 'string':
    case 'concatenated_string':
      return true;
    case 'list':
    case 'tuple':
    case 'set':
    case 'dictionary':
      return !n.namedChildren.some((c) => c.type === 'list_splat' || c.type === 'dictionary_splat');
    case 'list_comprehension':
    case 'set_comprehension':
    case 'dictionary_comprehension':
    case 'generator_expression':
      return comprehensionClauses(n).every((c) => isFixedSize(c.childForFieldName('right')!, model, depth + 1));
    case 'subscript': {
      const slice = n.childForFieldName('subscript');
      if (slice?.type === 'slice') return sliceHasUpperBound(slice);
      return isObjectState(n);
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.type;
      const left = n.childForFieldName('left')!;
      const right = n.childForFieldName('right')!;
      // `[...] + [...]`: as fixed as both sides.
      if (op === '+') return isFixedSize(left, model, depth + 1) && isFixedSize(right, model, depth + 1);
      // `[url] * 3`: a literal repeated a constant number of times.
      if (op === '*') {
        const [seq, times] = literalLength(left, model) !== undefined ? [left, right] : [right, left];
        const len = literalLength(seq, model);
        const k = model.constantValue(times);
        return len !== undefined && typeof k === 'number' && len * k <= MAX_FIXED;
      }
      return false;
    }
    case 'call': {
      const fn = n.childForFieldName('function')!;
      const name = model.qualifiedName(fn);
      const args = positionalArguments(n);
      if (name === 'range') {
        // `range(n_workers)`, `range(min(LIMIT, len(xs)))`: a count; `range(len(xs))`: the input's size.
        return !args.some((a) => {
          const c = countOf(a, model);
          return c.kind === 'input' || (c.kind === 'const' && c.value > MAX_FIXED);
        });
      }
      if (name === 'zip') return args.some((a) => isFixedSize(a, model, depth + 1));
      if (name === 'itertools.islice' || name === 'itertools.repeat') return args.length >= 2;
      if (name && SAME_SIZE_FUNCTIONS.has(name)) return args.length > 0 && isFixedSize(args[0], model, depth + 1);
      if (fn.type === 'attribute' && SAME_SIZE_METHODS.has(fn.childForFieldName('attribute')!.text)) {
        return isFixedSize(fn.childForFieldName('object')!, model, depth + 1);
      }
      return false;
    }
    case 'identifier': {
      if (namesABatch(n.text)) return true;
      const b = model.lookup(n.text, n);
      if (!b) return false;
      if (b.kind === 'for') {
        // `for batch in chunked(xs, 50):` — each item is a chunk.
        const it = b.value;
        if (it?.type === 'call') {
          const fname = calleeName(it);
          if (fname && namesABatch(fname)) return true;
        }
        return false;
      }
      if (b.kind === 'param') {
        // `async def _probe_batch(session, hostnames)`: the caller hands over one chunk.
        let fn: SyntaxNode | null = b.node.parent;
        while (fn && fn.type !== 'function_definition' && fn.type !== 'lambda') fn = fn.parent;
        const fname = fn?.type === 'function_definition' ? fn.childForFieldName('name')?.text : undefined;
        return !!fname && namesABatch(fname);
      }
      if (b.kind !== 'assign' || !b.value || b.destructured) return false;
      if (isMutated(n.text, b.node, model)) return false;
      return isFixedSize(b.value, model, depth + 1);
    }
    case 'attribute':
      return isObjectState(n) || namesABatch(n.childForFieldName('attribute')!.text);
    default:
      return false;
  }
}

/**
 * `self.trading_pairs`, `self._connections.items()`: the object's own registry (its connections,
 * handlers, subscriptions), sized by the program's design rather than handed in as input.
 */
function isObjectState(n: SyntaxNode): boolean {
  let cur = n;
  while (cur.type === 'attribute' || cur.type === 'subscript') {
    cur = cur.type === 'attribute' ? cur.childForFieldName('object')! : cur.childForFieldName('value')!;
  }
  return cur.type === 'identifier' && (cur.text === 'self' || cur.text === 'cls');
}

/** `batch`, `chunk`, `page_batch`, `chunked`, `batched`: a name that says it holds one bounded chunk. */
function namesABatch(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.includes('batch') || lower.includes('chunk') || lower === 'grouper';
}

function calleeName(call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'attribute') return fn.childForFieldName('attribute')!.text;
  return undefined;
}

function sliceHasUpperBound(slice: SyntaxNode): boolean {
  let colons = 0;
  for (const c of slice.children) {
    if (c.type === ':') {
      colons++;
      if (colons > 1) return false;
    } else if (colons === 1 && c.isNamed) return true;
  }
  return false;
}

/** True when the name bound at `bound` is changed in place or re-bound by `+=` in its scope. */
function isMutated(name: string, bound: SyntaxNode, model: SemanticModel): boolean {
  const scope = model.scopeOf(bound);
  if ((scope.bindings.get(name) ?? []).some((b) => b.kind === 'augassign')) return true;
  const body = scope.node.type === 'module' ? scope.node : scope.node.childForFieldName('body');
  for (const call of body?.descendantsOfType('call') ?? []) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute') continue;
    const obj = fn.childForFieldName('object')!;
    if (obj.type === 'identifier' && obj.text === name && MUTATORS.has(fn.childForFieldName('attribute')!.text)) return true;
  }
  for (const a of body?.descendantsOfType('assignment') ?? []) {
    const left = a.childForFieldName('left');
    if (left?.type === 'subscript' && left.childForFieldName('value')?.text === name) return true;
  }
  return false;
}

export function comprehensionClauses(comp: SyntaxNode): SyntaxNode[] {
  return comp.namedChildren.filter((c) => c.type === 'for_in_clause');
}

/** The names a comprehension's or a `for` loop's targets bind. */
export function targetNames(target: SyntaxNode | null): Set<string> {
  const out = new Set<string>();
  const walk = (n: SyntaxNode) => {
    if (n.type === 'identifier') out.add(n.text);
    else n.namedChildren.forEach(walk);
  };
  if (target) walk(target);
  return out;
}

// ---- counts --------------------------------------------------------------------------------

/**
 * The number an expression gives (a pool size, a `range()` bound): a constant, one that grows with
 * an input (`len(xs)`, unless capped by `min(..., 32)`), or unknown (a parameter, a setting).
 */
export type Count = { kind: 'const'; value: number } | { kind: 'input'; node: SyntaxNode } | { kind: 'other' };

export function countOf(expr: SyntaxNode, model: SemanticModel, depth = 0) : Count {
  if (depth > 6) return { kind: 'other' };
  const n = unwrap(expr);
  const c = model.constantValue(n);
  if (typeof c === 'number') return { kind: 'const', value: c };
  switch (n.type) {
    case 'call': {
      const name = model.qualifiedName(n.childForFieldName('function')!);
      const args = positionalArguments(n);
      if (name === 'len') {
        // `len(HOSTS)` of a literal is a constant; of anything else it grows with the input.
        const size = args[0] ? literalLength(args[0], model) : undefined;
        if (size !== undefined) return { kind: 'const', value: size };
        // `len(self.services)`: the object's own configuration, not an input.
        if (args[0] && isObjectState(unwrap(args[0]))) return { kind: 'other' };
        return { kind: 'input', node: n };
      }
      if (name === 'int' || name === 'round' || name === 'math.ceil' || name === 'math.floor') {
        return args[0] ? countOf(args[0], model, depth + 1) : { kind: 'other' };
      }
      if (name === 'min') {
        // Any bounded argument caps the result.
        const sizes = args.map((a) => countOf(a, model, depth + 1));
        const consts = sizes.filter((s): s is { kind: 'const'; value: number } => s.kind === 'const');
        if (consts.length) return { kind: 'const', value: Math.min(...consts.map((s) => s.value)) };
        return sizes.find((s) => s.kind === 'input') && sizes.every((s) => s.kind === 'input') ? sizes[0] : { kind: 'other' };
      }
      if (name === 'max') {
        const sizes = args.map((a) => countOf(a, model, depth + 1));
        const input = sizes.find((s) => s.kind === 'input');
        if (input) return input;
        if (sizes.length && sizes.every((s) => s.kind === 'const')) {
          return { kind: 'const', value: Math.max(...sizes.map((s) => (s as { value: number }).value)) };
        }
        return { kind: 'other' };
      }
      return { kind: 'other' };
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.type;
      const l = countOf(n.childForFieldName('left')!, model, depth + 1);
      const r = countOf(n.childForFieldName('right')!, model, depth + 1);
      if (l.kind === 'input' && (op === '+' || op === '*' || op === '-' || op === '//' || op === '/')) return l;
      if (r.kind === 'input' && (op === '+' || op === '*')) return r;
      return { kind: 'other' };
    }
    case 'conditional_expression': {
      const [a, , b] = n.namedChildren;
      const sa = a ? countOf(a, model, depth + 1) : { kind: 'other' as const };
      const sb = b ? countOf(b, model, depth + 1) : { kind: 'other' as const };
      if (sa.kind === 'input') return sa;
      if (sb.kind === 'input') return sb;
      if (sa.kind === 'const' && sb.kind === 'const') return { kind: 'const', value: Math.max(sa.value, sb.value) };
      return { kind: 'other' };
    }
    case 'identifier': {
      const b = model.lookup(n.text, n);
      if (!b || b.kind !== 'assign' || !b.value || b.destructured || FUNCTION_TYPES.has(b.value.type)) return { kind: 'other' };
      // Only a name bound once in its scope has one value.
      if ((model.scopeOf(b.node).bindings.get(n.text)?.length ?? 0) !== 1) return { kind: 'other' };
      const s = countOf(b.value, model, depth + 1);
      return s.kind === 'input' ? { kind: 'input', node: s.node } : s;
    }
    default:
      return { kind: 'other' };
  }
}

/** The number of elements of a literal (or a name bound once to one), when it has no splat. */
function literalLength(expr: SyntaxNode, model: SemanticModel, depth = 0): number | undefined {
  const n = unwrap(expr);
  if (['list', 'tuple', 'set', 'dictionary'].includes(n.type)) {
    const items = n.namedChildren.filter((c) => c.type !== 'comment');
    return items.some((c) => c.type === 'list_splat' || c.type === 'dictionary_splat') ? undefined : items.length;
  }
  if (n.type === 'identifier' && depth < 4) {
    const b = model.lookup(n.text, n);
    if (b?.kind === 'assign' && b.value && !b.destructured && !isMutated(n.text, b.node, model)) return literalLength(b.value, model, depth + 1);
  }
  return undefined;
}

// ---- limiters ------------------------------------------------------------------------------

export type Bound =
  /** The coroutine acquires a limiter, or runs on an executor, or works on an existing object. */
  | { kind: 'limited'; reason: string }
  /** `inspected`: the coroutine is defined in this module and was looked into. */
  | { kind: 'unlimited'; coroutine: string; inspected: boolean };

/** True when an expression is a limiter: by type, or a name bound to a limiter's constructor. */
function isLimiter(expr: SyntaxNode, model: SemanticModel): boolean {
  const n = unwrap(expr);
  const t = model.typeOf(n);
  if (t && model.ancestors(t).some((a) => LIMITER_TYPES.has(a))) return true;
  if (n.type === 'call') {
    const name = model.resolveCall(n).name;
    return !!name && LIMITER_TYPES.has(name);
  }
  if (n.type === 'identifier') {
    const b = model.lookup(n.text, n);
    if (b?.value?.type === 'call' && !b.destructured) {
      const name = model.resolveCall(b.value).name;
      return !!name && LIMITER_TYPES.has(name);
    }
  }
  return false;
}

/**
 * The object of `async with X:` counts as a limiter when it is one by type, or when it is a plain
 * name or attribute of unknown type (`async with sem:`, `async with self._limit:`): a context
 * manager entered without `as` and without a call is a lock, semaphore or limiter in practice.
 */
function isLimiterContext(expr: SyntaxNode, model: SemanticModel): boolean {
  const n = unwrap(expr);
  if (isLimiter(n, model)) return true;
  if (n.type === 'identifier' || n.type === 'attribute') return !model.typeOf(n);
  if (n.type === 'call') {
    // `async with pool.acquire() as conn`, `async with limiter.acquire()`.
    const fn = n.childForFieldName('function');
    return fn?.type === 'attribute' && ['acquire', 'acquire_on_behalf_of'].includes(fn.childForFieldName('attribute')!.text);
  }
  return false;
}

/** True when the block (not nested functions) acquires a limiter or calls a pool library. */
export function acquiresLimiter(block: SyntaxNode, model: SemanticModel): string | undefined {
  let found: string | undefined;
  const walk = (n: SyntaxNode): void => {
    if (found) return;
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') return;
    if (n.type === 'with_statement' && n.child(0)?.type === 'async') {
      const clause = n.namedChildren.find((c) => c.type === 'with_clause');
      for (const item of clause?.namedChildren ?? []) {
        if (item.type !== 'with_item') continue;
        const value = item.childForFieldName('value');
        const expr = value?.type === 'as_pattern' ? value.namedChild(0) : value;
        if (expr && isLimiterContext(expr, model)) {
          found = `\`async with ${expr.text}\``;
          return;
        }
      }
    }
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')!.text === 'acquire' && n.parent?.type === 'await') {
        found = `\`await ${n.text}\``;
        return;
      }
      const name = model.resolveCall(n).name;
      if (name && POOL_LIBRARIES.some((p) => name.startsWith(p))) {
        found = `\`${name}\``;
        return;
      }
    }
    for (const c of n.namedChildren) walk(c);
  };
  walk(block);
  return found;
}

const NEUTRAL_DECORATORS = new Set(['staticmethod', 'classmethod', 'property', 'functools.wraps', 'abc.abstractmethod', 'typing.override', 'override']);

/** Whether the coroutine a call starts (or a function reference it runs) acquires a limiter. */
export function coroutineBound(expr: SyntaxNode, model: SemanticModel, loopVars: ReadonlySet<string>, reference = false): Bound {
  const n = unwrap(expr);
  if (reference && n.type === 'lambda') {
    const body = n.childForFieldName('body');
    return body ? coroutineBound(body, model, loopVars) : { kind: 'limited', reason: 'no coroutine' };
  }
  if (n.type !== 'call') {
    if (reference && (n.type === 'identifier' || n.type === 'attribute')) {
      // A function reference (`map(fetch, urls)`, `tg.start_soon(fetch, url)`).
      const fn = functionDefinition(n, model);
      if (fn) return functionBound(fn, model, n.text, 0);
      return { kind: 'limited', reason: 'defined elsewhere' };
    }
    // An awaitable made elsewhere (`t for t in tasks`): not started here.
    return { kind: 'limited', reason: 'awaits existing tasks' };
  }
  const name = model.resolveCall(n).name;
  const target = n.childForFieldName('function')!;
  const method = target.type === 'attribute' ? target.childForFieldName('attribute')!.text : undefined;
  if ((name && WRAPPERS.has(name)) || method === 'create_task' || method === 'ensure_future') {
    const inner = positionalArguments(n)[0];
    return inner ? coroutineBound(inner, model, loopVars) : { kind: 'limited', reason: 'no coroutine' };
  }
  if ((name && EXECUTOR_CALLS.has(name)) || method === 'run_in_executor') return { kind: 'limited', reason: 'runs on an executor' };
  if (name && POOL_LIBRARIES.some((p) => name.startsWith(p))) return { kind: 'limited', reason: name };
  // `ws.send(msg) for ws in clients`: a method of each item works on objects that already exist.
  if (target.type === 'attribute' && loopVars.has(rootName(target.childForFieldName('object')!) ?? '')) {
    return { kind: 'limited', reason: 'works on existing objects' };
  }
  for (const a of n.childForFieldName('arguments')?.namedChildren ?? []) {
    const v = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
    if (v && isLimiter(v, model)) return { kind: 'limited', reason: `receives the limiter \`${v.text}\`` };
    // `bounded(sem, fetch(u))`: a wrapper around another coroutine.
  }
  const fn = functionDefinition(target, model);
  if (fn) return functionBound(fn, model, target.text, 0);
  // A coroutine defined elsewhere may well acquire a limiter. Report it only when it visibly does
  // network I/O: a method of an HTTP client/pool, or a call handed one.
  if (isNetworkCall(n, model, true)) return { kind: 'unlimited', coroutine: target.text, inspected: false };
  return { kind: 'limited', reason: 'defined elsewhere' };
}

/** Types whose methods open connections: calling one per item is network fan-out. */
const NETWORK_TYPES = new Set([
  'aiohttp.ClientSession',
  'httpx.AsyncClient',
  'asyncpg.Pool',
  'asyncpg.Connection',
  'redis.asyncio.Redis',
  'sqlalchemy.ext.asyncio.AsyncEngine',
  'sqlalchemy.ext.asyncio.AsyncSession',
  'psycopg.AsyncConnection',
  'psycopg_pool.AsyncConnectionPool',
]);
const NETWORK_FUNCTIONS = new Set([
  'aiohttp.request', 'asyncio.open_connection', 'asyncio.open_unix_connection', 'asyncpg.connect', 'websockets.connect',
  'httpx.AsyncClient', 'aiohttp.ClientSession', 'aiohttp.TCPConnector',
]);

/** `session.get(u)`, `fetch(session, u)`, `asyncio.open_connection(host, port)`. */
function usesNetworkClient(call: SyntaxNode, model: SemanticModel): boolean {
  const isNetwork = (e: SyntaxNode) => {
    const t = model.typeOf(e);
    return !!t && model.ancestors(t).some((a) => NETWORK_TYPES.has(a));
  };
  const target = call.childForFieldName('function')!;
  if (target.type === 'attribute' && isNetwork(target.childForFieldName('object')!)) return true;
  const name = model.resolveCall(call).name;
  if (name && NETWORK_FUNCTIONS.has(name)) return true;
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    const v = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
    if (v && (v.type === 'identifier' || v.type === 'attribute') && isNetwork(v)) return true;
  }
  return false;
}

function rootName(n: SyntaxNode): string | undefined {
  let cur = n;
  while (cur.type === 'attribute' || cur.type === 'subscript' || cur.type === 'call') {
    cur = cur.type === 'attribute' ? cur.childForFieldName('object')! : cur.type === 'subscript' ? cur.childForFieldName('value')! : cur.childForFieldName('function')!;
  }
  return cur.type === 'identifier' ? cur.text : undefined;
}

/**
 * Whether a coroutine defined in this module is bounded: it acquires a limiter (looking two calls
 * deep), or does no network I/O that could be seen (then the fan-out costs no sockets, and the
 * rule stays quiet rather than guess).
 */
function functionBound(fn: SyntaxNode, model: SemanticModel, shown: string, _depth: number): Bound {
  const reason = limiterIn(fn, model, 0);
  if (reason) return { kind: 'limited', reason };
  if (!doesNetworkIO(fn, model, 0, new Set())) return { kind: 'limited', reason: 'no network I/O seen' };
  return { kind: 'unlimited', coroutine: shown, inspected: true };
}

function limiterIn(fn: SyntaxNode, model: SemanticModel, depth: number): string | undefined {
  for (const d of decoratorsOf(fn)) {
    const target = d.type === 'call' ? d.childForFieldName('function')! : d;
    const name = model.qualifiedName(target) ?? target.text;
    if (NEUTRAL_DECORATORS.has(name)) continue;
    const last = name.split('.').pop()!.toLowerCase();
    if (['limit', 'throttl', 'semaphore', 'concurren', 'bounded', 'pool'].some((w) => last.includes(w))) {
      return `decorated with \`@${target.text}\``;
    }
  }
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  const acquired = acquiresLimiter(body, model);
  if (acquired) return acquired;
  if (depth < 2) {
    for (const call of callsIn(body)) {
      const target = call.childForFieldName('function');
      const callee = target ? functionDefinition(target, model) : undefined;
      if (callee && callee.id !== fn.id && limiterIn(callee, model, depth + 1)) {
        return `calls \`${target!.text}\`, which acquires a limiter`;
      }
      // `await bounded(sem, coro)`: a limiter handed to a helper.
      for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
        if (isLimiter(a.type === 'keyword_argument' ? a.childForFieldName('value')! : a, model)) {
          return `passes the limiter \`${a.text}\``;
        }
      }
    }
  }
  return undefined;
}

/** Coroutine methods that talk to a server: HTTP verbs, websockets, database queries. */
const NET_METHODS = new Set([
  'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'fetch', 'stream', 'send_request',
  'ws_connect', 'fetchrow', 'fetchval', 'execute', 'executemany', 'urlopen',
]);

/** `await x.get(url)` / `async with x.get(url) as r`: awaited right where it is called. */
function isAwaitedHere(call: SyntaxNode): boolean {
  let n = call.parent;
  while (n?.type === 'parenthesized_expression') n = n.parent;
  if (n?.type === 'await') return true;
  if (n?.type === 'as_pattern') n = n.parent;
  const stmt = n?.type === 'with_item' ? n.parent?.parent : undefined;
  return stmt?.type === 'with_statement' && stmt.child(0)?.type === 'async';
}

/** A call that does network I/O: on a network client, handed one, or an awaited HTTP/DB verb. */
export function isNetworkCall(call: SyntaxNode, model: SemanticModel, awaited: boolean): boolean {
  if (usesNetworkClient(call, model)) return true;
  const target = call.childForFieldName('function');
  if (target?.type !== 'attribute' || !NET_METHODS.has(target.childForFieldName('attribute')!.text)) return false;
  if (!awaited) return false;
  const t = model.typeOf(target.childForFieldName('object')!);
  return !t || model.ancestors(t).some((a) => NETWORK_TYPES.has(a));
}

/** True when the function (or one it calls in this module, two deep) does visible network I/O. */
function doesNetworkIO(fn: SyntaxNode, model: SemanticModel, depth: number, seen: Set<number>): boolean {
  if (seen.has(fn.id)) return false;
  seen.add(fn.id);
  const body = fn.childForFieldName('body');
  if (!body) return false;
  for (const call of callsIn(body)) {
    if (isNetworkCall(call, model, isAwaitedHere(call))) return true;
    if (depth < 2) {
      const target = call.childForFieldName('function');
      const callee = target ? functionDefinition(target, model) : undefined;
      if (callee && doesNetworkIO(callee, model, depth + 1, seen)) return true;
    }
  }
  return false;
}

function callsIn(block: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') return;
    if (n.type === 'call') out.push(n);
    n.namedChildren.forEach(walk);
  };
  walk(block);
  return out;
}

/** The `def` a callee expression refers to in this module: a function, a nested def, `self.method`. */
export function functionDefinition(target: SyntaxNode, model: SemanticModel): SyntaxNode | undefined {
  const n = unwrap(target);
  if (n.type === 'identifier') {
    const b = model.lookup(n.text, n);
    return b?.kind === 'def' && b.value?.type === 'function_definition' ? b.value : undefined;
  }
  if (n.type === 'attribute') {
    const obj = n.childForFieldName('object')!;
    const method = n.childForFieldName('attribute')!.text;
    const t = model.typeOf(obj);
    const cls = t ? model.classByQualifiedName(t) : obj.type === 'identifier' ? classNamed(obj, model) : undefined;
    if (!cls) return undefined;
    for (const c of model.classChain(cls)) {
      const m = c.methods.get(method);
      if (m) return m;
    }
  }
  return undefined;
}

function classNamed(id: SyntaxNode, model: SemanticModel) {
  const b = model.lookup(id.text, id);
  return b?.kind === 'class' && b.value ? model.classes().get(b.value.id) : undefined;
}

// ---- where awaitables come from ------------------------------------------------------------

export interface FanoutSource {
  /** The expression started once per item: a coroutine call, `create_task(...)`, or a function reference. */
  element: SyntaxNode;
  /** The loop or comprehension that repeats it. */
  loop: SyntaxNode;
  /** The element is a function reference run per item (`map(f, xs)`), not an awaitable. */
  reference?: boolean;
  /** True when its iterable has a size fixed in the code. */
  fixed: boolean;
  loopVars: Set<string>;
  /** The loop body awaits `wait`/`gather` or acquires a limiter itself (a draining loop). */
  drained: boolean;
}

/**
 * The per-item sources of the awaitables in `expr` (the argument of `gather(*expr)`,
 * `wait(expr)`): a comprehension, `map(f, xs)`, or a local list/set/dict filled in a loop.
 * Empty when the awaitables come from elsewhere (a parameter, a call) or are a fixed handful.
 */
export function fanoutSources(expr: SyntaxNode, model: SemanticModel, at: SyntaxNode): FanoutSource[] {
  const n = unwrap(expr);
  if (COMPREHENSION_TYPES.has(n.type)) return [comprehensionSource(n, model)];
  if (n.type === 'call') {
    const fn = n.childForFieldName('function')!;
    const name = model.qualifiedName(fn);
    if (name === 'map') {
      const [f, it] = positionalArguments(n);
      if (!f || !it) return [];
      return [{ element: f, reference: true, loop: n, fixed: isFixedSize(it, model), loopVars: new Set(), drained: false }];
    }
    if (name && ['list', 'set', 'tuple'].includes(name)) {
      const a = positionalArguments(n)[0];
      return a ? fanoutSources(a, model, at) : [];
    }
    if (fn.type === 'attribute' && ['values', 'copy'].includes(fn.childForFieldName('attribute')!.text)) {
      return fanoutSources(fn.childForFieldName('object')!, model, at);
    }
    return [];
  }
  if (n.type !== 'identifier') return [];
  const b = model.lookup(n.text, at);
  if (!b || b.kind !== 'assign' || !b.value || b.destructured) return [];
  const fnNode = enclosingFunction(b.node);
  if (fnNode !== enclosingFunction(at)) return [];
  const value = unwrap(b.value);
  if (COMPREHENSION_TYPES.has(value.type) || value.type === 'call') {
    const direct = fanoutSources(value, model, at);
    if (direct.length || !isEmptyContainer(value, model)) return direct;
  }
  if (!isEmptyContainer(value, model)) return [];
  return fillSources(n.text, b.node, model, at);
}

function comprehensionSource(comp: SyntaxNode, model: SemanticModel): FanoutSource {
  const clauses = comprehensionClauses(comp);
  const loopVars = new Set<string>();
  for (const c of clauses) for (const v of targetNames(c.childForFieldName('left'))) loopVars.add(v);
  const body = comp.childForFieldName('body')!;
  const element = body.type === 'pair' ? body.childForFieldName('value')! : body;
  return { element, loop: comp, fixed: isFixedSize(comp, model), loopVars, drained: false };
}

function isEmptyContainer(value: SyntaxNode, model: SemanticModel): boolean {
  if ((value.type === 'list' || value.type === 'set' || value.type === 'dictionary') && value.namedChildCount === 0) return true;
  if (value.type === 'call' && positionalArguments(value).length === 0) {
    const name = model.qualifiedName(value.childForFieldName('function')!);
    return !!name && ['list', 'set', 'dict', 'collections.deque'].includes(name);
  }
  return false;
}

/** `xs.append(E)`, `xs.add(E)`, `xs[k] = E`, `xs += [E]` inside loops after `xs = []`. */
function fillSources(name: string, bound: SyntaxNode, model: SemanticModel, at: SyntaxNode): FanoutSource[] {
  const fn = enclosingFunction(bound);
  const body = fn ? fn.childForFieldName('body') : model.root;
  if (!body) return [];
  const out: FanoutSource[] = [];
  const add = (site: SyntaxNode, element: SyntaxNode) => {
    if (site.startIndex < bound.startIndex || site.startIndex > at.startIndex) return;
    if (enclosingFunction(site) !== fn) return;
    const loop = enclosingLoop(site);
    if (!loop) return;
    out.push(loopSource(loop, element, model));
  };
  for (const call of body.descendantsOfType('call')) {
    const f = call.childForFieldName('function');
    if (f?.type !== 'attribute') continue;
    const obj = f.childForFieldName('object')!;
    const method = f.childForFieldName('attribute')!.text;
    if (obj.type !== 'identifier' || obj.text !== name) continue;
    const args = positionalArguments(call);
    if ((method === 'append' || method === 'add' || method === 'appendleft') && args[0]) add(call, resolveLocal(args[0], model));
    else if (method === 'insert' && args[1]) add(call, resolveLocal(args[1], model));
  }
  for (const a of body.descendantsOfType('assignment')) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type === 'subscript' && left.childForFieldName('value')?.text === name && right) add(a, right);
  }
  for (const a of body.descendantsOfType('augmented_assignment')) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type === 'identifier' && left.text === name && right && (right.type === 'list' || right.type === 'tuple') && right.namedChild(0)) {
      add(a, right.namedChild(0)!);
    }
  }
  return out;
}

/** `t = create_task(...); tasks.append(t)`: the value a local was bound to, else the expression. */
function resolveLocal(expr: SyntaxNode, model: SemanticModel): SyntaxNode {
  const n = unwrap(expr);
  if (n.type !== 'identifier') return n;
  const b = model.lookup(n.text, n);
  if (b?.kind === 'assign' && b.value && !b.destructured && enclosingFunction(b.node) === enclosingFunction(n)) return b.value;
  return n;
}

/** A loop (statement or comprehension) that starts `element` once per turn. */
export function loopSource(loop: SyntaxNode, element: SyntaxNode, model: SemanticModel): FanoutSource {
  if (COMPREHENSION_TYPES.has(loop.type)) {
    const src = comprehensionSource(loop, model);
    return { ...src, element };
  }
  if (loop.type === 'while_statement') {
    return { element, loop, fixed: false, loopVars: new Set(), drained: loopDrains(loop, model) };
  }
  const loopVars = targetNames(loop.childForFieldName('left'));
  return { element, loop, fixed: isFixedSize(loop.childForFieldName('right')!, model), loopVars, drained: loopDrains(loop, model) };
}

/** The loop body awaits `wait`/`gather`, or acquires a limiter, so it never runs far ahead. */
export function loopDrains(loop: SyntaxNode, model: SemanticModel): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  if (acquiresLimiter(body, model)) return true;
  return callsIn(body).some((c) => isAwaited(c) && (!!model.callMatches(c, DRAINS) || isQueueWait(c)));
}

function isAwaited(call: SyntaxNode): boolean {
  let n = call.parent;
  while (n?.type === 'parenthesized_expression') n = n.parent;
  return n?.type === 'await';
}

/**
 * `await queue.put(x)` / `await queue.join()`: a bounded queue gives back-pressure;
 * `await event.wait()`: the loop waits for the task it started (staggered start).
 */
function isQueueWait(call: SyntaxNode): boolean {
  const fn = call.childForFieldName('function');
  return fn?.type === 'attribute' && ['put', 'join', 'wait'].includes(fn.childForFieldName('attribute')!.text);
}

// ---- task spawning -------------------------------------------------------------------------

/** What a call spawns: the coroutine (or function reference) it starts as a task, if it is a spawn. */
export function spawnedCoroutine(call: SyntaxNode, model: SemanticModel): { coroutine: SyntaxNode; how: string } | undefined {
  const target = call.childForFieldName('function');
  if (!target || !mayCall(call, model, SPAWN_NAMES, 'spawns')) return undefined;
  const name = model.resolveCall(call).name;
  const first = positionalArguments(call)[0];
  if (!first) return undefined;
  if (name === 'asyncio.create_task' || name === 'asyncio.ensure_future') return { coroutine: first, how: `${name}()` };
  if (target.type !== 'attribute') return undefined;
  const method = target.childForFieldName('attribute')!.text;
  const receiver = target.childForFieldName('object')!;
  if (method === 'create_task') {
    if (name === 'asyncio.TaskGroup.create_task') return { coroutine: first, how: 'TaskGroup.create_task()' };
    if (isEventLoop(receiver, model)) return { coroutine: first, how: 'loop.create_task()' };
    return undefined;
  }
  if (method === 'start_soon' && isTaskGroup(receiver, model)) return { coroutine: first, how: `${receiver.text}.start_soon()` };
  return undefined;
}

function isEventLoop(expr: SyntaxNode, model: SemanticModel): boolean {
  const n = unwrap(expr);
  if (n.type === 'call') return LOOP_FACTORIES.has(model.resolveCall(n).name ?? '');
  if (n.type === 'identifier') {
    const b = model.lookup(n.text, n);
    if (b?.value?.type === 'call' && LOOP_FACTORIES.has(model.resolveCall(b.value).name ?? '')) return true;
    return n.text === 'loop' || n.text === 'event_loop';
  }
  if (n.type === 'attribute') {
    const attr = n.childForFieldName('attribute')!.text;
    return attr === 'loop' || attr === '_loop' || attr === 'event_loop';
  }
  return false;
}

function isTaskGroup(expr: SyntaxNode, model: SemanticModel): boolean {
  const n = unwrap(expr);
  if (n.type !== 'identifier') return false;
  const b = model.lookup(n.text, n);
  if (b?.kind === 'with' && b.value?.type === 'call') return TASK_GROUP_FACTORIES.has(model.resolveCall(b.value).name ?? '');
  return false;
}

/** The collector calls (`gather`, `wait`, `as_completed`) in the block, outside nested functions. */
export function collectorCalls(block: SyntaxNode, model: SemanticModel): SyntaxNode[] {
  return callsIn(block).filter((c) => !!model.callMatches(c, COLLECTORS));
}

/** The expressions a collector call waits for: `gather(*a, *b)` → a, b; `wait(fs)` → fs. */
export function collectedExpressions(call: SyntaxNode, name: string, model: SemanticModel): SyntaxNode[] {
  if (name === 'asyncio.gather') {
    return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type === 'list_splat').map((a) => a.namedChild(0)!).filter(Boolean);
  }
  const arg = model.argument(call, 'fs', name);
  if (arg.kind === 'present') return [arg.node];
  const first = positionalArguments(call)[0];
  return first ? [first] : [];
}
