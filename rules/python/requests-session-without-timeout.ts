import type { PythonRule as Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import { callerControlsTimeout, reportRequestsTimeout, requestsTimeoutState } from './_shared/timeouts.js';
import { sessionHasDefaultTimeout } from './_shared/session-defaults.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].map((m) => `requests.Session.${m}`);

/** `session.get` as written, shortened when the receiver is a long expression. */
function callee(fn: SyntaxNode, method: string): string {
  return fn.text.length <= 40 && !fn.text.includes('\n') ? fn.text : `Session.${method}`;
}

const rule: Rule = {
  code: 'CL102',
  name: 'requests-session-without-timeout',
  category: 'timeout',
  severity: 'error',
  fixable: 'safe',
  // A session is known as one from `requests.Session()` / `requests.session()` or an annotation,
  // all reached through an import naming `requests` (inside requests, its module name).
  triggers: ['requests'],
  nodeTypes: ['call'],
  docs: {
    summary:
      'A request method (`get`, `post`, …, `request`) is called on a `requests.Session` without a timeout, or with ' +
      '`timeout=None`, and nothing gives the session a default timeout.',
    why:
      'A requests Session has no default timeout, whatever its attributes say (`session.timeout = 10` is ignored). If the ' +
      'server accepts the connection and never answers, the call blocks forever; every worker that reaches it hangs, and ' +
      'an outage of one upstream takes the whole service down with it. The session can be a local, a parameter annotated ' +
      '`requests.Session`, a `self` attribute or a module-level object: all are checked.',
    bad:
      'import requests\n\n\nclass GitHub:\n    def __init__(self):\n        self.session = requests.Session()\n\n' +
      '    def repo(self, name):\n        return self.session.get(f"https://api.github.com/repos/{name}")\n',
    good:
      'import requests\nfrom requests.adapters import HTTPAdapter\n\n\nclass TimeoutAdapter(HTTPAdapter):\n' +
      '    def send(self, request, **kwargs):\n        kwargs.setdefault("timeout", (3.05, 27))\n' +
      '        return super().send(request, **kwargs)\n\n\nclass GitHub:\n    def __init__(self):\n' +
      '        self.session = requests.Session()\n        self.session.mount("https://", TimeoutAdapter())\n\n' +
      '    def repo(self, name):\n        return self.session.get(f"https://api.github.com/repos/{name}")\n',
    fix:
      'Adds `timeout=(3.05, 27)` (connect, read seconds; `[tool.conn-lint.fix] requests-timeout`) to the call. Safe: a ' +
      'call that used to hang now raises `requests.Timeout`, a `requests.RequestException` that callers of network code ' +
      'already handle. An explicit `timeout=None` is replaced only with `--unsafe-fixes`, since it was written on purpose. ' +
      'The rule stays silent when the session already has a default: its class is a `requests.Session` subclass whose ' +
      '`request()` or `send()` sets `timeout` (`kwargs.setdefault("timeout", ...)`), an adapter whose `send()` sets one is ' +
      'mounted on it (`session.mount("https://", TimeoutAdapter())`; an adapter class defined in another module is assumed ' +
      'to), or `session.request` was replaced (`functools.partial(session.request, timeout=...)`). Those are the ' +
      'recommended ways to give every call a timeout at once.',
    references: [
      'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts',
      'https://requests.readthedocs.io/en/latest/user/advanced/#transport-adapters',
      'https://github.com/psf/requests/issues/3070',
    ],
  },
  visit(call, ctx) {
    if (!ctx.model.mayCall(call, METHODS)) return;
    const info = ctx.model.resolveCall(call);
    // Only method calls on a session value (`requests.Session.get(s, url)` has no receiver type).
    if (!info.receiverType || !info.method) return;
    const name = ctx.model.matchInfo(info, METHODS);
    if (!name) return;
    const state = requestsTimeoutState(ctx.model, call, name);
    if (state.kind === 'set' || state.kind === 'unknown') return;
    const fn = call.childForFieldName('function')!;
    const receiver = fn.childForFieldName('object')!;
    if (sessionHasDefaultTimeout(ctx.model, receiver)) return;
    if (state.kind === 'missing' && callerControlsTimeout(ctx.model, call)) return;
    const remedy =
      'or give the session a default once: mount an `HTTPAdapter` subclass whose `send()` sets `timeout`, or subclass ' +
      '`requests.Session` and set it in `request()`.';
    reportRequestsTimeout(ctx, call, state, callee(fn, info.method), remedy);
  },
};

export default rule;
