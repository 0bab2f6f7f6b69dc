// Codemods for connection reuse (CL2xx):
//   for u in urls: requests.get(u)            → with requests.Session() as session:
//                                                    for u in urls: session.get(u)
//   for u in urls: with Ctor() as s: body     → with Ctor() as s:
//                                                    for u in urls: body
//   for u in urls: s = Ctor(); ...; s.close() → with Ctor() as s:
//                                                    for u in urls: ...
// All unsafe: one session now carries cookies, auth and connection state from one request to the next.
import type { Edit, Fix } from '../../../src/types.js';
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import { enclosingFunction, enclosingLoop, enclosingStatement } from '../../../src/lang/python/context.js';
import { ensureImport } from '../../../src/fix/python/imports.js';
import { endsLine, indentAt, indentUnit, lineStart, nextLineStart, startsLine } from '../../../src/fix/python/layout.js';
import { movableStatements, wrapInWith } from '../../../src/fix/python/wrap.js';

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream']);
const HOLDER: Record<string, { ctor: string; names: string[] }> = {
  requests: { ctor: 'Session', names: ['session', 'http_session', 'requests_session'] },
  httpx: { ctor: 'Client', names: ['client', 'http_client', 'httpx_client'] },
};

/** The outermost loop around `node` in its function, as the statement that holds it. */
export function outermostLoopStatement(node: SyntaxNode): SyntaxNode | null {
  let loop = enclosingLoop(node);
  if (!loop) return null;
  for (let outer = enclosingLoop(loop); outer; outer = enclosingLoop(loop)) loop = outer;
  return loop.type === 'for_statement' || loop.type === 'while_statement' ? loop : enclosingStatement(loop);
}

/** Every identifier text in the scope node (function body or module) — names a fix must not reuse. */
function namesIn(scopeNode: SyntaxNode): Set<string> {
  return new Set(scopeNode.descendantsOfType('identifier').map((n) => n.text));
}

/** A `<lib>.<verb>(...)` call made in `fnNode`'s own body (not a nested def or lambda). */
function moduleCall(model: SemanticModel, call: SyntaxNode, lib: string, fnNode: SyntaxNode | null): string | undefined {
  if (enclosingFunction(call)?.id !== fnNode?.id) return undefined;
  const name = model.resolveCall(call).name;
  if (!name) return undefined;
  const [l, verb, extra] = name.split('.');
  return l === lib && extra === undefined && VERBS.has(verb) ? verb : undefined;
}

/** True when a generator expression holding `node` may run after the statement (stored, returned). */
function lazyGenerator(node: SyntaxNode, stmt: SyntaxNode): boolean {
  for (let n = node.parent; n && n.id !== stmt.id; n = n.parent) {
    if (n.type !== 'generator_expression') continue;
    const p = n.parent;
    // `sum(f(x) for x in xs)` or `list((...))` consume it right away.
    if (p?.type === 'call' || p?.type === 'argument_list') continue;
    return true;
  }
  return false;
}

/**
 * CL201: the loop holding `call` (a module-level `requests.get()` / `httpx.get()` ...) is wrapped in
 * `with requests.Session() as session:` and every such call of the same library in it is made on
 * the session. The edits are the same for every call of the loop, so their fixes apply together.
 */
export function sessionAroundLoopFix(model: SemanticModel, call: SyntaxNode): Fix | null {
  const name = model.resolveCall(call).name;
  const lib = name?.split('.')[0];
  if (!lib || !HOLDER[lib]) return null;
  const stmt = outermostLoopStatement(call);
  if (!stmt || !movableStatements(model.source, [stmt])) return null;
  if (stmt.descendantsOfType('yield').some((y) => enclosingFunction(y)?.id === enclosingFunction(stmt)?.id)) return null;
  const fn = enclosingFunction(stmt);
  const scopeNode = fn ?? model.root;
  const taken = namesIn(scopeNode);
  const holder = HOLDER[lib];
  const target = holder.names.find((n) => !taken.has(n) && !model.lookup(n, stmt));
  if (!target) return null;
  const imported = ensureImport(model, stmt, { module: lib });
  if (!imported) return null;

  const rewrites: Edit[] = [];
  for (const c of stmt.descendantsOfType('call')) {
    const verb = moduleCall(model, c, lib, fn);
    if (!verb) continue;
    if (lazyGenerator(c, stmt)) return null;
    const callee = c.childForFieldName('function')!;
    rewrites.push({ start: callee.startIndex, end: callee.endIndex, text: `${target}.${verb}` });
  }
  if (!rewrites.some((e) => e.start === call.childForFieldName('function')!.startIndex)) return null;
  const wrap = wrapInWith(model.source, [stmt], { expression: `${imported.ref}.${holder.ctor}()`, target });
  if (!wrap) return null;
  const edits = [...wrap, ...rewrites];
  if (imported.edit) edits.push(imported.edit);
  return {
    applicability: 'unsafe',
    message: `Make the calls on one \`${imported.ref}.${holder.ctor}()\` opened around the loop`,
    edits,
  };
}

/** Identifiers read in `node` that are bound inside `loop` (the loop target, names assigned in it). */
function dependsOnLoop(model: SemanticModel, node: SyntaxNode, loop: SyntaxNode): boolean {
  const ids = node.type === 'identifier' ? [node] : node.descendantsOfType('identifier');
  for (const id of ids) {
    const p = id.parent;
    if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) continue;
    if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) continue;
    const b = model.lookup(id.text, id);
    if (b && b.node.startIndex >= loop.startIndex && b.node.endIndex <= loop.endIndex) return true;
  }
  return false;
}

/** `name.close()` / `.aclose()` / `__exit__` somewhere in `loop`, outside `except`. */
function closedIn(loop: SyntaxNode, name: string, except: SyntaxNode[] = []): boolean {
  for (const id of loop.descendantsOfType('identifier')) {
    if (id.text !== name || except.some((u) => id.startIndex >= u.startIndex && id.endIndex <= u.endIndex)) continue;
    const attr = id.parent?.type === 'attribute' && id.parent.childForFieldName('object')?.id === id.id ? id.parent.childForFieldName('attribute')?.text : undefined;
    if (attr && ['close', 'aclose', '__exit__', '__aexit__'].includes(attr)) return true;
  }
  return false;
}

/** Every read of `name` in `loop` is `name.attr` (a method call or attribute on the client). */
function usedOnlyAsReceiver(loop: SyntaxNode, name: string, except: SyntaxNode[]): boolean {
  for (const id of loop.descendantsOfType('identifier')) {
    if (id.text !== name || except.some((e) => id.startIndex >= e.startIndex && id.endIndex <= e.endIndex)) continue;
    const p = id.parent;
    if (p?.type === 'attribute' && p.childForFieldName('object')?.id === id.id) continue;
    if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) continue;
    if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) continue;
    return false;
  }
  return true;
}

/**
 * CL202: a client built once per loop turn moves above the loop. `call` is the constructor. Two
 * shapes are rewritten: `with Ctor(...) as s:` directly in the loop body (its body takes its
 * place), and `s = Ctor(...)` directly in the loop body (the line goes, and a bare `s.close()` in
 * the loop body goes with it). The constructor's arguments must not depend on the loop.
 */
export function hoistClientFix(model: SemanticModel, call: SyntaxNode, loop: SyntaxNode): Fix | null {
  const text = model.source;
  if (loop.type !== 'for_statement' && loop.type !== 'while_statement') return null;
  const body = loop.childForFieldName('body');
  if (!body || !movableStatements(text, [loop])) return null;
  if (dependsOnLoop(model, call, loop)) return null;
  const unit = indentUnit(text, loop);
  const fnNode = enclosingFunction(loop);

  // Shape 1: `with Ctor(...) as s:` as a statement of the loop body.
  let n: SyntaxNode = call;
  while (n.parent && n.parent.type === 'parenthesized_expression') n = n.parent;
  const asPattern = n.parent?.type === 'as_pattern' ? n.parent : null;
  const item = asPattern ? asPattern.parent : n.parent;
  if (item?.type === 'with_item') {
    const clause = item.parent;
    const withStmt = clause?.parent;
    if (!clause || withStmt?.type !== 'with_statement' || withStmt.parent?.id !== body.id) return null;
    if (clause.namedChildren.filter((c) => c.type === 'with_item').length !== 1) return null;
    const isAsync = withStmt.child(0)?.type === 'async';
    const target = asPattern?.childForFieldName('alias')?.namedChild(0) ?? null;
    if (asPattern && target?.type !== 'identifier') return null;
    if (target) {
      // The name is bound by this `with` only, and nothing in the loop closes the shared client.
      const scope = model.scopeFor(fnNode ?? model.root);
      const bound = (scope.bindings.get(target.text) ?? []).filter((b) => b.start >= loop.startIndex && b.start < loop.endIndex);
      if (bound.length !== 1) return null;
      if (closedIn(loop, target.text)) return null;
    }
    const withBody = withStmt.childForFieldName('body');
    if (!withBody || !startsLine(text, withStmt)) return null;
    const firstInner = withBody.namedChildren[0];
    if (!firstInner || !startsLine(text, firstInner)) return null;
    // The body's lines keep their place: the loop's `+unit` and the with's `-unit` cancel out.
    const withIndent = indentAt(text, withStmt.startIndex);
    if (indentAt(text, firstInner.startIndex) !== withIndent + unit) return null;
    const headerEnd = lineStart(text, firstInner.startIndex);
    const edits: Edit[] = [];
    const from = lineStart(text, loop.startIndex);
    const skipFrom = lineStart(text, withStmt.startIndex);
    const skipTo = withStmt.endIndex;
    const outer = wrapInWith(text, [loop], {
      expression: `${call.text}`,
      target: target?.text,
      async: isAsync,
    });
    if (!outer) return null;
    for (const e of outer) {
      // Drop the loop's indentation edits on the lines of the inner `with` (header deleted, body stays).
      if (e.start !== from && e.start >= skipFrom && e.start < skipTo) continue;
      edits.push(e);
    }
    edits.push({ start: skipFrom, end: headerEnd, text: '' });
    return { applicability: 'unsafe', message: `Create the client once, in a \`with\` around the loop`, edits };
  }

  // Shape 2: `s = Ctor(...)` as a statement of the loop body.
  const assignment = n.parent;
  const stmt = assignment?.parent;
  if (assignment?.type !== 'assignment' || stmt?.type !== 'expression_statement' || stmt.parent?.id !== body.id) return null;
  const left = assignment.childForFieldName('left');
  if (left?.type !== 'identifier' || assignment.childForFieldName('right')?.id !== n.id) return null;
  if (!startsLine(text, stmt) || !endsLine(text, stmt)) return null;
  const name = left.text;
  // Only this assignment binds the name in the loop.
  const scope = model.scopeFor(fnNode ?? model.root);
  const bindings = (scope.bindings.get(name) ?? []).filter((b) => b.start >= loop.startIndex && b.start < loop.endIndex);
  if (bindings.length !== 1) return null;
  const closes: SyntaxNode[] = [];
  const uses: SyntaxNode[] = [left];
  for (const s of body.namedChildren) {
    if (s.type !== 'expression_statement' || s.namedChildCount !== 1) continue;
    let e = s.namedChild(0)!;
    if (e.type === 'await') e = e.namedChild(0)!;
    const fn = e.type === 'call' ? e.childForFieldName('function') : null;
    if (fn?.type === 'attribute' && fn.childForFieldName('object')?.text === name && ['close', 'aclose'].includes(fn.childForFieldName('attribute')!.text)) {
      if (!startsLine(text, s) || !endsLine(text, s)) return null;
      closes.push(s);
      uses.push(s);
    }
  }
  if (!usedOnlyAsReceiver(loop, name, uses)) return null;
  // Any other close (in a finally inside the loop, say) would close the shared client after one turn.
  if (closedIn(loop, name, uses)) return null;
  const isAsyncClient = ['httpx.AsyncClient', 'aiohttp.ClientSession', 'aiohttp.TCPConnector'].includes(model.resolveCall(call).name ?? '');
  if (isAsyncClient && fnNode?.child(0)?.type !== 'async') return null;
  const outer = wrapInWith(text, [loop], { expression: n.text, target: name, async: isAsyncClient });
  if (!outer) return null;
  const removed = [stmt, ...closes];
  const edits = outer.filter((e) => !removed.some((r) => e.start >= lineStart(text, r.startIndex) && e.start < r.endIndex));
  for (const r of removed) edits.push({ start: lineStart(text, r.startIndex), end: nextLineStart(text, r.endIndex), text: '' });
  // A loop body left empty needs a `pass`.
  const remaining = body.namedChildren.filter((c) => c.type !== 'comment' && !removed.some((r) => r.id === c.id));
  if (remaining.length === 0) return null;
  return { applicability: 'unsafe', message: 'Create the client once, in a `with` around the loop', edits };
}
