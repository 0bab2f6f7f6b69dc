import type { PythonRule as Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { removeArgument } from './_shared/timeouts.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].map((m) => `aiohttp.ClientSession.${m}`);
const FIELDS = ['total', 'connect', 'sock_read', 'sock_connect'];
const TARGETS = new Set([...METHODS, 'aiohttp.ClientTimeout']);

/** In aiohttp 3.x a limit of `None` or `0` (or less) is no limit. */
function unbounded(model: SemanticModel, node: SyntaxNode): boolean {
  const v = model.constantValue(node);
  return v === null || (typeof v === 'number' && v <= 0);
}

const rule: Rule = {
  code: 'CL105',
  name: 'aiohttp-no-timeout',
  category: 'timeout',
  severity: 'error',
  fixable: 'unsafe',
  triggers: ['aiohttp', 'ClientTimeout', 'ClientSession'],
  nodeTypes: ['call'],
  docs: {
    summary:
      'An `aiohttp.ClientTimeout` sets no limit at all (`ClientTimeout()`, `ClientTimeout(total=None)` with no other ' +
      'field), or a session request is made with `timeout=None` (or `0`).',
    why:
      "A ClientSession's default timeout is 5 minutes in total, but in aiohttp 3.x `ClientTimeout()` does not mean " +
      '"the default": every field is `None`, which is no timeout at all, and `timeout=None` (or `0`) on a request ' +
      "switches off the session's timeout for that request. A server that stops answering then holds the task and its " +
      'pooled connection forever; enough of them and the connector limit (100) is reached and every request queues. ' +
      '`ClientSession(timeout=None)` is not reported: since aiohttp 3.9.2 it means the default, and before it raised on ' +
      'the first request. A missing timeout is not reported either.',
    bad:
      'import aiohttp\n\n\nasync def fetch(url):\n    timeout = aiohttp.ClientTimeout(total=None)\n' +
      '    async with aiohttp.ClientSession(timeout=timeout) as session:\n        async with session.get(url) as r:\n' +
      '            return await r.text()\n',
    good:
      'import aiohttp\n\n\nasync def fetch(url):\n    timeout = aiohttp.ClientTimeout(total=60, sock_connect=10, sock_read=30)\n' +
      '    async with aiohttp.ClientSession(timeout=timeout) as session:\n        async with session.get(url) as r:\n' +
      '            return await r.text()\n',
    fix:
      "For `timeout=None` on a request, removes the argument so the session's timeout applies again. Unsafe, applied " +
      'only with `--unsafe-fixes`: `None` was written on purpose (a long download or a stream may need it) and the ' +
      "session's limit may be shorter than the transfer. A `ClientTimeout` is not rewritten: which limit fits " +
      '(`total`, `sock_read`, `sock_connect`) depends on the traffic.',
    references: [
      'https://docs.aiohttp.org/en/stable/client_quickstart.html#timeouts',
      'https://docs.aiohttp.org/en/stable/client_reference.html#clienttimeout',
    ],
  },
  visit(call, ctx) {
    const { model } = ctx;
    const name = model.callMatches(call, TARGETS);
    if (!name) return;
    if (name === 'aiohttp.ClientTimeout') {
      const given: string[] = [];
      for (const field of FIELDS) {
        const arg = model.argument(call, field, name);
        if (arg.kind === 'unknown') return;
        if (arg.kind === 'present') {
          if (!unbounded(model, arg.node)) return;
          given.push(`${field}=${arg.node.text}`);
        }
      }
      const written = given.length ? `ClientTimeout(${given.join(', ')})` : 'ClientTimeout()';
      ctx.report({
        node: call,
        message:
          `\`${written}\` sets no timeout at all${given.length ? '' : ' (in aiohttp 3.x it does not fall back to the 5-minute default)'}: ` +
          'a request using it waits forever for a server that stops answering, holding its task and a pooled connection. ' +
          'Set a limit, e.g. `ClientTimeout(total=60, sock_connect=10, sock_read=30)`.',
      });
      return;
    }
    const arg = model.argument(call, 'timeout', name);
    if (arg.kind !== 'present' || !unbounded(model, arg.node)) return;
    const written = call.childForFieldName('function')!.text;
    const what = written.length <= 40 && !written.includes('\n') ? written : name.replace('aiohttp.', '');
    const keyword = arg.node.parent?.type === 'keyword_argument' ? arg.node.parent : undefined;
    const edit = keyword ? removeArgument(keyword) : undefined;
    ctx.report({
      node: call,
      message:
        `\`${what}()\` with \`timeout=${arg.node.text}\` switches off every timeout for this request (aiohttp 3.x), ` +
        "including the session's: a server that stops answering holds the task and its pooled connection forever. " +
        "Leave `timeout` out to use the session's limit, or pass `aiohttp.ClientTimeout(total=...)`.",
      fix: edit ? { applicability: 'unsafe', message: `Remove \`${keyword?.text}\` (use the session's timeout)`, edits: [edit] } : null,
    });
  },
};

export default rule;
