// The resource-lifetime answer the resource-close rules and the `with` codemods rely on: the
// fate, and the shape of the code around the creation (statement, block, uses, straight-line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePython, type SyntaxNode } from '../src/lang/python/tree.js';
import { SemanticModel } from '../src/lang/python/model.js';
import { lifetimeOf, type Lifetime } from '../src/lang/python/lifetime.js';

/** Lifetimes of every resource created in `source`, in source order. */
function lifetimes(source: string): Lifetime[] {
  const tree = parsePython(source);
  const model = new SemanticModel(tree, source, 'example.py');
  return tree.rootNode
    .descendantsOfType('call')
    .map((c: SyntaxNode) => lifetimeOf(model, c))
    .filter((lt): lt is Lifetime => !!lt);
}

function only(source: string): Lifetime {
  const all = lifetimes(source);
  assert.equal(all.length, 1, `expected one resource, got ${all.length}`);
  return all[0];
}

test('a never-closed session: its statement, block, uses and straight-line shape', () => {
  const lt = only(
    'import requests\n\ndef f(url):\n    s = requests.Session()\n    s.headers["a"] = "b"\n    r = s.get(url, timeout=5)\n    return r.json()\n',
  );
  assert.equal(lt.fate, 'never-closed');
  assert.equal(lt.name, 's');
  assert.equal(lt.spec.creator, 'requests.Session');
  assert.equal(lt.spec.release, 'close');
  assert.equal(lt.isAsync, false);
  assert.equal(lt.inline, false);
  assert.equal(lt.statement.text, 's = requests.Session()');
  assert.equal(lt.block?.type, 'block');
  assert.equal(lt.uses.length, 2);
  assert.equal(lt.straightLine, true);
  assert.equal(lt.lastUseStatement?.text, 'r = s.get(url, timeout=5)');
});

test('a use inside a nested block of a later statement is still straight-line; one before is not', () => {
  const lt = only('import socket\n\ndef f(h):\n    s = socket.socket()\n    if h:\n        s.connect((h, 1))\n    print(1)\n');
  assert.equal(lt.straightLine, true);
  assert.equal(lt.lastUseStatement?.type, 'if_statement');
  const loop = only('import socket\n\ndef f(hs):\n    for h in hs:\n        if h:\n            s.send(b"")\n        s = socket.socket()\n');
  assert.equal(loop.straightLine, false);
});

test('async resources know they are async and how they are released', () => {
  const lt = only('import aiohttp\n\nasync def f(u):\n    s = aiohttp.ClientSession()\n    try:\n        await s.get(u)\n    finally:\n        await s.close()\n');
  assert.equal(lt.fate, 'finally');
  assert.equal(lt.isAsync, true);
  assert.equal(lt.spec.asyncWith, true);
  assert.equal(lt.releases.length, 1);
  assert.equal(lt.releases[0].onErrorPath, true);
});

test('close on the straight-line path only, with and without something that can raise in between', () => {
  const risky = only('import sqlite3\n\ndef f(p):\n    c = sqlite3.connect(p)\n    c.execute("x")\n    c.close()\n');
  assert.equal(risky.fate, 'closed-not-in-finally');
  assert.equal(risky.mayRaiseBeforeRelease, true);
  const safe = only('import sqlite3\n\ndef f(p):\n    c = sqlite3.connect(p)\n    c.close()\n');
  assert.equal(safe.fate, 'closed-not-in-finally');
  assert.equal(safe.mayRaiseBeforeRelease, false);
});

test('with, later with, ExitStack, closing and registered callbacks', () => {
  const fates = lifetimes(
    [
      'import contextlib, requests, sqlite3, socket, atexit',
      'from concurrent.futures import ThreadPoolExecutor',
      'def a():',
      '    with requests.Session() as s:',
      '        pass',
      'def b():',
      '    s = requests.Session()',
      '    with s:',
      '        pass',
      'def c(stack):',
      '    stack.enter_context(socket.socket())',
      'def d(p):',
      '    with contextlib.closing(sqlite3.connect(p)) as c:',
      '        pass',
      'def e():',
      '    x = ThreadPoolExecutor()',
      '    atexit.register(x.shutdown)',
      '',
    ].join('\n'),
  ).map((lt) => lt.fate);
  assert.deepEqual(fates, ['with', 'with', 'exit-stack', 'closing', 'registered']);
});

test('escapes: returned, yielded, stored, passed, captured, global', () => {
  const src = [
    'import requests',
    'S = None',
    'def a():',
    '    return requests.Session()',
    'def b():',
    '    s = requests.Session()',
    '    yield s',
    'def c(self):',
    '    self.s = requests.Session()',
    'def d(reg):',
    '    reg.append(requests.Session())',
    'def e():',
    '    s = requests.Session()',
    '    return lambda: s.get("u", timeout=1)',
    'def f():',
    '    global S',
    '    S = requests.Session()',
    '',
  ].join('\n');
  const all = lifetimes(src);
  assert.deepEqual(all.map((lt) => lt.fate), ['escapes', 'escapes', 'escapes', 'escapes', 'escapes', 'escapes']);
  assert.deepEqual(all.map((lt) => lt.escapes[0]?.how ?? 'yield'), ['returned', 'yield', 'stored', 'passed', 'captured', 'global']);
});

test('self-attribute stores name the attribute and the class', () => {
  const lt = only('import requests\n\nclass C:\n    def __init__(self):\n        self.http = requests.Session()\n');
  assert.equal(lt.fate, 'escapes');
  assert.equal(lt.escapes[0].how, 'self-attribute');
  assert.equal(lt.escapes[0].attribute, 'http');
  assert.equal(lt.escapes[0].ownerClass?.name, 'C');
});

test('module- and class-level creations are singletons; inline uses are never closed', () => {
  const all = lifetimes('import requests\nS = requests.Session()\nclass C:\n    s = requests.Session()\ndef f(u):\n    return requests.Session().get(u, timeout=1)\n');
  assert.deepEqual(all.map((lt) => lt.fate), ['singleton', 'singleton', 'never-closed']);
  assert.equal(all[2].inline, true);
});

test('sqlite3 with manages a transaction only; psycopg 3 with closes', () => {
  const all = lifetimes('import sqlite3, psycopg\ndef f(p):\n    with sqlite3.connect(p) as c:\n        pass\ndef g(d):\n    with psycopg.connect(d) as c:\n        pass\n');
  assert.deepEqual(all.map((lt) => lt.fate), ['with-transaction-only', 'with']);
});
