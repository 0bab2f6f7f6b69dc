// tree-sitter Python parsing: one parser per thread, reused for every file.
import { createRequire } from 'node:module';
import type ParserT from 'tree-sitter';
import { mirror, type PyNode, type PyTree } from './js-tree.js';

const require = createRequire(import.meta.url);

// Rules and the model see a plain-JS mirror of the tree (js-tree.ts), not the native nodes.
export type SyntaxNode = PyNode;
export type Tree = PyTree;

let parser: ParserT | undefined;

function getParser(): ParserT {
  if (!parser) {
    const Parser = require('tree-sitter') as typeof ParserT;
    const Python = require('tree-sitter-python');
    parser = new Parser();
    parser.setLanguage(Python);
  }
  return parser;
}

// The Node binding reads the source in chunks through a callback; a generous buffer size lets
// large files parse in one call instead of many small ones.
// The native tree is mirrored at once and then left to the garbage collector.
export function parsePython(source: string): Tree {
  const native = getParser().parse(source, undefined, { bufferSize: Math.max(64 * 1024, source.length + 1) });
  return mirror(native, source);
}

/** First syntax error or missing node, as 1-based line/column, if any. */
export function firstSyntaxError(tree: Tree): { line: number; column: number; message: string } | undefined {
  if (!tree.rootNode.hasError) return undefined;
  const cursor = tree.walk();
  let reached = true;
  while (reached) {
    const node = cursor.currentNode;
    if (node.type === 'ERROR' || node.isMissing) {
      const what = node.isMissing ? `missing "${node.type}"` : `unexpected ${describe(node)}`;
      return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `syntax error: ${what}` };
    }
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        reached = false;
        break;
      }
    }
  }
  return { line: 1, column: 1, message: 'syntax error' };
}

function describe(node: SyntaxNode): string {
  const text = node.text.split('\n')[0].trim();
  return text ? `"${text.length > 30 ? text.slice(0, 30) + '…' : text}"` : 'token';
}
