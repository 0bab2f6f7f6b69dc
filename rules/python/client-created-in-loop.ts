import type { PythonRule as Rule, RuleContext } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import { enclosingFunction, enclosingLoop } from '../../src/lang/python/context.js';
import { webHandlerOf } from '../../src/lang/python/handlers.js';
import { CLIENT_MODULES, mayConstructClient, clientConstructed, clientFate, clientLabel, reuseAdvice } from './_shared/clients.js';
import { hoistClientFix } from './_shared/fix-session.js';
import { isConditional, isFixedLoop, isRetryOrPollLoop, iteratesServers, perItemCallers, usesLoopVariable } from './_shared/loops.js';

/** `async def fetch(url): async with ClientSession() as s: ...` called once per item of a loop elsewhere. */
function reportHelper(call: SyntaxNode, ctx: RuleContext): void {
  const fn = enclosingFunction(call);
  if (!fn || fn.type !== 'function_definition' || isConditional(call, fn)) return;
  const name = clientConstructed(call, ctx.model);
  if (!name || clientFate(call, ctx.model) !== 'used-here') return;
  // A request handler is reported by client-created-per-request.
  if (webHandlerOf(fn, ctx.model)) return;
  const callers = perItemCallers(fn, ctx.model);
  if (!callers.length) return;
  const fname = fn.childForFieldName('name')!.text;
  const shown = clientLabel(call, name);
  const line = callers[0].startPosition.row + 1;
  ctx.report({
    node: call,
    message:
      `\`${shown}()\` is built on every call of \`${fname}()\`, which runs once per item of a loop (line ${line}), so a ` +
      `new connection pool is built and thrown away per item: every request pays a TCP/TLS handshake and leaves sockets ` +
      `in TIME_WAIT. Create ${reuseAdvice(name)} in the caller, before the loop, and pass it to \`${fname}()\`.`,
    related: callers.map((c) => ({ node: c, message: `\`${fname}()\` runs once per item here` })),
  });
}

const rule: Rule = {
  code: 'CL202',
  name: 'client-created-in-loop',
  category: 'session-reuse',
  severity: 'warning',
  triggers: CLIENT_MODULES,
  fixable: 'unsafe',
  nodeTypes: ['call'],
  docs: {
    summary:
      'A `requests.Session`, `httpx.Client`/`AsyncClient`, `aiohttp.ClientSession`/`TCPConnector` or `urllib3.PoolManager` ' +
      'is built inside a loop body and dropped after the turn.',
    why:
      'Each of these objects owns a connection pool. Building one per loop turn throws the pool away every time: every ' +
      'request pays a new TCP and TLS handshake, the closed sockets pile up in TIME_WAIT, and with async code many ' +
      'short-lived pools can hold hundreds of sockets at once. Create the client once, before the loop, and reuse it. ' +
      'A helper in the same module that builds a client per call and runs once per item of a loop is reported at the ' +
      'construction. Not reported: clients kept on purpose (collected in a list or dict, stored on an attribute, ' +
      'returned or yielded), reconnect or retry loops (a `while`/`range()` loop that sleeps between attempts), loops over ' +
      'a fixed handful, clients configured from the loop variable (`Client(proxy=proxy)`) and loops over distinct ' +
      'servers (`for host in hosts`), where no connection could be shared anyway.',
    bad:
      'import aiohttp\n\n\nasync def fetch_all(urls):\n    out = []\n    for url in urls:\n' +
      '        async with aiohttp.ClientSession() as session:\n' +
      '            async with session.get(url) as resp:\n                out.append(await resp.text())\n    return out\n',
    good:
      'import aiohttp\n\n\nasync def fetch_all(urls):\n    out = []\n    async with aiohttp.ClientSession() as session:\n' +
      '        for url in urls:\n            async with session.get(url) as resp:\n                out.append(await resp.text())\n' +
      '    return out\n',
    fix:
      'When the client is entered by `with` (or bound by an assignment) as a statement of the loop body and its ' +
      'arguments do not depend on the loop, the loop moves inside one `with <client> as <name>:` (`async with` for async ' +
      'clients): the per-turn `with` line, or the assignment and a `close()` statement, go away. Unsafe: one client now ' +
      'serves every turn, so cookies, headers set on it and connection state carry over from one turn to the next, and ' +
      'it is closed once, after the loop.',
    references: [
      'https://docs.aiohttp.org/en/stable/client_quickstart.html#make-a-request',
      'https://requests.readthedocs.io/en/latest/user/advanced/#session-objects',
      'https://www.python-httpx.org/advanced/clients/#why-use-a-client',
    ],
  },
  visit(call, ctx) {
    if (!mayConstructClient(call, ctx.model)) return;
    const loop = enclosingLoop(call);
    if (!loop) {
      reportHelper(call, ctx);
      return;
    }
    const name = clientConstructed(call, ctx.model);
    if (!name || isRetryOrPollLoop(loop, call, ctx.model) || isFixedLoop(loop, ctx.model)) return;
    if (usesLoopVariable(call, loop, ctx.model) || iteratesServers(loop, ctx.model)) return;
    if (clientFate(call, ctx.model) !== 'used-here') return;
    const where = loop.type === 'for_statement' || loop.type === 'while_statement' ? 'loop' : 'comprehension';
    const shown = clientLabel(call, name);
    ctx.report({
      node: call,
      message:
        `\`${shown}()\` is built on every turn of this ${where}, so its connection pool is thrown away each time: every ` +
        `request pays a new TCP/TLS handshake and leaves sockets in TIME_WAIT. Create ${reuseAdvice(name)} before the ` +
        `${where} and reuse it.`,
      related: [{ node: loop.type === 'for_statement' || loop.type === 'while_statement' ? loop.child(0)! : loop, message: `the ${where}` }],
      fix: hoistClientFix(ctx.model, call, loop),
    });
  },
};

export default rule;
