import type { PythonRule as Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { argumentOf } from '../../src/lang/python/calls.js';
import { enclosingScopeNode, enclosingWithStatements, withStatementOfItem } from '../../src/lang/python/context.js';
import { callerControlsTimeout, isNoneConstant } from './_shared/timeouts.js';

/** Calls whose `None` means "never time out", with their parameters in positional order. */
const TARGETS: Record<string, string[]> = {
  'asyncio.wait_for': ['fut', 'timeout'],
  'asyncio.timeout': ['delay'],
  'asyncio.timeout_at': ['when'],
  'async_timeout.timeout': ['delay'],
  'async_timeout.timeout_at': ['deadline'],
};
const NAMES = new Set(Object.keys(TARGETS));
/** Context managers that bound what runs inside them (when given a value other than None). */
const SCOPES = new Set(['asyncio.timeout', 'asyncio.timeout_at', 'async_timeout.timeout', 'async_timeout.timeout_at', 'anyio.fail_after', 'anyio.move_on_after']);

function deadlineArgument(model: SemanticModel, call: SyntaxNode, name: string) {
  const params = TARGETS[name] ?? ['delay'];
  return argumentOf(call, params[params.length - 1], params);
}

/** Calls on a timeout context that only read it. */
const READ_ONLY = new Set(['expired', 'when']);

/**
 * True when a `timeout(None)` context may get a deadline later: `asyncio.timeout(None)` is the
 * documented way to start a timeout whose deadline is not known yet, then `cm.reschedule(...)`
 * (async_timeout: `shift`, `update`). So the rule reports it only when nothing can: a `with`
 * item with no `as`, or a name that is never used except to read `expired()` / `when()`. A
 * context that is returned, yielded, stored or passed on may be rescheduled elsewhere.
 */
function mayBeRescheduled(call: SyntaxNode): boolean {
  let name: SyntaxNode | undefined;
  if (withStatementOfItem(call)) {
    if (call.parent?.type !== 'as_pattern') return false;
    name = call.parent.childForFieldName('alias')?.namedChild(0) ?? undefined;
  } else if (call.parent?.type === 'assignment' && call.parent.childForFieldName('right')?.id === call.id) {
    name = call.parent.childForFieldName('left') ?? undefined;
  }
  if (!name || name.type !== 'identifier') return true;
  const uses = enclosingScopeNode(call)
    .descendantsOfType('identifier')
    .filter((id) => id.text === name!.text && id.id !== name!.id);
  return uses.some((id) => {
    const attr = id.parent?.type === 'attribute' && id.parent.childForFieldName('object')?.id === id.id ? id.parent : undefined;
    const method = attr?.childForFieldName('attribute')?.text;
    return !(attr?.parent?.type === 'call' && method && READ_ONLY.has(method));
  });
}

/** Inside `async with asyncio.timeout(10):` (or the like) with a real deadline. */
function boundedByOuterScope(model: SemanticModel, call: SyntaxNode): boolean {
  for (const w of enclosingWithStatements(call)) {
    for (const c of w.descendantsOfType('call')) {
      if (!withStatementOfItem(c) || withStatementOfItem(c)!.statement.id !== w.id) continue;
      const scopeName = model.callMatches(c, SCOPES);
      if (!scopeName) continue;
      const arg = deadlineArgument(model, c, scopeName);
      if (arg.kind === 'present' && !isNoneConstant(model, arg.node)) return true;
    }
  }
  return false;
}

const rule: Rule = {
  code: 'CL106',
  name: 'asyncio-infinite-timeout',
  category: 'timeout',
  severity: 'warning',
  fixable: 'unsafe',
  // The calls it checks are reached through imports naming their module (or, inside asyncio,
  // through relative imports, which the module name covers).
  triggers: ['asyncio', 'async_timeout'],
  nodeTypes: ['call'],
  docs: {
    summary:
      '`asyncio.wait_for(aw, None)` (keyword or positional), `asyncio.timeout(None)`, `asyncio.timeout_at(None)` or ' +
      "`async_timeout.timeout(None)`: a timeout that never fires.",
    why:
      'A `None` timeout waits forever: `wait_for(aw, None)` is just `await aw`, and `asyncio.timeout(None)` never ' +
      'expires. If the awaited peer, lock or queue never answers, the task hangs, keeps its connection and whatever it ' +
      'holds, and the request behind it never completes. Not reported: a timeout context that can still get a deadline ' +
      '(`asyncio.timeout(None) as cm` followed by `cm.reschedule(...)`, or a context that is stored, returned or passed ' +
      'on), a call inside an outer `asyncio.timeout(<seconds>)`, a call in a function whose own `timeout` / `delay` ' +
      'parameter decides, a timeout held in a ' +
      "variable or parameter (the caller's choice), and `asyncio.wait(..., timeout=None)`, whose `None` is the default " +
      'and which returns what has finished rather than a single result.',
    bad: 'import asyncio\n\n\nasync def read_line(reader):\n    return await asyncio.wait_for(reader.readline(), timeout=None)\n',
    good: 'import asyncio\n\n\nasync def read_line(reader):\n    return await asyncio.wait_for(reader.readline(), timeout=30)\n',
    fix:
      'Replaces the `None` with `10` seconds (`[tool.conn-lint.fix] default-timeout`); `timeout_at(None)` gets no fix, ' +
      'since a deadline is a time on the loop clock. Unsafe, applied only with ' +
      '`--unsafe-fixes`: `None` was written on purpose, the right limit depends on what is awaited, and code after the ' +
      'call may not expect `TimeoutError`.',
    references: [
      'https://docs.python.org/3/library/asyncio-task.html#asyncio.wait_for',
      'https://docs.python.org/3/library/asyncio-task.html#asyncio.timeout',
    ],
  },
  visit(call, ctx) {
    const { model } = ctx;
    const name = model.callMatches(call, NAMES);
    if (!name) return;
    const arg = deadlineArgument(model, call, name);
    if (arg.kind !== 'present' || !isNoneConstant(model, arg.node)) return;
    if (name !== 'asyncio.wait_for' && mayBeRescheduled(call)) return;
    if (boundedByOuterScope(model, call)) return;
    // `def ceil_timeout(delay): if delay is None: return timeout(None)`: the caller's None, passed on.
    if (callerControlsTimeout(model, call, /timeout|delay|deadline/i)) return;
    const timeout = ctx.settings.defaultTimeout;
    const written = call.childForFieldName('function')!.text;
    const what = written.length <= 40 && !written.includes('\n') ? written : name;
    const absolute = name.endsWith('_at');
    const message =
      absolute
        ? `\`${what}(None)\` never expires: the block it guards can wait forever on a peer that stops answering. Pass a ` +
          `deadline such as \`loop.time() + ${timeout}\`, or use \`asyncio.timeout(${timeout})\`.`
        : name === 'asyncio.wait_for'
        ? `\`${what}()\` with a \`None\` timeout waits forever (it is a plain \`await\`): if the awaited operation never ` +
          `completes, this task hangs with everything it holds. Pass a finite timeout such as \`timeout=${timeout}\`.`
        : `\`${what}(None)\` never expires: the block it guards can wait forever on a peer that stops answering. Pass a ` +
          `delay such as \`${what}(${timeout})\`, or set the deadline later with \`reschedule()\`.`;
    ctx.report({
      node: call,
      message,
      // A deadline is a point on the loop's clock: no constant is a safe replacement.
      fix: absolute ? null : {
        applicability: 'unsafe',
        message: `Replace \`None\` with \`${timeout}\``,
        edits: [{ start: arg.node.startIndex, end: arg.node.endIndex, text: timeout }],
      },
    });
  },
};

export default rule;
