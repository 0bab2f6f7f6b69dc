// The native parser (native/py_tree.c, built by `npm install`) must give the tree tree-sitter's
// Node binding gives, node for node, and must be the one in use: without it conn-lint silently
// falls back to the binding and is several times slower.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type ParserT from 'tree-sitter';
import { parsePython, parserBackend, useParserBackend, type Tree } from '../src/lang/python/tree.js';
import { REPO, fixtureAndExampleFiles } from './support.js';

const require = createRequire(import.meta.url);

let nativeParser: ParserT | undefined;
function nativeTree(source: string): ParserT.Tree {
  if (!nativeParser) {
    const Parser = require('tree-sitter') as typeof ParserT;
    nativeParser = new Parser();
    nativeParser.setLanguage(require('tree-sitter-python'));
  }
  return nativeParser.parse(source, undefined, { bufferSize: source.length + 1 });
}

/** Walks the binding's native tree and the parsed tree together; returns the first difference. */
function firstDifference(source: string, tree: Tree): string | undefined {
  const cursor = nativeTree(source).walk();
  const nodes = tree.nodes; // a getter that makes the whole list: once
  let i = 0;
  for (;;) {
    const n = cursor.currentNode;
    const m = nodes[i];
    if (!m) return `node ${i} (${n.type}) missing`;
    const want = [n.type, n.isNamed, n.isMissing, n.hasError, n.startIndex, n.endIndex, i === 0 ? undefined : cursor.currentFieldName ?? undefined];
    const got = [m.type, m.isNamed, m.isMissing, m.hasError, m.startIndex, m.endIndex, m.field];
    if (JSON.stringify(want) !== JSON.stringify(got)) return `node ${i}: binding ${JSON.stringify(want)}, parsed ${JSON.stringify(got)}`;
    if (m.childCount !== n.childCount) return `node ${i} (${n.type}): ${n.childCount} children, parsed ${m.childCount}`;
    if (m.pre !== i || (m.parent && m.parent.children[m.index] !== m)) return `node ${i}: wrong links`;
    i++;
    if (cursor.gotoFirstChild()) continue;
    let more = true;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        more = false;
        break;
      }
    }
    if (!more) break;
  }
  if (i !== nodes.length) return `${nodes.length} nodes parsed, the binding has ${i}`;
  for (const m of nodes) if (m.preEnd <= m.pre || m.preEnd > nodes.length) return `node ${m.pre}: bad subtree end ${m.preEnd}`;
  return undefined;
}

const TRICKY: Record<string, string> = {
  empty: '',
  'only a comment': '# nothing\n',
  'syntax errors and missing tokens': 'def f(:\n    return (1,\nclass\nx = [1, 2\nif x\n    pass\n',
  'non-BMP and combining characters': 's = "🎉 e\u0301"\n# 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\ndef 𝑓(): return "😀" + s\n',
  'lone surrogates': 'x = "\ud800" + "\udfff"\ny = 1\n',
  'CRLF and CR line ends': 'import requests\r\ndef f():\r\n    return requests.get(u)\r\nx = 1\r',
  tabs: 'if True:\n\tif x:\n\t\tpass\n',
  'deep nesting': 'x = ' + '('.repeat(300) + '1' + ')'.repeat(300) + '\n',
  'NUL byte': 'x = 1\0\ny = 2\n',
  // Its tree needs several chunks of the parser's arena (native/arena.c, 1 MB each at first).
  'a module of 240 KB': 'def f(a, b=[1, 2]):\n    return {"k": a(b)[0]} if b else None\n'.repeat(4_000),
};

test('the native parser is built and in use', () => {
  const b = parserBackend();
  assert.equal(
    b.backend,
    'addon',
    `native/py_tree.c is not in use (${b.reason ?? 'unknown reason'}); build it with \`npm install\` (node-gyp, a C compiler and Node's headers)`,
  );
});

test('the native parser gives the Node binding tree for every fixture and example', () => {
  const files = fixtureAndExampleFiles();
  assert.ok(files.length > 50, 'fixtures found');
  for (const f of files) {
    if (statSync(f).size > 1024 * 1024) continue;
    const source = readFileSync(f, 'utf8');
    assert.equal(firstDifference(source, parsePython(source)), undefined, path.relative(REPO, f));
  }
});

test('the native parser gives the Node binding tree for tricky sources', () => {
  for (const [what, source] of Object.entries(TRICKY)) {
    assert.equal(firstDifference(source, parsePython(source)), undefined, what);
  }
});

test('both backends give the same tree, and the fallback still works', () => {
  try {
    for (const source of Object.values(TRICKY)) {
      useParserBackend('binding');
      const viaBinding = parsePython(source);
      useParserBackend(undefined);
      const viaAddon = parsePython(source);
      assert.equal(viaBinding.rootNode.toString(), viaAddon.rootNode.toString());
      assert.equal(firstDifference(source, viaBinding), undefined);
    }
    useParserBackend('binding');
    assert.equal(parserBackend().backend, 'binding');
  } finally {
    useParserBackend(undefined);
  }
});

test('node ids stay unique across trees', () => {
  const a = parsePython('x = 1\n');
  const b = parsePython('x = 1\n');
  const ids = new Set([...a.nodes, ...b.nodes].map((n) => n.id));
  assert.equal(ids.size, a.nodes.length + b.nodes.length);
});
