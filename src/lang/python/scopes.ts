// Names and what binds them, per scope (module, function, lambda, class body). Built lazily, one
// scope at a time, the first time a rule asks about a name in it.
import type { SyntaxNode } from './tree.js';
import { COMPREHENSION_TYPES, FUNCTION_TYPES } from './context.js';
import { addTo } from '../../util/multimap.js';

export type BindingKind =
  | 'import'
  | 'assign'
  | 'augassign'
  | 'param'
  | 'with'
  | 'for'
  | 'def'
  | 'class'
  | 'except'
  | 'other';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The identifier that is bound. */
  node: SyntaxNode;
  /** The value bound: right-hand side, `with` item expression, parameter default. */
  value?: SyntaxNode;
  /** A type annotation (`x: T = ...`, `def f(x: T)`). */
  annotation?: SyntaxNode;
  /** For imports: the dotted name the binding refers to (relative imports resolved). */
  imported?: string;
  /** For `with` bindings: whether it was `async with`. */
  asyncWith?: boolean;
  /** Part of a tuple/list target (`a, b = ...`): the value is not this name's own. */
  destructured?: boolean;
  /** A comprehension's own variable: visible only inside this comprehension node. */
  container?: SyntaxNode;
  start: number;
}

export type ScopeKind = 'module' | 'function' | 'lambda' | 'class';

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();

  constructor(
    readonly node: SyntaxNode,
    readonly kind: ScopeKind,
    readonly parent: Scope | null,
  ) {}

  add(b: Binding): void {
    addTo(this.bindings, b.name, b);
  }
}

export interface ModuleLocation {
  /** Dotted module name of the file (`pkg.sub.mod`), when the package layout is known. */
  moduleName?: string;
  /** True for `__init__.py`: relative imports start at the package itself. */
  isPackage?: boolean;
}

/** Collects the bindings of one scope node, not descending into nested scopes. */
export function buildScope(node: SyntaxNode, parent: Scope | null, where: ModuleLocation): Scope {
  const kind: ScopeKind =
    node.type === 'module' ? 'module' : node.type === 'class_definition' ? 'class' : node.type === 'lambda' ? 'lambda' : 'function';
  const scope = new Scope(node, kind, parent);
  if (kind === 'function' || kind === 'lambda') addParameters(scope, node.childForFieldName('parameters'));
  const body = kind === 'module' ? node : node.childForFieldName('body');
  if (body) collect(body, scope, where);
  return scope;
}

function addParameters(scope: Scope, params: SyntaxNode | null): void {
  if (!params) return;
  for (const p of params.namedChildren) {
    let nameNode: SyntaxNode | null = null;
    let annotation: SyntaxNode | undefined;
    let value: SyntaxNode | undefined;
    switch (p.type) {
      case 'identifier':
        nameNode = p;
        break;
      case 'typed_parameter':
        nameNode = p.namedChildren.find((c) => c.type === 'identifier') ?? null;
        annotation = p.childForFieldName('type') ?? undefined;
        break;
      case 'default_parameter':
        nameNode = p.childForFieldName('name');
        value = p.childForFieldName('value') ?? undefined;
        break;
      case 'typed_default_parameter':
        nameNode = p.childForFieldName('name');
        annotation = p.childForFieldName('type') ?? undefined;
        value = p.childForFieldName('value') ?? undefined;
        break;
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        nameNode = p.namedChildren.find((c) => c.type === 'identifier') ?? null;
        break;
    }
    if (nameNode && nameNode.type === 'identifier') {
      scope.add({ name: nameNode.text, kind: 'param', node: nameNode, annotation, value, start: nameNode.startIndex });
    }
  }
}

function collect(node: SyntaxNode, scope: Scope, where: ModuleLocation): void {
  collectRow(node.tree, node.pre, scope, where);
}

/** The node types visit() does more for than descend into their named children. */
const BINDING_TYPES = new Set([
  'function_definition', 'class_definition', 'lambda', 'import_statement', 'import_from_statement', 'global_statement',
  'nonlocal_statement', 'assignment', 'augmented_assignment', 'named_expression', 'for_statement', 'for_in_clause',
  'with_item', 'except_clause',
]);

// Most of a scope body is expressions that bind nothing: they are walked over the tree's rows,
// and only the nodes that can bind a name become node objects. The walk is a scan of the
// subtree's rows in pre-order (source order), stepping over a subtree where it need not look:
// no stack and no recursion, whatever the nesting (generated data nests thousands deep).
function collectRow(tree: SyntaxNode['tree'], row: number, scope: Scope, where: ModuleLocation): void {
  const end = tree.subtreeEndRow(row);
  for (let c = row + 1; c < end; ) {
    // Only named nodes are looked into, as namedChildren would.
    if (!tree.isNamedAt(c)) c = tree.subtreeEndRow(c);
    else if (BINDING_TYPES.has(tree.typeAt(c))) {
      visit(tree.node(c), scope, where);
      c = tree.subtreeEndRow(c);
    } else c++;
  }
}

function visit(n: SyntaxNode, scope: Scope, where: ModuleLocation): void {
  switch (n.type) {
    case 'function_definition':
    case 'class_definition': {
      const name = n.childForFieldName('name');
      if (name) scope.add({ name: name.text, kind: n.type === 'class_definition' ? 'class' : 'def', node: name, value: n, start: n.startIndex });
      // Decorators, defaults, annotations and base classes are evaluated here; bodies are not.
      for (const c of n.namedChildren) {
        if (c.type === 'parameters') {
          for (const p of c.namedChildren) {
            const v = p.childForFieldName('value');
            if (v) visit(v, scope, where);
          }
        } else if (c.type === 'argument_list') collect(c, scope, where);
      }
      return;
    }
    case 'lambda':
      return;
    case 'import_statement':
      addImport(n, scope);
      return;
    case 'import_from_statement':
      addFromImport(n, scope, where);
      return;
    case 'global_statement':
      for (const id of n.namedChildren) if (id.type === 'identifier') scope.globals.add(id.text);
      return;
    case 'nonlocal_statement':
      for (const id of n.namedChildren) if (id.type === 'identifier') scope.nonlocals.add(id.text);
      return;
    case 'assignment': {
      // `a = b = value` nests assignments in `right`; every target gets the innermost value.
      let value = n.childForFieldName('right');
      const targets = [n.childForFieldName('left')];
      while (value && value.type === 'assignment') {
        targets.push(value.childForFieldName('left'));
        value = value.childForFieldName('right');
      }
      const annotation = n.childForFieldName('type') ?? undefined;
      for (const t of targets) if (t) bindTarget(t, scope, 'assign', value ?? undefined, annotation, false);
      if (value) visit(value, scope, where);
      return;
    }
    case 'augmented_assignment': {
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier') scope.add({ name: left.text, kind: 'augassign', node: left, start: left.startIndex });
      const right = n.childForFieldName('right');
      if (right) visit(right, scope, where);
      return;
    }
    case 'named_expression': {
      const name = n.childForFieldName('name');
      const value = n.childForFieldName('value') ?? undefined;
      if (name) scope.add({ name: name.text, kind: 'assign', node: name, value, start: name.startIndex });
      if (value) visit(value, scope, where);
      return;
    }
    case 'for_statement':
    case 'for_in_clause': {
      const left = n.childForFieldName('left');
      if (left) {
        const container = n.type === 'for_in_clause' ? n.parent ?? undefined : undefined;
        bindTarget(left, scope, 'for', n.childForFieldName('right') ?? undefined, undefined, true, container);
      }
      collect(n, scope, where);
      return;
    }
    case 'with_item': {
      const value = n.childForFieldName('value');
      if (value?.type === 'as_pattern') {
        const expr = value.namedChild(0);
        const target = value.childForFieldName('alias')?.namedChild(0) ?? null;
        const stmt = n.parent?.parent;
        const asyncWith = stmt?.type === 'with_statement' && stmt.child(0)?.type === 'async';
        if (target && expr) {
          if (target.type === 'identifier') {
            scope.add({ name: target.text, kind: 'with', node: target, value: expr, asyncWith, start: target.startIndex });
          } else bindTarget(target, scope, 'with', undefined, undefined, true);
        }
      }
      collect(n, scope, where);
      return;
    }
    case 'except_clause': {
      // `except E as e`: tree-sitter wraps it in an as_pattern.
      for (const c of n.namedChildren) {
        if (c.type === 'as_pattern') {
          const target = c.childForFieldName('alias')?.namedChild(0);
          if (target?.type === 'identifier') scope.add({ name: target.text, kind: 'except', node: target, start: target.startIndex });
        }
      }
      collect(n, scope, where);
      return;
    }
    default:
      if (FUNCTION_TYPES.has(n.type)) return;
      if (COMPREHENSION_TYPES.has(n.type) || n.namedChildCount > 0) collect(n, scope, where);
  }
}

function bindTarget(
  t: SyntaxNode,
  scope: Scope,
  kind: BindingKind,
  value: SyntaxNode | undefined,
  annotation: SyntaxNode | undefined,
  destructured: boolean,
  container?: SyntaxNode,
): void {
  switch (t.type) {
    case 'identifier':
      scope.add({ name: t.text, kind, node: t, value, annotation, destructured, container, start: t.startIndex });
      return;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
      for (const c of t.namedChildren) bindTarget(c, scope, kind, value, undefined, true, container);
      return;
    case 'list_splat_pattern':
    case 'list_splat':
      for (const c of t.namedChildren) bindTarget(c, scope, kind, value, undefined, true, container);
      return;
    default:
      // attribute and subscript targets bind no name.
      return;
  }
}

function addImport(n: SyntaxNode, scope: Scope): void {
  for (const c of n.namedChildren) {
    if (c.type === 'dotted_name') {
      // `import a.b.c` binds `a`, which refers to the package `a`.
      const first = c.namedChild(0)!;
      scope.add({ name: first.text, kind: 'import', node: first, imported: first.text, start: c.startIndex });
    } else if (c.type === 'aliased_import') {
      const name = c.childForFieldName('name');
      const alias = c.childForFieldName('alias');
      if (name && alias) scope.add({ name: alias.text, kind: 'import', node: alias, imported: dotted(name), start: c.startIndex });
    }
  }
}

function addFromImport(n: SyntaxNode, scope: Scope, where: ModuleLocation): void {
  const moduleNode = n.childForFieldName('module_name');
  if (!moduleNode) return;
  const base = moduleNode.type === 'relative_import' ? resolveRelative(moduleNode, where) : dotted(moduleNode);
  for (const c of n.namedChildren) {
    if (c.id === moduleNode.id) continue;
    if (c.type === 'dotted_name') {
      scope.add({ name: c.text, kind: 'import', node: c, imported: join(base, dotted(c)), start: c.startIndex });
    } else if (c.type === 'aliased_import') {
      const name = c.childForFieldName('name');
      const alias = c.childForFieldName('alias');
      if (name && alias) scope.add({ name: alias.text, kind: 'import', node: alias, imported: join(base, dotted(name)), start: c.startIndex });
    }
  }
}

function join(base: string, name: string): string {
  return base.endsWith('.') || base === '' ? base + name : `${base}.${name}`;
}

function dotted(n: SyntaxNode): string {
  return n.text.replace(/\s+/g, '');
}

/**
 * `from ..a import b` inside `pkg.sub.mod` → `pkg.a`. Without a known module name, or when the
 * dots climb above the top package, the dots are kept so the name stays recognisably relative.
 */
export function resolveRelative(rel: SyntaxNode, where: ModuleLocation): string {
  const prefix = rel.namedChildren.find((c) => c.type === 'import_prefix')?.text ?? '.';
  const rest = rel.namedChildren.find((c) => c.type === 'dotted_name');
  const level = prefix.length;
  const restName = rest ? dotted(rest) : '';
  if (where.moduleName) {
    const parts = where.moduleName.split('.');
    const packageParts = where.isPackage ? parts : parts.slice(0, -1);
    const up = level - 1;
    if (up <= packageParts.length - (packageParts.length > 0 ? 0 : 1) && packageParts.length - up > 0) {
      const pkg = packageParts.slice(0, packageParts.length - up).join('.');
      return restName ? `${pkg}.${restName}` : pkg;
    }
  }
  return prefix + restName;
}
