// Removing elements from a list / tuple / set literal in place, keeping its layout:
// `["GET", "POST", "PUT"]` minus "POST" → `["GET", "PUT"]`; one element per line stays that way.
import type { Edit } from '../../types.js';
import type { SyntaxNode } from '../../lang/python/tree.js';

const COLLECTIONS = new Set(['list', 'tuple', 'set']);

/**
 * Edits deleting the elements of `collection` for which `remove` is true, with the comma and the
 * space or line that separated each. Undefined when it is not a literal collection, when nothing
 * or everything would go (an empty literal changes meaning: `()` is not `frozenset()`), or when a
 * one-element tuple would lose its comma.
 */
export function removeElements(collection: SyntaxNode, remove: (element: SyntaxNode) => boolean): Edit[] | undefined {
  if (!COLLECTIONS.has(collection.type)) return undefined;
  const elements = collection.namedChildren.filter((c) => c.type !== 'comment');
  const gone = elements.filter(remove);
  if (gone.length === 0 || gone.length === elements.length) return undefined;
  if (collection.type === 'tuple' && elements.length - gone.length === 1) {
    // `("GET", "POST")` → `("GET",)`: keep the tuple a tuple.
    const kept = elements.find((e) => !remove(e))!;
    const close = collection.lastChild!;
    if (close.type !== ')') return undefined;
    const open = collection.firstChild!;
    if (open.type !== '(') return undefined;
    return [{ start: open.endIndex, end: close.startIndex, text: `${kept.text},` }];
  }
  const edits: Edit[] = [];
  const kept = elements.filter((e) => !gone.includes(e));
  const lastKept = kept[kept.length - 1];
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    if (!gone.includes(e) || e.startIndex > lastKept.startIndex) continue;
    // Before the last kept element: from the element to the start of the next one (`"POST", `).
    edits.push({ start: e.startIndex, end: elements[i + 1].startIndex, text: '' });
  }
  const tail = elements.filter((e) => e.startIndex > lastKept.startIndex);
  if (tail.length) {
    // After it: from its end through the last element; a trailing comma stays, after the kept one.
    edits.push({ start: lastKept.endIndex, end: tail[tail.length - 1].endIndex, text: '' });
  }
  return mergeAdjacent(edits);
}

function mergeAdjacent(edits: Edit[]): Edit[] {
  edits.sort((a, b) => a.start - b.start);
  const out: Edit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && last.end >= e.start && !last.text && !e.text) last.end = Math.max(last.end, e.end);
    else out.push({ ...e });
  }
  return out;
}
