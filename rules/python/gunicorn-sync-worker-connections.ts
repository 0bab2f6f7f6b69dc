import type { SemanticModel } from '../../src/lang/python/model.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import { gunicornRule, numericAssignments } from './_shared/gunicorn.js';

const SYNC_NAMES = new Set(['sync', 'gunicorn.workers.sync.SyncWorker']);

/** Every constant value a setting may take; undefined when one of them is not a constant. */
function values(model: SemanticModel, list: Array<{ value: SyntaxNode }> | undefined): Array<string | number | boolean | null> | undefined {
  const out: Array<string | number | boolean | null> = [];
  for (const { value } of list ?? []) {
    const v = model.constantValue(value);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

export default gunicornRule({
  code: 'CL603',
  name: 'gunicorn-sync-worker-connections',
  severity: 'warning',
  docs: {
    summary:
      'A gunicorn config sets `worker_connections` above 1 while the workers are sync workers with one thread ' +
      '(`worker_class = "sync"` or unset, `threads` 1 or unset).',
    why:
      '`worker_connections` only applies to the eventlet and gevent workers. A sync worker with one thread serves exactly ' +
      'one request at a time, whatever `worker_connections` says, so the server handles `workers` concurrent requests in ' +
      'total. The setting suggests the capacity was planned for many concurrent connections: under that load requests ' +
      'queue in the listen backlog, one slow upstream call blocks a whole worker, and clients time out.',
    bad: 'bind = "0.0.0.0:8000"\nworkers = 4\nworker_class = "sync"\nworker_connections = 1000\nmax_requests = 1000\n',
    good: 'bind = "0.0.0.0:8000"\nworkers = 4\nworker_class = "gthread"\nthreads = 8\nmax_requests = 1000\n',
    references: [
      'https://docs.gunicorn.org/en/stable/settings.html#worker-connections',
      'https://docs.gunicorn.org/en/stable/design.html#choosing-a-worker-type',
    ],
  },
  check(cfg, ctx) {
    const classes = values(ctx.model, cfg.settings.get('worker_class'));
    const threads = values(ctx.model, cfg.settings.get('threads'));
    if (!classes || !threads) return;
    if (classes.some((c) => typeof c !== 'string' || !SYNC_NAMES.has(c))) return;
    if (threads.some((t) => typeof t !== 'number' || t > 1)) return;
    for (const { assignment, n } of numericAssignments(cfg, ctx.model, 'worker_connections')) {
      if (n <= 1) continue;
      ctx.report({
        node: assignment,
        message:
          `\`worker_connections = ${n}\` has no effect with the sync worker: each worker serves one request at a time, so ` +
          'the server handles only `workers` concurrent requests and a slow upstream blocks a whole worker. Use ' +
          '`worker_class = "gthread"` with `threads`, or an async worker (gevent, `uvicorn.workers.UvicornWorker`) if the app supports it.',
      });
    }
  },
});
