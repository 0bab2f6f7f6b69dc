import type { PythonRule as Rule } from '../../src/types.js';
import { mayCall } from './_shared/names.js';
import { MAX_SIZE_NAMES, MAX_SIZE_POOLS, SQLALCHEMY_NAMES, SQLALCHEMY_POOLS, numericSetting } from './_shared/db-pools.js';

const rule: Rule = {
  code: 'CL306',
  name: 'oversized-db-pool',
  category: 'bounded-pool',
  severity: 'warning',
  triggers: ['create_engine', 'create_async_engine', 'create_pool', 'Pool'],
  nodeTypes: ['call'],
  options: {
    'max-pool-size': {
      type: 'number',
      default: 100,
      description:
        'Largest number of connections one pool may open (SQLAlchemy `pool_size + max_overflow`, asyncpg/psycopg ' +
        '`max_size`, psycopg2 `maxconn`, aiopg/aiomysql `maxsize`) before it is reported.',
    },
  },
  docs: {
    summary:
      'A database pool may open more connections than a threshold (100 by default, option `max-pool-size`): SQLAlchemy ' +
      '`pool_size + max_overflow`, `asyncpg.create_pool(max_size=...)`, psycopg `ConnectionPool(max_size=...)`, ' +
      'psycopg2 `ThreadedConnectionPool(minconn, maxconn)`, aiopg/aiomysql `maxsize`.',
    why:
      'Every web worker or process gets its own pool, so the database sees pool size × processes × replicas. ' +
      'PostgreSQL allows 100 connections by default and MySQL 151; one pool above that can exhaust the server alone, ' +
      'and each idle connection still costs the database memory. A larger pool rarely adds throughput: the database ' +
      'runs only as many queries at once as it has cores. Size the pool for the per-process concurrency, and put ' +
      'PgBouncer in front when many processes share one database.',
    bad: 'import asyncpg\n\n\nasync def init():\n    return await asyncpg.create_pool("postgresql://app@db/app", max_size=500)\n',
    good: 'import asyncpg\n\n\nasync def init():\n    return await asyncpg.create_pool("postgresql://app@db/app", max_size=20)\n',
    references: [
      'https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-MAX-CONNECTIONS',
      'https://docs.sqlalchemy.org/en/20/core/pooling.html',
      'https://magicstack.github.io/asyncpg/current/api/index.html#connection-pools',
    ],
  },
  visit(call, ctx) {
    const limit = Number(ctx.options['max-pool-size'] ?? 100);
    if (!mayCall(call, ctx.model, [...SQLALCHEMY_NAMES, ...MAX_SIZE_NAMES], 'db-pools', true)) return;
    const sqla = ctx.model.callMatches(call, SQLALCHEMY_NAMES);
    if (sqla) {
      const params = SQLALCHEMY_POOLS[sqla];
      const size = numericSetting(call, 'pool_size', params, ctx.model);
      const overflow = numericSetting(call, 'max_overflow', params, ctx.model);
      if (size.kind === 'unknown' || overflow.kind === 'unknown') return;
      if (size.kind === 'absent' && overflow.kind === 'absent') return;
      const s = size.kind === 'const' ? size.value : 5;
      const o = overflow.kind === 'const' ? overflow.value : 10;
      // A negative overflow or a zero size is unbounded: unbounded-db-pool reports those.
      if (o < 0 || s <= 0) return;
      if (s + o <= limit) return;
      const short = sqla.split('.').pop();
      ctx.report({
        node: size.kind === 'const' ? size.node : (overflow as { node: typeof call }).node,
        message:
          `\`${short}\` may open ${s + o} connections per process (\`pool_size=${s}\` + \`max_overflow=${o}\`), more than ` +
          `the ${limit} allowed by \`max-pool-size\`: multiplied by workers and replicas this exhausts the database's ` +
          `connection limit ("too many clients") and its memory. Size the pool for one process's concurrency ` +
          `(e.g. \`pool_size=10, max_overflow=10\`) and use PgBouncer when many processes share the database.`,
      });
      return;
    }
    const other = ctx.model.callMatches(call, MAX_SIZE_NAMES);
    if (!other) return;
    const spec = MAX_SIZE_POOLS[other];
    const max = numericSetting(call, spec.param, spec.params, ctx.model);
    if (max.kind !== 'const' || max.value <= limit) return;
    ctx.report({
      node: max.node,
      message:
        `\`${other}(${spec.param}=${max.value})\` may open ${max.value} connections per process, more than the ${limit} ` +
        `allowed by \`max-pool-size\`: multiplied by workers and replicas this exhausts the database's connection limit ` +
        `("too many clients") and its memory. Size the pool for one process's concurrency (e.g. \`${spec.param}=20\`) ` +
        `and use PgBouncer when many processes share the database.`,
    });
  },
};

export default rule;
