// The codemods in rules/python/_shared/fix-*.ts, called directly on small sources (the rules'
// own fixture pairs check them end to end). Every output must parse and compile with Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fix } from '../src/types.js';
import { parsePython, type SyntaxNode } from '../src/lang/python/tree.js';
import { SemanticModel } from '../src/lang/python/model.js';
import { DEFAULT_SETTINGS } from '../src/config/types.js';
import { applyEdits } from '../src/fix/apply.js';
import { syntaxErrorIn } from '../src/fix/guard.js';
import { lifetimeOf } from '../src/lang/python/lifetime.js';
import { enclosingLoop } from '../src/lang/python/context.js';
import { asyncSleepFix, subprocessFix, toThreadFix } from '../rules/python/_shared/fix-async.js';
import { tryFinallyFix, withFix } from '../rules/python/_shared/fix-close.js';
import { hoistClientFix, sessionAroundLoopFix } from '../rules/python/_shared/fix-session.js';
import { semaphoreSuggestion } from '../rules/python/_shared/fix-gather.js';
import { pythonVerdicts } from './support.js';

function model(text: string): SemanticModel {
  return new SemanticModel(parsePython(text), text, 't.py');
}

function calls(m: SemanticModel, startsWith: string): SyntaxNode[] {
  return m.root.descendantsOfType('call').filter((c) => c.text.startsWith(startsWith));
}

const outputs: string[] = [];
function apply(m: SemanticModel, fix: Fix | null): string {
  assert.ok(fix, 'no fix');
  const out = applyEdits(m.source, fix.edits);
  assert.equal(syntaxErrorIn(out), undefined, `does not parse:\n${out}`);
  outputs.push(out);
  return out;
}

test('time.sleep → await asyncio.sleep (unsafe: a new cancellation point), adds the import once', () => {
  const src = '"""Doc."""\nimport time\n\n\nasync def f():\n    time.sleep(1)\n    x = time.sleep(2)\n\n\ndef g():\n    time.sleep(3)\n';
  const m = model(src);
  const [a, b, c] = calls(m, 'time.sleep');
  const fa = asyncSleepFix(m, a)!;
  assert.equal(fa.applicability, 'unsafe');
  assert.equal(apply(m, fa), '"""Doc."""\nimport time\nimport asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n    x = time.sleep(2)\n\n\ndef g():\n    time.sleep(3)\n');
  assert.equal(asyncSleepFix(m, b)!.applicability, 'unsafe');
  assert.equal(asyncSleepFix(m, c), null, 'not in async def');
  const aliased = model('import asyncio as aio\nfrom time import sleep\n\nasync def f():\n    sleep(0.5)\n');
  assert.equal(apply(aliased, asyncSleepFix(aliased, calls(aliased, 'sleep(')[0])), 'import asyncio as aio\nfrom time import sleep\n\nasync def f():\n    await aio.sleep(0.5)\n');
  const genexp = model('import time\n\nasync def f(xs):\n    return list(time.sleep(x) for x in xs)\n');
  assert.equal(asyncSleepFix(genexp, calls(genexp, 'time.sleep')[0]), null, 'await in a generator expression changes its meaning');
});

test('blocking call → await asyncio.to_thread, parenthesised where needed; run_in_executor below 3.9', () => {
  const src = 'import asyncio\nimport requests\n\n\nasync def f(u):\n    r = requests.get(u, timeout=3)\n    return requests.get(u, timeout=3).json()\n';
  const m = model(src);
  const [a, b] = calls(m, 'requests.get').filter((c) => c.childForFieldName('function')!.text === 'requests.get');
  const s39 = { ...DEFAULT_SETTINGS, targetVersion: [3, 9] as [number, number] };
  assert.equal(
    apply(m, toThreadFix(m, a, s39)),
    'import asyncio\nimport requests\n\n\nasync def f(u):\n    r = await asyncio.to_thread(requests.get, u, timeout=3)\n    return requests.get(u, timeout=3).json()\n',
  );
  assert.match(apply(m, toThreadFix(m, b, s39)), /return \(await asyncio\.to_thread\(requests\.get, u, timeout=3\)\)\.json\(\)/);
  const s38 = { ...DEFAULT_SETTINGS, targetVersion: [3, 8] as [number, number] };
  const old = model('import requests\n\n\nasync def f(u):\n    r = requests.get(u, timeout=3)\n    open(u)\n');
  assert.equal(
    apply(old, toThreadFix(old, calls(old, 'requests.get')[0], s38)),
    'import requests\nimport asyncio\nimport functools\n\n\nasync def f(u):\n    r = await asyncio.get_running_loop().run_in_executor(None, functools.partial(requests.get, u, timeout=3))\n    open(u)\n',
  );
  assert.match(apply(old, toThreadFix(old, calls(old, 'open(')[0], s38)), /await asyncio\.get_running_loop\(\)\.run_in_executor\(None, open, u\)/);
  const gen = model('import asyncio\n\nasync def f(xs):\n    sorted(x for x in xs)\n');
  assert.match(apply(gen, toThreadFix(gen, calls(gen, 'sorted')[0], s39)), /asyncio\.to_thread\(sorted, \(x for x in xs\)\)/);
});

test('subprocess.run → create_subprocess_exec only when the result is unused and the options carry over', () => {
  const src = 'import subprocess\n\n\nasync def f(cmd):\n    subprocess.run(["git", "gc"], cwd="/srv")\n    subprocess.run("make all", shell=True)\n    out = subprocess.run(["ls"])\n    subprocess.run(["ls"], check=True)\n    subprocess.run(cmd)\n';
  const m = model(src);
  const [a, b, c, d, e] = calls(m, 'subprocess.run');
  assert.match(apply(m, subprocessFix(m, a, 'subprocess.run')), /    await \(await asyncio\.create_subprocess_exec\("git", "gc", cwd="\/srv"\)\)\.wait\(\)\n/);
  assert.match(apply(m, subprocessFix(m, b, 'subprocess.run')), /await \(await asyncio\.create_subprocess_shell\("make all"\)\)\.wait\(\)/);
  for (const x of [c, d, e]) assert.equal(subprocessFix(m, x, 'subprocess.run')?.applicability, 'display-only');
});

function creation(m: SemanticModel, startsWith: string) {
  const c = calls(m, startsWith)[0];
  const lt = lifetimeOf(m, c);
  assert.ok(lt, `no lifetime for ${startsWith}`);
  return lt;
}

test('resource never closed → with to the end of its block; a close() statement goes away', () => {
  const src = [
    'import requests',
    '',
    '',
    'def fetch(urls):',
    '    s = requests.Session()',
    '    for u in urls:',
    '        s.get(u, timeout=3)',
    '    s.close()',
    '    return len(urls)',
    '',
  ].join('\n');
  const m = model(src);
  assert.equal(
    apply(m, withFix(m, creation(m, 'requests.Session'))),
    ['import requests', '', '', 'def fetch(urls):', '    with requests.Session() as s:', '        for u in urls:', '            s.get(u, timeout=3)', '        return len(urls)', ''].join('\n'),
  );
  const escapes = model('import requests\n\n\ndef make():\n    s = requests.Session()\n    return s\n');
  assert.equal(withFix(escapes, creation(escapes, 'requests.Session')), null);
  const asyncSrc = 'import aiohttp\n\n\nasync def f(u):\n    session = aiohttp.ClientSession()\n    async with session.get(u) as r:\n        return await r.text()\n';
  const am = model(asyncSrc);
  assert.match(apply(am, withFix(am, creation(am, 'aiohttp.ClientSession'))), /    async with aiohttp\.ClientSession\(\) as session:\n        async with session\.get\(u\) as r:\n            return await r\.text\(\)\n/);
});

test('an executor whose future is waited on later stays open until the end of the block', () => {
  const src = [
    'from concurrent.futures import ThreadPoolExecutor',
    '',
    '',
    'def run(loop, job, current):',
    '    if loop:',
    '        ex = ThreadPoolExecutor(max_workers=1)',
    '        fut = ex.submit(job)',
    '        current.run_until_future(fut)',
    '        fut.result()',
    '    else:',
    '        job()',
    '',
  ].join('\n');
  const m = model(src);
  assert.equal(
    apply(m, withFix(m, creation(m, 'ThreadPoolExecutor'))),
    src.replace(
      '        ex = ThreadPoolExecutor(max_workers=1)\n        fut = ex.submit(job)\n        current.run_until_future(fut)\n        fut.result()\n',
      '        with ThreadPoolExecutor(max_workers=1) as ex:\n            fut = ex.submit(job)\n            current.run_until_future(fut)\n            fut.result()\n',
    ),
  );
});

test('close() not in finally → try/finally', () => {
  const src = 'import socket\n\n\ndef ping(host):\n    sock = socket.create_connection((host, 80), timeout=3)\n    sock.sendall(b"ping")\n    data = sock.recv(4)\n    sock.close()\n    return data\n';
  const m = model(src);
  const lt = creation(m, 'socket.create_connection');
  assert.equal(lt.fate, 'closed-not-in-finally');
  assert.equal(
    apply(m, tryFinallyFix(m, lt)),
    'import socket\n\n\ndef ping(host):\n    sock = socket.create_connection((host, 80), timeout=3)\n    try:\n        sock.sendall(b"ping")\n        data = sock.recv(4)\n    finally:\n        sock.close()\n    return data\n',
  );
});

test('requests.get in a loop → one Session around the loop, every call on it', () => {
  const src = 'import requests\n\n\ndef fetch(urls):\n    out = []\n    for u in urls:\n        out.append(requests.get(u, timeout=3).json())\n        requests.post(u, timeout=3)\n    return out\n';
  const m = model(src);
  const [a, b] = [...calls(m, 'requests.get'), ...calls(m, 'requests.post')];
  const fa = sessionAroundLoopFix(m, a)!;
  const fb = sessionAroundLoopFix(m, b)!;
  assert.deepEqual(fa.edits, fb.edits, 'one fix for the whole loop');
  assert.equal(
    apply(m, fa),
    'import requests\n\n\ndef fetch(urls):\n    out = []\n    with requests.Session() as session:\n        for u in urls:\n            out.append(session.get(u, timeout=3).json())\n            session.post(u, timeout=3)\n    return out\n',
  );
  const taken = model('import requests\n\n\ndef f(urls, session):\n    for u in urls:\n        requests.get(u, timeout=3)\n');
  assert.match(apply(taken, sessionAroundLoopFix(taken, calls(taken, 'requests.get')[0])), /with requests\.Session\(\) as http_session:\n        for u in urls:\n            http_session\.get/);
  const lazy = model('import requests\n\n\ndef f(urls):\n    gen = (requests.get(u, timeout=3) for u in urls)\n    return gen\n');
  assert.equal(sessionAroundLoopFix(lazy, calls(lazy, 'requests.get')[0]), null);
});

test('client built in a loop → hoisted into a with around the loop', () => {
  const src = 'import httpx\n\n\ndef f(urls):\n    for u in urls:\n        # one per turn\n        with httpx.Client(timeout=3) as c:\n            c.get(u)\n            c.post(u)\n        print(u)\n';
  const m = model(src);
  const call = calls(m, 'httpx.Client')[0];
  assert.equal(
    apply(m, hoistClientFix(m, call, enclosingLoop(call)!)),
    'import httpx\n\n\ndef f(urls):\n    with httpx.Client(timeout=3) as c:\n        for u in urls:\n            # one per turn\n            c.get(u)\n            c.post(u)\n            print(u)\n',
  );
  const assigned = model('import requests\n\n\ndef f(urls):\n    for u in urls:\n        s = requests.Session()\n        s.get(u, timeout=3)\n        s.close()\n');
  const c2 = calls(assigned, 'requests.Session')[0];
  assert.equal(
    apply(assigned, hoistClientFix(assigned, c2, enclosingLoop(c2)!)),
    'import requests\n\n\ndef f(urls):\n    with requests.Session() as s:\n        for u in urls:\n            s.get(u, timeout=3)\n',
  );
  const dependent = model('import requests\n\n\ndef f(tokens):\n    for t in tokens:\n        with requests.Session(auth=t) as s:\n            s.get("u", timeout=3)\n');
  const c3 = calls(dependent, 'requests.Session')[0];
  assert.equal(hoistClientFix(dependent, c3, enclosingLoop(c3)!), null, 'arguments depend on the loop');
});

test('unbounded gather: a display-only suggestion written out with the semaphore pattern', () => {
  const src = 'from asyncio import gather\n\n\nasync def crawl(session, urls):\n    return await gather(*[fetch(session, u) for u in urls])\n';
  const m = model(src);
  const fix = semaphoreSuggestion(m, calls(m, 'gather(')[0]);
  assert.equal(fix.applicability, 'display-only');
  assert.equal(
    apply(m, fix),
    'from asyncio import gather\nimport asyncio\n\n\nasync def crawl(session, urls):\n    semaphore = asyncio.Semaphore(50)\n\n    async def limited(aw):\n        async with semaphore:\n            return await aw\n\n    return await gather(*[limited(fetch(session, u)) for u in urls])\n',
  );
  const tasks = model('import asyncio\n\n\nasync def f(ts):\n    await asyncio.gather(*ts)\n');
  assert.deepEqual(semaphoreSuggestion(tasks, calls(tasks, 'asyncio.gather')[0]).edits, []);
});

test('every codemod output compiles with Python', { skip: pythonVerdicts([''], 'compile') === null && 'python3 not found' }, () => {
  const verdicts = pythonVerdicts(outputs, 'compile')!;
  assert.deepEqual(verdicts.map((v, i) => (v ? `${v}\n${outputs[i]}` : '')).filter(Boolean), []);
});
