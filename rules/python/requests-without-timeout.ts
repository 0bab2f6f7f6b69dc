import type { PythonRule as Rule } from '../../src/types.js';
import { REQUESTS_FUNCTIONS } from './_shared/http-verbs.js';
import { callerControlsTimeout, reportRequestsTimeout, requestsTimeoutState } from './_shared/timeouts.js';

const FUNCTIONS = new Set(REQUESTS_FUNCTIONS);

const rule: Rule = {
  code: 'CL101',
  name: 'requests-without-timeout',
  category: 'timeout',
  severity: 'error',
  fixable: 'safe',
  triggers: ['requests'],
  nodeTypes: ['call'],
  docs: {
    summary: 'A `requests` module function (`requests.get`, `requests.post`, …) is called without a timeout, or with `timeout=None`.',
    why:
      'requests has no default timeout: if the server accepts the connection and never answers, the call blocks forever. ' +
      'Each hung call holds a worker thread and a socket; under an outage of one upstream, every worker ends up waiting on it ' +
      'and the service stops answering health checks.',
    bad: 'import requests\n\nresp = requests.get("https://api.example.com/items")\n',
    good: 'import requests\n\nresp = requests.get("https://api.example.com/items", timeout=(3.05, 27))\n',
    fix:
      'Adds `timeout=(3.05, 27)` (connect, read; configurable with `[tool.conn-lint.fix] requests-timeout`). Safe: a call that ' +
      'used to hang forever now raises `requests.Timeout` after the limit, which callers of network code must already handle ' +
      'as a `requests.RequestException`. `timeout=None` is replaced only with `--unsafe-fixes`, since it was written on purpose.',
    references: [
      'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts',
      'https://docs.astral.sh/ruff/rules/request-without-timeout/',
    ],
  },
  visit(call, ctx) {
    const name = ctx.model.callMatches(call, FUNCTIONS);
    if (!name) return;
    const state = requestsTimeoutState(ctx.model, call, name);
    if (state.kind === 'missing' && callerControlsTimeout(ctx.model, call)) return;
    reportRequestsTimeout(ctx, call, state, name);
  },
};

export default rule;
