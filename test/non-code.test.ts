// The lexical scan the prefilter uses to ignore trigger words in comments and plain strings
// (src/lang/python/non-code.ts). Its one duty: never call code non-code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CodeMap, inRanges, nonCodeRanges, rangeEndAt } from '../src/lang/python/non-code.js';
import { parsePython, type SyntaxNode } from '../src/lang/python/tree.js';
import { REPO, fixtureAndExampleFiles } from './support.js';

/** The parts of `text` the scan calls code, joined by '|'. */
function code(text: string): string {
  const r = nonCodeRanges(text);
  let out = '';
  let at = 0;
  for (let k = 0; k < r.length; k += 2) {
    out += text.slice(at, r[k]) + '|';
    at = r[k + 1];
  }
  return out + text.slice(at);
}

test('comments and plain strings are not code; f-strings, names and keywords are', () => {
  assert.equal(code('import socket  # socket\n'), 'import socket  |\n');
  assert.equal(code('x = "socket"; y = \'requests\'\n'), 'x = |; y = |\n');
  assert.equal(code('"""doc with socket\nand requests"""\nimport x\n'), '|\nimport x\n');
  assert.equal(code("s = r'\\d' + b'\\x00' + Rb\"q\" + u'u'\n"), 's = | + | + | + |\n');
  assert.equal(code('f"{requests.get(u)}" + F\'x\' + rf"{a}"\n'), 'f"{requests.get(u)}" + F\'x\' + rf"{a}"\n');
  // Escaped quotes, and `#` inside a string, do not end or start anything.
  assert.equal(code('x = "a \\" # not a comment" + y  # comment\n'), 'x = | + y  |\n');
  // Words ending in prefix letters are words, not string prefixes.
  assert.equal(code('for"x" in y: bar\n'), 'for| in y: bar\n');
});

test('f-string replacement fields may hold quotes, strings and comments of their own', () => {
  const src = 'x = f"{d["k"]} and {f\'{y}\'} {{literal}}" + z\nimport socket\n';
  assert.equal(code(src), src);
  const triple = 'x = f"""\n{\n  a  # a comment in a field\n}\n""" ; "plain"\n';
  assert.equal(code(triple), 'x = f"""\n{\n  a  # a comment in a field\n}\n""" ; |\n');
});

test('a string left open ends with its line; a triple-quoted one runs to the end', () => {
  assert.equal(code('x = "open\nimport socket\n'), 'x = |\nimport socket\n');
  assert.equal(code("x = '''open\nimport socket\n"), 'x = |');
  assert.equal(code('x = "a\\\nb"\nimport socket\n'), 'x = |\nimport socket\n');
});

test('inRanges answers by binary search', () => {
  const r = nonCodeRanges('a # c\nb = "s"\n');
  assert.deepEqual(r, [2, 5, 10, 13]);
  assert.equal(inRanges(r, 1), false);
  assert.equal(inRanges(r, 2), true);
  assert.equal(inRanges(r, 5), false);
  assert.equal(inRanges(r, 12), true);
  assert.equal(inRanges(r, 13), false);
});

test('on every fixture and example, no identifier, keyword or call tree-sitter sees is put outside code', () => {
  for (const f of fixtureAndExampleFiles()) {
    const source = readFileSync(f, 'utf8');
    const ranges = nonCodeRanges(source);
    const tree = parsePython(source);
    const check = (n: SyntaxNode) => {
      // Comments and strings are where the ranges belong; f-strings are code (their fields count).
      if (n.type === 'comment') return;
      if (n.type === 'string' && !/^[a-zA-Z]*[fF]/.test(n.text)) return;
      if (n.type === 'identifier' || n.type === 'def' || n.type === 'async' || n.type === 'import') {
        assert.equal(inRanges(ranges, n.startIndex), false, `${path.relative(REPO, f)}:${n.startPosition.row + 1}: ${n.text}`);
      }
      for (const c of n.children) check(c);
    };
    check(tree.rootNode);
  }
});

test('CodeMap answers on demand what the full scan answers, in any order of questions', () => {
  const texts = [
    ...fixtureAndExampleFiles().map((f) => readFileSync(f, 'utf8')),
    'x = rb"socket"  # requests\nimport socket\ns = f"{socket.socket()}" \'\'\'\nasync def\n\'\'\'\n',
  ];
  for (const text of texts) {
    const full = nonCodeRanges(text);
    const map = new CodeMap(text);
    // Far positions first, then near ones, then every position of a short text.
    const positions = [text.length - 1, Math.floor(text.length / 2), 3, 0, ...Array.from({ length: Math.min(text.length, 400) }, (_, i) => i)];
    for (const at of positions) {
      if (at < 0) continue;
      assert.equal(map.nonCodeEndAt(at), rangeEndAt(full, at), `offset ${at} of ${JSON.stringify(text.slice(0, 40))}`);
    }
  }
  // The first question asked of a fresh map, at every offset: the scan stops right after it
  // (a string's prefix letters, `rb"`, are scanned before its quote is).
  const tricky = texts[texts.length - 1];
  const full = nonCodeRanges(tricky);
  for (let at = 0; at < tricky.length; at++) assert.equal(new CodeMap(tricky).nonCodeEndAt(at), rangeEndAt(full, at), `first question at ${at}`);
});
