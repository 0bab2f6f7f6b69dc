// The edit builders codemods share: adding an import, indentation, wrapping statements in
// `with` / `async with` / `try: ... finally:`. Each result must parse with tree-sitter and Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePython, type SyntaxNode } from '../src/lang/python/tree.js';
import { SemanticModel } from '../src/lang/python/model.js';
import { applyEdits } from '../src/fix/apply.js';
import { syntaxErrorIn } from '../src/fix/guard.js';
import { ensureImport } from '../src/fix/python/imports.js';
import { indentUnit } from '../src/fix/python/layout.js';
import { assignmentToWith, wrapInTryFinally, wrapInWith } from '../src/fix/python/wrap.js';
import { removeElements } from '../src/fix/python/collections.js';
import { addKeywordArgumentEdit } from '../src/fix/python/arguments.js';
import { pythonVerdicts } from './support.js';

function model(text: string): SemanticModel {
  return new SemanticModel(parsePython(text), text, 't.py');
}

/** The first node of `type` whose text starts with `startsWith`. */
function find(root: SyntaxNode, type: string, startsWith = ''): SyntaxNode {
  const stack = [root];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.type === type && n.text.startsWith(startsWith)) return n;
    stack.push(...n.namedChildren);
  }
  throw new Error(`no ${type} starting with ${startsWith}`);
}

/** The statement (child of a block/module) holding `node`. */
function statementOf(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n;
}

const outputs: string[] = [];
function check(result: string): string {
  assert.equal(syntaxErrorIn(result), undefined, `does not parse:\n${result}`);
  outputs.push(result);
  return result;
}

function addImport(text: string, module: string, name?: string, atText = 'use('): string {
  const m = model(text);
  const at = find(m.root, 'call', atText);
  const r = ensureImport(m, at, { module, name });
  assert.ok(r, 'ensureImport gave up');
  return r.edit ? check(applyEdits(text, [r.edit])) : text;
}

test('import goes after the docstring and __future__ imports, next to existing imports', () => {
  assert.equal(
    addImport('"""Doc."""\nfrom __future__ import annotations\n\nimport os\nimport sys\n\n\ndef f():\n    use()\n', 'asyncio'),
    '"""Doc."""\nfrom __future__ import annotations\n\nimport os\nimport sys\nimport asyncio\n\n\ndef f():\n    use()\n',
  );
  assert.equal(addImport('"""Doc."""\n\n\ndef f():\n    use()\n', 'asyncio'), '"""Doc."""\nimport asyncio\n\n\ndef f():\n    use()\n');
  assert.equal(addImport('#!/usr/bin/env python\n# -*- coding: utf-8 -*-\ndef f():\n    use()\n', 'asyncio'), '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport asyncio\ndef f():\n    use()\n');
  assert.equal(addImport('import os  # comment\nx = 1\nimport re\nuse()\n', 'asyncio'), 'import os  # comment\nimport asyncio\nx = 1\nimport re\nuse()\n');
});

test('an import is never added twice, aliases are reused, a shadowed name gives up', () => {
  const src = 'import asyncio\n\n\nasync def f():\n    use()\n';
  assert.equal(addImport(src, 'asyncio'), src);
  const m = model('import asyncio as aio\n\n\nasync def f():\n    use()\n');
  assert.deepEqual(ensureImport(m, find(m.root, 'call', 'use('), { module: 'asyncio' }), { ref: 'aio' });
  const shadow = model('import os\n\n\ndef f(asyncio):\n    use()\n');
  assert.equal(ensureImport(shadow, find(shadow.root, 'call', 'use('), { module: 'asyncio' }), null);
  // `from m import a` gains `, b`.
  assert.equal(addImport('from contextlib import suppress\n\n\ndef f():\n    use()\n', 'contextlib', 'closing'), 'from contextlib import suppress, closing\n\n\ndef f():\n    use()\n');
  const local = model('def f():\n    import asyncio\n    use()\n');
  assert.deepEqual(ensureImport(local, find(local.root, 'call', 'use('), { module: 'asyncio' }), { ref: 'asyncio' });
});

test('an import used at module level goes above the use', () => {
  const src = 'use()\nimport os\n';
  assert.equal(addImport(src, 'asyncio'), 'import asyncio\nuse()\nimport os\n');
});

test('indentation unit comes from the enclosing block: spaces, two spaces, tabs', () => {
  for (const [text, unit] of [
    ['def f():\n    if x:\n        use()\n', '    '],
    ['def f():\n  if x:\n    use()\n', '  '],
    ['def f():\n\tif x:\n\t\tuse()\n', '\t'],
    ['use()\ndef g():\n   pass\n', '   '],
    ['use()\n', '    '],
  ] as const) {
    const m = model(text);
    assert.equal(indentUnit(text, find(m.root, 'call', 'use(')), unit, JSON.stringify(text));
  }
});

test('assignment → with: the following statements move into the block, strings keep their text', () => {
  const src = [
    'def f(path):',
    '\tsession = make(path)',
    '\t# the comment moves too',
    '\tdata = session.get("""',
    'line one',
    '    line two""")',
    '\tif data:',
    '\t\tsession.post(data)',
    '\treturn data',
    '',
  ].join('\n');
  const m = model(src);
  const stmt = statementOf(find(m.root, 'assignment', 'session = make'));
  const body = [statementOf(find(m.root, 'assignment', 'data =')), find(m.root, 'if_statement')];
  const edits = assignmentToWith(src, stmt, body, { expression: 'make(path)', target: 'session' });
  assert.ok(edits);
  assert.equal(
    check(applyEdits(src, edits)),
    [
      'def f(path):',
      '\twith make(path) as session:',
      '\t\t# the comment moves too',
      '\t\tdata = session.get("""',
      'line one',
      '    line two""")',
      '\t\tif data:',
      '\t\t\tsession.post(data)',
      '\treturn data',
      '',
    ].join('\n'),
  );
});

test('assignment → async with, with nothing after it, gets `pass`', () => {
  const src = 'async def f():\n    s = Client()\n';
  const m = model(src);
  const edits = assignmentToWith(src, statementOf(find(m.root, 'assignment')), [], { expression: 'Client()', target: 's', async: true })!;
  assert.equal(check(applyEdits(src, edits)), 'async def f():\n    async with Client() as s:\n        pass\n');
});

test('statements sharing a line with others are not moved', () => {
  const src = 'def f():\n    s = Client(); s.get()\n    s.close()\n';
  const m = model(src);
  const stmt = statementOf(find(m.root, 'assignment'));
  assert.equal(assignmentToWith(src, stmt, [statementOf(find(m.root, 'call', 's.get'))], { expression: 'Client()', target: 's' }), null);
  const src2 = 'if x: use()\n';
  const m2 = model(src2);
  assert.equal(wrapInWith(src2, [statementOf(find(m2.root, 'call', 'use('))], { expression: 'lock' }), null);
});

test('wrap in with / try-finally with CRLF line endings', () => {
  const src = 'def f():\r\n    conn = connect()\r\n    conn.execute("x")  # note\r\n    conn.close()\r\n';
  const m = model(src);
  const exec = statementOf(find(m.root, 'call', 'conn.execute'));
  const edits = wrapInTryFinally(src, [exec], ['conn.close()'])!;
  const closeStmt = statementOf(find(m.root, 'call', 'conn.close'));
  // Remove the old close line together with the wrap.
  edits.push({ start: closeStmt.startIndex - 4, end: closeStmt.endIndex + 2, text: '' });
  assert.equal(
    check(applyEdits(src, edits)),
    'def f():\r\n    conn = connect()\r\n    try:\r\n        conn.execute("x")  # note\r\n    finally:\r\n        conn.close()\r\n',
  );
  const w = wrapInWith(src, [exec], { expression: 'lock' })!;
  assert.equal(check(applyEdits(src, w)), 'def f():\r\n    conn = connect()\r\n    with lock:\r\n        conn.execute("x")  # note\r\n    conn.close()\r\n');
});

test('removing elements from a literal keeps its layout and its kind', () => {
  const drop = (src: string) => {
    const m = model(src);
    const coll = m.root.namedChild(0)!.namedChild(0)!.childForFieldName('right')!;
    const edits = removeElements(coll, (e) => e.text === '"POST"' || e.text === '"PATCH"');
    return edits ? check(applyEdits(src, edits)) : undefined;
  };
  assert.equal(drop('m = ["GET", "POST", "PUT"]\n'), 'm = ["GET", "PUT"]\n');
  assert.equal(drop('m = ["GET", "PUT", "POST", "PATCH"]\n'), 'm = ["GET", "PUT"]\n');
  assert.equal(drop('m = ["POST", "GET"]\n'), 'm = ["GET"]\n');
  assert.equal(drop('m = {"GET", "POST"}\n'), 'm = {"GET"}\n');
  assert.equal(drop('m = ("GET", "POST")\n'), 'm = ("GET",)\n');
  assert.equal(drop('m = [\n    "GET",\n    "POST",\n    "PUT",\n]\n'), 'm = [\n    "GET",\n    "PUT",\n]\n');
  assert.equal(drop('m = [\n    "GET",\n    "POST",\n]\n'), 'm = [\n    "GET",\n]\n');
  assert.equal(drop('m = ["POST"]\n'), undefined, 'an empty literal would change meaning');
});

test('a keyword argument follows the call\'s layout', () => {
  const add = (src: string) => {
    const m = model(src);
    const call = find(m.root, 'call', 'get(');
    return check(applyEdits(src, [addKeywordArgumentEdit(call, 'timeout', '10')!]));
  };
  assert.equal(add('get(u)\n'), 'get(u, timeout=10)\n');
  assert.equal(add('get()\n'), 'get(timeout=10)\n');
  assert.equal(add('get(u,)\n'), 'get(u, timeout=10,)\n');
  assert.equal(add('get(\n    u,\n    json=x,\n)\n'), 'get(\n    u,\n    json=x,\n    timeout=10,\n)\n');
  assert.equal(add('get(\n    u,\n    json=x  # body\n)\n'), 'get(\n    u,\n    json=x,  # body\n    timeout=10\n)\n');
  assert.equal(add('get(u,\n    json=x)\n'), 'get(u,\n    json=x, timeout=10)\n');
});

test('every builder output compiles with Python', { skip: pythonVerdicts([''], 'compile') === null && 'python3 not found' }, () => {
  const verdicts = pythonVerdicts(outputs, 'compile')!;
  assert.deepEqual(verdicts.map((v, i) => (v ? `${v}\n${outputs[i]}` : '')).filter(Boolean), []);
});
