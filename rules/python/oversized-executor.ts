import type { Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { FUNCTION_TYPES, unwrap } from '../../src/lang/python/context.js';
import { positionalArguments } from '../../src/lang/python/calls.js';
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

type Size = { kind: 'const'; value: number } | { kind: 'input'; node: SyntaxNode } | { kind: 'other' };

/** The worker count an expression gives: a constant, one that grows with an input (`len(xs)`), or unknown. */
function sizeOf(expr: SyntaxNode, model: SemanticModel, depth = 0): Size {
  if (depth > 6) return { kind: 'other' };
  const n = unwrap(expr);
  const c = model.constantValue(n);
  if (typeof c === 'number') return { kind: 'const', value: c };
  switch (n.type) {
    case 'call': {
      const name = model.qualifiedName(n.childForFieldName('function')!);
      const args = positionalArguments(n);
      if (name === 'len') return { kind: 'input', node: n };
      if (name === 'int' || name === 'round' || name === 'math.ceil' || name === 'math.floor') {
        return args[0] ? sizeOf(args[0], model, depth + 1) : { kind: 'other' };
      }
      if (name === 'min') {
        // Any bounded argument caps the result.
        const sizes = args.map((a) => sizeOf(a, model, depth + 1));
        const consts = sizes.filter((s): s is { kind: 'const'; value: number } => s.kind === 'const');
        if (consts.length) return { kind: 'const', value: Math.min(...consts.map((s) => s.value)) };
        return sizes.find((s) => s.kind === 'input') && sizes.every((s) => s.kind === 'input') ? sizes[0] : { kind: 'other' };
      }
      if (name === 'max') {
        const sizes = args.map((a) => sizeOf(a, model, depth + 1));
        const input = sizes.find((s) => s.kind === 'input');
        if (input) return input;
        if (sizes.length && sizes.every((s) => s.kind === 'const')) {
          return { kind: 'const', value: Math.max(...sizes.map((s) => (s as { value: number }).value)) };
        }
        return { kind: 'other' };
      }
      return { kind: 'other' };
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.type;
      const l = sizeOf(n.childForFieldName('left')!, model, depth + 1);
      const r = sizeOf(n.childForFieldName('right')!, model, depth + 1);
      if (l.kind === 'input' && (op === '+' || op === '*' || op === '-' || op === '//' || op === '/')) return l;
      if (r.kind === 'input' && (op === '+' || op === '*')) return r;
      return { kind: 'other' };
    }
    case 'conditional_expression': {
      const [a, , b] = n.namedChildren;
      const sa = a ? sizeOf(a, model, depth + 1) : { kind: 'other' as const };
      const sb = b ? sizeOf(b, model, depth + 1) : { kind: 'other' as const };
      if (sa.kind === 'input') return sa;
      if (sb.kind === 'input') return sb;
      if (sa.kind === 'const' && sb.kind === 'const') return { kind: 'const', value: Math.max(sa.value, sb.value) };
      return { kind: 'other' };
    }
    case 'identifier': {
      const b = model.lookup(n.text, n);
      if (!b || b.kind !== 'assign' || !b.value || b.destructured || FUNCTION_TYPES.has(b.value.type)) return { kind: 'other' };
      // Only a name bound once in its scope has one value.
      if ((model.scopeOf(b.node).bindings.get(n.text)?.length ?? 0) !== 1) return { kind: 'other' };
      const s = sizeOf(b.value, model, depth + 1);
      return s.kind === 'input' ? { kind: 'input', node: s.node } : s;
    }
    default:
      return { kind: 'other' };
  }
}

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
    const size = sizeOf(arg.node, ctx.model);
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
