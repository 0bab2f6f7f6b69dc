import type { PythonRule as Rule } from '../../src/types.js';
import { countOf } from './_shared/fanout.js';
import { mayCall } from './_shared/names.js';

/** Pool constructors → [the name whose signature applies, the size parameter, what it holds]. */
const POOLS: Record<string, [string, string, string]> = {
  'concurrent.futures.ThreadPoolExecutor': ['concurrent.futures.ThreadPoolExecutor', 'max_workers', 'threads'],
  'concurrent.futures.ProcessPoolExecutor': ['concurrent.futures.ProcessPoolExecutor', 'max_workers', 'processes'],
  'multiprocessing.pool.ThreadPool': ['multiprocessing.pool.ThreadPool', 'processes', 'threads'],
  'multiprocessing.dummy.Pool': ['multiprocessing.pool.ThreadPool', 'processes', 'threads'],
  'multiprocessing.pool.Pool': ['multiprocessing.pool.Pool', 'processes', 'processes'],
  'multiprocessing.Pool': ['multiprocessing.pool.Pool', 'processes', 'processes'],
};
const POOL_NAMES = new Set(Object.keys(POOLS));

const rule: Rule = {
  code: 'CL303',
  name: 'oversized-executor',
  category: 'bounded-pool',
  severity: 'warning',
  triggers: ['Pool'],
  nodeTypes: ['call'],
  options: {
    'max-workers': {
      type: 'number',
      default: 64,
      description: 'Largest `max_workers` / `processes` a pool may be given as a constant before it is reported.',
    },
  },
  docs: {
    summary:
      '`ThreadPoolExecutor`, `ProcessPoolExecutor` or a `multiprocessing` pool is sized above a threshold (64 by ' +
      'default, option `max-workers`) or by the size of its input (`max_workers=len(urls)`).',
    why:
      'Each worker is an OS thread or process with its own stack, and usually its own connection to the database or ' +
      'upstream. A pool sized by the input grows with it: 5,000 URLs mean 5,000 threads and 5,000 sockets, which ends in ' +
      '"can\'t start new thread", "Too many open files", a database refusing connections, or an upstream rate-limiting ' +
      'you. Threads beyond a few dozen rarely add throughput. Use a fixed size (`min(32, len(urls))`) that the host and ' +
      'the upstream can sustain; the pool queues the rest.',
    bad:
      'from concurrent.futures import ThreadPoolExecutor\n\n\ndef fetch_all(fetch, urls):\n' +
      '    with ThreadPoolExecutor(max_workers=len(urls)) as ex:\n        return list(ex.map(fetch, urls))\n',
    good:
      'from concurrent.futures import ThreadPoolExecutor\n\n\ndef fetch_all(fetch, urls):\n' +
      '    with ThreadPoolExecutor(max_workers=min(32, len(urls))) as ex:\n        return list(ex.map(fetch, urls))\n',
    references: [
      'https://docs.python.org/3/library/concurrent.futures.html#threadpoolexecutor',
      'https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.Pool',
    ],
  },
  visit(call, ctx) {
    if (!mayCall(call, ctx.model, POOL_NAMES, 'CL303', true)) return;
    const name = ctx.model.callMatches(call, POOL_NAMES);
    if (!name) return;
    const [signature, param, unit] = POOLS[name];
    const arg = ctx.model.argument(call, param, signature);
    if (arg.kind !== 'present') return;
    const size = countOf(arg.node, ctx.model);
    const limit = Number(ctx.options['max-workers'] ?? 64);
    const short = name.split('.').pop();
    if (size.kind === 'const' && size.value > limit) {
      ctx.report({
        node: call,
        message:
          `\`${short}(${param}=${size.value})\` starts up to ${size.value} ${unit}: each holds memory and usually its own ` +
          `socket or database connection, so under load the host runs out of threads, file descriptors or database ` +
          `connections long before it gets faster. Use at most ${limit} (the \`max-workers\` option) and let the pool ` +
          `queue the rest.`,
        related: [{ node: arg.node, message: 'the pool size' }],
      });
    } else if (size.kind === 'input') {
      ctx.report({
        node: call,
        message:
          `\`${short}\` is sized by its input (\`${size.node.text}\`): one ${unit === 'threads' ? 'thread' : 'process'} ` +
          `per item, so a large input starts thousands of ${unit} and opens as many connections, ending in "can't start ` +
          `new thread" or "Too many open files". Cap it, e.g. \`${param}=min(32, ${size.node.text})\`.`,
        related: [{ node: arg.node, message: 'the pool size' }],
      });
    }
  },
};

export default rule;
