import type { PythonRule as Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import { isNoneConstant, timeoutState } from './_shared/timeouts.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream'];
const FUNCTIONS = VERBS.map((v) => `httpx.${v}`);
const CONSTRUCTORS = ['httpx.Client', 'httpx.AsyncClient'];
const METHODS = CONSTRUCTORS.flatMap((c) => [...VERBS, 'build_request'].map((m) => `${c}.${m}`));
const TARGETS = new Set([...FUNCTIONS, ...CONSTRUCTORS, ...METHODS, 'httpx.Timeout']);

const rule: Rule = {
  code: 'CL103',
  name: 'httpx-timeout-none',
  category: 'timeout',
  severity: 'error',
  fixable: 'unsafe',
  triggers: ['httpx'],
  nodeTypes: ['call'],
  docs: {
    summary:
      'An httpx call, `Client` / `AsyncClient` or one of their request methods is given `timeout=None`, or an ' +
      '`httpx.Timeout` whose read timeout is `None` is built.',
    why:
      'httpx times out after 5 seconds by default; `timeout=None` switches that off. A server that accepts the ' +
      'connection and then stops answering holds the request (and the worker or task waiting on it) forever, and the ' +
      "connection it holds is not returned to the client's pool. A missing timeout is not reported: the default applies.",
    bad: 'import httpx\n\nclient = httpx.Client(base_url="https://api.example.com", timeout=None)\n',
    good: 'import httpx\n\nclient = httpx.Client(base_url="https://api.example.com", timeout=httpx.Timeout(10.0, connect=5.0))\n',
    fix:
      'Replaces the `None` with `10` (`[tool.conn-lint.fix] default-timeout`). Unsafe, applied only with ' +
      '`--unsafe-fixes`: `None` was written on purpose, and a long download or a streaming response may need a larger ' +
      'read timeout than the one inserted.',
    references: ['https://www.python-httpx.org/advanced/timeouts/'],
  },
  visit(call, ctx) {
    const name = ctx.model.callMatches(call, TARGETS);
    if (!name) return;
    const timeout = ctx.settings.defaultTimeout;
    const replace = (node: SyntaxNode) => ({
      applicability: 'unsafe' as const,
      message: `Replace \`None\` with \`${timeout}\``,
      edits: [{ start: node.startIndex, end: node.endIndex, text: timeout }],
    });
    if (name === 'httpx.Timeout') {
      const read = ctx.model.argument(call, 'read', name);
      const all = ctx.model.argument(call, 'timeout', name);
      if (read.kind === 'unknown' || all.kind === 'unknown') return;
      let none: SyntaxNode | undefined;
      if (read.kind === 'present') none = isNoneConstant(ctx.model, read.node) ? read.node : undefined;
      else if (all.kind === 'present' && isNoneConstant(ctx.model, all.node)) none = all.node;
      if (!none) return;
      ctx.report({
        node: call,
        message:
          '`httpx.Timeout` with no read timeout (`None`): a request using it waits forever for a server that stops ' +
          `answering, holding its worker and a pooled connection. Give \`read\` a finite value, e.g. \`httpx.Timeout(${timeout})\`.`,
        fix: replace(none),
      });
      return;
    }
    const state = timeoutState(ctx.model, call, name);
    if (state.kind !== 'none') return;
    const written = call.childForFieldName('function')!.text;
    const short = written.length <= 40 && !written.includes('\n') ? written : name.replace(/^httpx\.(AsyncClient|Client)\.(\w+)$/, '$1.$2');
    const isClient = CONSTRUCTORS.includes(name);
    ctx.report({
      node: call,
      message: isClient
        ? `\`${short}(timeout=None)\` switches off httpx's 5-second default for every request the client makes: a server ` +
          `that stops answering blocks the caller forever. Pass a finite timeout such as \`timeout=${timeout}\`, or leave it out.`
        : `\`${short}()\` with \`timeout=None\` switches off httpx's timeout for this request: a server that stops ` +
          `answering blocks the caller forever. Pass a finite timeout such as \`timeout=${timeout}\`, or leave it out ` +
          (name.startsWith('httpx.Client') || name.startsWith('httpx.AsyncClient') ? "to use the client's." : 'to keep the 5-second default.'),
      fix: replace(state.node),
    });
  },
};

export default rule;
