import type { PythonRule as Rule } from '../../src/types.js';
import { consequence, lifetimeOf, withAdvice } from '../../src/lang/python/lifetime.js';
import { RESOURCE_TRIGGERS, describe } from './_shared/resources.js';
import { tryFinallyFix } from './_shared/fix-close.js';

const rule: Rule = {
  code: 'CL402',
  name: 'close-not-in-finally',
  category: 'resource-close',
  severity: 'warning',
  fixable: 'unsafe',
  triggers: RESOURCE_TRIGGERS,
  nodeTypes: ['call'],
  docs: {
    summary:
      'A resource is released (`close()`, `shutdown()`, `pool.release(conn)`, ...) only on the straight-line path, not in a ' +
      '`finally:` block or a `with` statement, and code that can raise runs between its creation and the release.',
    why:
      'When anything between the creation and the `close()` raises — a timeout, an HTTP error, a failed query — the close is ' +
      'skipped and the resource leaks. Errors come in bursts (an upstream outage), so the leak happens exactly when the ' +
      'service is under stress: sockets pile up in CLOSE_WAIT, the database pool is drained by connections that are never ' +
      'given back, and executor threads accumulate. The same holds for code after a `yield` in a `@contextmanager` or a ' +
      'FastAPI dependency: it does not run when the caller raises.',
    bad:
      'import sqlite3\n\n\ndef save(path, items):\n    conn = sqlite3.connect(path)\n' +
      '    conn.executemany("insert into items values (?)", items)\n    conn.commit()\n    conn.close()\n',
    good:
      'import sqlite3\n\n\ndef save(path, items):\n    conn = sqlite3.connect(path)\n    try:\n' +
      '        conn.executemany("insert into items values (?)", items)\n        conn.commit()\n    finally:\n' +
      '        conn.close()\n',
    fix:
      'When the release is a statement of its own in the same block as the creation, the statements between them move ' +
      'into `try:` and the release into `finally:`. Unsafe: the release now also runs when one of those statements ' +
      'raises, and it runs before the exception reaches the caller, so code that expected the resource to be still open ' +
      'when handling the error behaves differently.',
    references: [
      'https://docs.python.org/3/reference/compound_stmts.html#the-try-statement',
      'https://fastapi.tiangolo.com/tutorial/dependencies/dependencies-with-yield/',
    ],
  },
  visit(call, ctx) {
    const lt = lifetimeOf(ctx.model, call);
    if (!lt || lt.fate !== 'closed-not-in-finally' || !lt.mayRaiseBeforeRelease) return;
    const release = lt.releases.filter((r) => !r.onErrorPath).sort((a, b) => a.at.startIndex - b.at.startIndex)[0];
    const releaseText = release ? `\`${release.at.text.split('\n')[0]}\`` : 'the release';
    const afterYield = lt.uses.some((u) => u.kind === 'yield') ? ' (code after `yield` does not run when the caller raises)' : '';
    ctx.report({
      node: call,
      message:
        `${describe(lt)} is released by ${releaseText} only if nothing raises before it${afterYield}: an exception in between ` +
        `leaks it, and under errors ${consequence(lt.spec)}. Use ${withAdvice(lt)}, or move the release into a \`finally:\` block.`,
      related: release ? [{ node: release.at, message: 'released here, on the straight-line path only' }] : undefined,
      fix: tryFinallyFix(ctx.model, lt),
    });
  },
};

export default rule;
