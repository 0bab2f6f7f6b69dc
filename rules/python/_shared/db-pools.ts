// Shared by the database pool rules: the pool size settings of SQLAlchemy engines and pools,
// asyncpg, psycopg/psycopg2 and aiopg/aiomysql pools, read as constants where possible.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import { argumentOf } from '../../../src/lang/python/calls.js';

/** SQLAlchemy calls taking `pool_size` and `max_overflow` (QueuePool also by position). */
export const SQLALCHEMY_POOLS: Record<string, string[] | undefined> = {
  'sqlalchemy.create_engine': undefined,
  'sqlalchemy.engine.create.create_engine': undefined,
  'sqlalchemy.ext.asyncio.create_async_engine': undefined,
  'sqlalchemy.pool.QueuePool': ['creator', 'pool_size', 'max_overflow', 'timeout'],
  'sqlalchemy.pool.AsyncAdaptedQueuePool': ['creator', 'pool_size', 'max_overflow', 'timeout'],
  'sqlalchemy.pool.impl.QueuePool': ['creator', 'pool_size', 'max_overflow', 'timeout'],
};
export const SQLALCHEMY_NAMES = new Set(Object.keys(SQLALCHEMY_POOLS));

/** Other pools: the parameter that caps them, its positional layout, and the library default. */
export const MAX_SIZE_POOLS: Record<string, { param: string; params?: string[]; fallback?: number }> = {
  'asyncpg.create_pool': { param: 'max_size', fallback: 10 },
  'asyncpg.pool.create_pool': { param: 'max_size', fallback: 10 },
  'psycopg_pool.ConnectionPool': { param: 'max_size' },
  'psycopg_pool.AsyncConnectionPool': { param: 'max_size' },
  'psycopg2.pool.SimpleConnectionPool': { param: 'maxconn', params: ['minconn', 'maxconn'] },
  'psycopg2.pool.ThreadedConnectionPool': { param: 'maxconn', params: ['minconn', 'maxconn'] },
  'aiopg.create_pool': { param: 'maxsize', params: ['dsn', 'minsize', 'maxsize'], fallback: 10 },
  'aiomysql.create_pool': { param: 'maxsize', params: ['minsize', 'maxsize'], fallback: 10 },
};
export const MAX_SIZE_NAMES = new Set(Object.keys(MAX_SIZE_POOLS));

export type Setting =
  | { kind: 'absent' }
  | { kind: 'const'; value: number; node: SyntaxNode }
  /** Not a constant, or maybe passed through `**kwargs`. */
  | { kind: 'unknown' };

export function numericSetting(call: SyntaxNode, name: string, params: string[] | undefined, model: SemanticModel): Setting {
  const arg = argumentOf(call, name, params);
  if (arg.kind === 'unknown') return { kind: 'unknown' };
  if (arg.kind === 'absent') return { kind: 'absent' };
  const v = model.constantValue(arg.node);
  return typeof v === 'number' ? { kind: 'const', value: v, node: arg.node } : { kind: 'unknown' };
}
