// Codemods for resources that are not released on every path (CL4xx), on top of the lifetime
// analysis (src/lang/python/lifetime.ts):
//   x = Factory(...) ; uses ; [x.close()]   → with Factory(...) as x: uses     (async with for async resources)
//   x = Factory(...) ; uses ; x.close()     → x = Factory(...) ; try: uses ; finally: x.close()
// Both are unsafe: the resource is now released at the end of the block — earlier than before when
// it was never closed (a streamed response read later, an executor whose `with` waits for its tasks).
import type { Edit, Fix } from '../../../src/types.js';
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import type { Lifetime } from '../../../src/lang/python/lifetime.js';
import { endsLine, lineEnd as lineEndOf, lineStart, nextLineStart, startsLine } from '../../../src/fix/python/layout.js';
import { assignmentToWith, wrapInTryFinally } from '../../../src/fix/python/wrap.js';
import { ensureImport } from '../../../src/fix/python/imports.js';

function unwrapParens(n: SyntaxNode): SyntaxNode {
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
  return n;
}

/** `name = <expr>` as a statement of its own: the assignment, or undefined. */
function simpleAssignment(statement: SyntaxNode, name: string, expr: SyntaxNode): SyntaxNode | undefined {
  if (statement.type !== 'expression_statement' || statement.namedChildCount !== 1) return undefined;
  const a = statement.namedChild(0)!;
  if (a.type !== 'assignment') return undefined;
  const left = a.childForFieldName('left');
  const right = a.childForFieldName('right');
  if (left?.type !== 'identifier' || left.text !== name || !right) return undefined;
  return unwrapParens(right).id === expr.id || right.id === expr.id ? a : undefined;
}

/** The direct child of `block` holding `node`. */
function statementIn(node: SyntaxNode, block: SyntaxNode): SyntaxNode | undefined {
  let n: SyntaxNode | null = node;
  while (n && n.parent && n.parent.id !== block.id) n = n.parent;
  return n && n.parent?.id === block.id ? n : undefined;
}

/** The statement is just the release call (`x.close()`, `await x.aclose()`), on lines of its own. */
function isBareRelease(statement: SyntaxNode, release: SyntaxNode, text: string): boolean {
  if (statement.type !== 'expression_statement' || statement.namedChildCount !== 1) return false;
  let e = unwrapParens(statement.namedChild(0)!);
  if (e.type === 'await') e = unwrapParens(e.namedChild(0)!);
  return e.id === release.id && startsLine(text, statement) && endsLine(text, statement);
}

function deleteLines(text: string, statement: SyntaxNode): Edit {
  return { start: lineStart(text, statement.startIndex), end: nextLineStart(text, statement.endIndex), text: '' };
}

/** The release call node of a use (`x.close()` is the use's `at`). */
function releaseCall(at: SyntaxNode): SyntaxNode {
  let n = at;
  while (n.type !== 'call' && n.parent) n = n.parent;
  return n;
}

/** True when `name` is bound again (assigned, a loop target, ...) between two offsets in the block. */
function reboundBetween(model: SemanticModel, lt: Lifetime, name: string, from: number, to: number): boolean {
  const scope = model.scopeFor(lt.function!);
  return (scope.bindings.get(name) ?? []).some((b) => b.start > from && b.start < to);
}

/**
 * `x = Factory(...)` followed by its uses in the same block → `with Factory(...) as x:` around
 * those uses; a trailing `x.close()` statement is dropped (the `with` closes it). Only for a
 * resource bound to a local name that does not escape, whose uses are straight-line statements
 * of that block, and whose `with` releases it.
 */
export function withFix(model: SemanticModel, lt: Lifetime): Fix | null {
  const text = model.source;
  if (!lt.function || !lt.name || lt.inline || !lt.straightLine || !lt.block || lt.block.type !== 'block') return null;
  if (lt.fate !== 'never-closed' && lt.fate !== 'closed-not-in-finally') return null;
  if (lt.spec.asyncWith && !lt.isAsync) return null;
  if (!lt.spec.withCloses && lt.spec.asyncWith) return null;
  if (!simpleAssignment(lt.statement, lt.name, lt.expr)) return null;
  let expression: string;
  if (lt.expr.type === 'await' || unwrapParens(lt.expr).type === 'await') {
    // `await pool.acquire()` → `async with pool.acquire()`; other awaited creators are not context managers as such.
    if (lt.spec.family !== 'pooled-connection') return null;
    expression = lt.call.text;
  } else expression = lt.expr.text;
  // sqlite3 / psycopg2 connections: their own `with` only ends a transaction; closing() closes.
  let closingImport: Edit | undefined;
  if (!lt.spec.withCloses) {
    const closing = ensureImport(model, lt.statement, { module: 'contextlib', name: 'closing' });
    if (!closing) return null;
    expression = `${closing.ref}(${expression})`;
    closingImport = closing.edit;
  }

  const block = lt.block;
  const removed: SyntaxNode[] = [];
  for (const r of lt.releases) {
    if (r.kind !== 'release') return null;
    const stmt = statementIn(r.at, block);
    if (!stmt) continue; // a conditional close deeper down stays: closing twice is harmless
    if (!isBareRelease(stmt, releaseCall(r.at), text)) return null;
    removed.push(stmt);
  }
  const statements = block.namedChildren.filter((c) => c.type !== 'comment');
  const last = lt.lastUseStatement;
  const uses = statements.filter((s) => s.startIndex > lt.statement.startIndex && (!last || s.startIndex <= last.startIndex));
  const lastUse = uses.filter((s) => !removed.some((r) => r.id === s.id)).pop();
  if (lastUse && removed.some((r) => r.startIndex < lastUse.endIndex)) return null; // used again after the close
  // The block runs to the end of the creation's block, not just to the last use: objects made
  // from the resource (a future from an executor, a response from a session) are used after the
  // resource itself, and `with` must not close it (or wait for an executor's tasks) before they are.
  const body = statements.filter((s) => s.startIndex > lt.statement.startIndex);
  const blockEnd = body.length ? body[body.length - 1].endIndex : lt.statement.endIndex;
  if (reboundBetween(model, lt, lt.name, lt.statement.endIndex, blockEnd)) return null;
  if (removed.length && removed.length === body.length) return null; // nothing but the close would be left

  const wrap = assignmentToWith(text, lt.statement, body, { expression, target: lt.name, async: lt.spec.asyncWith });
  if (!wrap) return null;
  const deletions = removed.map((r) => deleteLines(text, r));
  const edits = wrap.filter((e) => !deletions.some((d) => e.start >= d.start && e.start < d.end));
  edits.push(...deletions);
  if (closingImport) edits.push(closingImport);
  const kw = lt.spec.asyncWith ? 'async with' : 'with';
  return { applicability: 'unsafe', message: `Use \`${kw} ${short(expression)} as ${lt.name}:\` around its uses`, edits };
}

/**
 * `x = Factory(...)`, statements, `x.close()` → the statements in `try:` and the release in
 * `finally:`, so an exception between them no longer leaks `x`.
 */
export function tryFinallyFix(model: SemanticModel, lt: Lifetime): Fix | null {
  const text = model.source;
  if (!lt.function || !lt.name || lt.fate !== 'closed-not-in-finally' || !lt.block || lt.block.type !== 'block') return null;
  // A later `name = ...` starts another resource: its releases are not this one's.
  const scope = model.scopeFor(lt.function);
  const rebinds = (scope.bindings.get(lt.name) ?? []).map((b) => b.start).filter((p) => p > lt.statement.endIndex);
  const until = rebinds.length ? Math.min(...rebinds) : Infinity;
  const releases = lt.releases.filter((r) => r.at.startIndex < until);
  if (releases.length !== 1 || releases[0].onErrorPath) return null;
  const release = releases[0];
  const stmt = statementIn(release.at, lt.block);
  if (!stmt || stmt.startIndex <= lt.statement.endIndex) return null;
  if (!isBareRelease(stmt, releaseCall(release.at), text) || stmt.startPosition.row !== stmt.endPosition.row) return null;
  const between = lt.block.namedChildren.filter(
    (c) => c.type !== 'comment' && c.startIndex > lt.statement.startIndex && c.startIndex < stmt.startIndex,
  );
  if (between.length === 0) return null;
  if (!startsLine(text, lt.statement) || !endsLine(text, lt.statement)) return null;
  // Comment lines right above the release explain it: they move into `finally:` with it.
  const comments = leadingComments(text, stmt).filter((c) => c.startIndex > between[between.length - 1].endIndex);
  const edits = wrapInTryFinally(text, between, [...comments.map((c) => c.text), stmt.text]);
  if (!edits) return null;
  const moved = [...comments, stmt];
  for (const m of moved) edits.push(deleteLines(text, m));
  // Blank lines that separated the moved lines from the code above go too, when one follows them.
  const firstDeleted = edits[edits.length - moved.length];
  const afterEnd = nextLineStart(text, stmt.endIndex);
  if (afterEnd >= text.length || /^[ \t\f]*\r?$/.test(text.slice(afterEnd, lineEndOf(text, afterEnd)))) {
    let start = firstDeleted.start;
    const floor = nextLineStart(text, between[between.length - 1].endIndex);
    while (start > floor) {
      const prev = lineStart(text, start - 1);
      if (!/^[ \t\f]*\r?\n?$/.test(text.slice(prev, start))) break;
      start = prev;
    }
    firstDeleted.start = start;
  }
  return { applicability: 'unsafe', message: `Move \`${short(stmt.text)}\` into a \`finally:\` block`, edits };
}

/** Comments on the lines directly above `stmt` (no blank line between), each on a line of its own. */
function leadingComments(text: string, stmt: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  let row = stmt.startPosition.row;
  for (let p = stmt.previousNamedSibling; p && p.type === 'comment'; p = p.previousNamedSibling) {
    if (p.endPosition.row !== row - 1 || !startsLine(text, p)) break;
    out.unshift(p);
    row = p.startPosition.row;
  }
  return out;
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length <= 50 ? one : `${one.slice(0, 47)}...`;
}
