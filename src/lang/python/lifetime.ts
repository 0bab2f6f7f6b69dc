// Resource lifetimes. Given a call that creates a resource the model knows (an HTTP session or
// client, an executor, a socket, a database session or connection, a pooled connection, a
// streamed response, a pool manager), answer what becomes of it in its function: handed to
// `with`, closed in a `finally`, entered into an ExitStack, wrapped in `closing()`, escaping
// (returned, yielded, stored, passed on, captured), closed on the straight-line path only, or
// never released. When unsure the answer is "escapes": rules built on this stay silent rather
// than guess. The answer also carries what a codemod needs to rewrite the creation into a
// `with` block (the statement, the block, every use, whether the uses are straight-line code).
import type { SyntaxNode } from './tree.js';
import type { ClassInfo, SemanticModel } from './model.js';
import type { Binding, Scope } from './scopes.js';
import { FUNCTION_TYPES, decoratorsOf, enclosingFunction, enclosingStatement, isAsyncFunction } from './context.js';
import { canonicalName, nameTriggers } from './knowledge.js';
import { addTo } from '../../util/multimap.js';

// ---- what counts as a resource --------------------------------------------------------------

export type ResourceFamily =
  | 'http-client'
  | 'async-http-client'
  | 'connector'
  | 'thread-executor'
  | 'process-executor'
  | 'socket'
  | 'orm-session'
  | 'session-registry'
  | 'db-connection'
  | 'pooled-connection'
  | 'streamed-response'
  | 'pool-manager'
  | 'sqlite-connection';

export interface ResourceSpec {
  /** Canonical name of the call that created it (`requests.Session`, `asyncpg.Pool.acquire`). */
  creator: string;
  /** What to call it in messages (`requests.Session`, `asyncpg connection`). */
  label: string;
  family: ResourceFamily;
  /** The method that releases it: close, aclose, shutdown, release (on the pool), remove, clear. */
  release: string;
  /** The release must be awaited (`await session.close()`). */
  asyncRelease: boolean;
  /** Its context manager is asynchronous (`async with`). */
  asyncWith: boolean;
  /**
   * `with x:` closes it. False for sqlite3 and psycopg2 connections, whose `with` block only
   * commits or rolls back a transaction.
   */
  withCloses: boolean;
  /** For a connection taken from a pool (`pool.acquire()`): the pool expression. */
  pool?: SyntaxNode;
}

type SpecData = Omit<ResourceSpec, 'creator' | 'pool'>;

const SYNC = { asyncRelease: false, asyncWith: false, withCloses: true } as const;
const ASYNC = { asyncRelease: true, asyncWith: true, withCloses: true } as const;

const HTTP_SESSION: SpecData = { label: 'requests.Session', family: 'http-client', release: 'close', ...SYNC };
const SQLITE: SpecData = { label: 'sqlite3 connection', family: 'sqlite-connection', release: 'close', ...SYNC, withCloses: false };
const PSYCOPG2: SpecData = { label: 'psycopg2 connection', family: 'db-connection', release: 'close', ...SYNC, withCloses: false };
const PSYCOPG: SpecData = { label: 'psycopg connection', family: 'db-connection', release: 'close', ...SYNC };
const SOCKET: SpecData = { label: 'socket', family: 'socket', release: 'close', ...SYNC };
const ORM_SESSION: SpecData = { label: 'SQLAlchemy Session', family: 'orm-session', release: 'close', ...SYNC };
const ASYNC_ORM_SESSION: SpecData = { label: 'SQLAlchemy AsyncSession', family: 'orm-session', release: 'close', ...ASYNC };
const POOL_MANAGER: SpecData = { label: 'urllib3.PoolManager', family: 'pool-manager', release: 'clear', ...SYNC };

/**
 * Calls that create a resource, by canonical name. A `scoped_session` instance called in a
 * function is not here: it returns the thread's session from a registry that a request
 * teardown removes, so it is not the function's to close. Creating the registry itself in a
 * function is (its `remove()` releases it).
 */
const CREATORS: Record<string, SpecData> = {
  'requests.Session': HTTP_SESSION,
  'requests.session': HTTP_SESSION,
  'httpx.Client': { label: 'httpx.Client', family: 'http-client', release: 'close', ...SYNC },
  'httpx.AsyncClient': { label: 'httpx.AsyncClient', family: 'async-http-client', release: 'aclose', ...ASYNC },
  'aiohttp.ClientSession': { label: 'aiohttp.ClientSession', family: 'async-http-client', release: 'close', ...ASYNC },
  'aiohttp.TCPConnector': { label: 'aiohttp.TCPConnector', family: 'connector', release: 'close', ...ASYNC },
  'concurrent.futures.ThreadPoolExecutor': { label: 'ThreadPoolExecutor', family: 'thread-executor', release: 'shutdown', ...SYNC },
  'concurrent.futures.ProcessPoolExecutor': { label: 'ProcessPoolExecutor', family: 'process-executor', release: 'shutdown', ...SYNC },
  'socket.socket': SOCKET,
  'socket.create_connection': SOCKET,
  'socket.fromfd': SOCKET,
  'sqlalchemy.orm.Session': ORM_SESSION,
  'sqlalchemy.orm.sessionmaker.__call__': ORM_SESSION,
  'sqlalchemy.orm.scoped_session': { label: 'SQLAlchemy scoped_session', family: 'session-registry', release: 'remove', ...SYNC },
  'sqlalchemy.engine.Engine.connect': { label: 'SQLAlchemy Connection', family: 'db-connection', release: 'close', ...SYNC },
  'sqlalchemy.ext.asyncio.AsyncSession': ASYNC_ORM_SESSION,
  'sqlalchemy.ext.asyncio.async_sessionmaker.__call__': ASYNC_ORM_SESSION,
  'asyncpg.Pool.acquire': { label: 'asyncpg pooled connection', family: 'pooled-connection', release: 'release', ...ASYNC },
  'asyncpg.connect': { label: 'asyncpg connection', family: 'db-connection', release: 'close', ...ASYNC },
  'psycopg2.connect': PSYCOPG2,
  'psycopg.connect': PSYCOPG,
  'psycopg.Connection.connect': PSYCOPG,
  'psycopg.AsyncConnection.connect': { label: 'psycopg AsyncConnection', family: 'db-connection', release: 'close', ...ASYNC },
  'urllib3.PoolManager': POOL_MANAGER,
  'urllib3.ProxyManager': { ...POOL_MANAGER, label: 'urllib3.ProxyManager' },
  'sqlite3.connect': SQLITE,
};

/** Calls that return a `requests.Response`; with `stream=True` the response holds a pooled connection. */
const STREAM_CALLS = new Set(
  ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].flatMap((v) => [`requests.${v}`, `requests.Session.${v}`]),
);
const STREAM_SPEC: SpecData = { label: 'streamed requests.Response', family: 'streamed-response', release: 'close', ...SYNC };

const CREATOR_NAMES = new Set(Object.keys(CREATORS));
/** Every call that can make a resource: creators and streamed requests. */
const RESOURCE_CALLS: ReadonlySet<string> = new Set([...CREATOR_NAMES, ...STREAM_CALLS]);

/** The resource-close rules' triggers: each creator's module and the name a call to it spells. */
export const RESOURCE_TRIGGERS: Array<Array<string | RegExp>> = nameTriggers(RESOURCE_CALLS);
const UNBOUND_SESSIONS = new Set(['sqlalchemy.orm.Session', 'sqlalchemy.ext.asyncio.AsyncSession']);

/** Every method that releases some resource (a lenient set: a release is never a leak). */
const RELEASE_METHODS = new Set(['close', 'aclose', 'shutdown', 'release', 'remove', 'clear', 'terminate', 'dispose', '__exit__', '__aexit__']);
/** Calls whose argument is given back or released: `pool.release(conn)`, `pool.putconn(conn)`. */
const RELEASE_ARG_METHODS = new Set(['release', 'putconn']);
/** Methods that hand the object (or its file descriptor) to something else that may outlive it. */
const OWNERSHIP_METHODS = new Set(['detach', 'makefile', 'dup', '__enter__', '__aenter__', 'cursor', 'execute', 'executemany', 'executescript']);
/** Reading a streamed response's body returns its connection to the pool. */
const CONSUMING_MEMBERS = new Set(['content', 'text', 'json', 'raw', 'iter_content', 'iter_lines', 'close']);
const EXIT_STACK_METHODS = new Set(['enter_context', 'enter_async_context', 'push', 'push_async_exit']);
const CLOSING_WRAPPERS = new Set(['contextlib.closing', 'contextlib.aclosing']);
/** Calls known not to keep their argument. */
const HARMLESS_CALLS = new Set([
  'print', 'len', 'repr', 'str', 'isinstance', 'issubclass', 'id', 'type', 'hasattr', 'getattr', 'bool', 'hash',
  'callable', 'format', 'vars', 'dir',
]);
/** Methods whose argument is used, not kept: `loop.run_in_executor(executor, fn)`. */
const HARMLESS_METHODS = new Set(['run_in_executor']);

/** The resource a call creates, or undefined. */
export function resourceCreatedBy(model: SemanticModel, call: SyntaxNode): ResourceSpec | undefined {
  const cache = cacheFor(model).specs;
  if (cache.has(call.id)) return cache.get(call.id);
  const spec = computeSpec(model, call);
  cache.set(call.id, spec);
  return spec;
}

function computeSpec(model: SemanticModel, call: SyntaxNode): ResourceSpec | undefined {
  if (call.type !== 'call') return undefined;
  if (!model.mayCall(call, RESOURCE_CALLS)) return undefined;
  const info = model.resolveCall(call);
  if (!info.name) return undefined;
  // Inside the library itself a class resolves to its defining module (`aiohttp.client.ClientSession`).
  const canonical = canonicalName(info.name);
  const creator = model.matchInfo(info, CREATOR_NAMES) ?? (canonical !== info.name && CREATOR_NAMES.has(canonical) ? canonical : undefined);
  if (creator) {
    // `Session()` with no engine bound cannot check out a connection (a scratch session for merge/expunge).
    if (UNBOUND_SESSIONS.has(creator) && !call.childForFieldName('arguments')?.namedChildren.some((a) => a.type !== 'comment')) return undefined;
    const spec: ResourceSpec = { creator, ...CREATORS[creator] };
    if (spec.family === 'pooled-connection') {
      const fn = call.childForFieldName('function');
      const pool = fn?.type === 'attribute' ? fn.childForFieldName('object') ?? undefined : undefined;
      if (pool) spec.pool = pool;
    }
    return spec;
  }
  const streamed = model.matchInfo(info, STREAM_CALLS);
  if (streamed) {
    const arg = model.argument(call, 'stream', streamed);
    if (arg.kind === 'present' && model.constantValue(arg.node) === true) return { creator: streamed, ...STREAM_SPEC };
  }
  return undefined;
}

// ---- what becomes of it ---------------------------------------------------------------------

export type UseKind =
  /** `with x:` / `async with x:` (directly or later). */
  | 'with'
  /** `x.close()`, `x.shutdown()`, `await x.aclose()` ... */
  | 'release'
  /** `pool.release(x)`. */
  | 'release-arg'
  /** `x.close` handed over uncalled: `stack.callback(x.close)`, `self.addCleanup(x.close)`, `atexit.register`. */
  | 'registered'
  /** `stack.enter_context(x)`, `await stack.enter_async_context(x)`. */
  | 'exit-stack'
  /** `contextlib.closing(x)` / `aclosing(x)`. */
  | 'closing'
  /** A streamed response's body read in full (`.content`, `.json()`, `iter_content()`): the connection goes back. */
  | 'consumed'
  /** Returned, stored, passed to a call that may keep it, captured, aliased. */
  | 'escape'
  /** `yield x`: lent to the caller; an escape unless the function also releases it afterwards. */
  | 'yield'
  /** Any other use (method call, attribute, test). */
  | 'use';

export type EscapeHow = 'returned' | 'yielded' | 'stored' | 'self-attribute' | 'container' | 'passed' | 'captured' | 'aliased' | 'global' | 'unknown';

export interface ResourceUse {
  kind: UseKind;
  /** The reference (the identifier, or the creating expression itself). */
  node: SyntaxNode;
  /** The node that does it: the release call, the `with` statement, the return ... */
  at: SyntaxNode;
  /** For releases: inside a `finally:` or an `except` handler of the function. */
  onErrorPath?: boolean;
  /** For escapes. */
  how?: EscapeHow;
  /** For `self-attribute` escapes: the attribute's name and the class whose method stores it. */
  attribute?: string;
  ownerClass?: ClassInfo;
}

export type Fate =
  /** Created at module level or in a class body: an intentional singleton. */
  | 'singleton'
  /** Handed to `with` / `async with`. */
  | 'with'
  /** Released in a `finally:` (or an `except` handler, taken as deliberate error-path cleanup). */
  | 'finally'
  | 'exit-stack'
  | 'closing'
  /** Its release method was registered as a callback (addCleanup, atexit, ExitStack.callback). */
  | 'registered'
  /** A streamed response whose body is read: the connection returns to the pool. */
  | 'consumed'
  | 'escapes'
  /** Released, but only on the straight-line path: an exception in between leaks it. */
  | 'closed-not-in-finally'
  /** sqlite3 / psycopg2 connection used only in `with`, which does not close it. */
  | 'with-transaction-only'
  | 'never-closed'
  /** Created inside `with pytest.raises(...)` / `with self.assertRaises(...)`: the test expects it to fail. */
  | 'expected-to-raise';

export interface Lifetime {
  call: SyntaxNode;
  /** The creating expression with its `await` / parentheses. */
  expr: SyntaxNode;
  spec: ResourceSpec;
  fate: Fate;
  /** The function (or lambda) that creates it; null for singletons. */
  function: SyntaxNode | null;
  /** Inside `async def`. */
  isAsync: boolean;
  /** The statement holding the creation, and the block (or module) that holds the statement. */
  statement: SyntaxNode;
  block: SyntaxNode | null;
  /** The local name it is bound to (`session = requests.Session()`), if any. */
  name?: string;
  binding?: Binding;
  /** Used without being bound: `requests.Session().get(url)` or a bare expression statement. */
  inline: boolean;
  /** Every use found, in source order. */
  uses: ResourceUse[];
  releases: ResourceUse[];
  escapes: ResourceUse[];
  /** The `with` statements it is handed to. */
  withStatements: SyntaxNode[];
  /**
   * Every use sits in a statement that follows the creation statement in the same block, so the
   * creation through the last use can be wrapped in one `with` block.
   */
  straightLine: boolean;
  /** The last statement of the creation's block that uses it (for a `with` codemod). */
  lastUseStatement?: SyntaxNode;
  /** For `closed-not-in-finally`: code that can raise runs between the creation and the release. */
  mayRaiseBeforeRelease: boolean;
}

interface Cache {
  specs: Map<number, ResourceSpec | undefined>;
  lifetimes: Map<number, Lifetime | undefined>;
  classReleases: Map<string, boolean>;
  /** Per class node id: the ids of the classes whose chain includes it (itself too). Built once. */
  subclasses?: Map<number, number[]>;
  /** Per class node id: its string contents, and whether it touches `__dict__` / `vars` / `setattr`. */
  classMentions: Map<number, { strings: Set<string>; dynamic: boolean }>;
  /** By attribute name: whether some access to it in the module may release it (attributeMayBeReleased). */
  attributeReleases: Map<string, boolean>;
  /** The module's attribute nodes by attribute name. Built once. */
  attributesByName?: Map<string, SyntaxNode[]>;
}

const caches = new WeakMap<SemanticModel, Cache>();

function cacheFor(model: SemanticModel): Cache {
  let c = caches.get(model);
  if (!c) {
    c = { specs: new Map(), lifetimes: new Map(), classReleases: new Map(), classMentions: new Map(), attributeReleases: new Map() };
    caches.set(model, c);
  }
  return c;
}

/** The lifetime of the resource `call` creates, or undefined when it creates none. */
export function lifetimeOf(model: SemanticModel, call: SyntaxNode): Lifetime | undefined {
  const cache = cacheFor(model).lifetimes;
  if (cache.has(call.id)) return cache.get(call.id);
  const spec = resourceCreatedBy(model, call);
  const lt = spec ? analyse(model, call, spec) : undefined;
  cache.set(call.id, lt);
  return lt;
}

function analyse(model: SemanticModel, call: SyntaxNode, spec: ResourceSpec): Lifetime {
  let expr = call;
  while (expr.parent && (expr.parent.type === 'parenthesized_expression' || expr.parent.type === 'await')) expr = expr.parent;
  const fn = enclosingFunction(call);
  const statement = enclosingStatement(expr);
  const lt: Lifetime = {
    call,
    expr,
    spec,
    fate: 'singleton',
    function: fn,
    isAsync: isAsyncFunction(fn),
    statement,
    block: statement.parent,
    inline: false,
    uses: [],
    releases: [],
    escapes: [],
    withStatements: [],
    straightLine: false,
    mayRaiseBeforeRelease: false,
  };
  if (!fn) return lt;

  const first = classify(model, expr, spec, true, fn);
  // `with sqlite3.connect(p) as conn:` does not close: follow `conn` to see whether something does.
  const alias = first.kind === 'with' && !spec.withCloses ? withAlias(expr) : undefined;
  if (alias) lt.uses.push(first as ResourceUse);
  if (first.kind === 'bind' || alias) {
    const target = alias ?? (first as { target: SyntaxNode }).target;
    lt.name = target.text;
    const scope = model.scopeFor(fn);
    lt.binding = scope.bindings.get(target.text)?.find((b) => b.node.id === target.id);
    if (scope.globals.has(target.text) || scope.nonlocals.has(target.text)) {
      lt.uses.push({ kind: 'escape', how: 'global', node: target, at: first.at });
    } else {
      for (const ref of references(model, fn, scope, target.text)) {
        // A read before the creation refers to an earlier value, unless a loop runs it again after.
        if (ref.node.startIndex < expr.startIndex && !sharedLoop(ref.node, expr, fn)) continue;
        if (ref.captured) {
          lt.uses.push({ kind: 'escape', how: 'captured', node: ref.node, at: ref.node });
          continue;
        }
        const u = classify(model, ref.node, spec, false, fn);
        if (u.kind !== 'bind' && u.kind !== 'inline' && u.kind !== 'discarded') lt.uses.push(u);
      }
    }
  } else {
    lt.inline = first.kind === 'inline' || first.kind === 'discarded';
    if (first.kind === 'inline' || first.kind === 'discarded') lt.uses.push({ kind: 'use', node: expr, at: first.at });
    else lt.uses.push(first);
  }

  lt.releases = lt.uses.filter((u) => u.kind === 'release' || u.kind === 'release-arg');
  lt.escapes = lt.uses.filter((u) => u.kind === 'escape');
  lt.withStatements = lt.uses.filter((u) => u.kind === 'with').map((u) => u.at);
  lt.fate = decideFate(lt);
  // pytest runs a fixture's code after `yield` as teardown even when the test fails.
  if (lt.fate === 'closed-not-in-finally' && lt.uses.some((u) => u.kind === 'yield') && isPytestFixture(model, fn)) lt.fate = 'finally';
  if (lt.fate !== 'escapes' && (expectedToRaise(model, statement, fn) || (first.kind === 'discarded' && probedInTry(statement, fn)))) {
    lt.fate = 'expected-to-raise';
  }
  fillShape(lt);
  if (lt.fate === 'closed-not-in-finally') lt.mayRaiseBeforeRelease = mayRaiseBetween(lt);
  return lt;
}

function decideFate(lt: Lifetime): Fate {
  const has = (k: UseKind) => lt.uses.some((u) => u.kind === k);
  const released = lt.releases.length > 0;
  if (lt.escapes.length || (has('yield') && !released)) return 'escapes';
  if (lt.releases.some((r) => r.onErrorPath)) return 'finally';
  if (has('with') && lt.spec.withCloses) return 'with';
  if (has('exit-stack')) return 'exit-stack';
  if (has('closing')) return 'closing';
  if (has('registered')) return 'registered';
  if (has('consumed')) return 'consumed';
  if (released) return 'closed-not-in-finally';
  if (has('with')) return 'with-transaction-only';
  return 'never-closed';
}

function fillShape(lt: Lifetime): void {
  const block = lt.block;
  if (!block || (block.type !== 'block' && block.type !== 'module')) return;
  let last: SyntaxNode | undefined;
  let straight = true;
  for (const u of lt.uses) {
    if (u.node.id === lt.expr.id) continue;
    const stmt = statementIn(u.node, block);
    if (!stmt || stmt.startIndex <= lt.statement.startIndex) {
      straight = false;
      continue;
    }
    if (!last || stmt.startIndex > last.startIndex) last = stmt;
  }
  lt.straightLine = straight;
  lt.lastUseStatement = last;
}

const RAISES_CONTEXTS = new Set(['raises', 'assertRaises', 'assertRaisesRegex', 'assertRaisesRegexp', 'assertWarns', 'assertWarnsRegex']);

/** `stmt` runs in the body of `with pytest.raises(...)` / `with self.assertRaises(...)` in `fn`. */
function expectedToRaise(model: SemanticModel, stmt: SyntaxNode, fn: SyntaxNode): boolean {
  for (let n = stmt.parent; n && n.id !== fn.id; n = n.parent) {
    if (n.type !== 'with_statement') continue;
    for (const item of n.descendantsOfType('with_item')) {
      let v = item.childForFieldName('value');
      if (v?.type === 'as_pattern') v = v.namedChild(0);
      const f = v?.type === 'call' ? v.childForFieldName('function') : undefined;
      const last = f?.type === 'attribute' ? f.childForFieldName('attribute') : f;
      if (last?.type === 'identifier' && RAISES_CONTEXTS.has(last.text)) return true;
    }
  }
  return false;
}

const FIXTURE_DECORATORS = new Set(['pytest.fixture', 'pytest.yield_fixture', 'pytest_asyncio.fixture']);

function isPytestFixture(model: SemanticModel, fn: SyntaxNode): boolean {
  return decoratorsOf(fn).some((d) => {
    const target = d.type === 'call' ? d.childForFieldName('function') : d;
    const q = target ? model.qualifiedName(target) : undefined;
    return !!q && FIXTURE_DECORATORS.has(q);
  });
}

/** A bare `socket.create_connection(addr)` statement in a `try` body with handlers: a probe expected to fail. */
function probedInTry(stmt: SyntaxNode, fn: SyntaxNode): boolean {
  let child = stmt;
  for (let p = stmt.parent; p && p.id !== fn.id; child = p, p = p.parent) {
    if (p.type === 'try_statement' && p.childForFieldName('body')?.id === child.id) {
      return p.namedChildren.some((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    }
  }
  return false;
}

/** The direct child of `block` that holds `node`, if any. */
function statementIn(node: SyntaxNode, block: SyntaxNode): SyntaxNode | undefined {
  let n: SyntaxNode | null = node;
  while (n && n.parent && n.parent.id !== block.id) n = n.parent;
  return n && n.parent?.id === block.id ? n : undefined;
}

const RAISING_TYPES = ['call', 'await', 'yield', 'raise_statement', 'assert_statement', 'subscript'];

function mayRaiseBetween(lt: Lifetime): boolean {
  // `socket.socket().close()`: released in the same expression.
  const straight = lt.releases.filter((r) => !r.onErrorPath && !contains(r.at, lt.expr));
  if (!straight.length) return false;
  const start = lt.expr.endIndex;
  const first = straight.reduce((a, b) => (b.at.startIndex < a.at.startIndex ? b : a));
  const end = first.at.startIndex;
  // A release before the creation runs in a later loop turn: anything in the loop may raise.
  if (end <= start) return true;
  const body = lt.function?.childForFieldName('body');
  if (!body) return false;
  for (const n of body.descendantsOfType(RAISING_TYPES)) {
    if (n.startIndex < start || n.startIndex >= end) continue;
    if (insideNestedFunction(n, lt.function!)) continue;
    if (swallowedBefore(n, first.at, lt.function!)) continue;
    if (inHandlerOfTryAround(n, lt.expr, lt.function!)) continue;
    if (isHarmlessAccessor(n, lt.name)) continue;
    return true;
  }
  return false;
}

/**
 * `n` runs in an `except` handler of a `try` whose body holds the creation: either the creation
 * failed (nothing to leak) or the try body raised after it, which is counted there.
 */
function inHandlerOfTryAround(n: SyntaxNode, creation: SyntaxNode, fn: SyntaxNode): boolean {
  for (let p = n.parent; p && p.id !== fn.id; p = p.parent) {
    if (p.type !== 'except_clause' && p.type !== 'except_group_clause') continue;
    const body = p.parent?.type === 'try_statement' ? p.parent.childForFieldName('body') : null;
    if (body && contains(body, creation)) return true;
  }
  return false;
}

/** Accessors on the resource that do not fail: `sock.fileno()`, `sock.gettimeout()`. */
const HARMLESS_ACCESSORS = new Set(['fileno', 'gettimeout', 'getblocking', 'cursor']);

function isHarmlessAccessor(n: SyntaxNode, name: string | undefined): boolean {
  if (n.type !== 'call' || !name) return false;
  const f = n.childForFieldName('function');
  if (f?.type !== 'attribute') return false;
  const obj = f.childForFieldName('object');
  return obj?.type === 'identifier' && obj.text === name && HARMLESS_ACCESSORS.has(f.childForFieldName('attribute')?.text ?? '');
}

function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * `n` runs in the body of a `try` (not holding `release`) whose handler catches everything
 * (`except:`, `except Exception`, `except BaseException`) and neither re-raises nor returns:
 * an exception from `n` ends there and the code after the `try`, the release, still runs.
 */
function swallowedBefore(n: SyntaxNode, release: SyntaxNode, fn: SyntaxNode): boolean {
  let child = n;
  for (let p = n.parent; p && p.id !== fn.id; child = p, p = p.parent) {
    if (p.type !== 'try_statement' || contains(p, release)) continue;
    if (p.childForFieldName('body')?.id !== child.id) continue;
    for (const c of p.namedChildren) {
      if (c.type !== 'except_clause') continue;
      const caught = c.namedChildren.filter((x) => x.type !== 'block' && x.type !== 'comment');
      const what = caught[0]?.type === 'as_pattern' ? caught[0].namedChild(0) : caught[0];
      const broad = !what || what.text === 'Exception' || what.text === 'BaseException';
      const block = c.namedChildren.find((x) => x.type === 'block');
      const exits = block?.descendantsOfType(['raise_statement', 'return_statement', 'continue_statement', 'break_statement']).length;
      if (broad && !exits) return true;
    }
  }
  return false;
}

function insideNestedFunction(node: SyntaxNode, fn: SyntaxNode): boolean {
  for (let n = node.parent; n && n.id !== fn.id; n = n.parent) if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') return true;
  return false;
}

// ---- references of a bound name ------------------------------------------------------------

interface Reference {
  node: SyntaxNode;
  /** Read from a nested function, lambda or class body. */
  captured: boolean;
}

/** Every read of `name` in `fn` that refers to `fn`'s own variable (including reads from nested scopes). */
function references(model: SemanticModel, fn: SyntaxNode, scope: Scope, name: string): Reference[] {
  const body = fn.childForFieldName('body');
  if (!body) return [];
  const own = new Set((scope.bindings.get(name) ?? []).map((b) => b.node.id));
  const out: Reference[] = [];
  const candidates = body.type === 'identifier' ? [body] : body.descendantsOfType('identifier');
  for (const id of candidates) {
    if (id.text !== name) continue;
    const p = id.parent;
    if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) continue;
    if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) continue;
    if (p && (p.type === 'dotted_name' || p.type === 'aliased_import' || p.type === 'global_statement' || p.type === 'nonlocal_statement')) continue;
    const inner = model.scopeOf(id);
    if (inner.node.id === fn.id) {
      if (own.has(id.id)) continue;
      out.push({ node: id, captured: false });
      continue;
    }
    // A nested scope: ours unless some scope between it and fn binds the name itself.
    let shadowed = false;
    for (let s: Scope | null = inner; s && s.node.id !== fn.id; s = s.parent) {
      if (s.nonlocals.has(name)) break;
      if (s.bindings.has(name) || s.globals.has(name)) {
        shadowed = true;
        break;
      }
    }
    if (!shadowed) out.push({ node: id, captured: true });
  }
  return out;
}

// ---- one use, from its syntactic context ---------------------------------------------------

type Classified =
  | ResourceUse
  | { kind: 'bind'; target: SyntaxNode; at: SyntaxNode }
  | { kind: 'inline'; at: SyntaxNode }
  | { kind: 'discarded'; at: SyntaxNode };

/** How the value flowed up to its consumer. */
type Wrapping = 'none' | 'choice' | 'container';

const CHOICE_TYPES = new Set(['conditional_expression', 'boolean_operator', 'parenthesized_expression']);
const CONTAINER_TYPES = new Set(['tuple', 'list', 'set', 'expression_list', 'pair', 'dictionary', 'list_splat', 'dictionary_splat', 'keyword_argument']);

/**
 * What the expression `v` (the creating expression, or a read of the bound name) does, from its
 * syntactic context. `fresh` is true for the creating expression itself.
 */
function classify(model: SemanticModel, v: SyntaxNode, spec: ResourceSpec, fresh: boolean, fn: SyntaxNode): Classified {
  let n = v;
  let wrapping: Wrapping = 'none';
  for (;;) {
    const p = n.parent;
    if (!p) return { kind: 'escape', how: 'unknown', node: v, at: n };
    if (p.type === 'conditional_expression' && p.namedChildren[1]?.id === n.id) break; // the condition
    if (p.type === 'keyword_argument' && p.childForFieldName('value')?.id !== n.id) break;
    if (p.type === 'pair' && p.childForFieldName('value')?.id !== n.id) {
      // Used as a dict key: kept by the dict.
      return { kind: 'escape', how: 'container', node: v, at: p };
    }
    if (CHOICE_TYPES.has(p.type) || (p.type === 'await' && !fresh)) {
      if (p.type !== 'parenthesized_expression' && wrapping === 'none') wrapping = 'choice';
      n = p;
      continue;
    }
    if (CONTAINER_TYPES.has(p.type)) {
      if (p.type !== 'keyword_argument') wrapping = 'container';
      n = p;
      continue;
    }
    break;
  }
  const p = n.parent!;
  const use = (kind: UseKind, at: SyntaxNode, extra: Partial<ResourceUse> = {}): ResourceUse => ({ kind, node: v, at, ...extra });
  const escape = (how: EscapeHow, at: SyntaxNode, extra: Partial<ResourceUse> = {}) => use('escape', at, { how, ...extra });

  switch (p.type) {
    case 'return_statement':
      return escape('returned', p);
    case 'yield':
      return p.children.some((c) => c.type === 'from') ? escape('yielded', p) : use('yield', p);
    case 'lambda':
      return escape('returned', p);
    case 'with_item':
      return use('with', withOf(p) ?? p);
    case 'as_pattern': {
      // `with (make() as x):` puts the as_pattern in parentheses.
      let item = p.parent;
      while (item?.type === 'parenthesized_expression') item = item.parent;
      if (item?.type === 'with_item' && p.namedChild(0)?.id === n.id) return use('with', withOf(item) ?? p);
      return escape('unknown', p);
    }
    case 'assignment': {
      if (p.childForFieldName('right')?.id !== n.id) return use('use', p);
      const left = p.childForFieldName('left');
      if (!left) return escape('unknown', p);
      if (p.parent?.type === 'assignment') return escape('aliased', p); // a = b = value
      if (left.type === 'identifier') {
        if (fresh && wrapping === 'none') return { kind: 'bind', target: left, at: p };
        return escape('aliased', p);
      }
      if (left.type === 'attribute' && wrapping !== 'container') {
        const owner = selfOwner(model, left);
        if (owner) return escape('self-attribute', p, { attribute: left.childForFieldName('attribute')!.text, ownerClass: owner });
        return escape('stored', p);
      }
      return escape(left.type === 'subscript' ? 'container' : 'stored', p);
    }
    case 'augmented_assignment':
      return p.childForFieldName('right')?.id === n.id ? escape('container', p) : use('use', p);
    case 'named_expression':
      return escape('aliased', p);
    case 'attribute': {
      if (p.childForFieldName('object')?.id !== n.id) return use('use', p);
      if (wrapping === 'container') return escape('unknown', p);
      const member = p.childForFieldName('attribute')?.text ?? '';
      const gp = p.parent;
      const called = gp?.type === 'call' && gp.childForFieldName('function')?.id === p.id;
      if (called) {
        if (RELEASE_METHODS.has(member)) return use('release', gp!, { onErrorPath: onErrorPath(gp!, fn) });
        if (OWNERSHIP_METHODS.has(member)) {
          // `conn.cursor()` keeps the connection only while the cursor lives: a read, not a handover.
          if ((member === 'cursor' || member.startsWith('execute')) && !fresh) return use('use', gp!);
          return escape('passed', gp!);
        }
        if (spec.family === 'streamed-response' && CONSUMING_MEMBERS.has(member)) return use('consumed', gp!);
        return fresh ? { kind: 'inline', at: gp! } : use('use', gp!);
      }
      if (RELEASE_METHODS.has(member) || member === 'detach') return use('registered', p);
      if (spec.family === 'streamed-response' && CONSUMING_MEMBERS.has(member)) return use('consumed', p);
      return fresh ? { kind: 'inline', at: p } : use('use', p);
    }
    case 'argument_list': {
      const call = p.parent;
      if (!call || call.type !== 'call') return escape('passed', p);
      return classifyArgument(model, v, n, call, fn);
    }
    case 'delete_statement':
      // `del conn` drops the last reference on purpose; CPython closes it there.
      return escape('unknown', p);
    case 'call':
      // Calling it (`registry()` on a scoped_session) uses it.
      if (p.childForFieldName('function')?.id === n.id && wrapping === 'none') return fresh ? { kind: 'inline', at: p } : use('use', p);
      return escape('unknown', p);
    case 'subscript':
      if (p.childForFieldName('value')?.id === n.id) return fresh ? { kind: 'inline', at: p } : use('use', p);
      return escape('container', p);
    case 'expression_statement':
      if (fresh && wrapping === 'none') return { kind: 'discarded', at: p };
      return use('use', p);
    case 'for_statement':
    case 'for_in_clause':
      if (p.childForFieldName('right')?.id !== n.id) return escape('unknown', p);
      if (spec.family === 'streamed-response') return use('consumed', p);
      return fresh ? { kind: 'inline', at: p } : use('use', p);
    case 'comparison_operator':
    case 'not_operator':
    case 'if_statement':
    case 'elif_clause':
    case 'while_statement':
    case 'assert_statement':
    case 'interpolation':
    case 'conditional_expression':
      return fresh ? escape('unknown', p) : use('use', p);
    default:
      return escape('unknown', p);
  }
}

function classifyArgument(model: SemanticModel, v: SyntaxNode, n: SyntaxNode, call: SyntaxNode, fn: SyntaxNode): ResourceUse {
  const use = (kind: UseKind, extra: Partial<ResourceUse> = {}): ResourceUse => ({ kind, node: v, at: call, ...extra });
  const f = call.childForFieldName('function');
  const method = f?.type === 'attribute' ? f.childForFieldName('attribute')?.text : undefined;
  const name = f ? model.qualifiedName(f) : undefined;
  if (name && CLOSING_WRAPPERS.has(name)) return use('closing');
  if (method && EXIT_STACK_METHODS.has(method)) return use('exit-stack');
  if (method && RELEASE_ARG_METHODS.has(method) && n.id === v.id) return use('release-arg', { onErrorPath: onErrorPath(call, fn) });
  if (name && HARMLESS_CALLS.has(name) && n.id === v.id) return use('use');
  if (method && HARMLESS_METHODS.has(method) && n.id === v.id) return use('use');
  return use('escape', { how: 'passed' });
}

/** `conn` in `with sqlite3.connect(p) as conn:` when `expr` is the with item's value. */
function withAlias(expr: SyntaxNode): SyntaxNode | undefined {
  const p = expr.parent;
  if (p?.type !== 'as_pattern' || p.parent?.type !== 'with_item') return undefined;
  const target = p.childForFieldName('alias')?.namedChild(0);
  return target?.type === 'identifier' ? target : undefined;
}

/** Some loop of `fn` holds both nodes (so the earlier one also runs after the later one). */
function sharedLoop(a: SyntaxNode, b: SyntaxNode, fn: SyntaxNode): boolean {
  for (let n = a.parent; n && n.id !== fn.id; n = n.parent) {
    if ((n.type === 'for_statement' || n.type === 'while_statement') && b.startIndex >= n.startIndex && b.endIndex <= n.endIndex) return true;
  }
  return false;
}

function withOf(item: SyntaxNode): SyntaxNode | undefined {
  const stmt = item.parent?.parent;
  return stmt?.type === 'with_statement' ? stmt : undefined;
}

/** Inside a `finally:` or `except` block of `fn` (not of a nested function). */
function onErrorPath(node: SyntaxNode, fn: SyntaxNode): boolean {
  for (let n = node.parent; n && n.id !== fn.id; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') return false;
    if (n.type === 'finally_clause' || n.type === 'except_clause' || n.type === 'except_group_clause') return true;
  }
  return false;
}

/** The class whose instance `self.x` stores into, when the object is a method's `self` (not `cls`). */
function selfOwner(model: SemanticModel, left: SyntaxNode): ClassInfo | undefined {
  const obj = left.childForFieldName('object');
  if (!obj || obj.type !== 'identifier') return undefined;
  const b = model.lookup(obj.text, obj);
  if (!b) return undefined;
  const cls = model.selfClassOf(b);
  if (!cls) return undefined;
  const method = b.node.parent?.parent?.type === 'function_definition' ? b.node.parent.parent : b.node.parent?.parent?.parent;
  const decorators = method?.parent?.type === 'decorated_definition' ? method.parent.namedChildren.filter((c) => c.type === 'decorator') : [];
  if (decorators.some((d) => /^@(classmethod|staticmethod)\b/.test(d.text))) return undefined;
  return cls;
}

// ---- classes that keep a resource on self ------------------------------------------------------

/** Bases that do nothing with a subclass's attributes: a class on these alone must close them itself. */
const PLAIN_BASES = new Set([
  'object', 'abc.ABC', 'typing.Generic', 'typing.Protocol', 'unittest.TestCase', 'unittest.IsolatedAsyncioTestCase',
  'threading.Thread', 'Exception', 'BaseException',
]);

/**
 * Whether `self.<attribute>` of `cls` may be released: some code of the file (any method of the
 * class, its bases or subclasses, or elsewhere through another reference) closes it, hands it to
 * `with`, an ExitStack or a callback, or passes it on. Also true when the class derives from a
 * base outside the file (whose methods may close it), or reaches its attributes by name
 * (`getattr`, `__dict__`, `vars`). False only when every use of the attribute is a plain read.
 */
export function classMayReleaseAttribute(model: SemanticModel, cls: ClassInfo, attribute: string): boolean {
  const cache = cacheFor(model).classReleases;
  const key = `${cls.node.id}:${attribute}`;
  let v = cache.get(key);
  if (v === undefined) {
    v = computeClassRelease(model, cls, attribute);
    cache.set(key, v);
  }
  return v;
}

// Everything here is looked up in per-module indexes (built once, see Cache): scanning the module
// per class and attribute made a module with hundreds of classes take minutes.
function computeClassRelease(model: SemanticModel, cls: ClassInfo, attribute: string): boolean {
  if (hasForeignBase(model, cls, new Set())) return true;
  const cache = cacheFor(model);
  const family = new Set<number>();
  for (const c of model.classChain(cls)) family.add(c.node.id);
  for (const id of subclassesOf(model, cache).get(cls.node.id) ?? []) family.add(id);
  for (const id of family) {
    const m = classMentions(model.classes().get(id)!, cache);
    if (m.dynamic || m.strings.has(attribute)) return true;
  }
  return attributeMayBeReleased(model, cache, attribute);
}

/** True when some `<x>.<attribute>` in the module is neither a plain use nor a store: it may be closed there. */
function attributeMayBeReleased(model: SemanticModel, cache: Cache, attribute: string): boolean {
  let v = cache.attributeReleases.get(attribute);
  if (v !== undefined) return v;
  v = false;
  const spec: ResourceSpec = { creator: '', ...HTTP_SESSION };
  for (const a of attributesNamed(model, cache, attribute)) {
    const p = a.parent;
    // A store into the attribute (`self.x = ...`, `self.x: T = ...`) is not a use of the old value.
    if (p?.type === 'assignment' && p.childForFieldName('left')?.id === a.id) continue;
    const fn = enclosingFunction(a) ?? model.root;
    const u = classify(model, a, spec, false, fn);
    if (u.kind === 'use' || u.kind === 'bind') continue;
    v = true;
    break;
  }
  cache.attributeReleases.set(attribute, v);
  return v;
}

function subclassesOf(model: SemanticModel, cache: Cache): Map<number, number[]> {
  if (!cache.subclasses) {
    const out = new Map<number, number[]>();
    for (const c of model.classes().values()) {
      for (const a of model.classChain(c)) addTo(out, a.node.id, c.node.id);
    }
    cache.subclasses = out;
  }
  return cache.subclasses;
}

function classMentions(cls: ClassInfo, cache: Cache): { strings: Set<string>; dynamic: boolean } {
  let m = cache.classMentions.get(cls.node.id);
  if (!m) {
    const strings = new Set(cls.node.descendantsOfType('string_content').map((s) => s.text));
    const dynamic = cls.node.descendantsOfType('identifier').some((i) => i.text === '__dict__' || i.text === 'vars' || i.text === 'setattr');
    cache.classMentions.set(cls.node.id, (m = { strings, dynamic }));
  }
  return m;
}

function attributesNamed(model: SemanticModel, cache: Cache, name: string): readonly SyntaxNode[] {
  if (!cache.attributesByName) {
    const out = new Map<string, SyntaxNode[]>();
    for (const a of model.root.descendantsOfType('attribute')) {
      const attr = a.childForFieldName('attribute')?.text;
      if (attr !== undefined) addTo(out, attr, a);
    }
    cache.attributesByName = out;
  }
  return cache.attributesByName.get(name) ?? [];
}

function hasForeignBase(model: SemanticModel, cls: ClassInfo, seen: Set<number>): boolean {
  if (seen.has(cls.node.id)) return false;
  seen.add(cls.node.id);
  const supers = cls.node.childForFieldName('superclasses');
  for (const s of supers?.namedChildren ?? []) {
    if (s.type === 'keyword_argument') {
      if (s.childForFieldName('name')?.text === 'metaclass') continue;
      return true;
    }
    if (s.type === 'comment') continue;
    // `Generic[T]`, `Protocol[T]`: the subscripted class.
    const q = model.qualifiedName(s.type === 'subscript' ? s.childForFieldName('value') ?? s : s);
    if (!q) return true;
    if (PLAIN_BASES.has(q)) continue;
    const base = model.classByQualifiedName(q);
    if (!base) return true;
    if (hasForeignBase(model, base, seen)) return true;
  }
  return false;
}

// ---- words for messages ----------------------------------------------------------------------

/** `a requests.Session`, `an asyncpg connection`. */
export function withArticle(label: string): string {
  return `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;
}

/** What piles up in production when this resource is never released. */
export function consequence(spec: ResourceSpec): string {
  switch (spec.family) {
    case 'http-client':
    case 'async-http-client':
    case 'pool-manager':
    case 'connector':
      return 'its pooled keep-alive connections are never closed, so sockets pile up in CLOSE_WAIT until the process runs out of file descriptors';
    case 'thread-executor':
      return 'its worker threads are never shut down, so threads leak with every call and interpreter exit waits for them';
    case 'process-executor':
      return 'its worker processes are never shut down, so processes leak with every call';
    case 'socket':
      return 'its file descriptor leaks; the peer sits in CLOSE_WAIT and the process ends up failing with "Too many open files"';
    case 'orm-session':
      return "its connection is never returned to the engine's pool, so the pool is exhausted and later requests time out waiting for a connection";
    case 'session-registry':
      return "the thread's session is never removed, so its connection stays checked out of the pool";
    case 'db-connection':
      return 'the server connection stays open, so idle connections pile up until the database refuses new ones ("too many connections")';
    case 'pooled-connection':
      return 'the connection is never given back to the pool, so the pool runs dry and every later acquire() waits';
    case 'streamed-response':
      return 'its connection stays checked out of the pool until the body is read or closed, so the pool is exhausted and later requests block';
    case 'sqlite-connection':
      return 'the database file handle (and any lock it holds) stays open until garbage collection';
  }
}

/** The `with` form that releases it: `with requests.Session() as session:`. */
export function withAdvice(lt: Lifetime): string {
  const s = lt.spec;
  const target = lt.name ?? defaultName(s);
  const created = lt.call.text.length <= 60 && !lt.call.text.includes('\n') ? lt.call.text : `${shortCreator(s)}(...)`;
  if (!s.withCloses) return `\`with contextlib.closing(${created}) as ${target}:\``;
  return `\`${s.asyncWith ? 'async with' : 'with'} ${created} as ${target}:\``;
}

/** The explicit release call: `session.close()`, `await client.aclose()`, `await pool.release(conn)`. */
export function releaseAdvice(lt: Lifetime): string {
  const s = lt.spec;
  const target = lt.name ?? defaultName(s);
  const aw = s.asyncRelease ? 'await ' : '';
  if (s.family === 'pooled-connection') return `\`${aw}${s.pool?.text ?? 'pool'}.release(${target})\``;
  return `\`${aw}${target}.${s.release}()\``;
}

function shortCreator(s: ResourceSpec): string {
  return s.creator.replace(/^concurrent\.futures\./, '').replace(/\.__call__$/, '');
}

function defaultName(s: ResourceSpec): string {
  switch (s.family) {
    case 'http-client':
    case 'async-http-client':
      return s.label.includes('Client') && !s.label.includes('Session') ? 'client' : 'session';
    case 'connector':
      return 'connector';
    case 'thread-executor':
    case 'process-executor':
      return 'executor';
    case 'socket':
      return 'sock';
    case 'orm-session':
    case 'session-registry':
      return 'session';
    case 'streamed-response':
      return 'response';
    case 'pool-manager':
      return 'http';
    default:
      return 'conn';
  }
}
