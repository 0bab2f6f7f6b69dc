// Which functions run once per web request: route handlers of FastAPI, Starlette, Flask, Quart,
// Sanic and aiohttp (decorated or registered), Django function and class-based views, and
// FastAPI dependencies (`Depends(f)`). Rules ask `webHandlerOf(fn)` to tell per-request code from
// code that runs once (start-up, CLI scripts).
import type { SyntaxNode } from './tree.js';
import type { SemanticModel } from './model.js';
import { decoratorsOf, enclosingFunction } from './context.js';
import { positionalArguments } from './calls.js';

export interface WebHandler {
  /** The framework in words ("FastAPI", "Flask", "aiohttp", "Django", "a web framework"). */
  framework: string;
  /** route: a request handler; dependency: a FastAPI `Depends` callable, run per request. */
  kind: 'route' | 'view' | 'dependency';
  /** What makes it a handler, for messages: "`@app.get(\"/items\")`", "`Depends(get_client)`". */
  evidence: string;
  /** The decorator, registration call or `Depends(...)` call. */
  node: SyntaxNode;
}

/** Classes whose instances register routes with `@x.get("/path")`-style decorators. */
const APP_CLASSES: Record<string, string> = {
  'fastapi.FastAPI': 'FastAPI',
  'fastapi.applications.FastAPI': 'FastAPI',
  'fastapi.APIRouter': 'FastAPI',
  'fastapi.routing.APIRouter': 'FastAPI',
  'starlette.applications.Starlette': 'Starlette',
  'starlette.routing.Router': 'Starlette',
  'flask.Flask': 'Flask',
  'flask.app.Flask': 'Flask',
  'flask.Blueprint': 'Flask',
  'flask.blueprints.Blueprint': 'Flask',
  'quart.Quart': 'Quart',
  'quart.Blueprint': 'Quart',
  'sanic.Sanic': 'Sanic',
  'sanic.Blueprint': 'Sanic',
  'aiohttp.web.RouteTableDef': 'aiohttp',
  'aiohttp.web_routedef.RouteTableDef': 'aiohttp',
};

/** Decorator methods that register a route on an app, router, blueprint or route table. */
const ROUTE_DECORATORS = new Set([
  'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace',
  'route', 'api_route', 'websocket', 'websocket_route', 'view',
]);

/** Methods that register a handler function: `app.router.add_get("/", h)`, `app.add_url_rule(...)`. */
const ADD_METHODS = new Set([
  'add_get', 'add_post', 'add_put', 'add_patch', 'add_delete', 'add_head', 'add_options', 'add_route',
  'add_view', 'add_api_route', 'add_url_rule', 'add_websocket_route', 'add_api_websocket_route',
]);

/** Route objects taking `(path, handler)`: aiohttp's `web.get`, Starlette's `Route`. */
const ROUTE_FACTORIES: Record<string, string> = {
  'aiohttp.web.get': 'aiohttp',
  'aiohttp.web.post': 'aiohttp',
  'aiohttp.web.put': 'aiohttp',
  'aiohttp.web.patch': 'aiohttp',
  'aiohttp.web.delete': 'aiohttp',
  'aiohttp.web.head': 'aiohttp',
  'aiohttp.web.options': 'aiohttp',
  'aiohttp.web.route': 'aiohttp',
  'aiohttp.web.view': 'aiohttp',
  'starlette.routing.Route': 'Starlette',
  'starlette.routing.WebSocketRoute': 'Starlette',
  'fastapi.routing.APIRoute': 'FastAPI',
  'fastapi.routing.APIWebSocketRoute': 'FastAPI',
};

const DEPENDS = new Set(['fastapi.Depends', 'fastapi.Security', 'fastapi.params.Depends', 'fastapi.params.Security', 'fastapi.param_functions.Depends', 'fastapi.param_functions.Security']);

const FUNCTION_DECORATORS: Record<string, string> = {
  'rest_framework.decorators.api_view': 'Django REST framework',
};

/** Base classes whose HTTP-verb methods handle requests (prefix match on the qualified name). */
const VIEW_BASE_PREFIXES: Array<[string, string]> = [
  ['django.views.', 'Django'],
  ['rest_framework.views.', 'Django REST framework'],
  ['rest_framework.viewsets.', 'Django REST framework'],
  ['rest_framework.generics.', 'Django REST framework'],
  ['aiohttp.web.View', 'aiohttp'],
  ['aiohttp.web_urldispatcher.View', 'aiohttp'],
  ['flask.views.', 'Flask'],
  ['quart.views.', 'Quart'],
  ['starlette.endpoints.', 'Starlette'],
  ['tornado.web.RequestHandler', 'Tornado'],
  ['sanic.views.HTTPMethodView', 'Sanic'],
];

const CACHE_DECORATORS = new Set(['functools.lru_cache', 'functools.cache', 'functools.cached_property', 'async_lru.alru_cache', 'cachetools.cached']);

interface ModuleIndex {
  /** function node id → handler, for functions registered by call or used in `Depends`. */
  registered: Map<number, WebHandler>;
  results: Map<number, WebHandler | null>;
}

const indexes = new WeakMap<SemanticModel, ModuleIndex>();

/** The web framework role of a function definition, or undefined when it is not a handler. */
export function webHandlerOf(fn: SyntaxNode, model: SemanticModel): WebHandler | undefined {
  if (fn.type !== 'function_definition') return undefined;
  const index = indexOf(model);
  const cached = index.results.get(fn.id);
  if (cached !== undefined) return cached ?? undefined;
  const result = computeHandler(fn, model, index) ?? null;
  index.results.set(fn.id, result);
  return result ?? undefined;
}

/** True when a function is memoised (`@lru_cache`), so its body runs once, not per call. */
export function isCached(fn: SyntaxNode, model: SemanticModel): boolean {
  return decoratorsOf(fn).some((d) => {
    const target = d.type === 'call' ? d.childForFieldName('function') : d;
    const name = target ? model.qualifiedName(target) : undefined;
    return !!name && CACHE_DECORATORS.has(name);
  });
}

function computeHandler(fn: SyntaxNode, model: SemanticModel, index: ModuleIndex): WebHandler | undefined {
  for (const d of decoratorsOf(fn)) {
    const h = decoratorRoute(d, model);
    if (h) return h;
  }
  const registered = index.registered.get(fn.id);
  if (registered) return registered.kind === 'dependency' && isCached(fn, model) ? undefined : registered;
  return classView(fn, model) ?? djangoFunctionView(fn, model) ?? generatorDependency(fn, model);
}

/**
 * `async def get_client(): async with httpx.AsyncClient() as c: yield c` — an undecorated
 * module-level generator in a FastAPI module or a `dependencies.py`/`deps.py` file. FastAPI
 * dependencies usually live in their own module, away from the `Depends(...)` that uses them;
 * outside FastAPI such a bare generator has little other use (context managers and fixtures
 * carry a decorator).
 */
function generatorDependency(fn: SyntaxNode, model: SemanticModel): WebHandler | undefined {
  if (decoratorsOf(fn).length || enclosingFunction(fn) || model.enclosingClass(fn)) return undefined;
  if (!isGenerator(fn)) return undefined;
  const parts = model.path.split(/[\\/]/);
  const file = parts[parts.length - 1].replace(/\.py$/, '');
  const depsFile = ['dependencies', 'dependency', 'deps'].includes(file) || ['dependencies', 'deps'].includes(parts[parts.length - 2] ?? '');
  if (!depsFile && !importsFastAPI(model)) return undefined;
  const name = fn.childForFieldName('name')!;
  return { framework: 'FastAPI', kind: 'dependency', evidence: 'a generator dependency', node: name };
}

function isGenerator(fn: SyntaxNode): boolean {
  const walk = (n: SyntaxNode): boolean => {
    if (n.type === 'yield') return true;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    return n.namedChildren.some(walk);
  };
  const body = fn.childForFieldName('body');
  return !!body && walk(body);
}

function importsFastAPI(model: SemanticModel): boolean {
  for (const list of model.scopeFor(model.root).bindings.values()) {
    for (const b of list) if (b.kind === 'import' && /^(fastapi|starlette)(\.|$)/.test(b.imported ?? '')) return true;
  }
  return false;
}

function decoratorRoute(d: SyntaxNode, model: SemanticModel): WebHandler | undefined {
  if (d.type !== 'call') {
    return undefined;
  }
  const target = d.childForFieldName('function');
  if (!target) return undefined;
  const direct = model.qualifiedName(target);
  if (direct && FUNCTION_DECORATORS[direct]) {
    return { framework: FUNCTION_DECORATORS[direct], kind: 'view', evidence: `\`@${short(d)}\``, node: d };
  }
  if (target.type !== 'attribute') return undefined;
  const method = target.childForFieldName('attribute')!.text;
  if (!ROUTE_DECORATORS.has(method)) return undefined;
  const receiver = target.childForFieldName('object')!;
  const framework = frameworkOfReceiver(receiver, model);
  if (framework || hasPathArgument(d, model)) {
    return { framework: framework ?? 'a web framework', kind: 'route', evidence: `\`@${short(d)}\``, node: d };
  }
  return undefined;
}

/** The framework of an app/router object: `app = FastAPI()`, `bp: Blueprint = Blueprint(...)`. */
function frameworkOfReceiver(receiver: SyntaxNode, model: SemanticModel): string | undefined {
  const cls = constructedClass(receiver, model);
  return cls ? APP_CLASSES[cls] : undefined;
}

/** The class a name was bound to by calling it (`app = FastAPI()`), or its annotation. */
function constructedClass(expr: SyntaxNode, model: SemanticModel): string | undefined {
  if (expr.type !== 'identifier') return model.typeOf(expr);
  const b = model.lookup(expr.text, expr);
  if (!b) return undefined;
  if (b.value?.type === 'call' && !b.destructured) {
    const name = model.resolveCall(b.value).name;
    if (name) return name;
  }
  if (b.annotation) return model.qualifiedName(b.annotation.type === 'type' ? b.annotation.namedChild(0) ?? b.annotation : b.annotation);
  return model.typeOf(expr);
}

/** A route path: the first positional or `path=`/`rule=` argument is a string starting with "/". */
function hasPathArgument(call: SyntaxNode, model: SemanticModel): boolean {
  const first = positionalArguments(call)[0];
  const candidates = [first];
  const args = call.childForFieldName('arguments');
  for (const a of args?.namedChildren ?? []) {
    if (a.type === 'keyword_argument' && ['path', 'rule'].includes(a.childForFieldName('name')?.text ?? '')) candidates.push(a.childForFieldName('value')!);
  }
  return candidates.some((c) => {
    if (!c) return false;
    const v = model.constantValue(c);
    return typeof v === 'string' && v.startsWith('/');
  });
}

function indexOf(model: SemanticModel): ModuleIndex {
  let index = indexes.get(model);
  if (!index) {
    index = { registered: new Map(), results: new Map() };
    indexes.set(model, index);
    collectRegistrations(model, index);
  }
  return index;
}

/** Finds handlers registered by calls anywhere in the module: add_get, web.get, Route, Depends. */
function collectRegistrations(model: SemanticModel, index: ModuleIndex): void {
  for (const call of model.root.descendantsOfType('call')) {
    const target = call.childForFieldName('function');
    if (!target) continue;
    const name = model.qualifiedName(target);
    if (name && DEPENDS.has(name)) {
      const dep = handlerArgument(call, ['dependency'], 0);
      if (dep) register(model, index, dep, { framework: 'FastAPI', kind: 'dependency', evidence: `\`${short(call)}\``, node: call });
      continue;
    }
    if (name && ROUTE_FACTORIES[name]) {
      const h = handlerArgument(call, ['handler', 'endpoint'], 1);
      if (h) register(model, index, h, { framework: ROUTE_FACTORIES[name], kind: 'route', evidence: `\`${short(call)}\``, node: call });
      continue;
    }
    if (target.type === 'attribute' && ADD_METHODS.has(target.childForFieldName('attribute')!.text)) {
      const receiver = target.childForFieldName('object')!;
      const isRouter =
        (receiver.type === 'attribute' && receiver.childForFieldName('attribute')?.text === 'router') ||
        !!frameworkOfReceiver(receiver, model) ||
        hasPathArgument(call, model) ||
        positionalArguments(call).slice(0, 2).some((a) => {
          const v = model.constantValue(a);
          return typeof v === 'string' && v.startsWith('/');
        });
      if (!isRouter) continue;
      const framework = frameworkOfReceiver(receiver, model) ?? (receiver.type === 'attribute' ? 'aiohttp' : 'a web framework');
      for (const h of [...positionalArguments(call), ...keywordValues(call, ['handler', 'endpoint', 'view_func'])]) {
        if (h.type === 'identifier') register(model, index, h, { framework, kind: 'route', evidence: `\`${short(call)}\``, node: call });
      }
    }
  }
}

function handlerArgument(call: SyntaxNode, keywords: string[], position: number): SyntaxNode | undefined {
  const kw = keywordValues(call, keywords)[0];
  if (kw) return kw;
  return positionalArguments(call)[position];
}

function keywordValues(call: SyntaxNode, names: string[]): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (a.type === 'keyword_argument' && names.includes(a.childForFieldName('name')?.text ?? '')) out.push(a.childForFieldName('value')!);
  }
  return out;
}

function register(model: SemanticModel, index: ModuleIndex, ref: SyntaxNode, h: WebHandler): void {
  if (ref.type !== 'identifier') return;
  const b = model.lookup(ref.text, ref);
  if (b?.kind !== 'def' || !b.value) return;
  if (!index.registered.has(b.value.id)) index.registered.set(b.value.id, h);
}

/**
 * A method of a class-based view (`class V(View): def get(self, request)`). These frameworks build
 * a view instance per request, so every instance method (`get_context_data`, `get_queryset`, a
 * helper) runs per request; class and static methods do not.
 */
function classView(fn: SyntaxNode, model: SemanticModel): WebHandler | undefined {
  const name = fn.childForFieldName('name')?.text;
  if (!name) return undefined;
  const kinds = decoratorsOf(fn).map((d) => (d.type === 'call' ? d.childForFieldName('function')?.text : d.text));
  if (kinds.some((k) => k === 'classmethod' || k === 'staticmethod' || k === 'classonlymethod' || k?.endsWith('.classonlymethod'))) return undefined;
  const body = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  const clsNode = body?.parent;
  if (!clsNode || clsNode.type !== 'class_definition') return undefined;
  const cls = model.classes().get(clsNode.id);
  if (!cls) return undefined;
  for (const base of model.ancestors(cls.qualifiedName)) {
    for (const [prefix, framework] of VIEW_BASE_PREFIXES) {
      if (base === prefix || (prefix.endsWith('.') && base.startsWith(prefix))) {
        return { framework, kind: 'view', evidence: `a method of the class-based view \`${cls.name}\``, node: fn.childForFieldName('name')! };
      }
    }
  }
  return undefined;
}

/** A module-level `def view(request, ...)` in a Django `views.py` (or a `views/` package). */
function djangoFunctionView(fn: SyntaxNode, model: SemanticModel): WebHandler | undefined {
  if (!isViewsModule(model.path)) return undefined;
  if (enclosingFunction(fn) || model.enclosingClass(fn)) return undefined;
  const first = fn.childForFieldName('parameters')?.namedChild(0);
  const param = first?.type === 'identifier' ? first : first?.type === 'typed_parameter' ? first.namedChild(0) : null;
  if (param?.text !== 'request') return undefined;
  const name = fn.childForFieldName('name')!;
  return { framework: 'Django', kind: 'view', evidence: 'a function taking `request` in a views module', node: name };
}

function isViewsModule(path: string): boolean {
  const parts = path.split(/[\\/]/);
  const file = parts[parts.length - 1];
  return file === 'views.py' || parts[parts.length - 2] === 'views';
}

function short(call: SyntaxNode): string {
  const target = call.childForFieldName('function');
  const args = positionalArguments(call);
  const first = args[0];
  const inner = first && first.text.length <= 40 && !first.text.includes('\n') ? first.text + (args.length > 1 || call.childForFieldName('arguments')!.namedChildCount > 1 ? ', ...' : '') : '...';
  return `${target?.text ?? '?'}(${inner})`;
}
