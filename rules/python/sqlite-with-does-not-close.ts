import type { PythonRule as Rule } from '../../src/types.js';
import { consequence, lifetimeOf, withArticle } from '../../src/lang/python/lifetime.js';
import { creationText } from './_shared/resources.js';

const rule: Rule = {
  code: 'CL403',
  name: 'sqlite-with-does-not-close',
  category: 'resource-close',
  severity: 'error',
  triggers: ['sqlite3', 'psycopg2'],
  nodeTypes: ['call'],
  docs: {
    summary:
      'A `sqlite3` or `psycopg2` connection is used in `with` (which commits or rolls back a transaction) and never closed.',
    why:
      '`with sqlite3.connect(...) as conn:` and `with psycopg2.connect(...) as conn:` look like they close the connection, ' +
      'but their `__exit__` only commits (or rolls back on error) the transaction; the connection stays open afterwards. ' +
      'Called per request, each call leaves a PostgreSQL backend connection open until the server refuses new ones ' +
      '("too many clients"), or a SQLite file handle (and possibly a lock) open until garbage collection. ' +
      'psycopg 3 changed this: its `with` closes the connection, and is not reported.',
    bad:
      'import sqlite3\n\n\ndef count_users(path):\n    with sqlite3.connect(path) as conn:\n' +
      '        return conn.execute("select count(*) from users").fetchone()[0]\n',
    good:
      'import sqlite3\nfrom contextlib import closing\n\n\ndef count_users(path):\n' +
      '    with closing(sqlite3.connect(path)) as conn, conn:\n' +
      '        return conn.execute("select count(*) from users").fetchone()[0]\n',
    references: [
      'https://docs.python.org/3/library/sqlite3.html#how-to-use-the-connection-context-manager',
      'https://www.psycopg.org/docs/usage.html#with-statement',
    ],
  },
  visit(call, ctx) {
    const lt = lifetimeOf(ctx.model, call);
    if (!lt || lt.fate !== 'with-transaction-only') return;
    const created = creationText(lt);
    const target = lt.name ?? 'conn';
    ctx.report({
      node: call,
      message:
        `\`with\` on ${withArticle(lt.spec.label)} only commits or rolls back the transaction; it does NOT close the connection, so ` +
        `${consequence(lt.spec)}. Use \`with contextlib.closing(${created}) as ${target}:\` (keeping \`with ${target}:\` ` +
        `inside for the transaction), or call \`${target}.close()\` in a \`finally:\` block.`,
      related: lt.withStatements.length ? [{ node: lt.withStatements[0].child(0)!, message: 'this `with` manages a transaction only' }] : undefined,
    });
  },
};

export default rule;
