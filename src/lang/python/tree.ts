// tree-sitter Python parsing: one parser per thread, reused for every file.
import { createRequire } from 'node:module';
import type ParserT from 'tree-sitter';

const require = createRequire(import.meta.url);

export type SyntaxNode = ParserT.SyntaxNode;
export type Tree = ParserT.Tree;

let parser: ParserT | undefined;

const PARENTS = Symbol('conn-lint.parents');

/**
 * tree-sitter nodes do not store their parent: `node.parent` re-descends from the root, so a walk
 * up the ancestors costs O(depth²) native calls, and the model and rules walk up a lot. Memoize
 * each node's parent per tree, keyed by the node's identity words (no native call needed).
 */
function memoizeParent(Parser: typeof ParserT): void {
  const proto = (Parser as unknown as { SyntaxNode: { prototype: object } }).SyntaxNode.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'parent');
  if (!original?.get) return;
  const get = original.get;
  Object.defineProperty(proto, 'parent', {
    configurable: true,
    get(this: Record<number, number> & { tree: Record<symbol, Map<string, unknown>> }) {
      const tree = this.tree;
      let cache = tree[PARENTS];
      if (!cache) {
        cache = new Map();
        Object.defineProperty(tree, PARENTS, { value: cache });
      }
      const key = `${this[0]}:${this[1]}`;
      let p = cache.get(key);
      if (p === undefined) {
        p = get.call(this);
        cache.set(key, p);
      }
      return p;
    },
  });
}

function getParser(): ParserT {
  if (!parser) {
    const Parser = require('tree-sitter') as typeof ParserT;
    memoizeParent(Parser);
    const Python = require('tree-sitter-python');
    parser = new Parser();
    parser.setLanguage(Python);
  }
  return parser;
}

// The Node binding reads the source in chunks through a callback; a generous buffer size lets
// large files parse in one call instead of many small ones.
export function parsePython(source: string): Tree {
  return getParser().parse(source, undefined, { bufferSize: Math.max(64 * 1024, source.length + 1) });
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
