// Shared by the session-reuse rules: telling loops that repeat work over many items from retry,
// polling and reconnect loops, which run their body a few times, or once per long-lived connection.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import { COMPREHENSION_TYPES, FUNCTION_TYPES, isInside } from '../../../src/lang/python/context.js';

const SLEEPS = new Set(['time.sleep', 'asyncio.sleep', 'anyio.sleep', 'trio.sleep', 'gevent.sleep', 'eventlet.sleep']);

/**
 * True for a `while` loop or a `for` over `range(...)`/`itertools.count()` that either sleeps
 * between turns (polling, backoff, reconnecting) or leaves on success from the `try` that holds
 * `node` (retrying). Loops over collections and comprehensions are never retry loops.
 */
export function isRetryOrPollLoop(loop: SyntaxNode, node: SyntaxNode, model: SemanticModel): boolean {
  if (COMPREHENSION_TYPES.has(loop.type)) return false;
  if (loop.type === 'for_statement') {
    const iterable = loop.childForFieldName('right');
    const name = iterable?.type === 'call' ? model.resolveCall(iterable).name : undefined;
    if (name !== 'range' && name !== 'itertools.count') return false;
  }
  const body = loop.childForFieldName('body');
  if (!body) return false;
  if (bodyCalls(body, model, SLEEPS)) return true;
  // `try: return fetch() / break` inside the loop: the loop runs again only after a failure.
  for (let n = node.parent; n && n.id !== loop.id; n = n.parent) {
    if (n.type === 'try_statement') {
      const tryBody = n.childForFieldName('body');
      if (tryBody && isInside(node, tryBody) && exitsLoop(tryBody)) return true;
    }
  }
  return false;
}

/** True when a statement of the block (not nested in an inner loop or function) returns or breaks. */
function exitsLoop(block: SyntaxNode): boolean {
  const walk = (n: SyntaxNode): boolean => {
    if (n.type === 'return_statement' || n.type === 'break_statement') return true;
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition' || n.type === 'for_statement' || n.type === 'while_statement') return false;
    return n.namedChildren.some(walk);
  };
  return walk(block);
}

/** True when the block calls one of `names`, outside nested functions. */
export function bodyCalls(block: SyntaxNode, model: SemanticModel, names: ReadonlySet<string>): boolean {
  const walk = (n: SyntaxNode): boolean => {
    if (FUNCTION_TYPES.has(n.type) || n.type === 'class_definition') return false;
    if (n.type === 'call' && model.callMatches(n, names)) return true;
    return n.namedChildren.some(walk);
  };
  return walk(block);
}
