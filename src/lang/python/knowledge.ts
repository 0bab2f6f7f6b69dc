// What the model knows about libraries without reading them: canonical names, what calls
// return, and where positional parameters sit. Data only; the model and rules consult it.

/**
 * Re-exports and internal module paths mapped to the public name rules use. Longest prefix wins,
 * so `requests.sessions.Session` and `requests.api.get` both reach their public spelling.
 */
const CANONICAL_PREFIXES: Array<[string, string]> = [
  ['requests.sessions.Session', 'requests.Session'],
  ['requests.sessions.session', 'requests.session'],
  ['requests.api.', 'requests.'],
  ['requests.models.Response', 'requests.Response'],
  ['requests.adapters.Retry', 'urllib3.Retry'],
  ['requests.packages.urllib3.util.retry.Retry', 'urllib3.Retry'],
  ['requests.packages.urllib3.util.Retry', 'urllib3.Retry'],
  ['requests.packages.urllib3.', 'urllib3.'],
  ['urllib3.util.retry.Retry', 'urllib3.Retry'],
  ['urllib3.util.Retry', 'urllib3.Retry'],
  ['urllib3.poolmanager.PoolManager', 'urllib3.PoolManager'],
  ['urllib3.poolmanager.ProxyManager', 'urllib3.ProxyManager'],
  ['urllib3.connectionpool.HTTPConnectionPool', 'urllib3.HTTPConnectionPool'],
  ['urllib3.connectionpool.HTTPSConnectionPool', 'urllib3.HTTPSConnectionPool'],
  ['aiohttp.client.ClientSession', 'aiohttp.ClientSession'],
  ['aiohttp.client.ClientTimeout', 'aiohttp.ClientTimeout'],
  ['aiohttp.connector.TCPConnector', 'aiohttp.TCPConnector'],
  ['httpx._client.', 'httpx.'],
  ['httpx._api.', 'httpx.'],
  ['concurrent.futures.thread.ThreadPoolExecutor', 'concurrent.futures.ThreadPoolExecutor'],
  ['concurrent.futures.process.ProcessPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
  ['concurrent.futures._base.', 'concurrent.futures.'],
  ['sqlalchemy.orm.session.Session', 'sqlalchemy.orm.Session'],
  ['sqlalchemy.orm.session.sessionmaker', 'sqlalchemy.orm.sessionmaker'],
  ['sqlalchemy.orm.scoping.scoped_session', 'sqlalchemy.orm.scoped_session'],
  ['sqlalchemy.engine.create_engine', 'sqlalchemy.create_engine'],
  ['sqlalchemy.ext.asyncio.engine.create_async_engine', 'sqlalchemy.ext.asyncio.create_async_engine'],
  ['asyncio.tasks.', 'asyncio.'],
  ['asyncio.timeouts.', 'asyncio.'],
  ['asyncio.locks.', 'asyncio.'],
  ['multiprocessing.pool.ThreadPool', 'multiprocessing.pool.ThreadPool'],
  ['redis.client.Redis', 'redis.Redis'],
  ['redis.client.StrictRedis', 'redis.Redis'],
  ['redis.StrictRedis', 'redis.Redis'],
  ['psycopg2.extensions.connection', 'psycopg2.connection'],
  ['sqlite3.dbapi2.', 'sqlite3.'],
  ['sqlalchemy.ext.asyncio.session.async_sessionmaker', 'sqlalchemy.ext.asyncio.async_sessionmaker'],
  ['sqlalchemy.ext.asyncio.session.AsyncSession', 'sqlalchemy.ext.asyncio.AsyncSession'],
  ['urllib2.urlopen', 'urllib.request.urlopen'],
  ['six.moves.urllib.request.', 'urllib.request.'],
];

// canonicalName is pure and asked about the same few names again and again (each call site's
// qualified name, per rule): answers are kept, up to a bound.
const canonicalCache = new Map<string, string>();

export function canonicalName(name: string): string {
  let out = canonicalCache.get(name);
  if (out === undefined) {
    if (canonicalCache.size >= 50_000) canonicalCache.clear();
    canonicalCache.set(name, (out = computeCanonicalName(name)));
  }
  return out;
}

function computeCanonicalName(name: string): string {
  // A vendored copy is the library itself (`pip._vendor.requests.sessions.Session`).
  const vendored = /^[\w.]+\._vendor\.(requests|urllib3)(\.|$)/.exec(name);
  if (vendored) name = name.slice(vendored[0].length - vendored[1].length - vendored[2].length);
  let best: [string, string] | undefined;
  for (const entry of CANONICAL_PREFIXES) {
    const [from] = entry;
    const matches = from.endsWith('.') ? name.startsWith(from) : name === from || name.startsWith(from + '.');
    if (matches && (!best || from.length > best[0].length)) best = entry;
  }
  return best ? best[1] + name.slice(best[0].length) : name;
}

/**
 * Classes whose instances the model tracks (the constructor's qualified name is the type). Any
 * other call yields a type only through RETURN_TYPES or a class defined in the same module.
 */
export const KNOWN_CLASSES = new Set([
  'requests.Session',
  'requests.Response',
  'requests.adapters.HTTPAdapter',
  'httpx.Client',
  'httpx.AsyncClient',
  'httpx.Timeout',
  'aiohttp.ClientSession',
  'aiohttp.TCPConnector',
  'aiohttp.ClientTimeout',
  'aiohttp.ClientResponse',
  'urllib3.PoolManager',
  'urllib3.ProxyManager',
  'urllib3.HTTPConnectionPool',
  'urllib3.HTTPSConnectionPool',
  'urllib3.Retry',
  'socket.socket',
  'ssl.SSLSocket',
  'http.client.HTTPConnection',
  'http.client.HTTPSConnection',
  'http.client.HTTPResponse',
  'urllib.request.OpenerDirector',
  'smtplib.SMTP',
  'smtplib.SMTP_SSL',
  'ftplib.FTP',
  'ftplib.FTP_TLS',
  'imaplib.IMAP4',
  'imaplib.IMAP4_SSL',
  'poplib.POP3',
  'poplib.POP3_SSL',
  'telnetlib.Telnet',
  'concurrent.futures.ThreadPoolExecutor',
  'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.Future',
  'multiprocessing.pool.Pool',
  'multiprocessing.pool.ThreadPool',
  'sqlite3.Connection',
  'sqlite3.Cursor',
  'psycopg2.connection',
  'psycopg2.cursor',
  'psycopg.Connection',
  'psycopg.AsyncConnection',
  'psycopg_pool.ConnectionPool',
  'psycopg_pool.AsyncConnectionPool',
  'pymysql.connections.Connection',
  'asyncpg.Connection',
  'asyncpg.Pool',
  'sqlalchemy.ext.asyncio.async_sessionmaker',
  'sqlalchemy.engine.Engine',
  'sqlalchemy.engine.Connection',
  'sqlalchemy.orm.Session',
  'sqlalchemy.orm.sessionmaker',
  'sqlalchemy.orm.scoped_session',
  'sqlalchemy.ext.asyncio.AsyncEngine',
  'sqlalchemy.ext.asyncio.AsyncSession',
  'redis.Redis',
  'redis.asyncio.Redis',
  'threading.Lock',
  'threading.RLock',
  'threading.Semaphore',
  'threading.BoundedSemaphore',
  'threading.Event',
  'threading.Condition',
  'queue.Queue',
  'queue.LifoQueue',
  'queue.PriorityQueue',
  'asyncio.Semaphore',
  'asyncio.BoundedSemaphore',
  'asyncio.TaskGroup',
  'anyio.CapacityLimiter',
  'pathlib.Path',
  'pathlib.PurePath',
  'subprocess.Popen',
  'threading.Thread',
  'psutil.Process',
]);

/** What a function or method call returns (after `await` where the call is a coroutine). */
export const RETURN_TYPES: Record<string, string> = {
  'requests.session': 'requests.Session',
  'requests.get': 'requests.Response',
  'requests.post': 'requests.Response',
  'requests.put': 'requests.Response',
  'requests.patch': 'requests.Response',
  'requests.delete': 'requests.Response',
  'requests.head': 'requests.Response',
  'requests.options': 'requests.Response',
  'requests.request': 'requests.Response',
  'requests.Session.get': 'requests.Response',
  'requests.Session.post': 'requests.Response',
  'requests.Session.put': 'requests.Response',
  'requests.Session.patch': 'requests.Response',
  'requests.Session.delete': 'requests.Response',
  'requests.Session.head': 'requests.Response',
  'requests.Session.options': 'requests.Response',
  'requests.Session.request': 'requests.Response',
  'aiohttp.ClientSession.get': 'aiohttp.ClientResponse',
  'aiohttp.ClientSession.post': 'aiohttp.ClientResponse',
  'aiohttp.ClientSession.put': 'aiohttp.ClientResponse',
  'aiohttp.ClientSession.patch': 'aiohttp.ClientResponse',
  'aiohttp.ClientSession.delete': 'aiohttp.ClientResponse',
  'aiohttp.ClientSession.head': 'aiohttp.ClientResponse',
  'aiohttp.ClientSession.options': 'aiohttp.ClientResponse',
  'aiohttp.ClientSession.request': 'aiohttp.ClientResponse',
  'socket.create_connection': 'socket.socket',
  'socket.socket.accept': 'tuple',
  'socket.fromfd': 'socket.socket',
  'ssl.wrap_socket': 'ssl.SSLSocket',
  'ssl.SSLContext.wrap_socket': 'ssl.SSLSocket',
  'http.client.HTTPConnection.getresponse': 'http.client.HTTPResponse',
  'http.client.HTTPSConnection.getresponse': 'http.client.HTTPResponse',
  'urllib.request.urlopen': 'http.client.HTTPResponse',
  'urllib.request.build_opener': 'urllib.request.OpenerDirector',
  'urllib.request.OpenerDirector.open': 'http.client.HTTPResponse',
  'sqlite3.connect': 'sqlite3.Connection',
  'sqlite3.Connection.cursor': 'sqlite3.Cursor',
  'sqlite3.Connection.execute': 'sqlite3.Cursor',
  'psycopg2.connect': 'psycopg2.connection',
  'psycopg2.connection.cursor': 'psycopg2.cursor',
  'psycopg.connect': 'psycopg.Connection',
  'psycopg.Connection.connect': 'psycopg.Connection',
  'psycopg.AsyncConnection.connect': 'psycopg.AsyncConnection',
  'pymysql.connect': 'pymysql.connections.Connection',
  'pymysql.Connect': 'pymysql.connections.Connection',
  'MySQLdb.connect': 'pymysql.connections.Connection',
  'asyncpg.connect': 'asyncpg.Connection',
  'asyncpg.create_pool': 'asyncpg.Pool',
  'asyncpg.Pool.acquire': 'asyncpg.Connection',
  'sqlalchemy.ext.asyncio.async_sessionmaker.__call__': 'sqlalchemy.ext.asyncio.AsyncSession',
  'sqlalchemy.create_engine': 'sqlalchemy.engine.Engine',
  'sqlalchemy.engine.Engine.connect': 'sqlalchemy.engine.Connection',
  'sqlalchemy.engine.Engine.begin': 'sqlalchemy.engine.Connection',
  'sqlalchemy.orm.sessionmaker': 'sqlalchemy.orm.sessionmaker',
  'sqlalchemy.orm.sessionmaker.__call__': 'sqlalchemy.orm.Session',
  'sqlalchemy.orm.scoped_session.__call__': 'sqlalchemy.orm.Session',
  'sqlalchemy.ext.asyncio.create_async_engine': 'sqlalchemy.ext.asyncio.AsyncEngine',
  'redis.from_url': 'redis.Redis',
  'redis.Redis.from_url': 'redis.Redis',
  'redis.asyncio.from_url': 'redis.asyncio.Redis',
  // Cursors and pipelines, for the sync-in-async rules (a query on them is a blocking round trip).
  'redis.Redis.pipeline': 'redis.client.Pipeline',
  'psycopg.Connection.cursor': 'psycopg.Cursor',
  'psycopg.Connection.execute': 'psycopg.Cursor',
  'pymysql.connections.Connection.cursor': 'pymysql.cursors.Cursor',
  'sqlite3.Connection.executemany': 'sqlite3.Cursor',
  'sqlite3.Connection.executescript': 'sqlite3.Cursor',
  'sqlite3.Cursor.execute': 'sqlite3.Cursor',
  'concurrent.futures.ThreadPoolExecutor.submit': 'concurrent.futures.Future',
  'concurrent.futures.ProcessPoolExecutor.submit': 'concurrent.futures.Future',
  'subprocess.Popen': 'subprocess.Popen',
};

/**
 * Positional order of the parameters rules care about (others may be omitted at the end), so
 * `urlopen(url, None, 10)` is found to pass a timeout. Keyword-only parameters are left out.
 */
export const SIGNATURES: Record<string, string[]> = {
  'urllib.request.urlopen': ['url', 'data', 'timeout'],
  'socket.create_connection': ['address', 'timeout', 'source_address'],
  'http.client.HTTPConnection': ['host', 'port', 'timeout', 'source_address', 'blocksize'],
  // Before 3.12 key_file and cert_file came before timeout.
  'http.client.HTTPSConnection': ['host', 'port', 'key_file', 'cert_file', 'timeout'],
  'smtplib.SMTP': ['host', 'port', 'local_hostname', 'timeout', 'source_address'],
  'smtplib.SMTP_SSL': ['host', 'port', 'local_hostname', 'keyfile', 'certfile', 'timeout'],
  'smtplib.LMTP': ['host', 'port', 'local_hostname', 'source_address', 'timeout'],
  'ftplib.FTP': ['host', 'user', 'passwd', 'acct', 'timeout', 'source_address'],
  'ftplib.FTP_TLS': ['host', 'user', 'passwd', 'acct', 'keyfile', 'certfile', 'context', 'timeout'],
  'imaplib.IMAP4': ['host', 'port', 'timeout'],
  'imaplib.IMAP4_SSL': ['host', 'port', 'keyfile', 'certfile', 'ssl_context', 'timeout'],
  'poplib.POP3': ['host', 'port', 'timeout'],
  'poplib.POP3_SSL': ['host', 'port', 'keyfile', 'certfile', 'timeout', 'context'],
  'telnetlib.Telnet': ['host', 'port', 'timeout'],
  'asyncio.wait_for': ['fut', 'timeout'],
  'asyncio.wait': ['fs', 'timeout', 'return_when'],
  'asyncio.timeout': ['delay'],
  'asyncio.timeout_at': ['when'],
  'requests.request': ['method', 'url'],
  'requests.get': ['url', 'params'],
  'requests.post': ['url', 'data', 'json'],
  'requests.put': ['url', 'data'],
  'requests.patch': ['url', 'data'],
  'requests.delete': ['url'],
  'requests.head': ['url'],
  'requests.options': ['url'],
  'requests.Session.request': [
    'method', 'url', 'params', 'data', 'headers', 'cookies', 'files', 'auth', 'timeout',
    'allow_redirects', 'proxies', 'hooks', 'stream', 'verify', 'cert', 'json',
  ],
  'requests.Session.get': ['url'],
  'requests.Session.post': ['url', 'data', 'json'],
  'requests.Session.put': ['url', 'data'],
  'requests.Session.patch': ['url', 'data'],
  'requests.Session.delete': ['url'],
  'requests.Session.head': ['url'],
  'requests.Session.options': ['url'],
  'requests.Session.mount': ['prefix', 'adapter'],
  'aiohttp.ClientTimeout': ['total', 'connect', 'sock_read', 'sock_connect', 'ceil_threshold'],
  'httpx.Timeout': ['timeout'],
  'urllib.request.OpenerDirector.open': ['fullurl', 'data', 'timeout'],
  'concurrent.futures.ThreadPoolExecutor': ['max_workers', 'thread_name_prefix', 'initializer', 'initargs'],
  'concurrent.futures.ProcessPoolExecutor': ['max_workers', 'mp_context', 'initializer', 'initargs'],
  'multiprocessing.pool.ThreadPool': ['processes', 'initializer', 'initargs'],
  'multiprocessing.pool.Pool': ['processes', 'initializer', 'initargs', 'maxtasksperchild'],
  'urllib3.Retry': [
    'total', 'connect', 'read', 'redirect', 'status', 'other', 'allowed_methods', 'status_forcelist',
    'backoff_factor',
  ],
  'psutil.cpu_percent': ['interval', 'percpu'],
  'psutil.cpu_times_percent': ['interval', 'percpu'],
  'psutil.Process.cpu_percent': ['interval'],
  'time.sleep': ['secs'],
  'queue.Queue.get': ['block', 'timeout'],
  'threading.Lock.acquire': ['blocking', 'timeout'],
  'concurrent.futures.Future.result': ['timeout'],
  'subprocess.run': ['args'],
  'asyncio.Semaphore': ['value'],
};

/** Names that resolve to builtins when nothing in the file binds them. */
export const BUILTINS = new Set([
  'open', 'input', 'print', 'len', 'range', 'list', 'dict', 'set', 'tuple', 'iter', 'next', 'map',
  'filter', 'zip', 'enumerate', 'sorted', 'reversed', 'min', 'max', 'sum', 'any', 'all', 'isinstance',
  'getattr', 'setattr', 'hasattr', 'super', 'type', 'object', 'str', 'int', 'float', 'bool', 'bytes',
  'exec', 'eval', 'compile', '__import__', 'breakpoint',
]);

/** Library subclassing that matters for rules (a `ProxyManager` is a `PoolManager`). */
export const LIBRARY_BASES: Record<string, string[]> = {
  'urllib3.ProxyManager': ['urllib3.PoolManager'],
  'urllib3.HTTPSConnectionPool': ['urllib3.HTTPConnectionPool'],
  'http.client.HTTPSConnection': ['http.client.HTTPConnection'],
  'smtplib.SMTP_SSL': ['smtplib.SMTP'],
  'smtplib.LMTP': ['smtplib.SMTP'],
  'ftplib.FTP_TLS': ['ftplib.FTP'],
  'imaplib.IMAP4_SSL': ['imaplib.IMAP4'],
  'poplib.POP3_SSL': ['poplib.POP3'],
  'ssl.SSLSocket': ['socket.socket'],
  'asyncio.BoundedSemaphore': ['asyncio.Semaphore'],
  'threading.BoundedSemaphore': ['threading.Semaphore'],
  'queue.LifoQueue': ['queue.Queue'],
  'queue.PriorityQueue': ['queue.Queue'],
  'redis.asyncio.Redis': [],
};

/**
 * Every dotted name that resolves to one of `names`: the names themselves, the spellings
 * canonicalName() maps to them (`redis.StrictRedis`, `requests.adapters.Retry`), and library
 * subclasses and their members (`ssl.SSLSocket` for `socket.socket`).
 */
export function spellingsOf(names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const add = (name: string): void => {
    if (out.has(name)) return;
    out.add(name);
    for (const [from, to] of CANONICAL_PREFIXES) {
      // A `from` under `to` itself (`requests.api.` for `requests.`) spells the same last part.
      if (name.startsWith(to) && !from.startsWith(to)) add(from + name.slice(to.length));
    }
    for (const [cls, bases] of Object.entries(LIBRARY_BASES)) {
      for (const base of bases) if (name === base || name.startsWith(`${base}.`)) add(cls + name.slice(base.length));
    }
  };
  for (const n of names) add(n);
  return out;
}

/** The part of a qualified name a reference to it spells: the last, or for `X.__call__` (calling an X instance) X's. */
export function spelledPart(name: string): string {
  const parts = name.split('.');
  return parts.length > 2 && parts[parts.length - 1] === '__call__' ? parts[parts.length - 2] : parts[parts.length - 1];
}

/** What calls to a set of names can spell (see SemanticModel.mayCall). */
export interface SpelledParts {
  /** The parts a call's callee can end with: each spelling's last part. */
  parts: ReadonlySet<string>;
  /** For `X.__call__` names: the X a file must name for an instance call to be one of them. */
  instanceOf: readonly string[];
}

const spelledBySet = new WeakMap<object, SpelledParts>();
const spelledByKey = new Map<string, SpelledParts>();

/** spellingsOf(names) reduced to what a call spells, remembered per name set (or per short list's contents). */
export function spelledParts(names: readonly string[] | ReadonlySet<string>): SpelledParts {
  let hit = spelledBySet.get(names);
  if (hit) return hit;
  // Short lists are often written at the call site (`[ 'urllib3.Retry' ]`): one entry per contents.
  const key = Array.isArray(names) && names.length <= 4 ? names.join('\n') : undefined;
  hit = key !== undefined ? spelledByKey.get(key) : undefined;
  if (!hit) {
    const parts = new Set<string>();
    const instanceOf = new Set<string>();
    for (const name of spellingsOf(names)) {
      if (name.endsWith('.__call__')) instanceOf.add(spelledPart(name));
      else parts.add(spelledPart(name));
    }
    hit = { parts, instanceOf: [...instanceOf] };
    if (key !== undefined && spelledByKey.size < 1000) spelledByKey.set(key, hit);
  }
  spelledBySet.set(names, hit);
  return hit;
}

/**
 * Prefilter triggers (engine/prefilter.ts) for a rule that matches these canonical names: for
 * each spelling of each name (spellingsOf), its top-level module and the part a reference to it
 * spells. Subclasses defined in the file spell their base; names inside the library itself are
 * covered by the module-name rule of triggers.
 */
export function nameTriggers(names: Iterable<string>): Array<Array<string | RegExp>> {
  const out = new Map<string, Array<string | RegExp>>();
  for (const name of spellingsOf(names)) {
    const top = name.split('.')[0];
    const spelled = spelledPart(name);
    // `socket.socket` spells its module's name: that the module is imported says little, so the
    // name must be written as something called, imported under another name, or derived from.
    const trigger = spelled === top ? [top, calledOrDerived(spelled)] : [top, spelled];
    out.set(trigger.join(' '), trigger);
  }
  return [...out.values()].sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}

/**
 * Where `name` is called (`name(`, `name )(`, across a line continuation), imported under
 * another name (`name as`), or named among a class statement's bases: the ways a call can reach
 * a class or function called `name` (SemanticModel.mayCall).
 */
function calledOrDerived(name: string): RegExp {
  const gap = String.raw`[\s\\]*`;
  return new RegExp(String.raw`\b${name}${gap}(?:\)${gap})*\(|\b${name}${gap}as\b|\bclass\s+\w+${gap}\([^)]*\b${name}\b`);
}
