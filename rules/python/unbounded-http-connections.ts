import type { PythonRule as Rule } from '../../src/types.js';
import { addKeywordArgument } from './_shared/timeouts.js';
import { mayCall } from './_shared/names.js';

const CONNECTORS = new Set([
  'aiohttp.TCPConnector',
  'aiohttp.UnixConnector',
  'aiohttp.connector.UnixConnector',
  'aiohttp.NamedPipeConnector',
  'aiohttp.connector.NamedPipeConnector',
]);
const LIMITS = new Set(['httpx.Limits', 'httpx._config.Limits']);
const DEFAULT_LIMIT = '100';

const rule: Rule = {
  code: 'CL304',
  name: 'unbounded-http-connections',
  category: 'bounded-pool',
  severity: 'warning',
  fixable: 'unsafe',
  // A connector or Limits named with its module imported (or inside the package itself).
  triggers: [
    ['aiohttp', 'Connector'],
    ['httpx', 'Limits'],
  ],
  nodeTypes: ['call'],
  docs: {
    summary:
      'An aiohttp connector is built with `limit=0` or `limit=None`, or an `httpx.Limits` leaves `max_connections` ' +
      'unset or `None`: the client may open any number of connections.',
    why:
      'The connection limit is what turns a burst of concurrent requests into a queue. Without it, every in-flight ' +
      'request opens its own socket: a fan-out over a large input exhausts file descriptors ("Too many open files"), ' +
      'ephemeral ports and the upstream\'s connection slots. `limit_per_host` does not help across many hosts, so ' +
      '`limit=0` is reported even when it is set. Note that `httpx.Limits()` defaults `max_connections` to `None` ' +
      '(unlimited), unlike the client\'s own default of 100.',
    bad: 'import aiohttp\n\nconnector = aiohttp.TCPConnector(limit=0)\n',
    good: 'import aiohttp\n\nconnector = aiohttp.TCPConnector(limit=100, limit_per_host=10)\n',
    fix:
      'Sets the limit to 100, the default of both aiohttp and httpx clients. Unsafe: code that relied on more than 100 ' +
      'simultaneous connections now waits for a free one, which changes throughput and can surface pool timeouts; ' +
      'pick the number your upstream can take.',
    references: [
      'https://docs.aiohttp.org/en/stable/client_reference.html#tcpconnector',
      'https://www.python-httpx.org/advanced/resource-limits/',
    ],
  },
  visit(call, ctx) {
    if (!mayCall(call, ctx.model, [...CONNECTORS, ...LIMITS], 'CL304', true)) return;
    const name = ctx.model.callMatches(call, CONNECTORS) ?? ctx.model.callMatches(call, LIMITS);
    if (!name) return;
    const isLimits = LIMITS.has(name);
    const param = isLimits ? 'max_connections' : 'limit';
    const arg = ctx.model.argument(call, param, name);
    const short = isLimits ? 'httpx.Limits' : name.split('.').pop()!;
    if (arg.kind === 'unknown') return;
    if (arg.kind === 'absent') {
      if (!isLimits) return; // aiohttp's default is 100.
      const edit = addKeywordArgument(call, param, DEFAULT_LIMIT);
      ctx.report({
        node: call,
        message:
          '`httpx.Limits()` without `max_connections` allows unlimited connections (its default is `None`, unlike the ' +
          'client\'s default of 100): a burst of requests opens a socket each and exhausts file descriptors and the ' +
          `upstream's connection slots. Pass \`max_connections=${DEFAULT_LIMIT}\` (or what the upstream can take).`,
        fix: edit ? { applicability: 'unsafe', message: `Add \`max_connections=${DEFAULT_LIMIT}\``, edits: [edit] } : null,
      });
      return;
    }
    const value = ctx.model.constantValue(arg.node);
    const unlimited = isLimits ? value === null : value === 0 || value === null || value === false;
    if (!unlimited) return;
    const perHost = isLimits ? undefined : ctx.model.argument(call, 'limit_per_host', name);
    const perHostNote =
      perHost?.kind === 'present' ? ' `limit_per_host` caps each host but not the total across hosts.' : '';
    ctx.report({
      node: arg.node,
      message:
        `\`${short}(${param}=${arg.node.text})\` removes the connection limit: every in-flight request opens its own ` +
        `socket, so a burst exhausts file descriptors ("Too many open files"), ephemeral ports and the upstream's ` +
        `connection slots.${perHostNote} Set \`${param}=${DEFAULT_LIMIT}\` (the library default) or what the upstream can take.`,
      fix: {
        applicability: 'unsafe',
        message: `Set \`${param}=${DEFAULT_LIMIT}\``,
        edits: [{ start: arg.node.startIndex, end: arg.node.endIndex, text: DEFAULT_LIMIT }],
      },
    });
  },
};

export default rule;
