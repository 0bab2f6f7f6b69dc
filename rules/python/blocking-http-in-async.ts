import { capitalized, registerBlockingCalls, syncInAsyncRule } from './_shared/blocking.js';
import { toThreadFix } from './_shared/fix-async.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

const CALLS = new Set([
  ...VERBS.map((v) => `requests.${v}`),
  ...[...VERBS, 'send'].map((v) => `requests.Session.${v}`),
  ...[...VERBS, 'stream'].map((v) => `httpx.${v}`),
  ...[...VERBS, 'send', 'stream'].map((v) => `httpx.Client.${v}`),
  'urllib.request.urlopen',
  'urllib3.request',
  ...['request', 'urlopen', 'request_encode_url', 'request_encode_body'].flatMap((m) => [
    `urllib3.PoolManager.${m}`,
    `urllib3.HTTPConnectionPool.${m}`,
  ]),
  ...['request', 'getresponse', 'connect', 'endheaders', 'send'].map((m) => `http.client.HTTPConnection.${m}`),
]);

registerBlockingCalls(CALLS);

function alternative(name: string): string {
  if (name.startsWith('httpx.')) return 'use `httpx.AsyncClient` and `await` the call';
  if (name.startsWith('requests.')) return 'use an async client (`httpx.AsyncClient` or `aiohttp.ClientSession`) and `await` the call';
  return 'use an async client (`aiohttp.ClientSession` or `httpx.AsyncClient`), or move the call off the loop with `await asyncio.to_thread(...)`';
}

export default syncInAsyncRule({
  code: 'CL501',
  name: 'blocking-http-in-async',
  severity: 'error',
  fixable: 'unsafe',
  docs: {
    summary:
      'A synchronous HTTP call (`requests`, a `requests.Session`, `httpx.<verb>` or a sync `httpx.Client`, `urllib.request.urlopen`, ' +
      '`urllib3` pools, `http.client` connections) is made directly inside an `async def`.',
    why:
      'A coroutine runs on the event loop thread. A synchronous HTTP call holds that thread for the whole round trip — DNS, ' +
      'connect, TLS, waiting for the answer — and no other task of the process runs meanwhile: every in-flight request stalls, ' +
      'latency spikes for all users, and health checks time out. A slow upstream turns into a frozen service.',
    bad: 'import requests\n\n\nasync def profile(user_id):\n    return requests.get(f"https://api.example.com/users/{user_id}", timeout=5).json()\n',
    good:
      'import httpx\n\n\nasync def profile(client: httpx.AsyncClient, user_id):\n' +
      '    resp = await client.get(f"https://api.example.com/users/{user_id}")\n    return resp.json()\n',
    fix:
      'Moves the call off the event loop: `requests.get(u, timeout=5)` becomes ' +
      '`await asyncio.to_thread(requests.get, u, timeout=5)` (with `loop.run_in_executor` and `functools.partial` when ' +
      '`target-version` is below 3.9), adding `import asyncio` if needed. Unsafe: the call now runs in a worker thread of ' +
      'the default executor, so thread-local state differs, the thread pool bounds how many run at once, and cancelling ' +
      'the coroutine no longer stops the request. Switching to an async client is better still, but is a larger change. ' +
      'No fix for a call entered by `with` (its reads would still block) or inside a generator expression.',
    references: [
      'https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code',
      'https://www.python-httpx.org/async/',
      'https://docs.aiohttp.org/en/stable/client_quickstart.html',
    ],
  },
  check(call, site, ctx) {
    const name = ctx.model.matchInfo(site.info, CALLS);
    if (!name) return;
    ctx.report({
      node: call,
      message:
        `\`${name}()\` is a blocking HTTP call inside \`async def\`: until the server answers, the event loop is frozen and ` +
        `every other request of this process waits. ${capitalized(alternative(name))}.`,
      fix: toThreadFix(ctx.model, call, ctx.settings),
    });
  },
});
