import type { Fix, PythonRule as Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import { mayCall } from './_shared/names.js';
import { SQLALCHEMY_NAMES, SQLALCHEMY_POOLS, numericSetting } from './_shared/db-pools.js';

function replaceWith(node: SyntaxNode, text: string, what: string): Fix {
  return { applicability: 'unsafe', message: what, edits: [{ start: node.startIndex, end: node.endIndex, text }] };
}

const rule: Rule = {
  code: 'CL305',
  name: 'unbounded-db-pool',
  category: 'bounded-pool',
  severity: 'warning',
  fixable: 'unsafe',
  triggers: ['create_engine', 'create_async_engine', 'QueuePool'],
  nodeTypes: ['call'],
  docs: {
    summary:
      'A SQLAlchemy engine or `QueuePool` is allowed to open any number of connections: `max_overflow` is negative ' +
      '(`-1`), or `pool_size=0`, which SQLAlchemy reads as "no size limit".',
    why:
      'The pool is what makes a traffic spike wait for a connection instead of opening a new one. Without a bound every ' +
      'concurrent request opens its own database connection until the server refuses them ("FATAL: too many clients ' +
      'already" / "Too many connections") — for every other service sharing that database too. Each connection also ' +
      'costs the database several MB of memory. Keep a finite `pool_size` and `max_overflow`, and let `pool_timeout` ' +
      'turn exhaustion into a clear error.',
    bad: 'from sqlalchemy import create_engine\n\nengine = create_engine("postgresql://app@db/app", max_overflow=-1)\n',
    good: 'from sqlalchemy import create_engine\n\nengine = create_engine("postgresql://app@db/app", pool_size=10, max_overflow=10)\n',
    fix:
      'Replaces a negative `max_overflow` with 10 and `pool_size=0` with 5 (SQLAlchemy\'s defaults). Unsafe: under load ' +
      'requests now wait up to `pool_timeout` for a connection and may fail with a `TimeoutError` instead of opening ' +
      'more connections; size the pool for your workload.',
    references: [
      'https://docs.sqlalchemy.org/en/20/core/pooling.html#sqlalchemy.pool.QueuePool.__init__',
      'https://docs.sqlalchemy.org/en/20/core/engines.html#sqlalchemy.create_engine.params.max_overflow',
    ],
  },
  visit(call, ctx) {
    if (!mayCall(call, ctx.model, SQLALCHEMY_NAMES, 'sqlalchemy-pools', true)) return;
    const name = ctx.model.callMatches(call, SQLALCHEMY_NAMES);
    if (!name) return;
    const params = SQLALCHEMY_POOLS[name];
    const short = name.split('.').pop();
    const overflow = numericSetting(call, 'max_overflow', params, ctx.model);
    if (overflow.kind === 'const' && overflow.value < 0) {
      ctx.report({
        node: overflow.node,
        message:
          `\`${short}(max_overflow=${overflow.node.text})\` lets the pool open unlimited extra connections: a traffic ` +
          `spike opens one database connection per concurrent request until the server refuses them ("too many ` +
          `clients"), for every service sharing it. Use a finite overflow such as \`max_overflow=10\`.`,
        fix: replaceWith(overflow.node, '10', 'Set `max_overflow=10`'),
      });
    }
    const size = numericSetting(call, 'pool_size', params, ctx.model);
    if (size.kind === 'const' && size.value === 0) {
      ctx.report({
        node: size.node,
        message:
          `\`${short}(pool_size=0)\` means "no size limit" to SQLAlchemy's QueuePool: every concurrent request may open ` +
          `its own database connection until the server refuses them ("too many clients"). Use a finite size such as ` +
          `\`pool_size=5\`.`,
        fix: replaceWith(size.node, '5', 'Set `pool_size=5`'),
      });
    }
  },
};

export default rule;
