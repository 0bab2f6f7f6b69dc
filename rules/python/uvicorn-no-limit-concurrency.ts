import type { PythonRule as Rule } from '../../src/types.js';
import { argumentOf, hasStarArguments } from '../../src/lang/python/calls.js';
import { isTestPath, uvicornEntry } from './_shared/uvicorn.js';

const rule: Rule = {
  code: 'CL606',
  name: 'uvicorn-no-limit-concurrency',
  category: 'server-config',
  severity: 'info',
  triggers: ['uvicorn'],
  nodeTypes: ['call'],
  appliesTo: (path) => !isTestPath(path),
  docs: {
    summary:
      '`uvicorn.run(...)` or `uvicorn.Config(...)` has no `limit_concurrency` in a production entry point (not with ' +
      '`reload=True`, not in test files, not when `**kwargs` may carry it).',
    why:
      'Without `limit_concurrency` uvicorn accepts every connection and starts a task for every request it is offered. ' +
      'When a dependency slows down, in-flight requests pile up without bound: memory grows, each request holds a DB or ' +
      'HTTP pool slot while it waits, and latency rises for everyone until the process is OOM-killed. With a limit, excess ' +
      'requests get a fast 503 that a load balancer can retry elsewhere.',
    bad: 'import uvicorn\n\nif __name__ == "__main__":\n    uvicorn.run("app:app", host="0.0.0.0", port=8000)\n',
    good: 'import uvicorn\n\nif __name__ == "__main__":\n    uvicorn.run("app:app", host="0.0.0.0", port=8000, limit_concurrency=1000)\n',
    references: ['https://www.uvicorn.org/settings/#resource-limits'],
  },
  visit(call, ctx) {
    const entry = uvicornEntry(call, ctx.model);
    if (!entry || hasStarArguments(call)) return;
    if (argumentOf(call, 'limit_concurrency').kind !== 'absent') return;
    const reload = argumentOf(call, 'reload');
    if (reload.kind === 'present' && ctx.model.constantValue(reload.node) !== false) return;
    ctx.report({
      node: call,
      message:
        `\`${entry}()\` sets no \`limit_concurrency\`: uvicorn accepts every connection, so when a dependency slows down ` +
        'in-flight requests pile up without bound, holding pool slots and memory. Pass `limit_concurrency=` sized to what ' +
        'the process can serve; excess requests then get a fast 503.',
    });
  },
};

export default rule;
