// The trigger-word prefilter (src/engine/prefilter.ts): one scan must find exactly what one
// `includes` per word finds, including words inside other words, and patterns and module names
// must count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordScanner, rulesTriggeredBy } from '../src/engine/prefilter.js';
import { nameTriggers } from '../src/lang/python/knowledge.js';
import type { Rule } from '../src/types.js';
import { rules as allRules } from './support.js';

const rule = (code: string, triggers: Rule['triggers']): Rule =>
  ({ code, name: code, triggers, nodeTypes: [], visit() {} }) as unknown as Rule;

test('the scanner finds every word that occurs, overlapping or nested ones too', () => {
  const words = ['Session', 'ClientSession', 'async', 'asyncio', 'io', 'cio', 'requests', 'socket', 'Pool', 'QueuePool', 'x.y'];
  const s = new WordScanner(words);
  const texts = [
    '',
    'import asyncio',
    's = aiohttp.ClientSession()',
    'QueuePool and Session',
    'nothing here',
    'asyncio' + ' '.repeat(10) + 'requests',
    'x.y but not xzy',
    'xzy only',
    'ClientSessionPool',
    // A word that starts inside another one's match and ends after it.
    'requestsocket',
    'SessionPoo',
  ];
  for (const text of texts) {
    const expected = new Set(words.filter((w) => text.includes(w)));
    assert.deepEqual(s.find(text), expected, JSON.stringify(text));
  }
});

test('the scanner agrees with includes() for the real rules on a mixed text', async () => {
  const words = [...new Set((await allRules()).flatMap((r) => r.triggers.flat().filter((t): t is string => typeof t === 'string')))];
  const text = words.map((w, i) => (i % 3 === 0 ? w.toUpperCase() : i % 3 === 1 ? `_${w}_` : w.slice(1))).join('\n');
  assert.deepEqual(new WordScanner(words).find(text), new Set(words.filter((w) => text.includes(w))));
});

test('rules run where a word, a pattern or the module name triggers them', () => {
  const r1 = rule('A', ['requests']);
  const r2 = rule('B', [/\basync[\s\\]+def\b/]);
  const r3 = rule('C', []);
  const r4 = rule('D', ['asyncio']);
  const all = [r1, r2, r3, r4];
  const codes = (text: string, moduleName?: string) => rulesTriggeredBy(text, all, all, moduleName).map((r) => r.code);
  assert.deepEqual(codes('x = 1'), ['C']);
  assert.deepEqual(codes('import requests'), ['A', 'C']);
  assert.deepEqual(codes('async  def f(): pass'), ['B', 'C']);
  assert.deepEqual(codes('async \\\n def f(): pass'), ['B', 'C']);
  assert.deepEqual(codes('import asynchat  # async is a word here, not a coroutine'), ['C']);
  // Inside the asyncio package, `from .tasks import gather` never spells `asyncio`.
  assert.deepEqual(codes('from .tasks import gather', 'asyncio.base_events'), ['C', 'D']);
  // Only the candidates are filtered; the scan covers the whole enabled set.
  assert.deepEqual(rulesTriggeredBy('import requests', [r1], all).map((r) => r.code), ['A']);
});

test('a list trigger needs all its items: the first in code, the others anywhere', () => {
  const r = rule('L', [['aiohttp', 'Connector'], ['httpx', 'Limits']]);
  const other = rule('O', [['asyncio', /\bsleep\(/]]);
  const all = [r, other];
  const codes = (text: string, moduleName?: string) => rulesTriggeredBy(text, all, all, moduleName).map((x) => x.code);
  assert.deepEqual(codes('import aiohttp\nc = aiohttp.TCPConnector(limit=0)'), ['L']);
  assert.deepEqual(codes('import aiohttp\ns = aiohttp.ClientSession()'), []);
  assert.deepEqual(codes('from x import TCPConnector, Limits'), []);
  // The module must be in code; the class may be named in a string annotation.
  assert.deepEqual(codes('import aiohttp\ndef f(c: "aiohttp.TCPConnector"): ...'), ['L']);
  assert.deepEqual(codes('# import aiohttp\nc = TCPConnector(limit=0)'), []);
  // Inside the package, the module name stands for the import.
  assert.deepEqual(codes('from .connector import TCPConnector', 'aiohttp.client'), ['L']);
  // Patterns work in lists too.
  assert.deepEqual(codes('import asyncio\nawait asyncio.sleep(1)'), ['O']);
  assert.deepEqual(codes('import asyncio\nx = 1  # sleep(1)'), ['O']);
  assert.deepEqual(codes('import time\ntime.sleep(1)'), []);
});

test('a /g pattern trigger gives the same answer on every file', () => {
  const r = rule('G', [/requests/g]);
  for (let i = 0; i < 3; i++) assert.equal(rulesTriggeredBy('import requests', [r]).length, 1);
});

test('name triggers: module and spelled name, through aliases and library subclasses', () => {
  const got = nameTriggers(['socket.socket', 'socket.create_connection', 'urllib3.Retry', 'sqlalchemy.orm.sessionmaker.__call__']);
  const has = (t: string[]) => got.some((g) => JSON.stringify(g) === JSON.stringify(t));
  assert.ok(has(['socket', 'create_connection']), JSON.stringify(got));
  // A library subclass reaches the name too (a user class deriving from ssl.SSLSocket is a socket).
  assert.ok(has(['ssl', 'SSLSocket']));
  // canonicalName() maps requests' re-export to urllib3's Retry: a file may spell only `requests`.
  assert.ok(has(['urllib3', 'Retry']) && has(['requests', 'Retry']), JSON.stringify(got));
  // Calling an instance spells the class's name, not `__call__`.
  assert.ok(has(['sqlalchemy', 'sessionmaker']));
  // `socket.socket` spells only its module: the name must be called, aliased or derived from.
  const own = got.find((g) => g[0] === 'socket' && g[1] instanceof RegExp);
  assert.ok(own, JSON.stringify(got.map((g) => g.map(String))));
  const called = own[1] as RegExp;
  for (const text of ['s = socket.socket()', 's = socket.socket (AF_INET)', '(socket.socket)(x)', 'socket.socket \\\n  (x)',
    'from socket import socket as S', 'class X(Base,\n        socket.socket):']) {
    assert.ok(called.test(text), text);
  }
  for (const text of ['import socket\nsocket.AF_INET', 'except socket.timeout:', 'socketserver.TCPServer(a)', 'mysocket(x)']) {
    assert.ok(!called.test(text), text);
  }
});

test('CL104 needs a function it checks named in code, not in a docstring', async () => {
  const cl104 = (await allRules()).find((r) => r.code === 'CL104')!;
  const runs = (text: string) => rulesTriggeredBy(text, [cl104]).length === 1;
  assert.equal(runs('import urllib.request\n"""Fetch with urlopen(url, timeout=...)."""\n'), false);
  assert.equal(runs('import urllib.request\nurllib.request.urlopen(u)\n'), true);
  assert.equal(runs('from urllib.request import urlopen as fetch\nfetch(u)\n'), true);
  // A class may be named only in a string annotation: its module must be in code.
  assert.equal(runs('import http.client\ndef f(c: "http.client.HTTPConnection"): ...\n'), true);
});
