import type { PythonRule as Rule } from '../../src/types.js';
import { mayCall } from './_shared/names.js';
import { COLLECTORS, collectedExpressions, coroutineBound, fanoutSources } from './_shared/fanout.js';
import { semaphoreSuggestion } from './_shared/fix-gather.js';

const rule: Rule = {
  code: 'CL301',
  name: 'unbounded-gather',
  category: 'bounded-pool',
  severity: 'warning',
  // asyncio's collectors are reached through an import naming `asyncio`, or from inside the asyncio
  // package through relative imports (its module name names it).
  triggers: ['asyncio'],
  fixable: 'display-only',
  nodeTypes: ['call'],
  docs: {
    summary:
      '`asyncio.gather(*...)`, `asyncio.wait(...)` or `asyncio.as_completed(...)` runs one network coroutine per item of ' +
      'an input-sized collection at once, and the coroutine acquires no limiter.',
    why:
      'Every coroutine starts immediately, so the concurrency equals the input size: 10,000 URLs open up to 10,000 ' +
      'sockets (or queue 10,000 requests on one pool, which then time out together), exhaust file descriptors ("Too many ' +
      'open files"), overload the upstream and use memory in proportion to the input. Bound it: acquire an ' +
      '`asyncio.Semaphore` (or `anyio.CapacityLimiter`) inside the coroutine, process the input in fixed-size chunks, or ' +
      'use a pool library such as `aiometer`. The coroutine is looked into when it is defined in the same module (two ' +
      'calls deep): it is reported when it does visible network I/O (an HTTP/database call, `open_connection`) and ' +
      'acquires no limiter; one ' +
      'defined elsewhere is reported only when it visibly does network I/O (a method of an `aiohttp.ClientSession`/' +
      '`httpx.AsyncClient`/asyncpg pool, or a call handed one), since it may acquire its own limiter; ' +
      'a fixed handful of coroutines, chunks sliced by a bound (`urls[i:i + 50]`), `range(n)` worker pools, fan-out ' +
      'over the object\'s own state (`self._connections`, `self.trading_pairs`: sized by the program), work handed ' +
      'to an executor (`asyncio.to_thread`) and loops that drain with `asyncio.wait` as they go are not reported.',
    bad:
      'import asyncio\n\n\nasync def fetch(session, url):\n    async with session.get(url) as resp:\n        return await resp.text()\n\n\n' +
      'async def crawl(session, urls):\n    return await asyncio.gather(*[fetch(session, u) for u in urls])\n',
    good:
      'import asyncio\n\nLIMIT = asyncio.Semaphore(20)\n\n\nasync def fetch(session, url):\n    async with LIMIT:\n' +
      '        async with session.get(url) as resp:\n            return await resp.text()\n\n\n' +
      'async def crawl(session, urls):\n    return await asyncio.gather(*[fetch(session, u) for u in urls])\n',
    fix:
      'A suggestion only, never applied: when the fan-out is a comprehension of coroutine calls, it shows the change ' +
      'in place — an `asyncio.Semaphore(50)`, an `async def limited(aw)` that awaits under it, and each coroutine ' +
      'wrapped as `limited(...)`. The right limit depends on what the upstream can take, so a person has to pick it.',
    references: [
      'https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore',
      'https://docs.aiohttp.org/en/stable/client_advanced.html#limiting-connection-pool-size',
      'https://github.com/florimondmanca/aiometer',
    ],
  },
  visit(call, ctx) {
    if (!mayCall(call, ctx.model, COLLECTORS, 'collectors', true)) return;
    const name = ctx.model.callMatches(call, COLLECTORS);
    if (!name) return;
    for (const expr of collectedExpressions(call, name, ctx.model)) {
      for (const src of fanoutSources(expr, ctx.model, call)) {
        if (src.fixed || src.drained) continue;
        const bound = coroutineBound(src.element, ctx.model, src.loopVars, src.reference);
        if (bound.kind === 'limited') continue;
        const fn = name.split('.').pop();
        const co = bound.coroutine;
        const unbounded = bound.inspected
          ? `and \`${co}\` acquires no semaphore or other limiter`
          : `and nothing bounds how many run at once`;
        ctx.report({
          node: call,
          message:
            `\`${name}()\` runs one \`${co}()\` per input item, all at once, ${unbounded}: a large input opens as many ` +
            `connections as items, exhausting sockets and file descriptors and swamping the upstream. Acquire an ` +
            `\`asyncio.Semaphore\` ${bound.inspected ? `around the work in \`${co}\`` : `around each \`${co}()\` call`}, process the input in fixed-size chunks, or use a bounded ` +
            `pool such as \`aiometer\` instead of \`${fn}\`.`,
          related: [{ node: src.loop, message: 'one coroutine per item of this input' }],
          fix: semaphoreSuggestion(ctx.model, call),
        });
        return;
      }
    }
  },
};

export default rule;
