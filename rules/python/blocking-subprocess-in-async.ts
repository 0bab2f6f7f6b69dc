import type { SyntaxNode } from '../../src/lang/python/tree.js';
import type { SemanticModel } from '../../src/lang/python/model.js';
import { argumentOf } from '../../src/lang/python/calls.js';
import { subprocessFix } from './_shared/fix-async.js';
import { registerBlockingCalls, syncInAsyncRule } from './_shared/blocking.js';

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

const PIPE_READS = new Set(['read', 'readline', 'readlines', 'read1']);

/** `proc.stdout.read()` / `proc.stderr.readline()` on a `subprocess.Popen`: a blocking pipe read. */
function popenPipeRead(call: SyntaxNode, model: SemanticModel): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || !PIPE_READS.has(fn.childForFieldName('attribute')!.text)) return undefined;
  const pipe = fn.childForFieldName('object');
  if (pipe?.type !== 'attribute') return undefined;
  const stream = pipe.childForFieldName('attribute')!.text;
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const owner = pipe.childForFieldName('object');
  return owner && model.isSubclass(model.typeOf(owner), 'subprocess.Popen') ? `${stream}.${fn.childForFieldName('attribute')!.text}` : undefined;
}

registerBlockingCalls([...RUNNERS, ...WAITERS, ...Object.keys(OS_WAIT), ...PIPE_READS]);

export default syncInAsyncRule({
  code: 'CL504',
  name: 'blocking-subprocess-in-async',
  severity: 'error',
  fixable: 'unsafe',
  docs: {
    summary:
      'A child process is run or waited for synchronously directly inside an `async def`: `subprocess.run/call/check_call/' +
      'check_output/getoutput`, `Popen.wait/communicate` and reads from `Popen.stdout/stderr`, `os.system`, `os.popen`, ' +
      '`os.wait*` (without `WNOHANG`). Creating a `Popen` only forks and execs, which is quick, and is not reported: a ' +
      'process started that way and polled with `poll()` never blocks the loop.',
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
    fix:
      'When `subprocess.run()` / `subprocess.call()` is a statement of its own (its result unused) with a literal ' +
      'command and at most `cwd=` / `env=`, it becomes `await (await asyncio.create_subprocess_exec(...)).wait()` ' +
      '(`create_subprocess_shell` for `shell=True`). Unsafe: the child now runs while other tasks do, and cancelling ' +
      'the coroutine stops the wait but not the child. Where the result is used, or `check=`, `capture_output=`, ' +
      '`timeout=` or `input=` are given, the fix is a suggestion showing the asyncio calls, never applied.',
    references: [
      'https://docs.python.org/3/library/asyncio-subprocess.html',
      'https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code',
    ],
  },
  check(call, site, ctx) {
    const name = site.info.name ?? '';
    let message: string | undefined;
    if (RUNNERS.has(name)) {
      message =
        `\`${name}()\` runs a child process and blocks until it exits; inside \`async def\` that freezes the event loop ` +
        'for the whole run. Use `await asyncio.create_subprocess_exec(...)` (or `create_subprocess_shell`) and await it.';
    } else if (ctx.model.matchInfo(site.info, WAITERS)) {
      message =
        `\`Popen.${site.info.method ?? name.split('.').pop()}()\` blocks until the child exits, freezing the event loop meanwhile. ` +
        'Start the process with `asyncio.create_subprocess_exec(...)` and `await proc.wait()` / `await proc.communicate()`.';
    } else if (name in OS_WAIT && !nonBlockingWait(call, name, ctx.model)) {
      message =
        `\`${name}()\` blocks until a child process changes state, freezing the event loop meanwhile. Pass \`os.WNOHANG\` ` +
        'and poll, or let asyncio manage the child (`asyncio.create_subprocess_exec`).';
    }
    if (!message) {
      const pipe = popenPipeRead(call, ctx.model);
      if (pipe) {
        message =
          `\`Popen.${pipe}()\` waits for the child to write, blocking the event loop until it does. Start the process with ` +
          '`asyncio.create_subprocess_exec(..., stdout=asyncio.subprocess.PIPE)` and `await proc.stdout.readline()`.';
      }
    }
    if (message) ctx.report({ node: call, message, fix: RUNNERS.has(name) ? subprocessFix(ctx.model, call, name) : null });
  },
});
