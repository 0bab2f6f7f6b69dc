// Codemod for retry policies that resend non-idempotent requests (CL701): the offending method
// names are dropped from the `allowed_methods` literal written in the call, keeping its layout:
//   allowed_methods=["GET", "POST"]                        → allowed_methods=["GET"]
//   allowed_methods=Retry.DEFAULT_ALLOWED_METHODS | {"POST"} → allowed_methods=Retry.DEFAULT_ALLOWED_METHODS
//   allowed_methods=DEFAULTS.union(["POST"])                → allowed_methods=DEFAULTS
// A name defined elsewhere (a module constant, a parameter default) is left alone: other code may
// share it. Unsafe: a POST that failed on a dropped connection now raises instead of being resent.
import type { Edit, Fix } from '../../../src/types.js';
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import { removeElements } from '../../../src/fix/python/collections.js';
import { editsConflict } from '../../../src/fix/apply.js';

const COLLECTIONS = new Set(['list', 'tuple', 'set']);

function within(n: SyntaxNode, outer: SyntaxNode): boolean {
  return n.startIndex >= outer.startIndex && n.endIndex <= outer.endIndex;
}

/** `X | {"POST"}` or `X.union(["POST"])` with the collection all bad: the expression to keep instead. */
function replacementFor(collection: SyntaxNode): { node: SyntaxNode; keep: SyntaxNode } | undefined {
  const p = collection.parent;
  if (p?.type === 'binary_operator' && ['|', '+'].includes(p.childForFieldName('operator')?.type ?? '')) {
    const left = p.childForFieldName('left');
    const right = p.childForFieldName('right');
    const other = left?.id === collection.id ? right : left;
    return other ? { node: p, keep: other } : undefined;
  }
  if (p?.type === 'argument_list' && p.namedChildren.filter((c) => c.type !== 'comment').length === 1) {
    const call = p.parent;
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'union') {
      return { node: call!, keep: fn.childForFieldName('object')! };
    }
  }
  return undefined;
}

/**
 * Removes the string literals `bad` (as written inside `arg`, the allowed_methods value) from their
 * collections. Null when one of them is not in a literal collection inside `arg`, or when the
 * result would be an empty set of methods.
 */
export function dropMethodsFix(arg: SyntaxNode, bad: readonly SyntaxNode[], names: readonly string[]): Fix | null {
  if (bad.length === 0 || bad.some((b) => !within(b, arg))) return null;
  const groups = new Map<number, { collection: SyntaxNode; members: SyntaxNode[] }>();
  for (const b of bad) {
    const c = b.parent;
    if (!c || !COLLECTIONS.has(c.type)) return null;
    const g = groups.get(c.id) ?? { collection: c, members: [] };
    g.members.push(b);
    groups.set(c.id, g);
  }
  const edits: Edit[] = [];
  for (const { collection, members } of groups.values()) {
    const removed = (e: SyntaxNode) => members.some((m) => m.id === e.id);
    const partial = removeElements(collection, removed);
    if (partial) {
      edits.push(...partial);
      continue;
    }
    const everything = collection.namedChildren.filter((c) => c.type !== 'comment').every(removed);
    const swap = everything ? replacementFor(collection) : undefined;
    if (!swap) return null;
    // Keep whatever the operand's own parentheses were; the expression stays an operand.
    edits.push({ start: swap.node.startIndex, end: swap.node.endIndex, text: swap.keep.text });
  }
  // Nested collections (`{"POST"} | ["GET", "PATCH"]`) could give overlapping edits: no fix then.
  if (edits.some((a, i) => edits.some((b, j) => i < j && editsConflict(a, b)))) return null;
  const list = names.map((m) => `\`${m}\``).join(' and ');
  return { applicability: 'unsafe', message: `Remove ${list} from the retried methods`, edits };
}
