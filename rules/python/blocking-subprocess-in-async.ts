import type { Rule } from '../../src/types.js';
import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { argumentOf } from '../../src/lang/python/calls.js';
import { loopCall } from './_shared/blocking.js';

const RUNNERS = new Set([
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'os.system',
  'os.popen',
]);
const STARTERS = new Set(['subprocess.Popen']);
const WAITERS = new Set(['subprocess.Popen.wait', 'subprocess.Popen.communicate']);
/** os.wait* and the position of their `options` argument (where `WNOHANG` makes them return at once). */
const OS_WAIT: Record<string, string[] | null> = {
  'os.wait': null,
  'os.waitpid': ['pid', 'options'],
  'os.wait3': ['options'],
  'os.wait4': ['pid', 'options'],
  'os.waitid': ['idtype', 'id', 'options'],
};

function nonBlockingWait(call: SyntaxNode, name: string, model: SemanticModel): boolean {
  const params = OS_WAIT[name];
  if (!params) return false;
  const a = argumentOf(call, 'options', params);
  if (a.kind === 'unknown') return true;
  if (a.kind !== 'present') return false;
  const parts = [a.node, ...a.node.descendantsOfType(['identifier', 'attribute'])];
  return parts.some((p) => (model.qualifiedName(p) ?? p.text).endsWith('WNOHANG'));
}

/**
 * `proc = Popen(...)` whose `proc.wait` / `proc.communicate` is handed uncalled to something
 * (`run_in_executor(None, proc.communicate)`): the process is driven from a thread, on purpose.
 */
function drivenFromThread(call: SyntaxNode, fn: SyntaxNode): boolean {
  let n: SyntaxNode = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const assign = n.parent;
  const target = assign?.type === 'assignment' ? assign.childForFieldName('left') : null;
  if (target?.type !== 'identifier') return false;
  for (const attr of fn.descendantsOfType('attribute')) {
    if (attr.childForFieldName('object')?.text !== target.text) continue;
    const m = attr.childForFieldName('attribute')?.text;
    if (m !== 'wait' && m !== 'communicate') continue;
    const parent = attr.parent;
    if (!(parent?.type === 'call' && parent.childForFieldName('function')?.id === attr.id)) return true;
  }
  return false;
}

const rule: Rule = {
  code: 'CL504',
  name: 'blocking-subprocess-in-async',
  category: 'sync-in-async',
  severity: 'error',
  triggers: ['async'],
  nodeTypes: ['call'],
  docs: {
    summary:
      'A child process is run or waited for synchronously directly inside an `async def`: `subprocess.run/call/check_call/' +
      'check_output/getoutput/Popen`, `Popen.wait/communicate`, `os.system`, `os.popen`, `os.wait*` (without `WNOHANG`).',
    why:
      '`subprocess.run` and friends wait for the child to exit, and `os.system`/`os.wait*` block the calling thread until ' +
      'it does. In a coroutine that thread is the event loop: for as long as the child runs — seconds for `ffmpeg` or `git`, ' +
      'forever for a hung one — no other task runs, no request is answered, health checks fail.',
    bad:
      'import subprocess\n\n\nasync def thumbnail(src, dst):\n' +
      '    subprocess.run(["convert", src, "-resize", "128x128", dst], check=True, timeout=60)\n',
    good:
      'import asyncio\n\n\nasync def thumbnail(src, dst):\n' +
      '    proc = await asyncio.create_subprocess_exec("convert", src, "-resize", "128x128", dst)\n' +
      '    await asyncio.wait_for(proc.wait(), timeout=60)\n',
    references: [
      'https://docs.python.org/3/library/asyncio-subprocess.html',
      'https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code',
    ],
  },
  visit(call, ctx) {
    const site = loopCall(call, ctx.model);
    const name = site?.info.name;
    if (!site || !name) return;
    let message: string | undefined;
    if (RUNNERS.has(name)) {
      message =
        `\`${name}()\` runs a child process and blocks until it exits; inside \`async def\` that freezes the event loop ` +
        'for the whole run. Use `await asyncio.create_subprocess_exec(...)` (or `create_subprocess_shell`) and await it.';
    } else if (STARTERS.has(name) || ctx.model.matchInfo(site.info, STARTERS)) {
      if (drivenFromThread(call, site.fn)) return;
      message =
        '`subprocess.Popen()` starts the child synchronously, and its pipes and `wait()` block the thread; inside `async def` ' +
        'they stall the event loop. Use `await asyncio.create_subprocess_exec(...)`, whose process object is awaitable.';
    } else if (ctx.model.matchInfo(site.info, WAITERS)) {
      message =
        `\`Popen.${site.info.method ?? name.split('.').pop()}()\` blocks until the child exits, freezing the event loop meanwhile. ` +
        'Start the process with `asyncio.create_subprocess_exec(...)` and `await proc.wait()` / `await proc.communicate()`.';
    } else if (name in OS_WAIT && !nonBlockingWait(call, name, ctx.model)) {
      message =
        `\`${name}()\` blocks until a child process changes state, freezing the event loop meanwhile. Pass \`os.WNOHANG\` ` +
        'and poll, or let asyncio manage the child (`asyncio.create_subprocess_exec`).';
    }
    if (message) ctx.report({ node: call, message });
  },
};

export default rule;
