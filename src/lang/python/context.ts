// Where a node sits: its function, whether that function is async, the loop or `with` around
// it, and whether it runs under a `finally`. Pure questions about the tree.
import type { SyntaxNode } from './tree.js';

export const FUNCTION_TYPES = new Set(['function_definition', 'lambda']);
export const SCOPE_TYPES = new Set(['module', 'function_definition', 'lambda', 'class_definition']);
export const COMPREHENSION_TYPES = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
export const LOOP_TYPES = new Set(['for_statement', 'while_statement']);

/** The function or lambda whose body holds `node`; null at module or class-body level. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type)) {
      // Decorators and default values are evaluated in the outer scope.
      if (isInsideFunctionBody(node, n)) return n;
      continue;
    }
    if (n.type === 'class_definition' && isInside(node, n.childForFieldName('body'))) return null;
  }
  return null;
}

/** The nearest scope node (module, function, lambda or class body) that holds `node`. */
export function enclosingScopeNode(node: SyntaxNode): SyntaxNode {
  for (let n = node.parent; n; n = n.parent) if (holdsInScope(n, node)) return n;
  return rootOf(node);
}

/**
 * True when `ancestor` is the scope of `node`: the module, or a function, lambda or class whose
 * body holds it (its parameters, decorators and bases belong to the scope outside).
 */
export function holdsInScope(ancestor: SyntaxNode, node: SyntaxNode): boolean {
  if (ancestor.type === 'module') return true;
  return (FUNCTION_TYPES.has(ancestor.type) || ancestor.type === 'class_definition') && isInside(node, ancestor.childForFieldName('body'));
}

function rootOf(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent) n = n.parent;
  return n;
}

function isInsideFunctionBody(node: SyntaxNode, fn: SyntaxNode): boolean {
  return isInside(node, fn.childForFieldName('body'));
}

export function isInside(node: SyntaxNode, container: SyntaxNode | null): boolean {
  if (!container) return false;
  return node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

export function isAsyncFunction(fn: SyntaxNode | null): boolean {
  if (!fn || fn.type !== 'function_definition') return false;
  return fn.child(0)?.type === 'async';
}

/** True when `node` runs on the event loop of an `async def` (a nested def/lambda/class resets it). */
export function isInAsyncContext(node: SyntaxNode): boolean {
  return isAsyncFunction(enclosingFunction(node));
}

/**
 * The loop or comprehension that runs `node` once per iteration, looking no further out than
 * its function. The iterable of a `for` and the first iterable of a comprehension run once and
 * are not inside the loop.
 */
export function enclosingLoop(node: SyntaxNode): SyntaxNode | null {
  let child = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition' || n.type === 'module') return null;
    if (n.type === 'for_statement') {
      if (isInside(child, n.childForFieldName('body'))) return n;
    } else if (n.type === 'while_statement') {
      if (isInside(child, n.childForFieldName('body')) || isInside(child, n.childForFieldName('condition'))) return n;
    } else if (COMPREHENSION_TYPES.has(n.type)) {
      if (!isFirstIterable(node, n)) return n;
    }
  }
  return null;
}

/** True when `node` is (inside) the iterable of the comprehension's first `for`, which runs once. */
function isFirstIterable(node: SyntaxNode, comprehension: SyntaxNode): boolean {
  for (const c of comprehension.namedChildren) {
    if (c.type === 'for_in_clause') {
      return isInside(node, c.childForFieldName('right'));
    }
  }
  return false;
}

/** The `with` statement whose header (`with X as y`) holds `node`, with its async flag. */
export function withStatementOfItem(node: SyntaxNode): { statement: SyntaxNode; isAsync: boolean } | null {
  let child = node;
  let n: SyntaxNode | null = node.parent;
  while (n && (n.type === 'as_pattern' || n.type === 'parenthesized_expression' || n.type === 'await')) {
    // In `with X as y` only X is the item's value; the `as` target is not.
    if (n.type === 'as_pattern' && n.namedChild(0)?.id !== child.id) return null;
    child = n;
    n = n.parent;
  }
  if (!n || n.type !== 'with_item') return null;
  const clause = n.parent;
  const statement = clause?.parent;
  if (!statement || statement.type !== 'with_statement') return null;
  return { statement, isAsync: statement.child(0)?.type === 'async' };
}

/** Each `with` statement whose body holds `node`, innermost first, within its function. */
export function enclosingWithStatements(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let n = node.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') break;
    if (n.type === 'with_statement' && isInside(node, n.childForFieldName('body'))) out.push(n);
  }
  return out;
}

/** The `try` statement with a `finally` whose body (try block, excepts or else) holds `node`. */
export function enclosingTryFinally(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') return null;
    if (n.type === 'try_statement') {
      const fin = n.namedChildren.find((c) => c.type === 'finally_clause');
      if (fin && !isInside(node, fin)) return n;
    }
  }
  return null;
}

/** True when `node` is inside the `finally:` block of some try statement in its function. */
export function isInFinally(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') return false;
    if (n.type === 'finally_clause') return true;
  }
  return false;
}

/** Strips parentheses and `await` to the expression that does the work. */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
    else if (n.type === 'await' && n.namedChildCount === 1) n = n.namedChild(0)!;
    else return n;
  }
}

/** The decorators of a function or class definition (empty when it has none). */
export function decoratorsOf(def: SyntaxNode): SyntaxNode[] {
  const parent = def.parent;
  if (!parent || parent.type !== 'decorated_definition') return [];
  return parent.namedChildren.filter((c) => c.type === 'decorator').map((d) => d.namedChild(0)!).filter(Boolean);
}

/** The statement (a direct child of a block or module) that holds `node`. */
export function enclosingStatement(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n;
}
