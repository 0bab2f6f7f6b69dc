import { firstLineNode, gunicornRule, numericAssignments } from './_shared/gunicorn.js';

export default gunicornRule({
  code: 'CL602',
  name: 'gunicorn-missing-max-requests',
  severity: 'warning',
  docs: {
    summary:
      'A gunicorn config file does not set `max_requests` (reported on the file\'s first line), or sets it to 0, so workers ' +
      'are never recycled. Files with `from … import *` or `globals()` tricks are skipped, since the setting may come from there.',
    why:
      'A long-lived worker accumulates whatever leaks in the application and its libraries: memory, sockets in CLOSE_WAIT, ' +
      'pooled connections that are never returned, file descriptors. `max_requests` makes gunicorn restart each worker ' +
      'after that many requests, reclaiming all of it; `max_requests_jitter` spreads the restarts so workers do not ' +
      'recycle at the same moment. Without it a slow leak grows until the worker is OOM-killed or hits "too many open files".',
    bad: 'bind = "0.0.0.0:8000"\nworkers = 4\ntimeout = 30\n',
    good: 'bind = "0.0.0.0:8000"\nworkers = 4\ntimeout = 30\nmax_requests = 1000\nmax_requests_jitter = 100\n',
    references: ['https://docs.gunicorn.org/en/stable/settings.html#max-requests'],
  },
  check(cfg, ctx) {
    if (!cfg.settings.has('max_requests')) {
      if (cfg.dynamic) return;
      ctx.report({
        node: firstLineNode(ctx.model),
        message:
          'This gunicorn config does not set `max_requests`, so workers are never recycled: memory, sockets and pooled ' +
          'connections leaked by the app accumulate until a worker is OOM-killed or runs out of file descriptors. Add ' +
          '`max_requests = 1000` and `max_requests_jitter = 100` (or pass `--max-requests` on the command line).',
      });
      return;
    }
    for (const { assignment, n } of numericAssignments(cfg, ctx.model, 'max_requests')) {
      if (n > 0) continue;
      ctx.report({
        node: assignment,
        message:
          '`max_requests = 0` turns worker recycling off: whatever the app leaks (memory, sockets, pooled connections) ' +
          'accumulates until a worker is OOM-killed or runs out of file descriptors. Set e.g. `max_requests = 1000` with ' +
          '`max_requests_jitter = 100`.',
      });
    }
  },
});
