// Shared by the resource-close rules (CL4xx): the trigger words and how a resource is named in
// messages. The analysis itself lives in src/lang/python/lifetime.ts.
import { withArticle, type Lifetime } from '../../../src/lang/python/lifetime.js';

/**
 * Words one of which a file must contain for any resource to be recognised. A creator is reached
 * through an import that spells its module (`requests`, `sqlite3`, `socket`, ...), an annotation
 * or base class that does, or, inside the library itself, a relative import that spells the
 * class (`Session`, `Client`, `Executor`, ...). Broad words such as `connect` or `stream` are
 * not needed: the module name is always there too.
 */
export const RESOURCE_TRIGGERS = [
  'requests', 'httpx', 'aiohttp', 'Session', 'Client', 'Connector', 'Executor', 'socket', 'PoolManager', 'ProxyManager',
  'sqlalchemy', 'sessionmaker', 'asyncpg', 'psycopg', 'sqlite3', 'urllib3',
];

/** `` `session` (a requests.Session) `` or `` a requests.Session `` for an unnamed one. */
export function describe(lt: Lifetime): string {
  return lt.name ? `\`${lt.name}\` (${withArticle(lt.spec.label)})` : `this ${lt.spec.label}`;
}

/** `requests.Session()` → the call's text when short, else the creator's name. */
export function creationText(lt: Lifetime): string {
  const t = lt.call.text;
  if (t.length <= 60 && !t.includes('\n')) return t;
  return `${lt.spec.creator.replace(/^concurrent\.futures\./, '').replace(/\.__call__$/, '')}(...)`;
}
