// SemanticModel.mayCall: the check rules and callMatches make on a call's spelling before asking
// the model to resolve it. It may say "maybe" too often, never "no" for a call that resolves to
// one of the names: for every call of every fixture and example, and of tricky sources below,
// every known library name the call matches must pass mayCall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixtureAndExampleFiles } from './support.js';
import { parsePython } from '../src/lang/python/tree.js';
import { SemanticModel } from '../src/lang/python/model.js';
import type { ModuleLocation } from '../src/lang/python/scopes.js';
import { KNOWN_CLASSES, RETURN_TYPES, SIGNATURES } from '../src/lang/python/knowledge.js';

const TRICKY: Array<[string, ModuleLocation?]> = [
  ['from redis import StrictRedis as SR\nr = SR()\nr.get("k")\n'],
  ['import redis\nredis.StrictRedis()\nredis.client.StrictRedis()\n'],
  ['import sqlalchemy.orm as orm\nS = orm.sessionmaker(bind=e)\ns = S()\n'],
  ['from sqlalchemy.orm import sessionmaker\nclass Maker(sessionmaker): pass\nm = Maker()\nsession = m()\n'],
  ['from requests import Session as S\nS().get(u)\n'],
  ['import requests\nclass My(requests.Session): pass\nMy().get(u)\nclass Deeper(My): pass\nDeeper()\n'],
  ['import ssl\nclass MySock(ssl.SSLSocket): pass\nMySock()\n'],
  ['from concurrent.futures import *\nThreadPoolExecutor()\n'],
  ['import requests\n(requests.get)(u)\n((requests.post))(u, timeout=None)\n'],
  ['from requests.adapters import Retry\nRetry(total=None)\n'],
  ['import urllib2\nurllib2.urlopen(u)\n'],
  ['def f(s: "requests.Session"):\n    s.get(u)\n'],
  ['async def f(x):\n    return await wait_for(x, None)\n', { moduleName: 'asyncio.tasks' }],
  ['from .client import ClientSession\nClientSession()\n', { moduleName: 'aiohttp.web' }],
];

test('mayCall never rules out a call that resolves to one of the names', () => {
  // Known names, and a name canonicalName() reaches from another spelling (StrictRedis).
  const all = [...new Set([...KNOWN_CLASSES, ...Object.keys(RETURN_TYPES), ...Object.keys(SIGNATURES), 'redis.Redis'])];
  // One list per name, reused for every call (mayCall remembers its answer per list).
  const single = all.map((n) => [n]);
  const sources: Array<[string, ModuleLocation?]> = [
    ...fixtureAndExampleFiles().map((f): [string] => [readFileSync(f, 'utf8')]),
    ...TRICKY,
  ];
  let matched = 0;
  let ruledOut = 0;
  for (const [source, location] of sources) {
    const tree = parsePython(source);
    const model = new SemanticModel(tree, source, 'x.py', location);
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const info = model.resolveCall(call);
      for (const names of single) {
        const hit = model.matchInfo(info, names);
        const may = model.mayCall(call, names);
        if (hit) {
          matched++;
          assert.ok(may, `${call.text.slice(0, 60)} matches ${names[0]}, but mayCall said no\n${source.slice(0, 300)}`);
        } else if (!may) ruledOut++;
      }
    }
  }
  assert.ok(matched > 500, `calls that match a known name: ${matched}`);
  assert.ok(ruledOut > matched, 'mayCall rules out most non-matching pairs');
});
