// Whether a requests Session gets a timeout from somewhere other than the call: a user subclass
// whose `request()` / `send()` sets a default, a mounted adapter whose `send()` does, or a
// `session.request` replaced by `functools.partial(..., timeout=...)`. These are the fixes the
// timeout rules recommend, so they must silence them. An adapter the model cannot see into (an
// imported class) is assumed to supply one: precision first.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { Binding, ClassInfo, SemanticModel } from '../../../src/lang/python/model.js';
import { unwrap } from '../../../src/lang/python/context.js';
import { addTo } from '../../../src/util/multimap.js';

/** Adapter classes known to have no default timeout of their own. */
const PLAIN_ADAPTERS = new Set(['requests.adapters.HTTPAdapter', 'requests.adapters.BaseAdapter', 'object']);

/** What was done to a session value: an adapter mounted on it, or its request/send replaced. */
type Configuration = { adapter: SyntaxNode } | { patched: SyntaxNode };

interface Index {
  byBinding: Map<Binding, Configuration[]>;
  /** `self.mount(...)` inside a class (a Session subclass configuring itself). */
  byClass: Map<string, Configuration[]>;
  /** `<obj>.<attr>.mount(...)` where `<obj>` is an instance of a user class: key `Class\0attr`. */
  byAttribute: Map<string, Configuration[]>;
}

const indexes = new WeakMap<SemanticModel, Index>();

type Key = { kind: 'binding'; binding: Binding } | { kind: 'class'; name: string } | { kind: 'attribute'; owner: ClassInfo; attr: string };

function keyOf(model: SemanticModel, expr: SyntaxNode): Key | undefined {
  const n = unwrap(expr);
  if (n.type === 'identifier') {
    const b = model.bindingOf(n);
    if (!b) return undefined;
    const cls = model.selfClassOf(b);
    return cls ? { kind: 'class', name: cls.qualifiedName } : { kind: 'binding', binding: b };
  }
  if (n.type === 'attribute') {
    const obj = n.childForFieldName('object');
    const attr = n.childForFieldName('attribute');
    if (!obj || !attr) return undefined;
    const t = model.typeOf(obj);
    const owner = t ? model.classByQualifiedName(t) : undefined;
    return owner ? { kind: 'attribute', owner, attr: attr.text } : undefined;
  }
  return undefined;
}


function record(index: Index, key: Key | undefined, c: Configuration): void {
  if (!key) return;
  if (key.kind === 'binding') addTo(index.byBinding, key.binding, c);
  else if (key.kind === 'class') addTo(index.byClass, key.name, c);
  else addTo(index.byAttribute, `${key.owner.qualifiedName}\0${key.attr}`, c);
}

function buildIndex(model: SemanticModel): Index {
  const index: Index = { byBinding: new Map(), byClass: new Map(), byAttribute: new Map() };
  for (const node of model.root.descendantsOfType(['call', 'assignment'])) {
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'mount') continue;
      const arg = model.argument(node, 'adapter', 'requests.Session.mount');
      if (arg.kind === 'present') record(index, keyOf(model, fn.childForFieldName('object')!), { adapter: arg.node });
      else if (arg.kind === 'unknown') record(index, keyOf(model, fn.childForFieldName('object')!), { patched: node });
    } else {
      // `session.request = functools.partial(session.request, timeout=10)` and the like.
      const left = node.childForFieldName('left');
      const attr = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
      if (attr === 'request' || attr === 'send') record(index, keyOf(model, left!.childForFieldName('object')!), { patched: node });
    }
  }
  return index;
}

function indexFor(model: SemanticModel): Index {
  let index = indexes.get(model);
  if (!index) {
    index = buildIndex(model);
    indexes.set(model, index);
  }
  return index;
}

/**
 * True when a `request()` / `send()` override gives `timeout` a value: `kwargs.setdefault("timeout",
 * ...)`, `kwargs["timeout"] = ...`, a `timeout` parameter with a default, `timeout = ...` in the
 * body, or `timeout=<something other than the untouched parameter>` passed on.
 */
export function functionSuppliesTimeout(model: SemanticModel, fn: SyntaxNode): boolean {
  const params = new Set<string>();
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = p.type === 'identifier' ? p : p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier');
    if (!name) continue;
    params.add(name.text);
    const value = p.childForFieldName('value');
    if (name.text === 'timeout' && value && model.constantValue(value) !== null) return true;
  }
  const notNone = (v: SyntaxNode | null | undefined) => !!v && model.constantValue(v) !== null;
  const body = fn.childForFieldName('body');
  for (const n of body?.descendantsOfType(['call', 'assignment', 'keyword_argument']) ?? []) {
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      if (f?.type !== 'attribute' || f.childForFieldName('attribute')?.text !== 'setdefault') continue;
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      if (args[0] && model.constantValue(args[0]) === 'timeout' && notNone(args[1])) return true;
    } else if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type === 'identifier' && left.text === 'timeout' && notNone(right)) return true;
      if (left?.type === 'subscript') {
        const key = left.childForFieldName('subscript');
        if (key && model.constantValue(key) === 'timeout' && notNone(right)) return true;
      }
    } else if (n.childForFieldName('name')?.text === 'timeout') {
      const v = n.childForFieldName('value');
      if (v && notNone(v) && !(v.type === 'identifier' && params.has(v.text))) return true;
    }
  }
  return false;
}

/** A user class (or one of its user bases) whose `request` or `send` supplies a timeout. */
function classOverridesTimeout(model: SemanticModel, cls: ClassInfo): boolean {
  for (const c of model.classChain(cls)) {
    for (const m of ['request', 'send']) {
      const fn = c.methods.get(m);
      if (fn && functionSuppliesTimeout(model, fn)) return true;
    }
  }
  return false;
}

/** True unless the adapter is known to have no default timeout (HTTPAdapter or a subclass that sets none). */
export function adapterSuppliesTimeout(model: SemanticModel, expr: SyntaxNode): boolean {
  const t = model.typeOf(expr);
  if (!t) return true;
  const cls = model.classByQualifiedName(t);
  if (!cls) return !PLAIN_ADAPTERS.has(t);
  if (classOverridesTimeout(model, cls)) return true;
  // A user adapter built on a base the model cannot see into may get its default there.
  return model.ancestors(t).some((a) => !model.classByQualifiedName(a) && !PLAIN_ADAPTERS.has(a));
}

function configured(model: SemanticModel, list: Configuration[] | undefined): boolean {
  return !!list?.some((c) => 'patched' in c || adapterSuppliesTimeout(model, c.adapter));
}

/**
 * True when the session value `expr` (the receiver of `.get()` ...) has a default timeout: its
 * class supplies one, or an adapter with one is mounted on it, or its `request` was replaced —
 * on this name or attribute, or on a value it was assigned from (`self._session = session`
 * after `session.request = partial(...)`; `sess = session or self._session`).
 */
export function sessionHasDefaultTimeout(model: SemanticModel, expr: SyntaxNode): boolean {
  const t = model.typeOf(expr);
  const cls = t ? model.classByQualifiedName(t) : undefined;
  if (cls) {
    if (classOverridesTimeout(model, cls)) return true;
    const index = indexFor(model);
    for (const c of model.classChain(cls)) if (configured(model, index.byClass.get(c.qualifiedName))) return true;
  }
  return valueConfigured(model, expr, new Set());
}

function valueConfigured(model: SemanticModel, expr: SyntaxNode, seen: Set<number>): boolean {
  const n = unwrap(expr);
  if (seen.has(n.id) || seen.size > 50) return false;
  seen.add(n.id);
  const index = indexFor(model);
  switch (n.type) {
    case 'conditional_expression':
      return n.namedChildren.some((c, i) => i !== 1 && valueConfigured(model, c, seen));
    case 'boolean_operator':
      return [n.childForFieldName('left'), n.childForFieldName('right')].some((c) => !!c && valueConfigured(model, c, seen));
    case 'identifier': {
      const key = keyOf(model, n);
      if (key?.kind !== 'binding') return false;
      if (configured(model, index.byBinding.get(key.binding))) return true;
      const b = key.binding;
      return (b.kind === 'assign' || b.kind === 'with') && !!b.value && !b.destructured && valueConfigured(model, b.value, seen);
    }
    case 'attribute': {
      const key = keyOf(model, n);
      if (key?.kind !== 'attribute') return false;
      for (const c of model.classChain(key.owner)) {
        if (configured(model, index.byAttribute.get(`${c.qualifiedName}\0${key.attr}`))) return true;
        for (const b of c.attributes.get(key.attr) ?? []) if (b.value && valueConfigured(model, b.value, seen)) return true;
      }
      return false;
    }
    default:
      return false;
  }
}
