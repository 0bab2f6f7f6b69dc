import type { SyntaxNode } from '../../src/lang/python/tree.js';
import { gunicornRule, numericValue } from './_shared/gunicorn.js';

/** Constructors of connection pools and pooled clients. */
const POOLS = new Set([
  'sqlalchemy.create_engine',
  'redis.Redis',
  'redis.ConnectionPool',
  'redis.from_url',
  'redis.Redis.from_url',
  'psycopg2.connect',
  'psycopg2.pool.SimpleConnectionPool',
  'psycopg2.pool.ThreadedConnectionPool',
  'psycopg.connect',
  'psycopg_pool.ConnectionPool',
  'pymysql.connect',
  'pymongo.MongoClient',
  'sqlite3.connect',
  'requests.Session',
  'requests.session',
  'httpx.Client',
  'urllib3.PoolManager',
]);
/** Hooks gunicorn runs in the master process, before workers are forked. */
const MASTER_HOOKS = ['on_starting', 'when_ready', 'pre_fork', 'on_reload'];
/** Hooks run in each worker after the fork: where inherited pools get reset. */
const WORKER_HOOKS = ['post_fork', 'post_worker_init'];
const RESETS = new Set(['dispose', 'close', 'disconnect', 'reset', 'closeall']);

export default gunicornRule({
  code: 'CL604',
  name: 'gunicorn-preload-app-pools',
  severity: 'warning',
  docs: {
    summary:
      'A gunicorn config sets `preload_app = True` and opens a connection pool or pooled client before the fork — at module ' +
      'level or in a master hook (`on_starting`, `when_ready`, `pre_fork`) of the same file — with no `post_fork` / ' +
      '`post_worker_init` hook that disposes or recreates it. Only the config file is checked: pools built at import time ' +
      'by the application module are not visible to this rule.',
    why:
      'With `preload_app` the master imports the app and then forks the workers, which inherit every socket already open. ' +
      'Several processes then read and write the same database or Redis connections: responses go to the wrong worker, ' +
      'the server sees corrupted protocol streams ("SSL error: decryption failed", "lost synchronization with server"), ' +
      'and pools count connections that are really shared.',
    bad:
      'from sqlalchemy import create_engine\n\nbind = "0.0.0.0:8000"\nworkers = 4\nmax_requests = 1000\npreload_app = True\n\n' +
      'engine = create_engine("postgresql://app@db/app")\n',
    good:
      'from sqlalchemy import create_engine\n\nbind = "0.0.0.0:8000"\nworkers = 4\nmax_requests = 1000\npreload_app = True\n\n' +
      'engine = create_engine("postgresql://app@db/app")\n\n\ndef post_fork(server, worker):\n    engine.dispose(close=False)\n',
    references: [
      'https://docs.gunicorn.org/en/stable/settings.html#preload-app',
      'https://docs.sqlalchemy.org/en/20/core/pooling.html#using-connection-pools-with-multiprocessing-or-os-fork',
    ],
  },
  check(cfg, ctx) {
    const preload = (cfg.settings.get('preload_app') ?? []).filter(({ value }) => {
      const v = ctx.model.constantValue(value);
      if (typeof v === 'string') return /^(true|1|yes|on)$/i.test(v.trim());
      const n = numericValue(ctx.model, value);
      return n !== undefined && n !== 0;
    });
    if (preload.length === 0) return;
    // Worker hooks that reset or rebuild pools: assume they handle what the master opened.
    for (const name of WORKER_HOOKS) {
      const hook = cfg.hooks.get(name);
      if (!hook) continue;
      for (const call of hook.descendantsOfType('call')) {
        const fn = call.childForFieldName('function');
        const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
        if ((method && RESETS.has(method)) || ctx.model.callMatches(call, POOLS)) return;
      }
    }
    const pools: SyntaxNode[] = [];
    const seen = new Set<number>();
    const scan = (node: SyntaxNode, intoDefs: boolean) => {
      for (const call of node.descendantsOfType('call')) {
        if (seen.has(call.id) || (!intoDefs && insideDef(call, node))) continue;
        seen.add(call.id);
        if (ctx.model.callMatches(call, POOLS)) pools.push(call);
      }
    };
    for (const stmt of cfg.statements) {
      if (!['function_definition', 'decorated_definition', 'class_definition'].includes(stmt.type)) scan(stmt, false);
    }
    for (const name of MASTER_HOOKS) {
      const hook = cfg.hooks.get(name);
      if (hook) scan(hook.childForFieldName('body')!, true);
    }
    if (pools.length === 0) return;
    const first = pools[0];
    for (const { assignment } of preload) {
      ctx.report({
        node: assignment,
        message:
          `\`preload_app = True\` forks workers from a master that has already opened \`${ctx.model.resolveCall(first).name}()\` ` +
          `(line ${first.startPosition.row + 1}): every worker inherits the same sockets, so processes interleave on one ` +
          'connection and corrupt its protocol stream. Dispose of or recreate the pool in a `post_fork` hook ' +
          '(`engine.dispose(close=False)`), create it lazily in the worker, or turn `preload_app` off.',
        related: pools.map((p) => ({ node: p, message: 'pool opened before the fork' })),
      });
    }
  },
});

function insideDef(node: SyntaxNode, stop: SyntaxNode): boolean {
  for (let n = node.parent; n && n.id !== stop.id; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return true;
  }
  return false;
}
