import type { PythonRule as Rule, RuleContext } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import { enclosingFunction, enclosingLoop } from '../../src/lang/python/context.js';
import { isConditional, isFixedLoop, isRetryOrPollLoop, iteratesServers, perItemCallers } from './_shared/loops.js';
import { mayCall } from './_shared/names.js';
import { sessionAroundLoopFix } from './_shared/fix-session.js';
import { HTTPX_FUNCTIONS, REQUESTS_FUNCTIONS } from './_shared/http-verbs.js';

/** Module-level functions that build a throw-away Session/Client for each call. */
const FUNCTIONS = new Set([...REQUESTS_FUNCTIONS, ...HTTPX_FUNCTIONS]);

function advice(name: string): { holder: string; method: string } {
  const lib = name.split('.')[0];
  return { holder: lib === 'requests' ? '`requests.Session()`' : '`httpx.Client()`', method: name.split('.')[1] };
}

/** `def fetch(url): return requests.get(url)` called once per item of a loop elsewhere in the module. */
function reportHelper(call: SyntaxNode, ctx: RuleContext): void {
  const fn = enclosingFunction(call);
  if (!fn || fn.type !== 'function_definition' || isConditional(call, fn)) return;
  const name = ctx.model.callMatches(call, FUNCTIONS);
  if (!name) return;
  const callers = perItemCallers(fn, ctx.model);
  if (!callers.length) return;
  const { holder, method } = advice(name);
  const fname = fn.childForFieldName('name')!.text;
  const line = callers[0].startPosition.row + 1;
  ctx.report({
    node: call,
    message:
      `\`${name}()\` opens a new connection (TCP and TLS handshake) on every call, and \`${fname}()\` is called once per ` +
      `item of a loop (line ${line}), so each item pays a handshake and leaves a socket in TIME_WAIT. Create one ${holder} ` +
      `in the caller, pass it to \`${fname}()\` and call \`.${method}()\` on it.`,
    related: callers.map((c) => ({ node: c, message: `\`${fname}()\` runs once per item here` })),
  });
}

const rule: Rule = {
  code: 'CL201',
  name: 'http-call-in-loop',
  category: 'session-reuse',
  severity: 'warning',
  triggers: ['requests', 'httpx'],
  fixable: 'unsafe',
  nodeTypes: ['call'],
  docs: {
    summary:
      'A module-level `requests.<verb>()` or `httpx.<verb>()` call runs once per turn of a loop or comprehension, ' +
      'opening a new connection every time.',
    why:
      '`requests.get()` and `httpx.get()` build a fresh Session/Client for each call and close it afterwards, so every ' +
      'call pays a TCP handshake (and a TLS handshake for https) and leaves a closed socket in TIME_WAIT. In a loop over ' +
      'many items this multiplies latency and, under load, exhausts ephemeral ports ("Cannot assign requested address"). ' +
      'One Session/Client kept for the loop reuses keep-alive connections. A helper in the same module that makes such ' +
      'a call and is itself called once per item of a loop (directly, through `map`/`executor.map`/`submit`, or from a ' +
      'closure gathered per item) is reported too. Not reported: retry and polling loops (a `while` or `range()` loop ' +
      'that sleeps between attempts, leaves on success or counts attempts), interactive loops (`input()`), loops over a ' +
      'fixed handful of items, and loops over distinct servers (`for host in hosts`), where no connection could be ' +
      'shared anyway.',
    bad:
      'import requests\n\n\ndef fetch_all(urls):\n    return [requests.get(u, timeout=10).json() for u in urls]\n',
    good:
      'import requests\n\n\ndef fetch_all(urls):\n    with requests.Session() as session:\n' +
      '        return [session.get(u, timeout=10).json() for u in urls]\n',
    fix:
      'The outermost loop (or the statement holding the comprehension) is wrapped in `with requests.Session() as ' +
      'session:` (`httpx.Client() as client` for httpx), and every module-level `requests.<verb>()` call in it becomes ' +
      '`session.<verb>()`; one fix covers all the calls of that loop. No fix when the name is taken, when a call sits in ' +
      'a generator expression that may run after the loop, or when the loop yields. Unsafe: the session keeps cookies and ' +
      'connection state from one request to the next, and `Session` settings (proxies from the environment, redirects) ' +
      'apply as for any session.',
    references: [
      'https://requests.readthedocs.io/en/latest/user/advanced/#session-objects',
      'https://www.python-httpx.org/advanced/clients/#why-use-a-client',
    ],
  },
  visit(call, ctx) {
    if (!mayCall(call, ctx.model, FUNCTIONS, 'CL201', true)) return;
    const loop = enclosingLoop(call);
    if (!loop) {
      reportHelper(call, ctx);
      return;
    }
    const name = ctx.model.callMatches(call, FUNCTIONS);
    if (!name || isRetryOrPollLoop(loop, call, ctx.model) || isFixedLoop(loop, ctx.model) || iteratesServers(loop, ctx.model)) return;
    const { holder, method } = advice(name);
    const where = loop.type === 'for_statement' || loop.type === 'while_statement' ? 'loop' : 'comprehension';
    ctx.report({
      node: call,
      message:
        `\`${name}()\` inside a ${where} opens a new connection (TCP and TLS handshake) on every turn and leaves a socket ` +
        `in TIME_WAIT each time; under load that adds latency and can exhaust ephemeral ports. Create one ${holder} before ` +
        `the ${where} and call \`.${method}()\` on it so connections are reused.`,
      related: [{ node: loop.type === 'for_statement' || loop.type === 'while_statement' ? loop.child(0)! : loop, message: `the ${where}` }],
      fix: sessionAroundLoopFix(ctx.model, call),
    });
  },
};

export default rule;
