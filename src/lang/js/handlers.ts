// Which functions run once per request: route callbacks of Express, Koa, Fastify and Hapi,
// NestJS controller methods, Next.js route handlers and API routes, AWS Lambda handlers, and
// `http.createServer` callbacks. Decided from the syntax and the model's names and types; a
// function that is merely named like a handler is not one.
import type * as TS from 'typescript';
import type { FunctionNode } from './context.js';
import type { JsModel } from './model.js';

export type HandlerKind = 'route' | 'middleware' | 'controller' | 'nextjs' | 'lambda' | 'http-server';

/** Methods that register a route on an app or router (Express, Koa router, Fastify, Restify, ...). */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'any']);
/** Types whose `.use(fn)` runs fn per request. */
const APP_TYPES = new Set(['express.Application', 'express.Router', 'koa.Application', 'fastify.FastifyInstance', '@koa/router', 'koa-router']);
const SERVER_FACTORIES = new Set(['http.createServer', 'https.createServer', 'http2.createServer', 'http2.createSecureServer']);
const NEST_ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options', 'Sse', 'MessagePattern', 'EventPattern']);
const NEXT_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function handlerKindOf(ts: typeof TS, fn: FunctionNode, model: JsModel, path: string): HandlerKind | undefined {
  const posix = path.split('\\').join('/');
  if (ts.isMethodDeclaration(fn)) return controllerMethod(ts, fn) ? 'controller' : undefined;
  const parent = fn.parent;

  // app.get('/path', ..., fn) / router.route('/x').post(fn) / app.use(fn) / http.createServer(fn)
  if (ts.isCallExpression(parent) && parent.arguments.includes(fn as TS.Expression)) {
    const callee = model.unwrap(parent.expression);
    const target = model.callTarget(parent);
    if (target.name !== undefined && SERVER_FACTORIES.has(target.name)) return 'http-server';
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const first = parent.arguments[0];
      const isPath = first !== undefined && first !== fn && isRoutePath(ts, first);
      if (ROUTE_METHODS.has(method)) {
        if (isPath) return 'route';
        // router.route('/x').get(fn)
        const recv = model.unwrap(callee.expression);
        if (ts.isCallExpression(recv) && ts.isPropertyAccessExpression(recv.expression) && recv.expression.name.text === 'route' && recv.arguments[0] && isRoutePath(ts, recv.arguments[0])) return 'route';
      }
      if (method === 'use' && (isPath || (target.receiverType !== undefined && APP_TYPES.has(target.receiverType)))) return 'middleware';
      // server.on('request', fn)
      if (method === 'on' && first && ts.isStringLiteralLike(first) && first.text === 'request' && target.receiverType === 'http.Server') return 'http-server';
    }
  }

  // { method: 'GET', url: '/x', handler: fn } passed to fastify.route / server.route (Hapi)
  if (ts.isPropertyAssignment(parent) && propertyName(ts, parent.name) === 'handler' && ts.isObjectLiteralExpression(parent.parent)) {
    const obj = parent.parent;
    const keys = new Set(obj.properties.map((p) => (p.name ? propertyName(ts, p.name) : undefined)));
    if ((keys.has('method') || keys.has('url') || keys.has('path')) && ts.isCallExpression(obj.parent)) return 'route';
  }
  // Methods written in the object: { method: 'GET', path: '/x', async handler(req, h) {} } is a MethodDeclaration, handled above only for classes.

  // Next.js app router: export async function GET(request) in app/**/route.ts
  const exported = exportedName(ts, fn);
  if (exported !== undefined) {
    if (NEXT_METHODS.has(exported) && /(^|\/)app\/(.*\/)?route\.[cm]?[jt]sx?$/.test(posix)) return 'nextjs';
    if (exported === 'default' && /(^|\/)pages\/api\//.test(posix)) return 'nextjs';
    if (exported === 'handler') return 'lambda';
  }
  return undefined;
}

/** `'/orders/:id'`, a template, a regexp, or an array of them: the path argument of a route. */
function isRoutePath(ts: typeof TS, e: TS.Expression): boolean {
  if (ts.isStringLiteralLike(e)) return e.text.startsWith('/') || e.text === '*';
  if (ts.isTemplateExpression(e)) return e.head.text.startsWith('/');
  if (ts.isRegularExpressionLiteral(e)) return true;
  if (ts.isArrayLiteralExpression(e)) return e.elements.length > 0 && e.elements.every((x) => isRoutePath(ts, x));
  return false;
}

function propertyName(ts: typeof TS, name: TS.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}

/** A method with a route decorator (`@Get()`) in a class with `@Controller()`. */
function controllerMethod(ts: typeof TS, m: TS.MethodDeclaration): boolean {
  const routed = decoratorNames(ts, m).some((d) => NEST_ROUTE_DECORATORS.has(d));
  return routed && ts.isClassDeclaration(m.parent) && decoratorNames(ts, m.parent).includes('Controller');
}

function decoratorNames(ts: typeof TS, node: TS.HasDecorators): string[] {
  const out: string[] = [];
  for (const d of ts.getDecorators(node) ?? []) {
    let e = d.expression;
    if (ts.isCallExpression(e)) e = e.expression;
    if (ts.isIdentifier(e)) out.push(e.text);
    else if (ts.isPropertyAccessExpression(e)) out.push(e.name.text);
  }
  return out;
}

/**
 * The name a function is exported under from the module: `export function GET`, `export const
 * handler = async () => …`, `export default function`, `exports.handler = …`,
 * `module.exports.handler = …`, `module.exports = { handler }` is not followed.
 */
function exportedName(ts: typeof TS, fn: FunctionNode): string | undefined {
  const isExported = (n: TS.Node) => !!(ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  const isDefault = (n: TS.Node) => !!(ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword));
  if (ts.isFunctionDeclaration(fn)) {
    if (!isExported(fn)) return undefined;
    return isDefault(fn) ? 'default' : fn.name?.text;
  }
  const p = fn.parent;
  if (ts.isExportAssignment(p)) return 'default';
  if (ts.isVariableDeclaration(p) && p.initializer === fn && ts.isIdentifier(p.name)) {
    const statement = p.parent.parent;
    return ts.isVariableStatement(statement) && isExported(statement) ? p.name.text : undefined;
  }
  if (ts.isBinaryExpression(p) && p.right === fn && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(p.left)) {
    const target = p.left.expression;
    const isExports = ts.isIdentifier(target) && target.text === 'exports';
    const isModuleExports = ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === 'module' && target.name.text === 'exports';
    return isExports || isModuleExports ? p.left.name.text : undefined;
  }
  return undefined;
}
