import { retriedMethods, retryRule } from './_shared/retry.js';
import { dropMethodsFix } from './_shared/fix-retry.js';

const NON_IDEMPOTENT = ['POST', 'PATCH'];

export default retryRule({
  code: 'CL701',
  name: 'retry-non-idempotent-methods',
  severity: 'warning',
  fixable: 'unsafe',
  docs: {
    summary:
      'A urllib3 `Retry` (also imported as `requests.adapters.Retry`) lists `POST` or `PATCH` in `allowed_methods` (or the ' +
      'old `method_whitelist`): literal lists, tuples, sets, `frozenset(...)`, `Retry.DEFAULT_ALLOWED_METHODS | {...}`, or a ' +
      'constant bound to one of those.',
    why:
      '`allowed_methods` decides which requests urllib3 resends after a read error or a status in `status_forcelist` — ' +
      'cases where the server may already have received and processed the request. Resending a POST or PATCH then ' +
      'repeats its side effect: a second order, a double charge, a duplicated message. (Connection errors, where nothing ' +
      'was sent, are retried for every method anyway.) Retry these only when the API deduplicates, e.g. with an idempotency key.',
    bad:
      'from requests.adapters import Retry\n\n' +
      'retry = Retry(total=3, backoff_factor=0.5, status_forcelist=[502, 503], allowed_methods=["GET", "POST"])\n',
    good:
      'from requests.adapters import Retry\n\n' +
      'retry = Retry(total=3, backoff_factor=0.5, status_forcelist=[502, 503], allowed_methods=["GET", "PUT", "DELETE"])\n',
    fix:
      'Removes `POST` and `PATCH` from the list, tuple or set written in the call (`["GET", "POST"]` becomes `["GET"]`, ' +
      '`Retry.DEFAULT_ALLOWED_METHODS | {"POST"}` becomes `Retry.DEFAULT_ALLOWED_METHODS`). A constant or parameter ' +
      'defined elsewhere is not edited, since other code may share it. Unsafe: a POST that fails on a dropped ' +
      'connection now raises to the caller instead of being sent again.',
    references: [
      'https://urllib3.readthedocs.io/en/stable/reference/urllib3.util.html#urllib3.util.Retry',
      'https://www.rfc-editor.org/rfc/rfc9110#name-idempotent-methods',
    ],
  },
  check(call, ctx) {
    const retried = retriedMethods(call, ctx.model);
    if (!retried) return;
    const { arg, set } = retried;
    const bad = NON_IDEMPOTENT.filter((m) => set.literals.has(m));
    if (bad.length === 0) return;
    const list = bad.map((m) => `\`${m}\``).join(' and ');
    ctx.report({
      node: arg.node,
      message:
        `\`${arg.keyword}\` includes ${list}: after a read timeout or a retryable status the server may already have ` +
        `processed the request, and resending it repeats its side effect (a second order, a double charge). Retry only ` +
        'idempotent methods (the default `Retry.DEFAULT_ALLOWED_METHODS`), or make the endpoint deduplicate with an idempotency key.',
      related: bad.flatMap((m) => {
        const node = set.nodes.get(m);
        return node && (node.startIndex < arg.node.startIndex || node.endIndex > arg.node.endIndex) ? [{ node, message: `\`${m}\` is added here` }] : [];
      }),
      fix: dropMethodsFix(arg.node, bad.map((m) => set.nodes.get(m)).filter((n) => n !== undefined), bad),
    });
  },
});
