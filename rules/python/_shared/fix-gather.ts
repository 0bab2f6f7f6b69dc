// A display-only suggestion for an unbounded `gather` (CL301): the semaphore pattern, written out
// where it would go. Never applied — the right limit depends on the upstream — but shown in the
// text output, JSON and SARIF so the reader sees the exact change:
//
//     semaphore = asyncio.Semaphore(50)
//
//     async def limited(aw):
//         async with semaphore:
//             return await aw
//
//     return await asyncio.gather(*[limited(fetch(session, u)) for u in urls])
import type { Edit, Fix } from '../../../src/types.js';
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import { enclosingFunction, enclosingStatement, isAsyncFunction } from '../../../src/lang/python/context.js';
import { ensureImport } from '../../../src/fix/python/imports.js';
import { indentAt, indentUnit, lineStart, startsLine } from '../../../src/fix/python/layout.js';

export const SUGGESTED_LIMIT = 50;

/**
 * The suggestion for `call` (a gather-like call) whose starred argument is a comprehension or
 * generator of coroutine calls; a message-only suggestion otherwise.
 */
export function semaphoreSuggestion(model: SemanticModel, call: SyntaxNode): Fix {
  const message = `Limit concurrency: acquire an \`asyncio.Semaphore(${SUGGESTED_LIMIT})\` around each awaited coroutine`;
  const plain: Fix = { applicability: 'display-only', message, edits: [] };
  const fn = enclosingFunction(call);
  if (!isAsyncFunction(fn)) return plain;
  const args = call.childForFieldName('arguments');
  const splat = args?.namedChildren.find((a) => a.type === 'list_splat');
  const inner = splat?.namedChild(0);
  if (!inner || (inner.type !== 'list_comprehension' && inner.type !== 'generator_expression')) return plain;
  const body = inner.childForFieldName('body');
  if (!body || body.type !== 'call') return plain;
  const stmt = enclosingStatement(call);
  if (!startsLine(model.source, stmt)) return plain;
  const taken = new Set(fn!.descendantsOfType('identifier').map((n) => n.text));
  if (taken.has('semaphore') || taken.has('limited') || taken.has('aw')) return plain;
  const asyncio = ensureImport(model, call, { module: 'asyncio' });
  if (!asyncio) return plain;
  const indent = indentAt(model.source, stmt.startIndex);
  const unit = indentUnit(model.source, stmt);
  const helper = [
    `semaphore = ${asyncio.ref}.Semaphore(${SUGGESTED_LIMIT})`,
    '',
    'async def limited(aw):',
    `${unit}async with semaphore:`,
    `${unit}${unit}return await aw`,
    '',
  ]
    .map((l) => (l ? indent + l : l))
    .join('\n');
  const at = lineStart(model.source, stmt.startIndex);
  const edits: Edit[] = [
    { start: at, end: at, text: `${helper}\n` },
    { start: body.startIndex, end: body.startIndex, text: 'limited(' },
    { start: body.endIndex, end: body.endIndex, text: ')' },
  ];
  if (asyncio.edit) edits.push(asyncio.edit);
  return { applicability: 'display-only', message, edits };
}
