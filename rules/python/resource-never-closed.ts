import type { PythonRule as Rule } from '../../src/types.js';
import { consequence, lifetimeOf, releaseAdvice, withAdvice } from '../../src/lang/python/lifetime.js';
import { RESOURCE_TRIGGERS, describe } from './_shared/resources.js';
import { withFix } from './_shared/fix-close.js';

const rule: Rule = {
  code: 'CL401',
  name: 'resource-never-closed',
  category: 'resource-close',
  severity: 'error',
  fixable: 'unsafe',
  triggers: RESOURCE_TRIGGERS,
  nodeTypes: ['call'],
  docs: {
    summary:
      'A session, client, executor, socket, database session or connection, pooled connection, streamed response or pool ' +
      'manager is created in a function and released on no path: no `with`, no `close()`/`shutdown()`, and it does not escape.',
    why:
      'Each of these holds operating-system resources until it is closed: keep-alive sockets, worker threads, database ' +
      'connections checked out of a pool. Created per call and never closed, they pile up: sockets sit in CLOSE_WAIT until ' +
      'the process hits "Too many open files", thread counts climb, and the database pool is exhausted so requests wait for ' +
      'a connection. CPython may reclaim some of them when the object is garbage-collected, but only eventually, with a ' +
      'ResourceWarning, and not at all when a reference cycle or a traceback keeps it alive. Resources created at module or ' +
      'class level are treated as intentional singletons, and one that is returned, yielded, stored or passed on is the ' +
      "receiver's to close.",
    bad:
      'import requests\n\n\ndef fetch_status(url):\n    session = requests.Session()\n' +
      '    return session.get(url, timeout=10).status_code\n',
    good:
      'import requests\n\n\ndef fetch_status(url):\n    with requests.Session() as session:\n' +
      '        return session.get(url, timeout=10).status_code\n',
    fix:
      'When the resource is bound to a local name by a statement of its own, and every use is a later statement of the ' +
      'same block (nothing returns, stores or passes it on), the assignment becomes `with <creation> as <name>:` ' +
      '(`async with` for async clients) around the rest of that block — not just up to its last use, since futures, ' +
      'responses and cursors made from it are used after it. Unsafe: the resource is now closed at the end of the block, ' +
      'which changes behaviour when something made from it outlives the block (a streamed response returned to the ' +
      'caller), and `with ThreadPoolExecutor()` waits for the submitted tasks there.',
    references: [
      'https://requests.readthedocs.io/en/latest/user/advanced/#session-objects',
      'https://docs.aiohttp.org/en/stable/client_advanced.html#graceful-shutdown',
      'https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.Executor.shutdown',
      'https://docs.sqlalchemy.org/en/20/orm/session_basics.html#opening-and-closing-a-session',
    ],
  },
  visit(call, ctx) {
    const lt = lifetimeOf(ctx.model, call);
    if (!lt || lt.fate !== 'never-closed') return;
    const what = lt.inline
      ? `\`${lt.spec.label}\` is created and used in one expression and never closed`
      : `${describe(lt)} is created here and never closed`;
    const fix = lt.inline
      ? `Bind it in ${withAdvice(lt)} and use it inside the block (or reuse one long-lived instance).`
      : `Use ${withAdvice(lt)}, or call ${releaseAdvice(lt)} in a \`finally:\` block.`;
    ctx.report({ node: call, message: `${what}: ${consequence(lt.spec)}. ${fix}`, fix: withFix(ctx.model, lt) });
  },
};

export default rule;
