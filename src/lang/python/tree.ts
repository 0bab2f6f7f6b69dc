// tree-sitter Python parsing: one parser per thread, reused for every file.
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../../package-root.js';
import type ParserT from 'tree-sitter';
import { fromRows, mirror, type PyNode, type PyTree, type RowNames } from './js-tree.js';

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

/** native/py_tree.c, built by `npm install` (binding.gyp): parses and exports a tree in one call. */
interface PyTreeAddon extends RowNames {
  setLanguage(language: unknown): void;
  parse(source: string): Uint32Array;
}

export type ParserBackend = 'addon' | 'binding';

// undefined: not tried yet; null: not built or not loadable (then the Node binding is used).
let addon: PyTreeAddon | null | undefined;
let addonError: string | undefined;
let forced: ParserBackend | undefined = process.env.CONN_LINT_PARSER === 'binding' ? 'binding' : undefined;

function getAddon(): PyTreeAddon | null {
  if (addon === undefined) {
    try {
      const loaded = require(path.join(packageRoot(), 'build', 'Release', 'py_tree.node')) as PyTreeAddon;
      loaded.setLanguage(require('tree-sitter-python').language);
      addon = loaded;
    } catch (e) {
      addon = null;
      const err = e as NodeJS.ErrnoException;
      addonError = err.code === 'MODULE_NOT_FOUND' ? 'build/Release/py_tree.node is missing' : err.message.split('\n')[0];
    }
  }
  return addon;
}

/** Which parser a parse uses, and why the addon is not used when it is not. */
export function parserBackend(): { backend: ParserBackend; reason?: string } {
  if (forced === 'binding') return { backend: 'binding', reason: 'CONN_LINT_PARSER=binding' };
  return getAddon() ? { backend: 'addon' } : { backend: 'binding', reason: addonError };
}

/** For tests: parse with this backend from now on (undefined: the default choice). */
export function useParserBackend(backend: ParserBackend | undefined): void {
  forced = backend;
}

// Both backends give the same tree (test/parser-backends.test.ts). The addon is several times
// faster: it builds the mirror from one array instead of a native call per node property, and
// frees the native tree at once instead of at a garbage collection.
export function parsePython(source: string): Tree {
  const fast = forced === 'binding' ? null : getAddon();
  if (fast) return fromRows(fast.parse(source), source, fast);
  // The Node binding reads the source in chunks through a callback; a generous buffer size lets
  // large files parse in one call instead of many small ones.
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
