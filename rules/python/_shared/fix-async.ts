// Codemods for blocking calls inside `async def` (CL5xx):
//   time.sleep(x)        → await asyncio.sleep(x)
//   f(a, b=c)            → await asyncio.to_thread(f, a, b=c)      (Python 3.9+)
//                        → await asyncio.get_running_loop().run_in_executor(None, functools.partial(f, a, b=c))
//   subprocess.run([..]) → await (await asyncio.create_subprocess_exec(..)).wait()   (result unused)
// Each adds `import asyncio` (or `functools`) when needed and gives up when that name is taken.
import type { Edit, Fix, GlobalSettings } from '../../../src/types.js';
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import { FUNCTION_TYPES, isInAsyncContext } from '../../../src/lang/python/context.js';
import { ensureImport } from '../../../src/fix/python/imports.js';

/** Parent types where `await <call>` needs parentheses: the call is the object of `.x`, `[i]` or `(...)`. */
function needsParens(expr: SyntaxNode): boolean {
  const p = expr.parent;
  if (!p) return false;
  if (p.type === 'attribute') return p.childForFieldName('object')?.id === expr.id;
  if (p.type === 'subscript') return p.childForFieldName('value')?.id === expr.id;
  if (p.type === 'call') return p.childForFieldName('function')?.id === expr.id;
  return false;
}

/**
 * Where an `await` may go: in the body of the `async def` itself (or an ordinary comprehension
 * there, which becomes an async comprehension), not in a generator expression (that would turn
 * it into an async generator) or a nested function. Also false when already awaited.
 */
export function canAwaitHere(call: SyntaxNode): boolean {
  if (!isInAsyncContext(call)) return false;
  for (let n = call.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type)) break;
    if (n.type === 'generator_expression') return false;
  }
  let e = call;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  return e.parent?.type !== 'await';
}

/** The call is a statement of its own: its value is not used. */
export function isBareStatement(call: SyntaxNode): boolean {
  let e = call;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  return e.parent?.type === 'expression_statement' && e.parent.namedChildCount === 1;
}

function awaitText(call: SyntaxNode, inner: string): string {
  return needsParens(call) ? `(await ${inner})` : `await ${inner}`;
}

/** The argument list's inside, as written: `a, b=c` (comments and line breaks kept). */
function argumentsInside(call: SyntaxNode): string | undefined {
  const args = call.childForFieldName('arguments');
  if (!args) return undefined;
  if (args.type === 'generator_expression') {
    // `f(x for x in y)`: the generator needs its own parentheses once it is not the only argument.
    return args.text;
  }
  if (args.type !== 'argument_list') return undefined;
  const items = args.namedChildren.filter((c) => c.type !== 'comment');
  if (items.length === 0) return '';
  return args.text.slice(1, -1);
}

/** `, a, b` after the function: no space before a line break or comment that opens the list. */
function after(inside: string): string {
  if (!inside) return '';
  return /^[ \t]*(#|\r?\n)/.test(inside) ? `,${inside}` : `, ${inside}`;
}

/**
 * The call is what a `with` enters (`with urlopen(u) as r:`): moving only the opening to a thread
 * leaves the reads in the block blocking, so no fix is offered.
 */
function isWithItem(call: SyntaxNode): boolean {
  let e = call;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  return p?.type === 'with_item' || (p?.type === 'as_pattern' && p.parent?.type === 'with_item');
}

/**
 * `time.sleep(x)` → `await asyncio.sleep(x)`. Unsafe, even as a statement of its own: the pause
 * becomes a point where other tasks run and where the coroutine can be cancelled (an enclosing
 * `asyncio.timeout()` now fires inside it), which code written around a blocking pause — tests
 * that simulate a busy loop, for one — can rely on.
 */
export function asyncSleepFix(model: SemanticModel, call: SyntaxNode): Fix | null {
  if (!canAwaitHere(call)) return null;
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return null;
  const items = args.namedChildren.filter((c) => c.type !== 'comment');
  // time.sleep takes exactly one positional argument (`secs`); anything else is not ours to rewrite.
  if (items.length !== 1 || ['keyword_argument', 'list_splat', 'dictionary_splat'].includes(items[0].type)) return null;
  const asyncio = ensureImport(model, call, { module: 'asyncio' });
  if (!asyncio) return null;
  const edits: Edit[] = [{ start: call.startIndex, end: call.endIndex, text: awaitText(call, `${asyncio.ref}.sleep${args.text}`) }];
  if (asyncio.edit) edits.push(asyncio.edit);
  return {
    applicability: 'unsafe',
    message: `Replace with \`await ${asyncio.ref}.sleep(...)\``,
    edits,
  };
}

/**
 * `f(a, b=c)` → `await asyncio.to_thread(f, a, b=c)` — or, below Python 3.9,
 * `await asyncio.get_running_loop().run_in_executor(None, functools.partial(f, a, b=c))`.
 * Unsafe: the function now runs in a worker thread (thread-local state, objects shared with the
 * loop, and cancellation no longer stop it).
 */
export function toThreadFix(model: SemanticModel, call: SyntaxNode, settings: GlobalSettings): Fix | null {
  if (!canAwaitHere(call) || isWithItem(call)) return null;
  const fn = call.childForFieldName('function');
  const inside = argumentsInside(call);
  if (!fn || inside === undefined) return null;
  const asyncio = ensureImport(model, call, { module: 'asyncio' });
  if (!asyncio) return null;
  const edits: Edit[] = [];
  if (asyncio.edit) edits.push(asyncio.edit);
  const [major, minor] = settings.targetVersion;
  const modern = major > 3 || (major === 3 && minor >= 9);
  let inner: string;
  let message: string;
  if (modern) {
    inner = `${asyncio.ref}.to_thread(${fn.text}${after(inside)})`;
    message = `Run it in a thread: \`await ${asyncio.ref}.to_thread(${fn.text}, ...)\``;
  } else {
    const keywords = call.childForFieldName('arguments')?.namedChildren.some((a) => a.type === 'keyword_argument' || a.type === 'dictionary_splat');
    const loop = `${asyncio.ref}.get_running_loop().run_in_executor`;
    if (keywords) {
      const functools = ensureImport(model, call, { module: 'functools' });
      if (!functools) return null;
      if (functools.edit) {
        // Both imports may land at the same place: one insertion carrying both lines.
        const same = asyncio.edit && asyncio.edit.start === functools.edit.start;
        if (same) edits[0] = { ...asyncio.edit!, text: asyncio.edit!.text + functools.edit.text };
        else edits.push(functools.edit);
      }
      inner = `${loop}(None, ${functools.ref}.partial(${fn.text}${after(inside)}))`;
    } else {
      inner = `${loop}(None, ${fn.text}${after(inside)})`;
    }
    message = `Run it in the default executor: \`await ${loop}(None, ...)\` (Python < 3.9 target)`;
  }
  edits.push({ start: call.startIndex, end: call.endIndex, text: awaitText(call, inner) });
  return { applicability: 'unsafe', message, edits };
}

const SUBPROCESS_RUNNERS = new Set(['subprocess.run', 'subprocess.call']);
/** Keyword arguments that mean the same to asyncio's subprocess functions. */
const PASSTHROUGH_KEYWORDS = new Set(['cwd', 'env']);

/**
 * `subprocess.run([...])` / `subprocess.call([...])` whose result is unused →
 * `await (await asyncio.create_subprocess_exec(...)).wait()`; with `shell=True` and a command
 * string, `create_subprocess_shell`. Only `cwd=` and `env=` carry over; anything else
 * (`check=`, `capture_output=`, `timeout=`, `input=`) means a different program shape, so the fix
 * is display-only, showing the pattern.
 */
export function subprocessFix(model: SemanticModel, call: SyntaxNode, calleeName: string): Fix | null {
  if (!SUBPROCESS_RUNNERS.has(calleeName) || !canAwaitHere(call)) return null;
  const display: Fix = {
    applicability: 'display-only',
    message: 'Use `proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE)` and `out, err = await proc.communicate()`',
    edits: [],
  };
  if (!isBareStatement(call)) return display;
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return null;
  const items = args.namedChildren.filter((c) => c.type !== 'comment');
  const positional = items.filter((a) => a.type !== 'keyword_argument');
  const keywords = items.filter((a) => a.type === 'keyword_argument');
  if (positional.length !== 1 || positional[0].type === 'list_splat' || positional[0].type === 'dictionary_splat') return display;
  let shell = false;
  const kept: string[] = [];
  for (const k of keywords) {
    const name = k.childForFieldName('name')?.text ?? '';
    const value = k.childForFieldName('value');
    if (name === 'shell') {
      const v = value ? model.constantValue(value) : undefined;
      if (v === true) shell = true;
      else if (v !== false) return display;
      continue;
    }
    if (!PASSTHROUGH_KEYWORDS.has(name)) return display;
    kept.push(k.text);
  }
  const command = positional[0];
  let argsText: string;
  const isString = command.type === 'string' || command.type === 'concatenated_string' || typeof model.constantValue(command) === 'string';
  if (shell) {
    // create_subprocess_shell takes the command string only.
    if (!isString) return display;
    argsText = command.text;
  } else if (command.type === 'list' || command.type === 'tuple') {
    const elements = command.namedChildren.filter((c) => c.type !== 'comment');
    if (elements.length === 0 || elements.some((e) => e.type === 'list_splat' || e.type === 'parenthesized_list_splat')) {
      argsText = `*${command.text}`;
    } else argsText = elements.map((e) => e.text).join(', ');
  } else if (isString) {
    // A string without shell=True is the program name alone.
    argsText = command.text;
  } else {
    // A variable may hold a list or a string: `*cmd` would split a string into characters.
    return display;
  }
  const asyncio = ensureImport(model, call, { module: 'asyncio' });
  if (!asyncio) return null;
  const create = `${asyncio.ref}.create_subprocess_${shell ? 'shell' : 'exec'}`;
  const all = [argsText, ...kept].join(', ');
  const edits: Edit[] = [{ start: call.startIndex, end: call.endIndex, text: `await (await ${create}(${all})).wait()` }];
  if (asyncio.edit) edits.push(asyncio.edit);
  return { applicability: 'unsafe', message: `Run it with \`await ${create}(...)\` and wait for it without blocking the loop`, edits };
}
