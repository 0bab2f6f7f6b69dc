// The semantic model of one Python file: the questions rules ask instead of matching text.
// Qualified names through imports, types of locals and `self.attr`, user classes and their
// bases, call arguments by keyword or position, constant values. Context questions (async,
// loop, with, finally) live in context.ts and are re-exported here.
import { parsePython, type SyntaxNode, type Tree } from './tree.js';
import { buildScope, type Binding, type ModuleLocation, type Scope } from './scopes.js';
import { enclosingScopeNode, enclosingFunction, holdsInScope, isInside, unwrap } from './context.js';
import { BUILTINS, KNOWN_CLASSES, LIBRARY_BASES, RETURN_TYPES, SIGNATURES, canonicalName, spelledParts } from './knowledge.js';
import { argumentOf, calleeName, type ArgumentLookup } from './calls.js';
import { addTo } from '../../util/multimap.js';

export * from './context.js';
export type { Binding } from './scopes.js';
export type { ArgumentLookup } from './calls.js';

export interface CallInfo {
  /** Canonical qualified name of what is called: `requests.get`, `requests.Session.get`. */
  name?: string;
  /** For a method call on a value of known type: that type and the method name. */
  receiverType?: string;
  method?: string;
}

export interface ClassInfo {
  name: string;
  qualifiedName: string;
  node: SyntaxNode;
  /** Qualified names of the base classes (canonical), unresolved ones left out. */
  bases: string[];
  methods: Map<string, SyntaxNode>;
  /** `self.x = value` in any method and `x = value` / `x: T` in the class body. */
  attributes: Map<string, Binding[]>;
}

export type Constant = number | string | boolean | null;

/** What a file's imports and class statements bind (SemanticModel.fileSpellings). */
export interface FileSpellings {
  /** alias → the last part of what it imports (`from a import b as c`, `import a.b as c`: c → b). */
  aliases: Map<string, string>;
  /** Every name an import statement binds anywhere in the file. */
  imported: Set<string>;
  /** Each class defined in the file → the last parts of its bases. */
  classes: Map<string, string[]>;
}

/** A class body's methods, and its attributes: `self.x = value` in any method, `x = value` in the body. */
function collectMembers(node: SyntaxNode, methods: Map<string, SyntaxNode>, attributes: Map<string, Binding[]>): void {
  const addAttr = (b: Binding) => addTo(attributes, b.name, b);
  for (const stmt of node.childForFieldName('body')?.namedChildren ?? []) {
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'function_definition') {
      const fname = def.childForFieldName('name')?.text;
      if (fname) methods.set(fname, def);
      const self = def.childForFieldName('parameters')?.namedChild(0);
      const selfName = self?.type === 'identifier' ? self.text : self?.type === 'typed_parameter' ? self.namedChild(0)?.text : undefined;
      if (selfName) {
        for (const a of def.descendantsOfType('assignment')) {
          const left = a.childForFieldName('left');
          if (left?.type === 'attribute' && left.childForFieldName('object')?.text === selfName) {
            let value = a.childForFieldName('right');
            while (value?.type === 'assignment') value = value.childForFieldName('right');
            const attr = left.childForFieldName('attribute')!;
            addAttr({ name: attr.text, kind: 'assign', node: left, value: value ?? undefined, annotation: a.childForFieldName('type') ?? undefined, start: left.startIndex });
          }
        }
      }
    } else if (stmt.type === 'expression_statement') {
      const a = stmt.namedChild(0);
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
      if (a && left?.type === 'identifier') {
        addAttr({ name: left.text, kind: 'assign', node: left, value: a.childForFieldName('right') ?? undefined, annotation: a.childForFieldName('type') ?? undefined, start: left.startIndex });
      }
    }
  }
}

function hasContainer(list: readonly Binding[]): boolean {
  for (const b of list) if (b.container) return true;
  return false;
}

function has(names: readonly string[] | ReadonlySet<string>, name: string): boolean {
  return Array.isArray(names) ? names.includes(name) : (names as ReadonlySet<string>).has(name);
}

export class SemanticModel {
  readonly root: SyntaxNode;
  private readonly scopes = new Map<number, Scope>();
  private classIndex?: Map<number, ClassInfo>;
  private classByName?: Map<string, ClassInfo>;
  private readonly typeCache = new Map<number, string | undefined>();
  private readonly inProgress = new Set<number>();
  /** Memo of resolveCall by node id: every rule asks about the same calls (issue 6). */
  private readonly callCache = new Map<number, CallInfo>();
  /** Memo of scopeNodeOf by row: the scope node's row + 1, or 0 when not known yet. */
  private readonly scopeRows: Int32Array;

  constructor(
    readonly tree: Tree,
    readonly source: string,
    readonly path: string,
    readonly location: ModuleLocation = {},
  ) {
    this.root = tree.rootNode;
    this.scopeRows = new Int32Array(tree.count);
  }

  get moduleName(): string {
    return this.location.moduleName ?? '__main__';
  }

  // ---- scopes and names -------------------------------------------------------------------

  scopeFor(scopeNode: SyntaxNode): Scope {
    let s = this.scopes.get(scopeNode.id);
    if (!s) {
      const parent = scopeNode.type === 'module' ? null : this.scopeFor(enclosingScopeNode(scopeNode));
      s = buildScope(scopeNode, parent, this.location);
      this.scopes.set(scopeNode.id, s);
    }
    return s;
  }

  scopeOf(node: SyntaxNode): Scope {
    return this.scopeFor(this.scopeNodeOf(node));
  }

  /**
   * enclosingScopeNode(node), remembered for every node on the way up: walking to the scope
   * from each node of a deeply nested expression was quadratic (20,000 nested calls: 5 s). A
   * non-empty node lies in a function's or class's body exactly when its parent does (sibling
   * ranges never overlap), so the answer for the parent is the answer for the node; an empty
   * node, which can touch a body's boundary from outside, is asked about the original way.
   */
  private scopeNodeOf(node: SyntaxNode): SyntaxNode {
    const path: SyntaxNode[] = [];
    let result: SyntaxNode | undefined;
    if (node.tree !== this.tree) return enclosingScopeNode(node);
    const rows = this.scopeRows;
    for (let n = node; !result; ) {
      const cached = rows[n.pre];
      if (cached !== 0) result = this.tree.node(cached - 1);
      else if (n.startIndex === n.endIndex) result = enclosingScopeNode(n);
      else {
        path.push(n);
        const p = n.parent;
        if (!p) result = n;
        else if (holdsInScope(p, n)) result = p;
        else n = p;
      }
    }
    for (const x of path) rows[x.pre] = result.pre + 1;
    return result;
  }

  /**
   * The binding a name refers to at `at`, following Python's rules: the enclosing functions,
   * then the module; class bodies are skipped from inside their methods. In the name's own
   * scope the nearest binding before the use wins; outer scopes have run to completion, so
   * their last binding wins (imports preferred, as `try: import x / except: x = None` shows).
   */
  lookup(name: string, at: SyntaxNode): Binding | undefined {
    let scope: Scope | null = this.scopeOf(at);
    const own = scope;
    if (scope.globals.has(name)) scope = this.scopeFor(this.root);
    for (; scope; scope = scope.parent) {
      if (scope !== own && scope.kind === 'class') continue;
      let list = scope.bindings.get(name);
      if (!list || !list.length) continue;
      if (hasContainer(list)) {
        // A comprehension's variable: the innermost comprehension holding `at` binds it; outside
        // its comprehension it does not exist.
        const inside = list.filter((b) => b.container && isInside(at, b.container));
        if (inside.length) return inside.reduce((a, b) => (b.container!.startIndex >= a.container!.startIndex ? b : a));
        list = list.filter((b) => !b.container);
        if (!list.length) continue;
      }
      if (scope === own) {
        let best: Binding | undefined;
        for (const b of list) if (b.start < at.startIndex && (!best || b.start > best.start)) best = b;
        if (best) return best;
        if (scope.kind !== 'module') return list[list.length - 1];
        continue;
      }
      return list.find((b) => b.kind === 'import') ?? list[list.length - 1];
    }
    return undefined;
  }

  /** The binding of an identifier node (a local, a parameter, an import), if any. */
  bindingOf(identifier: SyntaxNode): Binding | undefined {
    return this.lookup(identifier.text, identifier);
  }

  /**
   * Canonical dotted name of what an expression refers to, through imports and aliases:
   * `rq.get` → `requests.get`, a module-level `def f` → `<module>.f`, `s.get` on a known
   * `requests.Session` → `requests.Session.get`. Undefined for locals and unknown values.
   */
  qualifiedName(expr: SyntaxNode): string | undefined {
    const stat = this.staticName(expr);
    if (stat) return stat;
    // A method of a typed value: `s.get` on a requests.Session → `requests.Session.get`.
    const n = unwrapParens(expr);
    if (n.type !== 'attribute') return undefined;
    const obj = n.childForFieldName('object');
    const attr = n.childForFieldName('attribute');
    const t = obj && attr ? this.typeOf(obj) : undefined;
    return t ? `${t}.${attr!.text}` : undefined;
  }

  /**
   * The dotted name of a module, class or function an expression names statically (imports,
   * definitions, attributes of those) — never an attribute of an instance, so `self.session.get`
   * is not mistaken for a class member `Client.session.get`.
   */
  private staticName(expr: SyntaxNode): string | undefined {
    const n = unwrapParens(expr);
    if (n.type === 'identifier') {
      const b = this.lookup(n.text, n);
      if (!b) return BUILTINS.has(n.text) ? n.text : undefined;
      if (b.kind === 'import') return canonicalName(b.imported!);
      if (b.kind === 'def' || b.kind === 'class') {
        const cls = b.kind === 'class' ? this.classes().get(b.value!.id) : undefined;
        return cls ? cls.qualifiedName : `${this.moduleName}.${b.name}`;
      }
      return undefined;
    }
    if (n.type === 'attribute') {
      const obj = n.childForFieldName('object');
      const attr = n.childForFieldName('attribute');
      if (!obj || !attr) return undefined;
      const base = this.staticName(obj);
      if (base) return canonicalName(`${base}.${attr.text}`);
    }
    return undefined;
  }

  /** What a call invokes, with the receiver's type for method calls. */
  resolveCall(call: SyntaxNode): CallInfo {
    const hit = this.callCache.get(call.id);
    if (hit) return hit;
    const info = this.resolveCallUncached(call);
    // Not while a type is being inferred: a cycle cut short there may give a partial answer.
    if (this.inProgress.size === 0) this.callCache.set(call.id, info);
    return info;
  }

  private resolveCallUncached(call: SyntaxNode): CallInfo {
    const fn = call.childForFieldName('function');
    if (!fn) return {};
    const target = unwrapParens(fn);
    if (target.type === 'attribute') {
      const obj = target.childForFieldName('object')!;
      const method = target.childForFieldName('attribute')!.text;
      const base = this.staticName(obj);
      if (base) return { name: canonicalName(`${base}.${method}`) };
      const receiverType = this.typeOf(obj);
      if (receiverType) return { name: `${receiverType}.${method}`, receiverType, method };
      return {};
    }
    const name = this.qualifiedName(target);
    if (name) return { name };
    // Calling an instance: `SessionLocal()` where SessionLocal is a sessionmaker.
    const t = this.typeOf(target);
    if (t) return { name: `${t}.__call__`, receiverType: t, method: '__call__' };
    return {};
  }

  /**
   * False when the call cannot resolve to any of `names`, judged by what its callee spells, with
   * no name resolution: most calls in a file are none of a rule's names. A call resolves to a
   * name only through a spelling of it (spellingsOf) that ends with the callee's last part, or
   * through a `from m import a as b` alias of that part, or as a class of this file (which may
   * derive from one), or, for `X.__call__`, as an instance of X, which needs X named somewhere.
   */
  mayCall(call: SyntaxNode, names: readonly string[] | ReadonlySet<string>): boolean {
    const { parts, instanceOf } = spelledParts(names);
    // An instance call spells a variable: any call may be one once the class is named.
    for (const cls of instanceOf) if (this.names(cls)) return true;
    const callee = calleeName(call);
    if (callee === undefined || parts.has(callee)) return true;
    const { aliases, classes } = this.fileSpellings();
    const original = aliases.get(callee);
    return (original !== undefined && parts.has(original)) || classes.has(callee);
  }

  private readonly named = new Map<string, boolean>();

  /** True when the file's text holds `word` anywhere (remembered per word). */
  private names(word: string): boolean {
    let v = this.named.get(word);
    if (v === undefined) this.named.set(word, (v = this.source.includes(word)));
    return v;
  }

  private spellings?: FileSpellings;

  /** What the file's imports and class statements bind, by name (one pass, remembered). */
  fileSpellings(): FileSpellings {
    if (this.spellings) return this.spellings;
    const f: FileSpellings = { aliases: new Map(), imported: new Set(), classes: new Map() };
    for (const n of this.root.descendantsOfType(['import_statement', 'import_from_statement', 'class_definition'])) {
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
    return (this.spellings = f);
  }

  /**
   * True when the call is one of `names`, directly or as a method inherited by a user subclass
   * (`MySession().get` matches `requests.Session.get`).
   */
  callMatches(call: SyntaxNode, names: readonly string[] | ReadonlySet<string>): string | undefined {
    if (!this.mayCall(call, names)) return undefined;
    const info = this.resolveCall(call);
    return this.matchInfo(info, names);
  }

  matchInfo(info: CallInfo, names: readonly string[] | ReadonlySet<string>): string | undefined {
    if (!info.name) return undefined;
    if (has(names, info.name)) return info.name;
    // A user class called as a constructor is a subclass instance of its bases.
    const calledClass = this.classByQualifiedName(info.name);
    if (calledClass) {
      for (const base of this.ancestors(info.name)) if (has(names, base)) return base;
    }
    if (info.receiverType && info.method) {
      for (const base of this.ancestors(info.receiverType)) {
        const candidate = `${base}.${info.method}`;
        if (has(names, candidate)) return candidate;
      }
    }
    return undefined;
  }

  // ---- types ------------------------------------------------------------------------------

  /**
   * The class (canonical qualified name) of the value an expression evaluates to, when it comes
   * from a known constructor or factory, an annotation, or `self`. Undefined when unknown.
   */
  typeOf(expr: SyntaxNode): string | undefined {
    const n = unwrap(expr);
    if (this.typeCache.has(n.id)) return this.typeCache.get(n.id);
    if (this.inProgress.has(n.id)) return undefined;
    this.inProgress.add(n.id);
    let t: string | undefined;
    try {
      t = this.computeType(n);
    } finally {
      this.inProgress.delete(n.id);
    }
    this.typeCache.set(n.id, t);
    return t;
  }

  private computeType(n: SyntaxNode): string | undefined {
    switch (n.type) {
      case 'call':
        return this.returnTypeOf(n);
      case 'identifier': {
        const b = this.lookup(n.text, n);
        return b ? this.bindingType(b) : undefined;
      }
      case 'attribute': {
        const obj = n.childForFieldName('object');
        const attr = n.childForFieldName('attribute');
        if (!obj || !attr) return undefined;
        const ownerType = this.typeOf(obj);
        const cls = ownerType ? this.classByQualifiedName(ownerType) : undefined;
        if (cls) return this.attributeType(cls, attr.text);
        return undefined;
      }
      case 'conditional_expression': {
        // `a if c else b`: a type only when both branches agree.
        const [a, , b] = n.namedChildren;
        const ta = a && this.typeOf(a);
        return ta && b && this.typeOf(b) === ta ? ta : undefined;
      }
      case 'boolean_operator': {
        // `session or requests.Session()`: the right side is the fallback value's type.
        const right = n.childForFieldName('right');
        const left = n.childForFieldName('left');
        return (left && this.typeOf(left)) ?? (right ? this.typeOf(right) : undefined);
      }
      default:
        return undefined;
    }
  }

  /** The type a call returns: a known or user class instantiated, or a known factory's result. */
  returnTypeOf(call: SyntaxNode): string | undefined {
    const info = this.resolveCall(call);
    if (!info.name) return undefined;
    if (KNOWN_CLASSES.has(info.name) || this.classByQualifiedName(info.name)) return info.name;
    const direct = RETURN_TYPES[info.name];
    if (direct) return direct;
    if (info.receiverType && info.method) {
      for (const base of this.ancestors(info.receiverType)) {
        const r = RETURN_TYPES[`${base}.${info.method}`];
        if (r) return r;
      }
    }
    return undefined;
  }

  bindingType(b: Binding): string | undefined {
    switch (b.kind) {
      case 'param': {
        if (b.annotation) return this.annotationType(b.annotation);
        const selfClass = this.selfClassOf(b);
        if (selfClass) return selfClass.qualifiedName;
        return b.value ? this.typeOf(b.value) : undefined;
      }
      case 'assign':
        if (b.annotation) {
          const t = this.annotationType(b.annotation);
          if (t) return t;
        }
        return b.value && !b.destructured ? this.typeOf(b.value) : undefined;
      case 'with':
        return b.value ? this.typeOf(b.value) : undefined;
      default:
        return undefined;
    }
  }

  /**
   * `aiohttp.ClientSession`, `Optional[X]`, `X | None`, `"X"`, `"Optional[X]"` → the class's
   * qualified name. Names resolve where the annotation is written (`at`; string annotations are
   * parsed on their own and resolved there, forward references included).
   */
  annotationType(annotation: SyntaxNode, at: SyntaxNode = annotation): string | undefined {
    const n = annotation.type === 'type' && annotation.namedChildCount === 1 ? annotation.namedChild(0)! : annotation;
    if (n.type === 'string') {
      if (n.namedChildren.some((c) => c.type === 'interpolation')) return undefined;
      const content = n.namedChildren.filter((c) => c.type === 'string_content').map((c) => c.text).join('').trim();
      const expr = content ? parseAnnotation(content) : undefined;
      return expr ? this.annotationType(expr, at) : undefined;
    }
    if (n.type === 'binary_operator') {
      // X | None
      const parts = [n.childForFieldName('left'), n.childForFieldName('right')].filter(Boolean) as SyntaxNode[];
      const nonNone = parts.filter((p) => p.text !== 'None');
      return nonNone.length === 1 ? this.annotationType(nonNone[0], at) : undefined;
    }
    if (n.type === 'generic_type' || n.type === 'subscript') {
      const head = n.type === 'subscript' ? n.childForFieldName('value') : n.namedChild(0);
      const headName = head ? this.annotationName(head, at) ?? (head.type === 'identifier' ? head.text : undefined) : undefined;
      if (headName && /(^|\.)(Optional|Union|Annotated)$/.test(headName)) {
        const args = n.namedChildren.slice(1).flatMap((c) => (c.type === 'type_parameter' ? c.namedChildren : [c]));
        const nonNone = args.filter((a) => a.text !== 'None');
        if (/Annotated$/.test(headName)) return nonNone[0] ? this.annotationType(nonNone[0], at) : undefined;
        return nonNone.length === 1 ? this.annotationType(nonNone[0], at) : undefined;
      }
      return undefined;
    }
    if (n.type === 'identifier' || n.type === 'attribute') {
      const q = this.annotationName(n, at);
      if (q && (KNOWN_CLASSES.has(q) || this.classByQualifiedName(q))) return q;
    }
    return undefined;
  }

  /** The dotted name an annotation's name or attribute chain refers to, resolved at `at`. */
  private annotationName(n: SyntaxNode, at: SyntaxNode): string | undefined {
    if (n.type === 'identifier') {
      // A forward reference (`"Client"` before `class Client`) finds the module's binding.
      const b = this.lookup(n.text, at) ?? this.scopeFor(this.root).bindings.get(n.text)?.at(-1);
      if (!b) return undefined;
      if (b.kind === 'import') return canonicalName(b.imported!);
      if (b.kind === 'class') return this.qualifiedNameOfClassBinding(b);
      return undefined;
    }
    if (n.type === 'attribute') {
      const obj = n.childForFieldName('object');
      const attr = n.childForFieldName('attribute');
      const base = obj && attr ? this.annotationName(obj, at) : undefined;
      return base ? canonicalName(`${base}.${attr!.text}`) : undefined;
    }
    return undefined;
  }

  private qualifiedNameOfClassBinding(b: Binding): string | undefined {
    return b.value ? this.classes().get(b.value.id)?.qualifiedName : undefined;
  }

  /** The type of `self.<name>` / `cls.<name>` from assignments anywhere in the class (or its user bases). */
  attributeType(cls: ClassInfo, name: string): string | undefined {
    for (const c of this.classChain(cls)) {
      for (const b of c.attributes.get(name) ?? []) {
        const t = this.bindingType(b);
        if (t) return t;
      }
    }
    return undefined;
  }

  /** The class whose method has `b` as its first parameter (`self` / `cls`). */
  selfClassOf(b: Binding): ClassInfo | undefined {
    if (b.kind !== 'param') return undefined;
    const params = b.node.parent?.type === 'parameters' ? b.node.parent : b.node.parent?.parent;
    if (!params || params.type !== 'parameters' || params.namedChild(0)?.startIndex !== b.node.startIndex) return undefined;
    const fn = params.parent;
    if (!fn || fn.type !== 'function_definition') return undefined;
    const body = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
    const classNode = body?.type === 'block' ? body.parent : undefined;
    if (!classNode || classNode.type !== 'class_definition') return undefined;
    const decorators = fn.parent?.type === 'decorated_definition' ? fn.parent.namedChildren.filter((c) => c.type === 'decorator') : [];
    if (decorators.some((d) => d.text === '@staticmethod')) return undefined;
    return this.classes().get(classNode.id);
  }

  // ---- classes ----------------------------------------------------------------------------

  /** Every class defined in the file, by node id. */
  classes(): Map<number, ClassInfo> {
    if (!this.classIndex) {
      this.classIndex = new Map();
      this.classByName = new Map();
      for (const node of this.root.descendantsOfType('class_definition')) {
        const info = this.buildClass(node);
        this.classIndex.set(node.id, info);
        if (!this.classByName.has(info.qualifiedName)) this.classByName.set(info.qualifiedName, info);
      }
    }
    return this.classIndex;
  }

  classByQualifiedName(name: string): ClassInfo | undefined {
    this.classes();
    return this.classByName!.get(name);
  }

  /** The class whose body (directly, or inside one of its methods) holds `node`. */
  enclosingClass(node: SyntaxNode): ClassInfo | undefined {
    for (let n = node.parent; n; n = n.parent) if (n.type === 'class_definition') return this.classes().get(n.id);
    return undefined;
  }

  private buildClass(node: SyntaxNode): ClassInfo {
    const name = node.childForFieldName('name')?.text ?? '<class>';
    const outer: string[] = [];
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'class_definition' || p.type === 'function_definition') outer.unshift(p.childForFieldName('name')?.text ?? '?');
    }
    const qualifiedName = [this.moduleName, ...outer, name].join('.');
    // bases, methods and attributes are getters, defined below.
    const info = { name, qualifiedName, node } as ClassInfo;
    const supers = node.childForFieldName('superclasses');
    // Bases resolve lazily: a base may be a class defined later in the file.
    Object.defineProperty(info, 'bases', {
      get: () => {
        const value = (supers?.namedChildren ?? [])
          .filter((c) => c.type !== 'keyword_argument')
          .map((c) => this.qualifiedName(c))
          .filter((q): q is string => !!q);
        Object.defineProperty(info, 'bases', { value });
        return value;
      },
      configurable: true,
    });
    // Methods and attributes are collected when first asked for: most classes (test cases) are
    // only looked up by name, as a call's possible constructor.
    const members = () => {
      const methods = new Map<string, SyntaxNode>();
      const attributes = new Map<string, Binding[]>();
      collectMembers(node, methods, attributes);
      Object.defineProperty(info, 'methods', { value: methods });
      Object.defineProperty(info, 'attributes', { value: attributes });
    };
    for (const key of ['methods', 'attributes'] as const) {
      Object.defineProperty(info, key, {
        get: () => {
          members();
          return info[key];
        },
        configurable: true,
      });
    }
    return info;
  }

  /** The class and its user-defined ancestors, nearest first. */
  classChain(cls: ClassInfo): ClassInfo[] {
    const out: ClassInfo[] = [];
    const seen = new Set<string>();
    const visit = (c: ClassInfo) => {
      if (seen.has(c.qualifiedName)) return;
      seen.add(c.qualifiedName);
      out.push(c);
      for (const b of c.bases) {
        const bc = this.classByQualifiedName(b);
        if (bc) visit(bc);
      }
    };
    visit(cls);
    return out;
  }

  private readonly ancestorCache = new Map<string, readonly string[]>();

  /**
   * The type itself and every base the model knows (user classes and library subclassing).
   * Asked for every call on a typed receiver, so kept per type (the classes never change).
   */
  ancestors(type: string): readonly string[] {
    let cached = this.ancestorCache.get(type);
    if (!cached) this.ancestorCache.set(type, (cached = this.computeAncestors(type)));
    return cached;
  }

  private computeAncestors(type: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (t: string) => {
      if (seen.has(t)) return;
      seen.add(t);
      out.push(t);
      const cls = this.classByQualifiedName(t);
      for (const b of cls ? cls.bases : LIBRARY_BASES[t] ?? []) visit(b);
    };
    visit(type);
    return out;
  }

  isSubclass(type: string | undefined, base: string): boolean {
    return !!type && this.ancestors(type).includes(base);
  }

  // ---- calls and values -------------------------------------------------------------------

  /** An argument by keyword or by position, for the signature of the call's target. */
  argument(call: SyntaxNode, name: string, calleeName?: string): ArgumentLookup {
    const callee = calleeName ?? this.resolveCall(call).name;
    const params = callee ? signatureOf(callee, (t) => this.ancestors(t)) : undefined;
    return argumentOf(call, name, params);
  }

  /**
   * The value of a constant expression: literals, `-1`, and names bound once in their scope or
   * at module level to a literal (`TIMEOUT = None`). Undefined when not a known constant.
   */
  constantValue(expr: SyntaxNode, depth = 0): Constant | undefined {
    const n = unwrapParens(expr);
    switch (n.type) {
      case 'none':
        return null;
      case 'true':
        return true;
      case 'false':
        return false;
      case 'integer': {
        const v = Number(n.text.replace(/_/g, '').replace(/[lL]$/, ''));
        return Number.isFinite(v) ? v : undefined;
      }
      case 'float': {
        const v = Number(n.text.replace(/_/g, ''));
        return Number.isFinite(v) ? v : undefined;
      }
      case 'string': {
        if (n.namedChildren.some((c) => c.type === 'interpolation')) return undefined;
        return n.namedChildren.filter((c) => c.type === 'string_content').map((c) => c.text).join('');
      }
      case 'unary_operator': {
        const operand = n.childForFieldName('argument');
        const op = n.child(0)?.type;
        const v = operand ? this.constantValue(operand, depth) : undefined;
        if (typeof v !== 'number') return undefined;
        return op === '-' ? -v : op === '+' ? v : undefined;
      }
      case 'binary_operator': {
        const l = this.constantValue(n.childForFieldName('left')!, depth);
        const r = this.constantValue(n.childForFieldName('right')!, depth);
        if (typeof l !== 'number' || typeof r !== 'number') return undefined;
        switch (n.childForFieldName('operator')?.type) {
          case '+': return l + r;
          case '-': return l - r;
          case '*': return l * r;
          default: return undefined;
        }
      }
      case 'identifier': {
        if (depth > 5) return undefined;
        const b = this.lookup(n.text, n);
        if (!b || b.kind !== 'assign' || !b.value || b.destructured) return undefined;
        // Only names bound exactly once: a reassigned name is not a constant.
        const scope = this.scopeOf(b.node);
        if ((scope.bindings.get(n.text)?.length ?? 0) !== 1) return undefined;
        return this.constantValue(b.value, depth + 1);
      }
      default:
        return undefined;
    }
  }

  // ---- context ----------------------------------------------------------------------------

  enclosingFunction(node: SyntaxNode): SyntaxNode | null {
    return enclosingFunction(node);
  }
}

function unwrapParens(n: SyntaxNode): SyntaxNode {
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
  return n;
}

function signatureOf(callee: string, ancestors: (t: string) => readonly string[]): string[] | undefined {
  // A user subclass's constructor takes its base's parameters unless told otherwise.
  for (const t of ancestors(callee)) if (SIGNATURES[t]) return SIGNATURES[t];
  const dot = callee.lastIndexOf('.');
  if (dot < 0) return undefined;
  const owner = callee.slice(0, dot);
  const member = callee.slice(dot + 1);
  for (const base of ancestors(owner)) {
    const sig = SIGNATURES[`${base}.${member}`];
    if (sig) return sig;
  }
  return undefined;
}

const annotationCache = new Map<string, SyntaxNode | null>();

/** A string annotation's text parsed as an expression (cached; undefined when it does not parse). */
function parseAnnotation(text: string): SyntaxNode | undefined {
  let hit = annotationCache.get(text);
  if (hit === undefined) {
    hit = null;
    if (text.length <= 200 && !text.includes('\n')) {
      const tree = parsePython(text);
      const stmt = tree.rootNode.namedChildCount === 1 ? tree.rootNode.namedChild(0) : null;
      if (!tree.rootNode.hasError && stmt?.type === 'expression_statement' && stmt.namedChildCount === 1) hit = stmt.namedChild(0);
    }
    if (annotationCache.size > 1000) annotationCache.clear();
    annotationCache.set(text, hit);
  }
  return hit ?? undefined;
}
