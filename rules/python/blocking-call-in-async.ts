import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { enclosingFunction } from '../../src/lang/python/context.js';
import { toThreadFix } from './_shared/fix-async.js';
import { argValue, capitalized, guardedBy, receiverOf, registerBlockingCalls, syncInAsyncRule, truthy } from './_shared/blocking.js';

const PSUTIL: Record<string, string[]> = {
  'psutil.cpu_percent': ['interval', 'percpu'],
  'psutil.cpu_times_percent': ['interval', 'percpu'],
  'psutil.Process.cpu_percent': ['interval'],
};

const SOCKET_METHODS = new Set(
  ['recv', 'recv_into', 'recvfrom', 'recvfrom_into', 'recvmsg', 'send', 'sendall', 'sendto', 'sendmsg', 'sendfile', 'connect', 'accept']
    .map((m) => `socket.socket.${m}`),
);
const SOCKET_FUNCTIONS = new Set([
  'socket.create_connection',
  'socket.getaddrinfo',
  'socket.gethostbyname',
  'socket.gethostbyname_ex',
  'socket.gethostbyaddr',
  'socket.getfqdn',
  'socket.getnameinfo',
]);

/** Waits with their parameter order; `nonBlocking` says which constant arguments make them return at once. */
interface Wait {
  params: string[];
  what: string;
  alternative: string;
}
const LOCK_ACQUIRE: Wait = {
  params: ['blocking', 'timeout'],
  what: 'waits for a thread lock',
  alternative: 'use an `asyncio.Lock` for coroutines, or `acquire(blocking=False)`',
};
const WAITS: Record<string, Wait> = {
  'threading.Lock.acquire': LOCK_ACQUIRE,
  'threading.RLock.acquire': LOCK_ACQUIRE,
  'threading.Semaphore.acquire': LOCK_ACQUIRE,
  'threading.Condition.acquire': LOCK_ACQUIRE,
  'threading.Event.wait': {
    params: ['timeout'],
    what: 'waits for a thread event',
    alternative: 'use an `asyncio.Event`, or `await asyncio.to_thread(event.wait)`',
  },
  'threading.Condition.wait': {
    params: ['timeout'],
    what: 'waits on a thread condition',
    alternative: 'use an `asyncio.Condition`, or wait in a thread with `asyncio.to_thread`',
  },
  'queue.Queue.get': {
    params: ['block', 'timeout'],
    what: 'waits for an item from a thread queue',
    alternative: 'use an `asyncio.Queue`, `get_nowait()`, or `await asyncio.to_thread(q.get)`',
  },
  'concurrent.futures.Future.result': {
    params: ['timeout'],
    what: 'waits for a thread-pool future',
    alternative: 'await it with `await asyncio.wrap_future(fut)` (or submit with `loop.run_in_executor`)',
  },
};
const WAIT_NAMES = new Set(Object.keys(WAITS));

registerBlockingCalls([...Object.keys(PSUTIL), 'input', ...SOCKET_METHODS, ...SOCKET_FUNCTIONS, ...WAIT_NAMES]);

function returnsAtOnce(call: SyntaxNode, wait: Wait, model: SemanticModel): boolean {
  for (const p of ['blocking', 'block']) {
    if (!wait.params.includes(p)) continue;
    const v = argValue(model, call, p, wait.params);
    if (v.kind === 'unknown' && !v.node) return true;
    if (v.kind === 'value' && !truthy(v.value)) return true;
  }
  const t = argValue(model, call, 'timeout', wait.params);
  if (t.kind === 'unknown' && !t.node) return true;
  return t.kind === 'value' && t.value === 0;
}

/** A socket the code put in non-blocking mode, or whose call handles BlockingIOError. */
function nonBlockingSocket(call: SyntaxNode, model: SemanticModel): boolean {
  if (guardedBy(call, model, ['BlockingIOError', 'InterruptedError', 'SSLWantReadError', 'SSLWantWriteError'])) return true;
  const recv = receiverOf(call);
  const fn = enclosingFunction(call);
  if (!recv || !fn) return false;
  for (const c of fn.descendantsOfType('call')) {
    const f = c.childForFieldName('function');
    if (f?.type !== 'attribute' || f.childForFieldName('object')?.text !== recv.text) continue;
    const m = f.childForFieldName('attribute')!.text;
    const first = c.childForFieldName('arguments')?.namedChildren.find((a) => a.type !== 'comment');
    const v = first ? model.constantValue(first) : undefined;
    if ((m === 'setblocking' && v === false) || (m === 'setblocking' && v === 0) || (m === 'settimeout' && v === 0)) return true;
  }
  return false;
}

export default syncInAsyncRule({
  code: 'CL506',
  name: 'blocking-call-in-async',
  severity: 'error',
  fixable: 'unsafe',
  docs: {
    summary:
      'Another blocking call is made directly inside an `async def`: `psutil.cpu_percent(interval=…)` and other psutil calls ' +
      'with an interval, blocking socket calls (`recv`, `send*`, `connect`, `accept`, `socket.create_connection`, DNS lookups ' +
      'such as `socket.gethostbyname`), `input()`, `concurrent.futures.Future.result()`, `threading` lock/event/condition ' +
      'waits, `queue.Queue.get()` without `block=False` — and any call listed in the `blocking-calls` setting.',
    why:
      'Each of these parks the calling thread until something else happens — an interval elapses, a peer sends bytes, ' +
      'another thread releases a lock or finishes. In a coroutine that thread is the event loop, so every other task of the ' +
      'process waits too: latency spikes, timeouts fire late, health checks fail. A wait on another thread that itself ' +
      'needs the loop deadlocks.',
    bad: 'import psutil\n\n\nasync def health():\n    return {"cpu": psutil.cpu_percent(interval=1)}\n',
    good: 'import psutil\n\n\nasync def health():\n    # interval=None compares with the previous call and returns at once.\n    return {"cpu": psutil.cpu_percent(interval=None)}\n',
    fix:
      'For calls that only compute or wait on their own — `psutil.cpu_percent(interval=...)`, `input()`, the DNS ' +
      'lookups (`getaddrinfo`, `gethostbyname`, ...) and the functions listed in `blocking-calls` — the call moves to a ' +
      'thread: `await asyncio.to_thread(f, ...)`. Unsafe: it now runs in the default executor, competing with other ' +
      'work there, and is not stopped by cancelling the coroutine. Socket methods, lock and queue waits and joins get no ' +
      'fix: moving them to a thread changes which thread owns the lock or socket, or deadlocks.',
    references: [
      'https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code',
      'https://psutil.readthedocs.io/en/latest/#psutil.cpu_percent',
      'https://docs.python.org/3/library/asyncio-stream.html',
    ],
  },
  check(call, site, ctx) {
    if (!site.info.name) return;
    const model = ctx.model;
    const name = site.info.name;
    const report = (message: string, threadable = false) =>
      ctx.report({ node: call, message, fix: threadable ? toThreadFix(model, call, ctx.settings) : null });

    if (ctx.settings.blockingCalls.length) {
      const configured = model.matchInfo(site.info, ctx.settings.blockingCalls);
      if (configured) {
        return report(
          `\`${configured}()\` is listed as blocking in the \`blocking-calls\` setting and is called inside \`async def\`, ` +
            'where it stalls the event loop. Call it through `await asyncio.to_thread(...)` or use an async variant.',
          true,
        );
      }
    }

    const ps = model.matchInfo(site.info, Object.keys(PSUTIL));
    if (ps) {
      const v = argValue(model, call, 'interval', PSUTIL[ps]);
      if (v.kind === 'absent' || (v.kind === 'unknown' && !v.node)) return;
      if (v.kind === 'value' && (typeof v.value !== 'number' || v.value <= 0)) return;
      return report(
        `\`${ps}()\` with an interval sleeps for that interval to measure CPU use, blocking the event loop meanwhile. ` +
          'Pass `interval=None` (compares with the previous call, returns at once) or call it via `await asyncio.to_thread(...)`.',
        true,
      );
    }

    if (name === 'input') {
      return report('`input()` waits for a line on stdin, blocking the event loop until one arrives. Read stdin with an asyncio stream reader, or `await asyncio.to_thread(input)`.', true);
    }

    if (SOCKET_FUNCTIONS.has(name)) {
      // NI_NUMERICHOST / AI_NUMERICHOST: numeric addresses only, no resolver round trip.
      const args = call.childForFieldName('arguments');
      const flags = args?.descendantsOfType(['identifier', 'attribute']) ?? [];
      if (flags.some((f) => /(^|\.)(NI|AI)_NUMERICHOST$/.test(model.qualifiedName(f) ?? f.text))) return;
      const dns = name !== 'socket.create_connection';
      return report(
        `\`${name}()\` ${dns ? 'resolves names synchronously (a DNS round trip, seconds when the resolver is slow)' : 'connects synchronously'} ` +
          `and blocks the event loop meanwhile. Use ${dns ? '`await loop.getaddrinfo(...)`' : '`await asyncio.open_connection(...)`'} instead.`,
        dns,
      );
    }
    const sock = model.matchInfo(site.info, SOCKET_METHODS);
    if (sock) {
      if (nonBlockingSocket(call, model)) return;
      const method = sock.split('.').pop();
      return report(
        `\`socket.${method}()\` on a blocking socket waits for the peer inside \`async def\`, freezing the event loop until it ` +
          'answers. Use asyncio streams (`asyncio.open_connection`, `StreamReader.read`) or the `loop.sock_*` coroutines on a non-blocking socket.',
      );
    }

    const waitName = model.matchInfo(site.info, WAIT_NAMES);
    if (waitName) {
      const wait = WAITS[waitName];
      if (returnsAtOnce(call, wait, model)) return;
      const short = waitName.split('.').slice(-2).join('.');
      return report(
        `\`${short}()\` ${wait.what}, blocking the event loop until it returns (and deadlocking if that needs the loop). ` +
          `${capitalized(wait.alternative)}.`,
      );
    }
  },
});
