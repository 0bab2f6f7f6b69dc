// A plain-JS mirror of a tree-sitter tree, built in one TreeCursor walk right after parsing.
//
// Why: every property of the Node binding's SyntaxNode (`type`, `parent`, `childForFieldName`,
// `id`, ...) is a native call that marshals the node through a transfer buffer; the model and the
// rules ask millions of them, and on the stdlib that cost several times the parse itself. The
// mirror answers the same questions from JS objects. It implements the part of the SyntaxNode
// API that conn-lint uses, with tree-sitter's semantics (checked node for node against the native
// tree on the CPython stdlib): offsets and columns in UTF-16 code units, rows counted at '\n',
// `children` including anonymous tokens and comments, `parent` of the root null.
import { positionOf } from '../../engine/positions.js';
import type ParserT from 'tree-sitter';

export interface Point {
  row: number;
  column: number;
}

const NO_CHILDREN: readonly PyNode[] = Object.freeze([]);

// Unique across every tree of the process (models key caches by id, and string annotations are
// parsed into trees of their own).
let nextId = 1;

export class PyNode {
  readonly id = nextId++;
  parent: PyNode | null = null;
  /** Name of the field this node fills in its parent, if any. */
  field: string | undefined = undefined;
  /** Index in the parent's `children`. */
  index = 0;
  children: PyNode[] = NO_CHILDREN as PyNode[];
  hasError = false;
  /** Position in the tree's pre-order list; the subtree is nodes[pre, preEnd). */
  pre = 0;
  preEnd = 0;
  private named: PyNode[] | undefined = undefined;

  constructor(
    readonly tree: PyTree,
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}

  get text(): string {
    return this.tree.source.substring(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return this.tree.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.endIndex);
  }

  get namedChildren(): PyNode[] {
    let named = this.named;
    if (!named) {
      named = this.children.length === 0 ? (NO_CHILDREN as PyNode[]) : this.children.filter((c) => c.isNamed);
      this.named = named;
    }
    return named;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(i: number): PyNode | null {
    return this.children[i] ?? null;
  }

  namedChild(i: number): PyNode | null {
    return this.namedChildren[i] ?? null;
  }

  get firstChild(): PyNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): PyNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  get firstNamedChild(): PyNode | null {
    return this.namedChildren[0] ?? null;
  }

  get lastNamedChild(): PyNode | null {
    const named = this.namedChildren;
    return named[named.length - 1] ?? null;
  }

  get nextSibling(): PyNode | null {
    return this.parent?.children[this.index + 1] ?? null;
  }

  get previousSibling(): PyNode | null {
    return this.parent?.children[this.index - 1] ?? null;
  }

  // Like ts_node_next_sibling / prev_sibling, which search by byte range: a zero-width sibling
  // that ends where this node ends is not "next" (it happens after ERROR nodes).
  get nextNamedSibling(): PyNode | null {
    const siblings = this.parent?.children;
    if (!siblings) return null;
    const empty = this.startIndex === this.endIndex;
    for (let i = this.index + 1; i < siblings.length; i++) {
      const s = siblings[i];
      if (s.endIndex <= this.endIndex) continue;
      if (empty ? s.startIndex < this.startIndex : s.startIndex <= this.startIndex) continue;
      if (s.isNamed) return s;
    }
    return null;
  }

  get previousNamedSibling(): PyNode | null {
    const siblings = this.parent?.children;
    if (!siblings) return null;
    const empty = this.startIndex === this.endIndex;
    let found: PyNode | null = null;
    for (let i = 0; i < this.index; i++) {
      const s = siblings[i];
      if (s.endIndex > this.endIndex || (s.endIndex === this.endIndex && !empty)) break;
      if (s.isNamed) found = s;
    }
    return found;
  }

  /** The first child filling field `name`, or null. */
  childForFieldName(name: string): PyNode | null {
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i].field === name) return children[i];
    return null;
  }

  childrenForFieldName(name: string): PyNode[] {
    return this.children.filter((c) => c.field === name);
  }

  /**
   * This node and its descendants of the given type(s), in pre-order. Like the native binding, a
   * node ending at point (0, 0) is skipped (its subtree ends there too).
   */
  descendantsOfType(types: string | readonly string[]): PyNode[] {
    const nodes = this.tree.nodes;
    const out: PyNode[] = [];
    if (typeof types === 'string') {
      for (let i = this.pre; i < this.preEnd; i++) {
        const n = nodes[i];
        if (n.type === types && n.endIndex > 0) out.push(n);
      }
    } else {
      for (let i = this.pre; i < this.preEnd; i++) {
        const n = nodes[i];
        if (n.endIndex > 0 && types.includes(n.type)) out.push(n);
      }
    }
    return out;
  }

  /** The smallest node that spans `start`..`end` (points), as ts_node_descendant_for_point_range. */
  descendantForPosition(start: Point, end: Point = start): PyNode {
    let node: PyNode = this;
    for (let descended = true; descended; ) {
      descended = false;
      for (const c of node.children) {
        const cEnd = c.endPosition;
        if (pointLess(cEnd, end)) continue;
        if (!pointLess(start, cEnd)) continue;
        if (pointLess(start, c.startPosition)) break;
        node = c;
        descended = true;
        break;
      }
    }
    return node;
  }

  equals(other: PyNode | null | undefined): boolean {
    return this === other;
  }

  walk(): PyCursor {
    return new PyCursor(this);
  }

  toString(): string {
    if (!this.isNamed) return `("${this.type}")`;
    const parts: string[] = [];
    for (const c of this.children) {
      if (!c.isNamed) continue;
      parts.push(c.field ? `${c.field}: ${c.toString()}` : c.toString());
    }
    const head = this.isMissing ? `MISSING ${this.type}` : this.type;
    return parts.length ? `(${head} ${parts.join(' ')})` : `(${head})`;
  }
}

function pointLess(a: Point, b: Point): boolean {
  return a.row < b.row || (a.row === b.row && a.column < b.column);
}

/** A cursor over the mirror that never leaves the subtree it started at (like TreeCursor). */
export class PyCursor {
  constructor(
    private readonly root: PyNode,
    private node: PyNode = root,
  ) {}

  get currentNode(): PyNode {
    return this.node;
  }

  get nodeType(): string {
    return this.node.type;
  }

  get currentFieldName(): string | undefined {
    return this.node === this.root ? undefined : this.node.field;
  }

  gotoFirstChild(): boolean {
    const first = this.node.children[0];
    if (!first) return false;
    this.node = first;
    return true;
  }

  gotoNextSibling(): boolean {
    const n = this.node;
    if (n === this.root || !n.parent) return false;
    const next = n.parent.children[n.index + 1];
    if (!next) return false;
    this.node = next;
    return true;
  }

  gotoParent(): boolean {
    const n = this.node;
    if (n === this.root || !n.parent) return false;
    this.node = n.parent;
    return true;
  }
}

export class PyTree {
  /** Every node in pre-order (the order of a TreeCursor walk). */
  nodes: PyNode[] = [];
  rootNode!: PyNode;
  private lineStarts: number[] | undefined;

  constructor(readonly source: string) {}

  walk(): PyCursor {
    return new PyCursor(this.rootNode);
  }

  /** Row (counted at '\n', as tree-sitter does) and UTF-16 column of an offset. */
  pointAt(offset: number): Point {
    let starts = this.lineStarts;
    if (!starts) {
      starts = [0];
      const s = this.source;
      for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    // Rows count '\n' only, as tree-sitter's do (a lone '\r' starts no row); the search is the engine's.
    const at = positionOf(offset, starts);
    return { row: at.line - 1, column: at.column - 1 };
  }
}

// Per symbol id of the one language parsed (Python).
const KINDS = new Map<number, { type: string; isNamed: boolean }>();
const FIELDS: Array<string | undefined> = [];

/** Mirrors a native tree in one cursor walk. */
export function mirror(native: ParserT.Tree, source: string): PyTree {
  const tree = new PyTree(source);
  const nodes = tree.nodes;
  const cursor = native.walk();
  // Only a tree with an error can hold missing nodes: skip that native call otherwise.
  const mayMiss = native.rootNode.hasError;
  // Type name, named-ness (both per symbol, alias included) and field names are cached by their
  // numeric ids: a number crosses the native boundary cheaper than a fresh string.
  const make = (): PyNode => {
    const typeId = cursor.nodeTypeId;
    let kind = KINDS.get(typeId);
    if (kind === undefined) KINDS.set(typeId, (kind = { type: cursor.nodeType, isNamed: cursor.nodeIsNamed }));
    const node = new PyNode(tree, kind.type, kind.isNamed, mayMiss && cursor.nodeIsMissing, cursor.startIndex, cursor.endIndex);
    // A missing token can be a hidden node (`_newline`) the cursor never visits, so a tree with
    // errors takes `hasError` from the native nodes; in others it is false everywhere.
    if (mayMiss) node.hasError = cursor.currentNode.hasError;
    return node;
  };
  const fieldName = (): string | undefined => {
    const id = cursor.currentFieldId;
    if (!id) return undefined;
    let name = FIELDS[id];
    if (name === undefined) name = FIELDS[id] = cursor.currentFieldName;
    return name;
  };

  const root = make();
  root.pre = 0;
  nodes.push(root);
  tree.rootNode = root;
  let parent = root;
  let depth = 0;
  if (cursor.gotoFirstChild()) {
    depth = 1;
    parent.children = [];
    for (;;) {
      const node = make();
      node.parent = parent;
      node.field = fieldName();
      node.index = parent.children.length;
      node.pre = nodes.length;
      parent.children.push(node);
      nodes.push(node);
      if (cursor.gotoFirstChild()) {
        node.children = [];
        parent = node;
        depth++;
        continue;
      }
      node.preEnd = nodes.length;
      // Close the finished ancestors until one has a next sibling.
      while (!cursor.gotoNextSibling()) {
        cursor.gotoParent();
        depth--;
        parent.preEnd = nodes.length;
        if (depth === 0) break;
        parent = parent.parent!;
      }
      if (depth === 0) break;
    }
  }
  if (root.preEnd === 0) root.preEnd = nodes.length;
  return tree;
}

/** What native/py_tree.c knows of the language: names by numeric id. */
export interface RowNames {
  symbolName(id: number): string;
  fieldName(id: number): string | undefined;
}

// Layout of a row of native/py_tree.c's parse() output.
const ROW = 9;
const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;
const NO_PARENT = 0xffffffff;
const SYMBOLS: string[] = [];
const ROW_FIELDS: Array<string | undefined> = [];

/** Builds the tree from the pre-order rows the native parser returns. */
export function fromRows(rows: Uint32Array, source: string, names: RowNames): PyTree {
  const tree = new PyTree(source);
  const count = rows.length / ROW;
  const nodes: PyNode[] = (tree.nodes = new Array<PyNode>(count));
  for (let i = 0, r = 0; i < count; i++, r += ROW) {
    const symbol = rows[r];
    let type = SYMBOLS[symbol];
    if (type === undefined) type = SYMBOLS[symbol] = names.symbolName(symbol);
    const flags = rows[r + 6];
    const node = new PyNode(tree, type, (flags & NAMED) !== 0, (flags & MISSING) !== 0, rows[r + 1], rows[r + 2]);
    node.hasError = (flags & HAS_ERROR) !== 0;
    node.pre = i;
    node.preEnd = rows[r + 5];
    const fieldId = rows[r + 3];
    if (fieldId !== 0) {
      let field = ROW_FIELDS[fieldId];
      if (field === undefined) field = ROW_FIELDS[fieldId] = names.fieldName(fieldId);
      node.field = field;
    }
    // Children arrays get their exact size: grown by push they would reserve 17 slots each.
    const childCount = rows[r + 8];
    if (childCount !== 0) node.children = new Array<PyNode>(childCount);
    const parentRow = rows[r + 4];
    if (parentRow !== NO_PARENT) {
      const parent = nodes[parentRow];
      node.parent = parent;
      node.index = rows[r + 7];
      parent.children[node.index] = node;
    }
    nodes[i] = node;
  }
  tree.rootNode = nodes[0];
  return tree;
}
