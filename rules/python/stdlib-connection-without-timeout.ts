import type { PythonRule as Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { hasStarArguments, positionalArguments } from '../../src/lang/python/calls.js';
import { addKeywordArgument, callerControlsTimeout, timeoutState } from './_shared/timeouts.js';

/**
 * Standard-library calls that open (or configure) a network connection, and when they connect:
 * `always`, or only when a `host` is passed (`smtplib.SMTP()` with no host connects later, in
 * `connect()`, and is not reported).
 */
const TARGETS = new Map<string, 'always' | 'host'>([
  ['urllib.request.urlopen', 'always'],
  ['urllib.request.OpenerDirector.open', 'always'],
  ['socket.create_connection', 'always'],
  // These connect on the first request, with the timeout given here.
  ['http.client.HTTPConnection', 'always'],
  ['http.client.HTTPSConnection', 'always'],
  ['smtplib.SMTP', 'host'],
  ['smtplib.SMTP_SSL', 'host'],
  ['smtplib.LMTP', 'host'],
  ['ftplib.FTP', 'host'],
  ['ftplib.FTP_TLS', 'host'],
  // The host defaults to '' (localhost): these always connect.
  ['imaplib.IMAP4', 'always'],
  ['imaplib.IMAP4_SSL', 'always'],
  ['poplib.POP3', 'always'],
  ['poplib.POP3_SSL', 'always'],
  ['telnetlib.Telnet', 'host'],
]);
const TARGET_NAMES: ReadonlySet<string> = new Set(TARGETS.keys());
const URL_PARAM: Record<string, string> = {
  'urllib.request.urlopen': 'url',
  'urllib.request.OpenerDirector.open': 'fullurl',
};

const globalDefaults = new WeakMap<SemanticModel, boolean>();

/** True when the file calls `socket.setdefaulttimeout(<not None>)`: new sockets inherit it. */
function setsGlobalDefault(model: SemanticModel): boolean {
  let known = globalDefaults.get(model);
  if (known === undefined) {
    known = false;
    // Cheap pre-check on the text; the model decides.
    if (model.source.includes('setdefaulttimeout')) {
      for (const call of model.root.descendantsOfType('call')) {
        if (!call.childForFieldName('function')?.text.endsWith('setdefaulttimeout')) continue;
        if (!model.callMatches(call, ['socket.setdefaulttimeout'])) continue;
        const [value] = positionalArguments(call);
        if (value ? model.constantValue(value) !== null : hasStarArguments(call)) {
          known = true;
          break;
        }
      }
    }
    globalDefaults.set(model, known);
  }
  return known;
}

/** A user subclass with its own `__init__` has its own signature (and may pass a timeout itself). */
function ownConstructor(model: SemanticModel, called: string | undefined, matched: string): boolean {
  if (!called || called === matched) return false;
  const cls = model.classByQualifiedName(called);
  return !!cls && model.classChain(cls).some((c) => c.methods.has('__init__'));
}

function connects(model: SemanticModel, call: SyntaxNode, name: string): boolean {
  if (TARGETS.get(name) === 'host') {
    const host = model.argument(call, 'host', name);
    if (host.kind !== 'present') return false;
    const v = model.constantValue(host.node);
    if (v === '' || v === null) return false;
  }
  const urlParam = URL_PARAM[name];
  if (urlParam) {
    // file: and data: URLs never touch the network.
    const url = model.argument(call, urlParam, name);
    const v = url.kind === 'present' ? model.constantValue(url.node) : undefined;
    if (typeof v === 'string' && /^\s*(file|data):/i.test(v)) return false;
  }
  return true;
}

const rule: Rule = {
  code: 'CL104',
  name: 'stdlib-connection-without-timeout',
  category: 'timeout',
  severity: 'error',
  fixable: 'safe',
  // Each target needs its module imported (or the file to be inside it) and its name spelled:
  // `SMTP` covers `SMTP_SSL`; an OpenerDirector comes from `build_opener()` or by its name. A
  // list's first item must be in code: a class may be named only in a string annotation, so
  // for classes that is the module; a function is named in code (called or imported), so for
  // functions it is the name.
  triggers: [
    ['urlopen', 'urllib'],
    ['urllib', 'OpenerDirector'],
    ['build_opener', 'urllib'],
    ['create_connection', 'socket'],
    ['http', 'HTTPConnection'],
    ['http', 'HTTPSConnection'],
    ['smtplib', 'SMTP'],
    ['smtplib', 'LMTP'],
    ['ftplib', 'FTP'],
    ['imaplib', 'IMAP4'],
    ['poplib', 'POP3'],
    ['telnetlib', 'Telnet'],
  ],
  nodeTypes: ['call'],
  docs: {
    summary:
      'A standard-library network client — `urllib.request.urlopen`, `socket.create_connection`, ' +
      '`http.client.HTTP(S)Connection`, `smtplib.SMTP`, `ftplib.FTP`, `imaplib.IMAP4`, `poplib.POP3`, `telnetlib.Telnet` — ' +
      'is created without a timeout, or with `timeout=None`.',
    why:
      'Without a timeout these sockets use the process-wide default, which is "block forever" unless ' +
      '`socket.setdefaulttimeout()` was called. A server (or a firewall) that stops answering leaves the call hanging: the ' +
      'thread, the worker process and the socket are lost until restart, and under an upstream outage every worker ends up ' +
      'stuck. The rule stays silent when the file calls `socket.setdefaulttimeout(<seconds>)`, for clients created ' +
      'without a host (`smtplib.SMTP()` connects later, in `connect()`), for `file:` and `data:` URLs, and when arguments ' +
      'are passed through `*args` / `**kwargs`.',
    bad: 'from urllib.request import urlopen\n\n\ndef fetch(url):\n    with urlopen(url) as response:\n        return response.read()\n',
    good: 'from urllib.request import urlopen\n\n\ndef fetch(url):\n    with urlopen(url, timeout=10) as response:\n        return response.read()\n',
    fix:
      'Adds `timeout=10` (seconds; `[tool.conn-lint.fix] default-timeout`). Safe: a call that used to hang now raises ' +
      '`TimeoutError` (`socket.timeout`), an `OSError` that network code already has to handle; the limit applies to each ' +
      'blocking operation, not to a whole transfer. An explicit `None` is replaced only with `--unsafe-fixes`, since it ' +
      'was written on purpose.',
    references: [
      'https://docs.python.org/3/library/socket.html#socket.setdefaulttimeout',
      'https://docs.python.org/3/library/urllib.request.html#urllib.request.urlopen',
      'https://docs.python.org/3/library/socket.html#notes-on-socket-timeouts',
    ],
  },
  visit(call, ctx) {
    const { model } = ctx;
    const name = model.callMatches(call, TARGET_NAMES);
    if (!name) return;
    if (ownConstructor(model, model.resolveCall(call).name, name)) return;
    if (!connects(model, call, name)) return;
    const state = timeoutState(model, call, name);
    if (state.kind === 'set' || state.kind === 'unknown') return;
    if (setsGlobalDefault(model)) return;
    if (state.kind === 'missing' && callerControlsTimeout(model, call)) return;
    const timeout = ctx.settings.defaultTimeout;
    const written = call.childForFieldName('function')!.text;
    const what = written.length <= 40 && !written.includes('\n') ? written : name;
    if (state.kind === 'missing') {
      const edit = addKeywordArgument(call, 'timeout', timeout);
      ctx.report({
        node: call,
        message:
          `\`${what}()\` has no timeout: its socket falls back to the global default, which blocks forever, so a server ` +
          `that stops answering hangs this worker for good. Pass \`timeout=${timeout}\` (seconds), or set ` +
          '`socket.setdefaulttimeout()` once at start-up.',
        fix: edit ? { applicability: 'safe', message: `Add \`timeout=${timeout}\``, edits: [edit] } : null,
      });
    } else {
      ctx.report({
        node: call,
        message:
          `\`${what}()\` is given \`timeout=None\`, which makes its socket block forever on a server that stops ` +
          `answering. Pass a finite timeout such as \`timeout=${timeout}\` (seconds).`,
        fix: {
          applicability: 'unsafe',
          message: `Replace \`None\` with \`${timeout}\``,
          edits: [{ start: state.node.startIndex, end: state.node.endIndex, text: timeout }],
        },
      });
    }
  },
};

export default rule;
