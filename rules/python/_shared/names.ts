// A cheap syntactic pre-check before asking the model what a call resolves to: the called name
// (`x.gather(...)` → gather, `gather(...)` → gather) must be one of the wanted last segments, an
// alias a `from ... import name as alias` gives one of them, or a class defined in the file (a
// user subclass of a wanted class). For module-level functions the call must also start from a
// name some import binds. Resolving every call through scopes costs more than the rest of a
// rule; this keeps it to the calls that can match. It never decides a match, only rules one out.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';

interface FileNames {
  /** alias → the last segment of what it imports (`from a import b as c` → c → b). */
  aliases: Map<string, string>;
  /** Every name an import statement binds anywhere in the file. */
  imported: Set<string>;
  /** class name → the last segments of its bases. */
  classes: Map<string, string[]>;
  byKey: Map<string, Set<string>>;
  called: Map<number, string | null>;
}

const cache = new WeakMap<SemanticModel, FileNames>();

function fileNames(model: SemanticModel): FileNames {
  let f = cache.get(model);
  if (f) return f;
  f = { aliases: new Map(), imported: new Set(), classes: new Map(), byKey: new Map(), called: new Map() };
  for (const n of model.root.descendantsOfType(['import_statement', 'import_from_statement', 'class_definition'])) {
    if (n.type === 'class_definition') {
      const name = n.childForFieldName('name')?.text;
      const bases = (n.childForFieldName('superclasses')?.namedChildren ?? [])
        .filter((b) => b.type === 'identifier' || b.type === 'attribute')
        .map((b) => (b.type === 'attribute' ? b.lastChild?.text ?? '' : b.text));
      if (name) f.classes.set(name, bases);
      continue;
    }
    const moduleNode = n.type === 'import_from_statement' ? n.childForFieldName('module_name') : null;
    for (const c of n.namedChildren) {
      if (moduleNode && c.id === moduleNode.id) continue;
      if (c.type === 'aliased_import') {
        const name = c.childForFieldName('name')?.text ?? '';
        const alias = c.childForFieldName('alias')?.text;
        if (alias) {
          f.aliases.set(alias, name.slice(name.lastIndexOf('.') + 1));
          f.imported.add(alias);
        }
      } else if (c.type === 'dotted_name') {
        f.imported.add(n.type === 'import_statement' ? c.text.split('.')[0] : c.text);
      }
    }
  }
  cache.set(model, f);
  return f;
}

function candidates(f: FileNames, names: Iterable<string>, key: string): Set<string> {
  let set = f.byKey.get(key);
  if (set) return set;
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
  f.byKey.set(key, set);
  return set;
}

/** The name a call's target ends with: `gather` for `asyncio.gather(...)` and `gather(...)`. */
export function calledName(call: SyntaxNode, model?: SemanticModel): string | undefined {
  const f = model ? fileNames(model) : undefined;
  const cached = f?.called.get(call.id);
  if (cached !== undefined) return cached ?? undefined;
  let fn = call.firstChild;
  while (fn?.type === 'parenthesized_expression' && fn.namedChildCount === 1) fn = fn.namedChild(0);
  let out: string | undefined;
  if (fn?.type === 'identifier') out = fn.text;
  else if (fn?.type === 'attribute') out = fn.lastChild?.text;
  f?.called.set(call.id, out ?? null);
  return out;
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
  const f = fileNames(model);
  const called = calledName(call, model);
  if (!called || !candidates(f, names, key).has(called)) return false;
  if (!imported) return true;
  const root = rootIdentifier(call);
  return !!root && (f.imported.has(root) || f.classes.has(root));
}
