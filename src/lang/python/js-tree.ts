// A plain-JS view of a tree-sitter tree, answering the part of the SyntaxNode API that conn-lint
// uses with tree-sitter's semantics (checked node for node against the Node binding's native
// tree: test/parser-backends.test.ts): offsets and columns in UTF-16 code units, rows counted at
// '\n', `children` including anonymous tokens and comments, `parent` of the root null.
//
// Why not the binding's own SyntaxNode: each of its properties is a native call, and the model
// and rules ask millions of them. Why rows: the tree arrives as one Uint32Array (native/py_tree.c,
// or mirror() below from the binding's cursor), nine numbers per node in pre-order, and each
// node object is only (tree, row): its type, range, parent and children are read from the rows
// when asked. A tree of objects with all of that copied in was 3x the memory, and copying it
// through V8's young generation was a fifth of a run's time.
import { positionOf } from '../../engine/positions.js';
import type ParserT from 'tree-sitter';

export interface Point {
  row: number;
  column: number;
}

/** What the parser knows of the language: names by numeric id. */
export interface RowNames {
  symbolName(id: number): string;
  fieldName(id: number): string | undefined;
}

// Layout of a row: symbol, start, end (UTF-16 code units), field id (0: none), parent row
// (NO_PARENT: root), end of the subtree (row after its last descendant), flags, index among the
// parent's children, number of children.
const ROW = 9;
const SYMBOL = 0;
const START = 1;
const END = 2;
const FIELD = 3;
const PARENT = 4;
const SUBTREE_END = 5;
const FLAGS = 6;
const INDEX = 7;
const CHILD_COUNT = 8;
const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;
const NO_PARENT = 0xffffffff;

// Names by id, for the one language parsed (Python); filled as ids are first seen.
const SYMBOLS: string[] = [];
const FIELDS: Array<string | undefined> = [];

const NO_CHILDREN: readonly PyNode[] = Object.freeze([]);

// Ids are unique across every tree of the process (models key caches by id, and string
// annotations are parsed into trees of their own): each tree takes a block of them.
let nextId = 1;

export class PyNode {
  private kids: PyNode[] | undefined = undefined;
  private named: PyNode[] | undefined = undefined;

  /** `pre`: the node's row, its position in pre-order; its subtree is rows [pre, preEnd). */
  constructor(
    readonly tree: PyTree,
    readonly pre: number,
  ) {}

  get id(): number {
    return this.tree.idBase + this.pre;
  }

  get type(): string {
    return this.tree.typeAt(this.pre);
  }

  get startIndex(): number {
    return this.tree.rows[this.pre * ROW + START];
  }

  get endIndex(): number {
    return this.tree.rows[this.pre * ROW + END];
  }

  get isNamed(): boolean {
    return (this.tree.rows[this.pre * ROW + FLAGS] & NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.tree.rows[this.pre * ROW + FLAGS] & MISSING) !== 0;
  }

  get hasError(): boolean {
    return (this.tree.rows[this.pre * ROW + FLAGS] & HAS_ERROR) !== 0;
  }

  /** Name of the field this node fills in its parent, if any. */
  get field(): string | undefined {
    const id = this.tree.rows[this.pre * ROW + FIELD];
    return id === 0 ? undefined : this.tree.fieldNameOf(id);
  }

  get parent(): PyNode | null {
    const p = this.tree.rows[this.pre * ROW + PARENT];
    return p === NO_PARENT ? null : this.tree.node(p);
  }

  /** Index in the parent's `children`. */
  get index(): number {
    return this.tree.rows[this.pre * ROW + INDEX];
  }

  /** The row after the last of this node's descendants. */
  get preEnd(): number {
    return this.tree.rows[this.pre * ROW + SUBTREE_END];
  }

  get children(): PyNode[] {
    let kids = this.kids;
    if (kids === undefined) {
      const rows = this.tree.rows;
      const n = rows[this.pre * ROW + CHILD_COUNT];
      if (n === 0) kids = NO_CHILDREN as PyNode[];
      else {
        kids = new Array<PyNode>(n);
        // The first child is the next row; each next sibling starts where the previous subtree ends.
        for (let k = 0, c = this.pre + 1; k < n; k++, c = rows[c * ROW + SUBTREE_END]) kids[k] = this.tree.node(c);
      }
      this.kids = kids;
    }
    return kids;
  }

  get childCount(): number {
    return this.tree.rows[this.pre * ROW + CHILD_COUNT];
  }

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
      const kids = this.children;
      // Most nodes with children have only named ones: share the array then.
      named = kids.every((c) => c.isNamed) ? kids : kids.filter((c) => c.isNamed);
      this.named = named;
    }
    return named;
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
    const tree = this.tree;
    const rows = tree.rows;
    const n = rows[this.pre * ROW + CHILD_COUNT];
    // Straight from the rows: most calls are on nodes whose children were never listed.
    for (let k = 0, c = this.pre + 1; k < n; k++, c = rows[c * ROW + SUBTREE_END]) {
      const f = rows[c * ROW + FIELD];
      if (f !== 0 && tree.fieldNameOf(f) === name) return tree.node(c);
    }
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
    const tree = this.tree;
    const rows = tree.rows;
    const out: PyNode[] = [];
    const start = this.pre;
    const end = this.preEnd;
    // A small subtree is scanned; a big one (a module, a class) is looked up in the tree's index
    // of rows by type, so that rules asking the root for every call do not each scan all rows.
    if (end - start <= SCAN_ROWS) {
      const one = typeof types === 'string' ? types : undefined;
      for (let i = start; i < end; i++) {
        const t = tree.typeAt(i);
        if ((one !== undefined ? t === one : types.includes(t)) && rows[i * ROW + END] > 0) out.push(tree.node(i));
      }
      return out;
    }
    const found: number[] = [];
    for (const type of typeof types === 'string' ? [types] : types) {
      const of = tree.rowsOfType(type);
      for (let k = lowerBound(of, start); k < of.length && of[k] < end; k++) {
        if (rows[of[k] * ROW + END] > 0) found.push(of[k]);
      }
    }
    if (typeof types !== 'string' && types.length > 1) found.sort((a, b) => a - b);
    for (const i of found) out.push(tree.node(i));
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

/** Subtrees up to this many rows are scanned by descendantsOfType; bigger ones use the type index. */
const SCAN_ROWS = 256;
const NO_ROWS = new Int32Array(0);

/** The first position in ascending `list` whose value is >= `value`. */
function lowerBound(list: Int32Array, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class PyTree {
  readonly idBase: number;
  /** Number of nodes. */
  readonly count: number;
  private readonly objects: Array<PyNode | undefined>;
  private lineStarts: number[] | undefined;
  private typeIndex: Map<string, Int32Array> | undefined;

  constructor(
    readonly source: string,
    readonly rows: Uint32Array,
    private readonly names: RowNames,
  ) {
    this.count = rows.length / ROW;
    this.objects = new Array<PyNode | undefined>(this.count);
    this.idBase = nextId;
    nextId += this.count;
  }

  /** The node of row `i` (one object per node, made when first asked for). */
  node(i: number): PyNode {
    let n = this.objects[i];
    if (n === undefined) this.objects[i] = n = new PyNode(this, i);
    return n;
  }

  get rootNode(): PyNode {
    return this.node(0);
  }

  /** Every node in pre-order (the order of a TreeCursor walk); makes them all. */
  get nodes(): PyNode[] {
    const out = new Array<PyNode>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.node(i);
    return out;
  }

  // Row-level navigation, for walks that should not make node objects:
  // for (let c = tree.firstChildRow(i); c !== -1; c = tree.nextSiblingRow(i, c)) ...

  /** The row of row `i`'s first child, or -1. */
  firstChildRow(i: number): number {
    return this.rows[i * ROW + CHILD_COUNT] === 0 ? -1 : i + 1;
  }

  /** The row of the sibling after child row `c` of row `parent`, or -1. */
  nextSiblingRow(parent: number, c: number): number {
    const next = this.rows[c * ROW + SUBTREE_END];
    return next < this.rows[parent * ROW + SUBTREE_END] ? next : -1;
  }

  /** The row after the last of row `i`'s descendants. */
  subtreeEndRow(i: number): number {
    return this.rows[i * ROW + SUBTREE_END];
  }

  isNamedAt(i: number): boolean {
    return (this.rows[i * ROW + FLAGS] & NAMED) !== 0;
  }

  /** The grammar's symbol id of row `i` (one type name can have several). */
  symbolAt(i: number): number {
    return this.rows[i * ROW + SYMBOL];
  }

  /** The type of row `i`, without making its node. */
  typeAt(i: number): string {
    const id = this.rows[i * ROW + SYMBOL];
    let type = SYMBOLS[id];
    if (type === undefined) type = SYMBOLS[id] = this.names.symbolName(id);
    return type;
  }

  /** The rows of every node of `type`, ascending (the index is built in one pass, when first asked). */
  rowsOfType(type: string): Int32Array {
    this.typeIndex ??= this.indexTypes();
    return this.typeIndex.get(type) ?? NO_ROWS;
  }

  private indexTypes(): Map<string, Int32Array> {
    const rows = this.rows;
    const count = this.count;
    // Several symbol ids can share one type name: rows are grouped by name.
    const slotOfSymbol: number[] = [];
    const names: string[] = [];
    const sizes: number[] = [];
    const slots = new Int32Array(count);
    const slotOfName = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const id = rows[i * ROW + SYMBOL];
      let slot: number | undefined = slotOfSymbol[id];
      if (slot === undefined) {
        const name = this.typeAt(i);
        slot = slotOfName.get(name);
        if (slot === undefined) {
          slot = names.length;
          slotOfName.set(name, slot);
          names.push(name);
          sizes.push(0);
        }
        slotOfSymbol[id] = slot;
      }
      slots[i] = slot;
      sizes[slot]++;
    }
    const lists = sizes.map((n) => new Int32Array(n));
    const filled = new Array<number>(names.length).fill(0);
    for (let i = 0; i < count; i++) {
      const slot = slots[i];
      lists[slot][filled[slot]++] = i;
    }
    return new Map(names.map((name, k) => [name, lists[k]]));
  }

  fieldNameOf(id: number): string | undefined {
    let name = FIELDS[id];
    if (name === undefined) name = FIELDS[id] = this.names.fieldName(id);
    return name;
  }

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

/** The tree native/py_tree.c's parse() returned, as rows. */
export function fromRows(rows: Uint32Array, source: string, names: RowNames): PyTree {
  return new PyTree(source, rows, names);
}

/** Rows from a tree of tree-sitter's Node binding, in one cursor walk (the fallback parser). */
export function mirror(native: ParserT.Tree, source: string): PyTree {
  const cursor = native.walk();
  // Only a tree with an error can hold missing nodes: skip those native calls otherwise.
  const mayErr = native.rootNode.hasError;
  let rows = new Uint32Array(ROW * 1024);
  let n = 0;
  const push = (parent: number): number => {
    if ((n + 1) * ROW > rows.length) {
      const bigger = new Uint32Array(rows.length * 2);
      bigger.set(rows);
      rows = bigger;
    }
    const r = n * ROW;
    // Names are recorded as ids are first seen: a number crosses the native boundary cheaper
    // than a fresh string.
    const typeId = cursor.nodeTypeId;
    if (SYMBOLS[typeId] === undefined) SYMBOLS[typeId] = cursor.nodeType;
    const fieldId = parent === NO_PARENT ? 0 : cursor.currentFieldId;
    if (fieldId && FIELDS[fieldId] === undefined) FIELDS[fieldId] = cursor.currentFieldName;
    rows[r + SYMBOL] = typeId;
    rows[r + START] = cursor.startIndex;
    rows[r + END] = cursor.endIndex;
    rows[r + FIELD] = fieldId;
    rows[r + PARENT] = parent;
    // A missing token can be a hidden node (`_newline`) the cursor never visits, so a tree with
    // errors takes `hasError` from the native nodes; in others it is false everywhere.
    let flags = cursor.nodeIsNamed ? NAMED : 0;
    if (mayErr) {
      if (cursor.nodeIsMissing) flags |= MISSING;
      if (cursor.currentNode.hasError) flags |= HAS_ERROR;
    }
    rows[r + FLAGS] = flags;
    rows[r + CHILD_COUNT] = 0;
    if (parent !== NO_PARENT) rows[r + INDEX] = rows[parent * ROW + CHILD_COUNT]++;
    return n++;
  };
  const stack: number[] = [push(NO_PARENT)];
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const row = push(stack[stack.length - 1]);
      if (cursor.gotoFirstChild()) {
        stack.push(row);
        continue;
      }
      rows[row * ROW + SUBTREE_END] = n;
      // Close the finished ancestors until one has a next sibling.
      while (stack.length && !cursor.gotoNextSibling()) {
        cursor.gotoParent();
        rows[stack.pop()! * ROW + SUBTREE_END] = n;
      }
      if (!stack.length) break;
    }
  }
  rows[SUBTREE_END] = n;
  const names: RowNames = { symbolName: (id) => SYMBOLS[id] ?? '?', fieldName: (id) => FIELDS[id] };
  return new PyTree(source, rows.slice(0, n * ROW), names);
}
