import type { PythonRule as Rule } from '../../src/types.js';
import { classMayReleaseAttribute, consequence, lifetimeOf, withArticle } from '../../src/lang/python/lifetime.js';
import { RESOURCE_TRIGGERS } from './_shared/resources.js';

const CLOSERS = ['close', 'aclose', '__exit__', '__aexit__', 'shutdown', 'stop', '__del__'];

const rule: Rule = {
  code: 'CL404',
  name: 'class-resource-without-close',
  category: 'resource-close',
  severity: 'warning',
  triggers: RESOURCE_TRIGGERS,
  nodeTypes: ['call'],
  docs: {
    summary:
      'A method stores a session, client, executor, socket or connection on `self`, and nothing in the class (or anywhere ' +
      'in the file) ever releases that attribute: no `close()`/`aclose()`/`__exit__`/`__aexit__` that closes it.',
    why:
      'Every instance of the class then owns a resource nobody can release. Services create such wrappers per request, per ' +
      'job or per test, and each instance leaves its connection pool, socket or worker threads behind: CLOSE_WAIT sockets, ' +
      'leaked threads, database connections that never go back to the pool. Give the class a `close()` (and ' +
      '`__enter__`/`__exit__`, or `__aenter__`/`__aexit__` for async clients) that releases what it created. Attributes set ' +
      'in the class body are shared singletons and are not reported; classes deriving from a base defined elsewhere are not ' +
      'judged, since the base may close the attribute.',
    bad:
      'import requests\n\n\nclass InventoryClient:\n    def __init__(self):\n        self.session = requests.Session()\n\n' +
      '    def item(self, item_id):\n        return self.session.get(f"https://inv/items/{item_id}", timeout=10).json()\n',
    good:
      'import requests\n\n\nclass InventoryClient:\n    def __init__(self):\n        self.session = requests.Session()\n\n' +
      '    def item(self, item_id):\n        return self.session.get(f"https://inv/items/{item_id}", timeout=10).json()\n\n' +
      '    def close(self):\n        self.session.close()\n\n    def __enter__(self):\n        return self\n\n' +
      '    def __exit__(self, *exc):\n        self.close()\n',
    references: ['https://docs.python.org/3/reference/datamodel.html#context-managers'],
  },
  visit(call, ctx) {
    const lt = lifetimeOf(ctx.model, call);
    if (!lt || lt.fate !== 'escapes' || lt.releases.length) return;
    const stores = lt.escapes;
    if (!stores.length || stores.some((e) => e.how !== 'self-attribute')) return;
    const attrs = new Set(stores.map((e) => `${e.ownerClass!.node.id}:${e.attribute}`));
    if (attrs.size !== 1) return;
    const { ownerClass: cls, attribute } = stores[0];
    if (!cls || !attribute || classMayReleaseAttribute(ctx.model, cls, attribute)) return;
    const chain = ctx.model.classChain(cls);
    const closer = CLOSERS.find((m) => chain.some((c) => c.methods.has(m)));
    const s = lt.spec;
    const release = s.family === 'pooled-connection' ? `${s.asyncRelease ? 'await ' : ''}<pool>.release(self.${attribute})` : `${s.asyncRelease ? 'await ' : ''}self.${attribute}.${s.release}()`;
    const problem = closer
      ? `\`${cls.name}.${closer}()\` does not release it`
      : `\`${cls.name}\` has no \`close()\`/\`__exit__\` that releases it`;
    const protocol = s.asyncWith ? '`__aenter__`/`__aexit__`' : '`__enter__`/`__exit__`';
    ctx.report({
      node: call,
      message:
        `\`${cls.name}\` keeps ${withArticle(s.label)} on \`self.${attribute}\` but ${problem}: each instance leaks it, and ` +
        `${consequence(s)}. ${closer ? `Call \`${release}\` in \`${closer}()\`` : `Add a \`${s.asyncRelease ? 'aclose' : 'close'}()\` that calls \`${release}\`, with ${protocol} so callers can use \`${s.asyncWith ? 'async with' : 'with'}\``}.`,
    });
  },
};

export default rule;
