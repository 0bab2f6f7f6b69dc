import type { Fix, Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { positionalArguments } from '../../src/lang/python/calls.js';
import { loopCall } from './_shared/blocking.js';

const rule: Rule = {
  code: 'CL502',
  name: 'time-sleep-in-async',
  category: 'sync-in-async',
  severity: 'error',
  fixable: 'unsafe',
  triggers: ['async'],
  nodeTypes: ['call'],
  docs: {
    summary: '`time.sleep()` is called directly inside an `async def` (`time.sleep(0)` is left alone).',
    why:
      '`time.sleep` suspends the whole thread, and in a coroutine that thread is the event loop: for the length of the ' +
      'sleep no other task runs, no request is answered and no timeout fires. A retry loop with `time.sleep` in one ' +
      'handler stalls every connection the process serves.',
    bad: 'import time\n\n\nasync def wait_for(job):\n    while not job.done():\n        time.sleep(1)\n',
    good: 'import asyncio\n\n\nasync def wait_for(job):\n    while not job.done():\n        await asyncio.sleep(1)\n',
    fix:
      'When the call is a statement of its own with one positional argument and the module already imports `asyncio`, ' +
      'replaces it with `await asyncio.sleep(<same argument>)`. Unsafe: the pause now lets other tasks run and can be ' +
      'cancelled, so code that relied on nothing else happening during the sleep (shared state half-updated around it) ' +
      'can behave differently. No fix is offered when `asyncio` would have to be imported.',
    references: [
      'https://docs.python.org/3/library/asyncio-task.html#sleeping',
      'https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code',
    ],
  },
  visit(call, ctx) {
    const site = loopCall(call, ctx.model);
    if (!site || site.info.name !== 'time.sleep') return;
    const args = positionalArguments(call);
    const allArgs = call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
    if (args.length === 1 && allArgs.length === 1 && ctx.model.constantValue(args[0]) === 0) return;
    ctx.report({
      node: call,
      message:
        '`time.sleep()` inside `async def` blocks the event loop: for the whole pause no other task runs and every ' +
        'request this process is serving waits. Use `await asyncio.sleep(...)`.',
      fix: sleepFix(call, args, allArgs, ctx.model),
    });
  },
};

function sleepFix(call: SyntaxNode, args: SyntaxNode[], allArgs: SyntaxNode[], model: SemanticModel): Fix | null {
  if (args.length !== 1 || allArgs.length !== 1) return null;
  const stmt = call.parent;
  if (stmt?.type !== 'expression_statement' || stmt.namedChildCount !== 1) return null;
  const asyncio = model.lookup('asyncio', call);
  if (asyncio?.kind !== 'import' || asyncio.imported !== 'asyncio') return null;
  return {
    applicability: 'unsafe',
    message: 'Replace with `await asyncio.sleep(...)`',
    edits: [{ start: call.startIndex, end: call.endIndex, text: `await asyncio.sleep(${args[0].text})` }],
  };
}

export default rule;
