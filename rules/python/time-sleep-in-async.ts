import { positionalArguments } from '../../src/lang/python/calls.js';
import { registerBlockingCalls, syncInAsyncRule } from './_shared/blocking.js';
import { asyncSleepFix } from './_shared/fix-async.js';

registerBlockingCalls(['time.sleep']);

export default syncInAsyncRule({
  code: 'CL502',
  name: 'time-sleep-in-async',
  severity: 'error',
  fixable: 'unsafe',
  docs: {
    summary: '`time.sleep()` is called directly inside an `async def` (`time.sleep(0)` is left alone).',
    why:
      '`time.sleep` suspends the whole thread, and in a coroutine that thread is the event loop: for the length of the ' +
      'sleep no other task runs, no request is answered and no timeout fires. A retry loop with `time.sleep` in one ' +
      'handler stalls every connection the process serves.',
    bad: 'import time\n\n\nasync def wait_for(job):\n    while not job.done():\n        time.sleep(1)\n',
    good: 'import asyncio\n\n\nasync def wait_for(job):\n    while not job.done():\n        await asyncio.sleep(1)\n',
    fix:
      'Replaces the call with `await asyncio.sleep(<same argument>)`, adding `import asyncio` after the existing imports ' +
      'when the module has none (an `import asyncio as aio` is reused). Unsafe, even for a bare statement: the pause ' +
      'becomes a point where other tasks run and where the coroutine can be cancelled, so an enclosing ' +
      '`asyncio.timeout()` now fires inside it and state shared with other tasks can change across it (CPython\'s own ' +
      'test_asyncio blocks the loop with `time.sleep` on purpose). No fix inside a generator expression (an `await` ' +
      'there makes it an async generator) or when the name `asyncio` means something else.',
    references: [
      'https://docs.python.org/3/library/asyncio-task.html#sleeping',
      'https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code',
    ],
  },
  check(call, site, ctx) {
    if (site.info.name !== 'time.sleep') return;
    const args = positionalArguments(call);
    const allArgs = call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
    if (args.length === 1 && allArgs.length === 1 && ctx.model.constantValue(args[0]) === 0) return;
    ctx.report({
      node: call,
      message:
        '`time.sleep()` inside `async def` blocks the event loop: for the whole pause no other task runs and every ' +
        'request this process is serving waits. Use `await asyncio.sleep(...)`.',
      fix: asyncSleepFix(ctx.model, call),
    });
  },
});
