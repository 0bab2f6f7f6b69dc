// A cheap syntactic pre-check before asking the model what a call resolves to: the called name
// (`x.gather(...)` → gather, `gather(...)` → gather) must be one of the wanted last segments, an
// alias a `from ... import name as alias` gives one of them, or a class defined in the file (a
// user subclass of a wanted class). For module-level functions the call must also start from a
// name some import binds. Resolving every call through scopes costs more than the rest of a
// rule; this keeps it to the calls that can match. It never decides a match, only rules one out.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { FileSpellings, SemanticModel } from '../../../src/lang/python/model.js';
import { calleeName } from '../../../src/lang/python/calls.js';

/** Per file, per name set (by key): the names a call to one of them can end with. */
const cache = new WeakMap<SemanticModel, Map<string, Set<string>>>();

function candidates(model: SemanticModel, names: Iterable<string>, key: string): Set<string> {
  let byKey = cache.get(model);
  if (!byKey) cache.set(model, (byKey = new Map()));
  let set = byKey.get(key);
  if (set) return set;
  const f = model.fileSpellings();
  const last = new Set([...names].map((n) => n.slice(n.lastIndexOf('.') + 1)));
  set = new Set(last);
  for (const [alias, name] of f.aliases) if (last.has(name)) set.add(alias);
  // User subclasses, however deep: a class whose base is already a candidate.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [cls, bases] of f.classes) {
      if (!set.has(cls) && bases.some((b) => set!.has(b))) {
        set.add(cls);
        grew = true;
      }
    }
  }
  byKey.set(key, set);
  return set;
}

function rootIdentifier(call: SyntaxNode): string | undefined {
  let n = call.firstChild;
  while (n && (n.type === 'attribute' || n.type === 'parenthesized_expression')) n = n.firstNamedChild;
  return n?.type === 'identifier' ? n.text : undefined;
}

/**
 * False when the call cannot resolve to any of `names` (so the model need not be asked).
 * `imported`: the names are module-level functions or classes, reached from an imported name
 * (or a class of this file), never through a local's type.
 */
export function mayCall(
  call: SyntaxNode,
  model: SemanticModel,
  names: Iterable<string>,
  key: string,
  imported = false,
): boolean {
  const called = calleeName(call);
  if (!called || !candidates(model, names, key).has(called)) return false;
  if (!imported) return true;
  const root = rootIdentifier(call);
  const f: FileSpellings = model.fileSpellings();
  return !!root && (f.imported.has(root) || f.classes.has(root));
}
