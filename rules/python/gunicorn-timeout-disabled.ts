import { gunicornRule, numericAssignments } from './_shared/gunicorn.js';

export default gunicornRule({
  code: 'CL601',
  name: 'gunicorn-timeout-disabled',
  severity: 'error',
  docs: {
    summary: 'A gunicorn config file sets `timeout = 0` (or a negative value), which disables the worker timeout.',
    why:
      "Gunicorn's arbiter kills and replaces a worker that has not checked in for `timeout` seconds. With `timeout = 0` it " +
      'never does: a worker stuck on an upstream call without its own timeout, a deadlock or an infinite loop stays stuck ' +
      'forever, and each one permanently removes a slot from the pool until the service stops answering.',
    bad: 'bind = "0.0.0.0:8000"\nworkers = 4\ntimeout = 0\nmax_requests = 1000\nmax_requests_jitter = 100\n',
    good: 'bind = "0.0.0.0:8000"\nworkers = 4\ntimeout = 30\nmax_requests = 1000\nmax_requests_jitter = 100\n',
    references: ['https://docs.gunicorn.org/en/stable/settings.html#timeout'],
  },
  check(cfg, ctx) {
    for (const { assignment, n } of numericAssignments(cfg, ctx.model, 'timeout')) {
      if (n > 0) continue;
      ctx.report({
        node: assignment,
        message:
          '`timeout = 0` disables gunicorn\'s worker timeout: a worker stuck on a hung upstream call or a deadlock is never ' +
          'killed and replaced, and each one takes a slot out of the pool for good. Set a finite timeout (e.g. `timeout = 30`) ' +
          'a little above your slowest legitimate request.',
      });
    }
  },
});
