import { retriedMethods, retryRule } from './_shared/retry.js';

export default retryRule({
  code: 'CL702',
  name: 'retry-all-methods',
  severity: 'warning',
  docs: {
    summary:
      'A urllib3 `Retry` is given `allowed_methods=None` / `False` (or `method_whitelist=False`), or an empty collection — ' +
      'all of which make it retry every HTTP method, POST and PATCH included. A parameter passed straight through counts ' +
      'with its default (`def session(allowed_methods=None): Retry(allowed_methods=allowed_methods)`).',
    why:
      'urllib3 only checks the method when `allowed_methods` is truthy: `None`, `False` and an empty list switch the check ' +
      'off instead of allowing nothing. Every request, including non-idempotent POSTs and PATCHes, is then resent after a ' +
      'read timeout or a retryable status, when the server may already have acted on it — duplicated orders, charges, messages.',
    bad: 'from requests.adapters import Retry\n\nretry = Retry(total=3, backoff_factor=0.5, allowed_methods=None)\n',
    good: 'from requests.adapters import Retry\n\nretry = Retry(total=3, backoff_factor=0.5)\n',
    references: ['https://urllib3.readthedocs.io/en/stable/reference/urllib3.util.html#urllib3.util.Retry'],
  },
  check(call, ctx) {
    const retried = retriedMethods(call, ctx.model);
    if (!retried) return;
    const { arg, set } = retried;
    const empty = set.complete && !set.every && set.literals.size === 0;
    if (!set.every && !empty) return;
    const what = set.fromDefault
      ? `defaults to \`None\` (the parameter's default), which switches the method check off for callers that do not pass one`
      : empty
        ? 'is empty, which urllib3 treats as "no restriction"'
        : 'switches the method check off';
    ctx.report({
      node: arg.node,
      message:
        `\`${arg.keyword}=${arg.node.text}\` ${what}: ` +
        'every request, POST and PATCH included, is resent after a read timeout or retryable status even though the server ' +
        'may already have processed it. Leave `allowed_methods` at its default or list the idempotent methods you want retried.',
    });
  },
});
