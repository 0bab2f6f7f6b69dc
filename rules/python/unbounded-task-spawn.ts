import type { PythonRule as Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { COMPREHENSION_TYPES, enclosingFunction, enclosingLoop, unwrap } from '../../src/lang/python/context.js';
import { collectedExpressions, collectorCalls, coroutineBound, loopSource, spawnedCoroutine } from './_shared/fanout.js';

const HOLD_METHODS = new Set(['append', 'add', 'insert', 'appendleft']);

/** The local collection a spawned task is put in (`tasks.append(t)`, `tasks[k] = t`, `tasks = [...]`). */
function holderOf(call: SyntaxNode, model: SemanticModel): string | SyntaxNode | undefined {
  let n = call;
  for (;;) {
    while (n.parent && (n.parent.type === 'await' || n.parent.type === 'parenthesized_expression')) n = n.parent;
    // `ensure_future(create_task(coro))`: the outer wrapper is what gets stored.
    const outer = n.parent?.type === 'argument_list' ? n.parent.parent : null;
    if (outer?.type === 'call' && spawnedCoroutine(outer, model)) n = outer;
    else break;
  }
  let p = n.parent;
  if (!p) return undefined;
  // `gather(*[create_task(f(x)) for x in xs])`: the starred comprehension is the argument.
  if (p.type === 'list_splat') p = p.parent;
  if (!p) return undefined;
  if (p.type === 'argument_list' || p.type === 'keyword_argument') {
    const outer = p.type === 'keyword_argument' ? p.parent?.parent : p.parent;
    const fn = outer?.type === 'call' ? outer.childForFieldName('function') : null;
    if (fn?.type === 'attribute' && HOLD_METHODS.has(fn.childForFieldName('attribute')!.text)) {
      const obj = fn.childForFieldName('object')!;
      return obj.type === 'identifier' ? obj.text : undefined;
    }
    return outer ?? undefined;
  }
  if (p.type === 'assignment' && p.childForFieldName('right')?.id === n.id) {
    const left = p.childForFieldName('left')!;
    if (left.type === 'subscript') {
      const v = left.childForFieldName('value')!;
      return v.type === 'identifier' ? v.text : undefined;
    }
    if (left.type === 'identifier') {
      // `t = create_task(...)` then `tasks.append(t)`.
      const fnNode = enclosingFunction(call);
      const body = fnNode?.childForFieldName('body');
      for (const use of body?.descendantsOfType('identifier') ?? []) {
        if (use.text !== left.text || use.startIndex <= left.startIndex) continue;
        const holder = use.parent?.type === 'argument_list' ? holderOf(use, model) : undefined;
        if (typeof holder === 'string') return holder;
      }
      return left.text;
    }
  }
  if (COMPREHENSION_TYPES.has(p.type) && p.childForFieldName('body')?.id === n.id) return holderOf(p, model);
  return undefined;
}

/** True when the tasks end up in a `gather`/`wait`/`as_completed` of the same function. */
function gatheredLater(call: SyntaxNode, model: SemanticModel): boolean {
  const holder = holderOf(call, model);
  if (!holder) return false;
  if (typeof holder !== 'string') {
    // Spawned right inside a collector's argument: `wait([create_task(f(x)) for x in xs])`.
    return !!(holder.type === 'call' && collectorName(holder, model));
  }
  const fn = enclosingFunction(call);
  const body = fn?.childForFieldName('body');
  if (!body) return false;
  for (const c of collectorCalls(body, model)) {
    const name = collectorName(c, model)!;
    for (const e of collectedExpressions(c, name, model)) {
      let x = unwrap(e);
      if (x.type === 'call' && x.childForFieldName('function')?.type === 'attribute') x = x.childForFieldName('function')!.childForFieldName('object')!;
      if (x.type === 'identifier' && x.text === holder) return true;
    }
  }
  return false;
}

function collectorName(call: SyntaxNode, model: SemanticModel): string | undefined {
  return model.callMatches(call, ['asyncio.gather', 'asyncio.wait', 'asyncio.as_completed']);
}

const rule: Rule = {
  code: 'CL302',
  name: 'unbounded-task-spawn',
  category: 'bounded-pool',
  severity: 'warning',
  triggers: ['create_task', 'ensure_future', 'start_soon'],
  nodeTypes: ['call'],
  docs: {
    summary:
      '`asyncio.create_task`, `ensure_future`, `loop.create_task`, `TaskGroup.create_task` or a task group\'s ' +
      '`start_soon` is called once per item of an input-sized loop to run a network coroutine, and nothing bounds how ' +
      'many tasks run at once.',
    why:
      'A task starts running as soon as it is created, so a loop over 10,000 items starts 10,000 concurrent requests: ' +
      'sockets and file descriptors run out ("Too many open files"), the upstream is flooded and memory grows with the ' +
      'input. Acquire an `asyncio.Semaphore` inside the task\'s coroutine (or before spawning), drain with ' +
      '`asyncio.wait(..., return_when=FIRST_COMPLETED)` as you go, or use a fixed number of workers reading a queue. ' +
      'Loops over a fixed handful, `range(n)` (a worker pool) or the object\'s own state (`self.trading_pairs`), `while` ' +
      'and `async for` loops that consume a stream ' +
      '(one task per accepted connection or message is how servers work), and tasks later passed to ' +
      '`gather`/`wait` (reported by unbounded-gather) are not reported.',
    bad:
      'import asyncio\n\n\nasync def fetch(session, url):\n    async with session.get(url) as resp:\n        return await resp.text()\n\n\n' +
      'async def crawl(session, urls):\n    async with asyncio.TaskGroup() as tg:\n        for url in urls:\n' +
      '            tg.create_task(fetch(session, url))\n',
    good:
      'import asyncio\n\n\nasync def fetch(session, url, limit):\n    async with limit:\n' +
      '        async with session.get(url) as resp:\n            return await resp.text()\n\n\n' +
      'async def crawl(session, urls):\n    limit = asyncio.Semaphore(20)\n    async with asyncio.TaskGroup() as tg:\n' +
      '        for url in urls:\n            tg.create_task(fetch(session, url, limit))\n',
    references: [
      'https://docs.python.org/3/library/asyncio-task.html#creating-tasks',
      'https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore',
    ],
  },
  visit(call, ctx) {
    const spawn = spawnedCoroutine(call, ctx.model);
    if (!spawn) return;
    const loop = enclosingLoop(call);
    // `while` and `async for` loops consume a stream (accepted connections, messages) as it
    // arrives: one task per item is how servers work, not a batch fan-out.
    if (!loop || loop.type === 'while_statement' || (loop.type === 'for_statement' && loop.child(0)?.type === 'async')) return;
    const src = loopSource(loop, spawn.coroutine, ctx.model);
    if (src.fixed || src.drained) return;
    const bound = coroutineBound(spawn.coroutine, ctx.model, src.loopVars, spawn.how.endsWith('start_soon()'));
    if (bound.kind === 'limited') return;
    if (gatheredLater(call, ctx.model)) return;
    const co = bound.coroutine;
    const unbounded = bound.inspected ? `and \`${co}\` acquires no semaphore or other limiter` : 'and nothing bounds how many run at once';
    const where = loop.type === 'for_statement' ? 'loop' : 'comprehension';
    ctx.report({
      node: call,
      message:
        `\`${spawn.how}\` starts a \`${co}()\` task for every item of this ${where}, ${unbounded}: a large input runs that ` +
        `many requests concurrently, exhausting sockets and file descriptors and flooding the upstream. Acquire an ` +
        `\`asyncio.Semaphore\` in the task (or before spawning it), or feed a fixed number of worker tasks from a queue.`,
      related: [{ node: loop.type === 'for_statement' ? loop.child(0)! : loop, message: `the ${where} over the input` }],
    });
  },
};

export default rule;
