import type { PythonRule as Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { toThreadFix } from './_shared/fix-async.js';
import { ASYNC_DEF, loopCall, registerBlockingCalls } from './_shared/blocking.js';

const OPENERS = new Set(['open', 'io.open', 'codecs.open']);
const PATH_IO = new Set(['open', 'read_text', 'read_bytes', 'write_text', 'write_bytes']);
const PATH_TYPES = new Set(['pathlib.Path', 'pathlib.PosixPath', 'pathlib.WindowsPath']);
/** Path methods and properties that return another concrete Path (no I/O of their own matters here). */
const PATH_RETURNING = new Set([
  'joinpath', 'with_name', 'with_suffix', 'with_stem', 'relative_to', 'resolve', 'absolute', 'expanduser', 'parent',
]);
registerBlockingCalls([...OPENERS, ...PATH_IO]);
const PATH_FACTORIES = new Set(['pathlib.Path.cwd', 'pathlib.Path.home']);

/**
 * True when `expr` evaluates to a concrete `pathlib.Path`: a constructor, an annotation, `p / "x"`,
 * `p.parent`, `p.with_suffix(...)`, or a name bound once to one of those.
 */
function isPath(expr: SyntaxNode, model: SemanticModel, depth = 0): boolean {
  if (depth > 6) return false;
  let n = expr;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
  const t = model.typeOf(n);
  if (t) return PATH_TYPES.has(t);
  switch (n.type) {
    case 'binary_operator': {
      const left = n.childForFieldName('left');
      return n.childForFieldName('operator')?.type === '/' && !!left && isPath(left, model, depth + 1);
    }
    case 'attribute': {
      const obj = n.childForFieldName('object');
      return n.childForFieldName('attribute')?.text === 'parent' && !!obj && isPath(obj, model, depth + 1);
    }
    case 'call': {
      const name = model.resolveCall(n).name;
      if (name && PATH_FACTORIES.has(name)) return true;
      const fn = n.childForFieldName('function');
      if (fn?.type !== 'attribute') return false;
      const obj = fn.childForFieldName('object');
      return PATH_RETURNING.has(fn.childForFieldName('attribute')!.text) && !!obj && isPath(obj, model, depth + 1);
    }
    case 'identifier': {
      const b = model.lookup(n.text, n);
      if (!b || b.kind !== 'assign' || !b.value || b.destructured) return false;
      // Only a name bound once in its scope has a single value to follow.
      if ((model.scopeOf(b.node).bindings.get(n.text)?.length ?? 0) !== 1) return false;
      return isPath(b.value, model, depth + 1);
    }
    default:
      return false;
  }
}

const rule: Rule = {
  code: 'CL503',
  name: 'blocking-file-io-in-async',
  category: 'sync-in-async',
  severity: 'warning',
  triggers: [ASYNC_DEF],
  fixable: 'unsafe',
  nodeTypes: ['call'],
  docs: {
    summary:
      'A file is opened or read/written synchronously directly inside an `async def`: `open()`, `io.open()`, `codecs.open()`, ' +
      'or `pathlib.Path.open/read_text/read_bytes/write_text/write_bytes`.',
    why:
      'File system calls block the thread that makes them, and in a coroutine that is the event loop. On a local SSD with a ' +
      'warm page cache the pause is short; on a cold cache, a busy disk, a network file system or a large file it runs to ' +
      'milliseconds or seconds, during which no other task runs and every in-flight request waits. Small reads done once at ' +
      'start-up are harmless in practice; reads per request are the ones that hurt.',
    bad: 'import json\n\n\nasync def handler(request):\n    with open("/srv/data/prices.json") as f:\n        return json.load(f)\n',
    good:
      'import asyncio\nimport json\nfrom pathlib import Path\n\n\nasync def handler(request):\n' +
      '    text = await asyncio.to_thread(Path("/srv/data/prices.json").read_text)\n    return json.loads(text)\n',
    fix:
      'For the whole-file `Path` methods (`read_text`, `read_bytes`, `write_text`, `write_bytes`) the call moves to a ' +
      'thread: `await asyncio.to_thread(path.read_text)`. Unsafe: the I/O now runs in the default executor, so it ' +
      'competes with other work sent there and is not stopped by cancelling the coroutine. Opening a file gets no fix: ' +
      'its reads and writes would still block the loop (use `aiofiles`, or move the whole block into a function run ' +
      'with `asyncio.to_thread`).',
    references: [
      'https://docs.python.org/3/library/asyncio-task.html#running-in-threads',
      'https://github.com/Tinche/aiofiles',
    ],
  },
  visit(call, ctx) {
    const site = loopCall(call, ctx);
    if (!site) return;
    let what: string | undefined;
    let wholeFile = false;
    if (site.info.name && OPENERS.has(site.info.name)) {
      what = `\`${site.info.name}()\``;
    } else {
      const fn = call.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')!.text : undefined;
      const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      if (method && PATH_IO.has(method) && obj && isPath(obj, ctx.model)) {
        what = `\`Path.${method}()\``;
        wholeFile = method !== 'open';
      }
    }
    if (!what) return;
    ctx.report({
      node: call,
      message:
        `${what} does synchronous file I/O inside \`async def\`: while the disk or file system answers, the event loop ` +
        'is blocked and no other task runs. Read or write in a thread with `await asyncio.to_thread(...)`, or use `aiofiles`.',
      fix: wholeFile ? toThreadFix(ctx.model, call, ctx.settings) : null,
    });
  },
};

export default rule;
