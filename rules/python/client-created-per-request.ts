import type { PythonRule as Rule } from '../../src/types.js';
import { enclosingFunction, enclosingLoop } from '../../src/lang/python/context.js';
import { webHandlerOf, type WebHandler } from '../../src/lang/python/handlers.js';
import { CLIENT_MODULES, clientConstructed, clientFate, clientLabel } from './_shared/clients.js';
import { isRetryOrPollLoop } from './_shared/loops.js';

function advice(h: WebHandler): string {
  if (h.kind === 'dependency') {
    return 'A `Depends` callable runs for every request: build the client once in the app\'s lifespan, keep it on ' +
      '`app.state`, and have the dependency return that shared client.';
  }
  switch (h.framework) {
    case 'FastAPI':
    case 'Starlette':
      return 'Build the client once in the app\'s lifespan, keep it on `app.state`, and use it from the handler.';
    case 'aiohttp':
      return 'Build the ClientSession once in a `cleanup_ctx` (or `on_startup`) hook, store it on the app ' +
        '(`app[CLIENT_KEY]`) and use it from the handler.';
    case 'Flask':
    case 'Quart':
      return 'Build the client once (at module level or in the app factory) and use it from the view.';
    default:
      return 'Build the client once per process (at module level or at application start-up) and reuse it.';
  }
}

const rule: Rule = {
  code: 'CL203',
  name: 'client-created-per-request',
  category: 'session-reuse',
  severity: 'warning',
  triggers: CLIENT_MODULES,
  nodeTypes: ['call'],
  docs: {
    summary:
      'A web request handler (FastAPI, Starlette, Flask, Quart, Sanic, aiohttp, Django views) or a FastAPI `Depends` ' +
      'callable builds a new HTTP client (`requests.Session`, `httpx.Client`/`AsyncClient`, `aiohttp.ClientSession`, ' +
      '`urllib3.PoolManager`) for every request.',
    why:
      'A client owns a connection pool. Building one per request means no upstream connection is ever reused: every ' +
      'request pays a TCP and TLS handshake to the upstream, closed sockets pile up in TIME_WAIT, and under traffic the ' +
      'service runs out of ephemeral ports or file descriptors. Build the client once at start-up and share it. ' +
      'Clients cached on purpose (a global filled lazily, `app.state`, an `@lru_cache` factory) and code that is not a ' +
      'request handler (CLI scripts, start-up hooks) are not reported.',
    bad:
      'import httpx\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/users/{user_id}")\n' +
      'async def get_user(user_id: int):\n    async with httpx.AsyncClient() as client:\n' +
      '        resp = await client.get(f"https://users.internal/{user_id}")\n    return resp.json()\n',
    good:
      'import contextlib\n\nimport httpx\nfrom fastapi import FastAPI, Request\n\n\n@contextlib.asynccontextmanager\n' +
      'async def lifespan(app):\n    async with httpx.AsyncClient() as client:\n        app.state.client = client\n        yield\n\n\n' +
      'app = FastAPI(lifespan=lifespan)\n\n\n@app.get("/users/{user_id}")\nasync def get_user(user_id: int, request: Request):\n' +
      '    resp = await request.app.state.client.get(f"https://users.internal/{user_id}")\n    return resp.json()\n',
    references: [
      'https://www.python-httpx.org/async/#opening-and-closing-clients',
      'https://fastapi.tiangolo.com/advanced/events/#lifespan',
      'https://docs.aiohttp.org/en/stable/client_advanced.html#persistent-session',
    ],
  },
  visit(call, ctx) {
    const name = clientConstructed(call, ctx.model);
    if (!name) return;
    const fn = enclosingFunction(call);
    if (!fn || fn.type !== 'function_definition') return;
    const handler = webHandlerOf(fn, ctx.model);
    if (!handler) return;
    const fate = clientFate(call, ctx.model);
    if (fate === 'stored' || fate === 'inside-client') return;
    // Built once per loop turn: client-created-in-loop (CL202) reports it.
    const loop = enclosingLoop(call);
    if (loop && fate === 'used-here' && !isRetryOrPollLoop(loop, call, ctx.model)) return;
    const shown = clientLabel(call, name);
    const cls = ctx.model.enclosingClass(fn);
    const fnName = (cls ? `${cls.name}.` : '') + (fn.childForFieldName('name')?.text ?? '<handler>');
    const what =
      handler.kind === 'dependency'
        ? `the FastAPI dependency \`${fnName}\` (${handler.evidence.startsWith('`') ? `used as ${handler.evidence}` : handler.evidence})`
        : `the ${handler.framework === 'a web framework' ? 'web' : handler.framework} ${handler.kind === 'view' ? 'view' : 'request handler'} \`${fnName}\` (${handler.evidence})`;
    ctx.report({
      node: call,
      message:
        `\`${shown}()\` is built inside ${what}, so every request opens a new connection pool: no upstream connection ` +
        `is reused, each request pays a TCP/TLS handshake and leaves sockets in TIME_WAIT. ${advice(handler)}`,
      related: [{ node: handler.node, message: handler.kind === 'dependency' ? 'used as a dependency here' : 'registered as a request handler here' }],
    });
  },
};

export default rule;
