import type { RuleContext } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import { capitalized, loopCall, receiverOf, registerAnyMethodOf, registerBlockingCalls, syncInAsyncRule, type LoopCall } from './_shared/blocking.js';

interface Driver {
  label: string;
  alternative: string;
  calls: string[];
}

const methods = (owner: string, names: string[]) => names.map((m) => `${owner}.${m}`);
const SA_SESSION = [
  'execute', 'scalars', 'scalar', 'get', 'query', 'commit', 'flush', 'refresh', 'rollback', 'merge', 'connection',
  'bulk_save_objects', 'bulk_insert_mappings', 'bulk_update_mappings',
];

const DRIVERS: Driver[] = [
  {
    label: 'sqlite3',
    alternative: 'use `aiosqlite`, or run the database work in a thread with `await asyncio.to_thread(...)`',
    calls: [
      'sqlite3.connect',
      ...methods('sqlite3.Connection', ['execute', 'executemany', 'executescript', 'commit', 'rollback', 'backup']),
      ...methods('sqlite3.Cursor', ['execute', 'executemany', 'executescript', 'fetchone', 'fetchmany', 'fetchall']),
    ],
  },
  {
    label: 'psycopg2',
    alternative: "use `asyncpg` or psycopg 3's `AsyncConnection`",
    calls: [
      'psycopg2.connect',
      'psycopg2.extras.execute_values',
      'psycopg2.extras.execute_batch',
      ...methods('psycopg2.connection', ['commit', 'rollback']),
      ...methods('psycopg2.cursor', ['execute', 'executemany', 'callproc', 'copy_from', 'copy_to', 'copy_expert']),
    ],
  },
  {
    label: 'psycopg',
    alternative: "use psycopg's `AsyncConnection` (`await psycopg.AsyncConnection.connect(...)`) or `asyncpg`",
    calls: [
      'psycopg.connect',
      'psycopg.Connection.connect',
      ...methods('psycopg.Connection', ['execute', 'commit', 'rollback']),
      ...methods('psycopg.Cursor', ['execute', 'executemany']),
    ],
  },
  {
    label: 'PyMySQL/MySQLdb',
    alternative: 'use `aiomysql` or `asyncmy`',
    calls: [
      'pymysql.connect',
      'pymysql.Connect',
      'MySQLdb.connect',
      ...methods('pymysql.connections.Connection', ['commit', 'rollback', 'query', 'ping', 'select_db']),
      ...methods('pymysql.cursors.Cursor', ['execute', 'executemany', 'callproc']),
    ],
  },
  {
    label: 'SQLAlchemy',
    alternative: 'use `AsyncSession` / `create_async_engine` from `sqlalchemy.ext.asyncio` and await the query',
    calls: [
      ...methods('sqlalchemy.orm.Session', SA_SESSION),
      ...methods('sqlalchemy.orm.scoped_session', SA_SESSION),
      ...methods('sqlalchemy.engine.Engine', ['connect', 'begin', 'execute', 'raw_connection']),
      ...methods('sqlalchemy.engine.Connection', ['execute', 'exec_driver_sql', 'scalar', 'scalars', 'commit', 'rollback']),
    ],
  },
  {
    label: 'redis',
    alternative: 'use `redis.asyncio.Redis` and await the command',
    calls: ['redis.client.Pipeline.execute'],
  },
];

const BY_CALL = new Map<string, Driver>();
for (const d of DRIVERS) for (const c of d.calls) BY_CALL.set(c, d);
const CALL_NAMES: ReadonlySet<string> = new Set(BY_CALL.keys());
registerBlockingCalls(CALL_NAMES);
// Every `redis.Redis` method is a round trip: looked at in files that mention redis.
registerAnyMethodOf('redis');
const REDIS = DRIVERS.find((d) => d.label === 'redis')!;
/** `redis.Redis` methods that send nothing to the server. */
const REDIS_LOCAL = new Set([
  'pipeline', 'pubsub', 'lock', 'register_script', 'get_encoder', 'get_connection_kwargs', 'set_response_callback',
  'from_url', 'from_pool', 'client', 'close', 'monitor',
]);

/** The driver call made at `site` (a call on the event loop), if it is one. */
function dbCall(site: LoopCall, ctx: RuleContext): { driver: Driver; name: string } | undefined {
  if (!site.info.name) return undefined;
  const name = ctx.model.matchInfo(site.info, CALL_NAMES);
  if (name) return { driver: BY_CALL.get(name)!, name };
  if (site.info.method && !REDIS_LOCAL.has(site.info.method) && ctx.model.isSubclass(site.info.receiverType, 'redis.Redis')) {
    return { driver: REDIS, name: `redis.Redis.${site.info.method}` };
  }
  return undefined;
}

/** `session.query(User).filter(...).all()`: the whole chain, since the query runs at its end. */
function chainEnd(call: SyntaxNode): SyntaxNode {
  let n = call;
  while (n.parent?.type === 'attribute' && n.parent.parent?.type === 'call' && n.parent.parent.childForFieldName('function')?.id === n.parent.id) {
    n = n.parent.parent;
  }
  return n;
}

export default syncInAsyncRule({
  code: 'CL505',
  name: 'sync-db-in-async',
  severity: 'error',
  docs: {
    summary:
      'A synchronous database driver is used directly inside an `async def`: `sqlite3` connections and cursors, `psycopg2`, ' +
      'sync `psycopg`, `pymysql`/`MySQLdb`, `redis.Redis` commands, SQLAlchemy sync `Session` / `Engine` / `Connection` queries.',
    why:
      'A sync driver waits for the database on the calling thread — in a coroutine, the event loop. Every query holds up all ' +
      'other tasks for its full round trip; a slow query or a lock wait freezes the whole process, and the pool of ' +
      'connections the service thinks it is using concurrently is used one query at a time.',
    bad: 'import sqlite3\n\n\nasync def get_user(user_id):\n    with sqlite3.connect("app.db") as db:\n' +
      '        return db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()\n',
    good: 'import aiosqlite\n\n\nasync def get_user(user_id):\n    async with aiosqlite.connect("app.db") as db:\n' +
      '        async with db.execute("SELECT * FROM users WHERE id = ?", (user_id,)) as cur:\n            return await cur.fetchone()\n',
    references: [
      'https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html',
      'https://magicstack.github.io/asyncpg/current/',
      'https://aiosqlite.omnilib.dev/',
      'https://redis.readthedocs.io/en/stable/examples/asyncio_examples.html',
    ],
  },
  check(call, site, ctx) {
    const hit = dbCall(site, ctx);
    if (!hit) return;
    const { driver, name } = hit;
    // `conn.execute(...).fetchone()`: one finding for the chain, on the call that starts it.
    const recv = receiverOf(call);
    const recvSite = recv?.type === 'call' ? loopCall(recv, ctx) : null;
    if (recvSite && dbCall(recvSite, ctx)) return;
    const node = name.endsWith('.query') ? chainEnd(call) : call;
    ctx.report({
      node,
      message:
        `\`${name}()\` is a blocking ${driver.label} call inside \`async def\`: the event loop waits for the database and no ` +
        `other task runs meanwhile. ${capitalized(driver.alternative)}.`,
    });
  },
});
