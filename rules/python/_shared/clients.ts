// Shared by the session-reuse rules: which calls build an HTTP client (a connection pool), and
// whether the value built is thrown away after one use or kept (stored, collected, returned).
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import { enclosingFunction, isInside } from '../../../src/lang/python/context.js';
import { mayCall } from './names.js';

/** Constructors of clients that own a connection pool, with the name messages use. */
export const CLIENT_CONSTRUCTORS = new Map<string, string>([
  ['requests.Session', 'requests.Session()'],
  ['requests.session', 'requests.session()'],
  ['httpx.Client', 'httpx.Client()'],
  ['httpx.AsyncClient', 'httpx.AsyncClient()'],
  ['aiohttp.ClientSession', 'aiohttp.ClientSession()'],
  ['urllib3.PoolManager', 'urllib3.PoolManager()'],
  ['urllib3.ProxyManager', 'urllib3.ProxyManager()'],
  ['aiohttp.TCPConnector', 'aiohttp.TCPConnector()'],
]);

const CLIENT_NAMES: ReadonlySet<string> = new Set(CLIENT_CONSTRUCTORS.keys());

/** The modules the constructors come from (`requests`, `httpx`, `aiohttp`, `urllib3`): the triggers of rules about them. */
export const CLIENT_MODULES: string[] = [...new Set([...CLIENT_NAMES].map((n) => n.split('.')[0]))];

/** How a message names the constructor called: as written (`ClientSession`) when short, else its qualified `name`. */
export function clientLabel(call: SyntaxNode, name: string): string {
  const called = call.childForFieldName('function')!.text;
  return called.length <= 40 ? called : name;
}

/** What a client constructor should be replaced with in words, per library. */
export function reuseAdvice(name: string): string {
  if (name.startsWith('requests.')) return 'one `requests.Session()`';
  if (name === 'httpx.AsyncClient') return 'one `httpx.AsyncClient()`';
  if (name.startsWith('httpx.')) return 'one `httpx.Client()`';
  if (name === 'aiohttp.TCPConnector') return 'one `aiohttp.TCPConnector()` (or one `ClientSession` that owns it)';
  if (name.startsWith('aiohttp.')) return 'one `aiohttp.ClientSession()`';
  return `one \`${name.split('.').pop()}()\``;
}

/** Cheap syntactic check: false when the call cannot construct a client. */
export function mayConstructClient(call: SyntaxNode, model: SemanticModel): boolean {
  return mayCall(call, model, CLIENT_NAMES, 'clients', true);
}

/** The client class a call constructs (user subclasses included), or undefined. */
export function clientConstructed(call: SyntaxNode, model: SemanticModel): string | undefined {
  if (call.type !== 'call') return undefined;
  if (!mayCall(call, model, CLIENT_NAMES, 'clients', true)) return undefined;
  return model.callMatches(call, CLIENT_NAMES);
}

export type ClientFate =
  /** Used where it was built (a `with` item, a local, a method call on it) and dropped. */
  | 'used-here'
  /** Kept beyond this use: stored on an attribute, in a container, a global, a comprehension result. */
  | 'stored'
  /** Handed to the caller (`return`/`yield`). */
  | 'returned'
  /** An argument of another client constructor (`ClientSession(connector=TCPConnector())`). */
  | 'inside-client';

/** Where a value is handed to the caller. */
const RETURNING = new Set(['return_statement', 'yield']);
/** Displays that hold a value: `[v]`, `(v,)`, `{v}`, `{k: v}`. */
const CONTAINERS = new Set(['list', 'tuple', 'set', 'pair', 'dictionary']);

const STORE_METHODS = new Set(['append', 'add', 'insert', 'appendleft', 'setdefault', 'put', 'put_nowait', 'extend', 'update', 'push', 'enter_context', 'enter_async_context']);

/** Where the client built by `call` goes. */
export function clientFate(call: SyntaxNode, model: SemanticModel, depth = 0): ClientFate {
  // Values handed from name to name can form a cycle (`a = Wrap(b); b = Wrap(a)`): give up quietly.
  if (depth > 6) return 'used-here';
  let node = call;
  for (let step = 0; step < 8; step++) {
    const parent = node.parent;
    if (!parent) return 'used-here';
    if (RETURNING.has(parent.type)) return 'returned';
    if (CONTAINERS.has(parent.type)) return 'stored';
    switch (parent.type) {
      case 'parenthesized_expression':
      case 'await':
      case 'as_pattern':
      case 'with_item':
      case 'with_clause':
      case 'with_statement':
        return 'used-here';
      case 'conditional_expression':
      case 'boolean_operator':
        node = parent;
        continue;
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        // `[Session() for _ in range(n)]`: the clients are the result, a pool kept on purpose.
        return isInside(node, parent.childForFieldName('body')) ? 'stored' : 'used-here';
      case 'keyword_argument':
      case 'argument_list': {
        const outer = callTakingArgument(parent);
        if (!outer) return 'used-here';
        if (clientConstructed(outer, model)) return 'inside-client';
        return argumentFate(outer, model, depth);
      }
      case 'assignment':
      case 'augmented_assignment':
        return assignmentFate(parent, model, depth);
      case 'named_expression':
        return 'used-here';
      case 'attribute':
        // `Session().get(url)`: used once.
        return 'used-here';
      default:
        return 'used-here';
    }
  }
  return 'used-here';
}

function assignmentFate(assignment: SyntaxNode, model: SemanticModel, depth: number): ClientFate {
  // `a = b = value` nests: every target of the chain counts.
  let top = assignment;
  while (top.parent?.type === 'assignment') top = top.parent;
  const targets: SyntaxNode[] = [];
  for (let a: SyntaxNode | null = top; a && (a.type === 'assignment' || a.type === 'augmented_assignment'); a = a.childForFieldName('right')) {
    const left = a.childForFieldName('left');
    if (left) targets.push(left);
  }
  let fate: ClientFate = 'used-here';
  for (const t of targets) {
    if (t.type === 'attribute' || t.type === 'subscript') return 'stored';
    if (t.type !== 'identifier') continue;
    const f = localFate(t, model, depth);
    if (f === 'stored') return 'stored';
    if (f === 'returned') fate = 'returned';
  }
  return fate;
}

/** What happens to a local name bound to a client: stored, returned, or only used. */
function localFate(target: SyntaxNode, model: SemanticModel, depth: number): ClientFate {
  const scope = model.scopeOf(target);
  if (scope.kind === 'module' || scope.kind === 'class') return 'stored';
  if (scope.globals.has(target.text) || scope.nonlocals.has(target.text)) return 'stored';
  const fn = enclosingFunction(target);
  const body = fn?.childForFieldName('body');
  if (!body) return 'used-here';
  const binding = model.lookup(target.text, target);
  let fate: ClientFate = 'used-here';
  for (const use of body.descendantsOfType('identifier')) {
    if (use.text !== target.text || use.startIndex <= target.startIndex) continue;
    // Only uses that see this binding (a nested function sees the name too: it keeps it alive).
    const inNested = enclosingFunction(use) !== fn;
    if (!inNested && model.lookup(use.text, use)?.node.id !== binding?.node.id) continue;
    if (inNested) return 'stored';
    const f = useFate(use, model, depth);
    if (f === 'stored') return 'stored';
    if (f === 'returned') fate = 'returned';
  }
  return fate;
}

function useFate(use: SyntaxNode, model: SemanticModel, depth: number): ClientFate {
  const parent = use.parent;
  if (!parent) return 'used-here';
  if (RETURNING.has(parent.type)) return 'returned';
  if (CONTAINERS.has(parent.type)) return parent.parent?.type === 'return_statement' ? 'returned' : 'stored';
  switch (parent.type) {
    case 'keyword_argument':
    case 'argument_list': {
      const outer = callTakingArgument(parent);
      return outer ? argumentFate(outer, model, depth) : 'used-here';
    }
    case 'assignment': {
      if (parent.childForFieldName('right')?.id !== use.id) return 'used-here';
      return assignmentFate(parent, model, depth + 1);
    }
    default:
      return 'used-here';
  }
}

/** The call a value is an argument of (`f(v)`, `f(k=v)`; `parent` is the argument list or keyword), or undefined. */
function callTakingArgument(parent: SyntaxNode): SyntaxNode | undefined {
  const outer = parent.type === 'keyword_argument' ? parent.parent?.parent : parent.parent;
  return outer?.type === 'call' ? outer : undefined;
}

/** Where a value passed to `outer` goes. */
function argumentFate(outer: SyntaxNode, model: SemanticModel, depth: number): ClientFate {
  const fn = outer.childForFieldName('function');
  if (fn?.type === 'attribute' && STORE_METHODS.has(fn.childForFieldName('attribute')!.text)) return 'stored';
  // Wrapped by another object (`Api(session=Session())`, `Api(session)`): that object carries the
  // client, so follow it. A function (`download(Client(), url)`) uses it and returns something else.
  if (!looksLikeConstructor(outer)) return 'used-here';
  const wrapped = clientFate(outer, model, depth + 1);
  return wrapped === 'inside-client' ? 'used-here' : wrapped;
}

/** `Api(...)`, `mod.Wrapper(...)`: a class by Python naming convention, so it may keep its arguments. */
function looksLikeConstructor(call: SyntaxNode): boolean {
  let fn = call.childForFieldName('function');
  if (fn?.type === 'attribute') fn = fn.childForFieldName('attribute');
  const first = fn?.type === 'identifier' ? fn.text.replace(/^_+/, '')[0] : undefined;
  return !!first && first >= 'A' && first <= 'Z';
}
