// The tree view over the parser's rows (src/lang/python/js-tree.ts): descendantsOfType scans small
// subtrees and looks big ones up in a per-tree index of rows by type; both must give exactly the
// nodes a plain filter over the subtree gives, in pre-order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePython, type SyntaxNode } from '../src/lang/python/tree.js';
import { fixtureAndExampleFiles } from './support.js';

/** The nodes of `node`'s subtree (itself included) whose type is one of `types`, by a plain walk. */
function naive(node: SyntaxNode, all: readonly SyntaxNode[], types: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = node.pre; i < node.preEnd; i++) {
    const n = all[i];
    if (types.includes(n.type) && n.endIndex > 0) out.push(n.pre);
  }
  return out;
}

const TYPE_SETS: Array<string | string[]> = [
  'call',
  'identifier',
  'string_content',
  'with_item',
  ['call', 'assignment'],
  ['identifier', 'attribute'],
  ['raise_statement', 'return_statement', 'continue_statement', 'break_statement'],
  ['import_statement', 'import_from_statement', 'class_definition'],
  'no_such_type',
];

test('descendantsOfType gives what a plain walk gives, for small and big subtrees', () => {
  const files = fixtureAndExampleFiles();
  assert.ok(files.length > 50, 'fixtures found');
  // One big module too, so that the index is used below the root as well.
  const sources = files.map((f) => readFileSync(f, 'utf8'));
  sources.push(sources.join('\n'));
  let indexed = 0;
  for (const source of sources) {
    const tree = parsePython(source);
    const all = tree.nodes;
    // The root, every function and class, and every 7th other node.
    const subjects = all.filter((n) => n.pre === 0 || /definition$/.test(n.type) || n.pre % 7 === 0);
    for (const node of subjects) {
      if (node.preEnd - node.pre > 256) indexed++;
      for (const types of TYPE_SETS) {
        const list = typeof types === 'string' ? [types] : types;
        const got = node.descendantsOfType(types).map((n) => n.pre);
        assert.deepEqual(got, naive(node, all, list), `${node.type} at ${node.startIndex}: ${list.join(', ')}`);
      }
    }
  }
  assert.ok(indexed > 50, 'big subtrees were looked up in the index');
});
