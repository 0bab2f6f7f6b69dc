import { retries, retryArg, retryRule } from './_shared/retry.js';

export default retryRule({
  code: 'CL703',
  name: 'retry-without-backoff',
  severity: 'warning',
  docs: {
    summary:
      'A urllib3 `Retry` that retries (`total` left at its default of 10, positive, or not a constant; or `total=None` with ' +
      'per-kind counts) has no `backoff_factor`, or `backoff_factor=0`.',
    why:
      "urllib3's `backoff_factor` defaults to 0, so retries go out back to back with no pause (only a server's Retry-After " +
      'header slows them). When a backend is overloaded or restarting, every client multiplies its traffic by the retry ' +
      'count at the worst moment — a retry storm that keeps the backend down and ties up client sockets and workers while ' +
      'it lasts. Exponential backoff spreads the retries out.',
    bad: 'from requests.adapters import Retry\n\nretry = Retry(total=5, status_forcelist=[502, 503, 504])\n',
    good: 'from requests.adapters import Retry\n\nretry = Retry(total=5, backoff_factor=0.5, status_forcelist=[502, 503, 504])\n',
    references: ['https://urllib3.readthedocs.io/en/stable/reference/urllib3.util.html#urllib3.util.Retry'],
  },
  check(call, ctx) {
    if (retries(call, ctx.model) !== 'yes') return;
    const backoff = retryArg(call, 'backoff_factor');
    if (backoff === 'unknown') return;
    if (backoff !== 'absent') {
      const v = ctx.model.constantValue(backoff);
      if (v !== 0) return;
    }
    const total = retryArg(call, 'total');
    const budget = total === 'absent' ? 'up to 10 (the default `total`)' : typeof total === 'string' ? 'its' : `\`${total.text}\``;
    ctx.report({
      node: call,
      message:
        `This \`Retry\` has ${backoff === 'absent' ? 'no `backoff_factor` (urllib3 defaults to 0)' : '`backoff_factor=0`'}, so it fires ` +
        `${budget} retries back to back: when the server is overloaded every client multiplies its load at the worst moment, ` +
        'a retry storm that keeps it down. Add `backoff_factor=0.5` (or more) for exponential waits between attempts.',
    });
  },
});
