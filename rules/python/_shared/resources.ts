// Shared by the resource-close rules (CL4xx): the trigger words and how a resource is named in
// messages. The analysis itself lives in src/lang/python/lifetime.ts.
import { withArticle, type Lifetime } from '../../../src/lang/python/lifetime.js';

/**
 * Words one of which a file must contain for any resource to be recognised: the modules and
 * class names of every creator in lifetime.ts (relative imports inside those packages still
 * spell the class or function name).
 */
export const RESOURCE_TRIGGERS = [
  'requests', 'httpx', 'aiohttp', 'Session', 'session', 'Client', 'Connector', 'Executor', 'socket', 'connect',
  'acquire', 'PoolManager', 'ProxyManager', 'sqlalchemy', 'asyncpg', 'psycopg', 'sqlite3', 'urllib3',
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
