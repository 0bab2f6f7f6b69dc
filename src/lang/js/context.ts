// Where a node runs: its function (and whether that is async), the loop that repeats it, the
// `try` whose `finally` guards it, the class it is in, and the request handler that runs it.
import type * as TS from 'typescript';
import type { JsModel } from './model.js';
import { handlerKindOf, type HandlerKind } from './handlers.js';

export type FunctionNode =
  | TS.FunctionDeclaration
  | TS.FunctionExpression
  | TS.ArrowFunction
  | TS.MethodDeclaration
  | TS.ConstructorDeclaration
  | TS.GetAccessorDeclaration
  | TS.SetAccessorDeclaration;

/** A loop that runs a node once per turn: a loop statement, or a callback of an array method. */
export interface Loop {
  node: TS.Node;
  kind: 'statement' | 'callback';
}

/** Array methods whose callback runs once per element. */
const PER_ELEMENT = new Set(['forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);

export class JsContext {
  private readonly handlerMemo = new Map<TS.Node, HandlerKind | null>();
  private fieldIndex: Map<TS.ClassLikeDeclaration, Map<string, TS.Expression[]>> | undefined;

  constructor(
    private readonly ts: typeof TS,
    private readonly sf: TS.SourceFile,
    readonly path: string,
    private readonly model: JsModel,
  ) {}

  isFunction(node: TS.Node): node is FunctionNode {
    const ts = this.ts;
    return (
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)
    );
  }

  /** The function a node runs in (undefined at module scope). */
  enclosingFunction(node: TS.Node): FunctionNode | undefined {
    for (let n = node.parent; n; n = n.parent) if (this.isFunction(n)) return n;
    return undefined;
  }

  isAsync(fn: FunctionNode): boolean {
    return !!fn.modifiers?.some((m) => m.kind === this.ts.SyntaxKind.AsyncKeyword);
  }

  /** Inside an `async` function, directly: a nested non-async function resets it. */
  inAsyncFunction(node: TS.Node): boolean {
    const fn = this.enclosingFunction(node);
    return fn !== undefined && this.isAsync(fn);
  }

  /** At module scope: runs once, when the module is loaded (start-up code). */
  atModuleScope(node: TS.Node): boolean {
    return this.enclosingFunction(node) === undefined && !this.enclosingClassStaticBlock(node);
  }

  private enclosingClassStaticBlock(node: TS.Node): boolean {
    for (let n = node.parent; n; n = n.parent) if (this.ts.isClassStaticBlockDeclaration(n)) return true;
    return false;
  }

  enclosingClass(node: TS.Node): TS.ClassLikeDeclaration | undefined {
    const ts = this.ts;
    for (let n = node.parent; n; n = n.parent) if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return n;
    return undefined;
  }

  /** The values assigned to `this.<name>` anywhere in a class's own methods. */
  fieldAssignments(cls: TS.ClassLikeDeclaration, name: string): TS.Expression[] {
    this.fieldIndex ??= new Map();
    let byName = this.fieldIndex.get(cls);
    if (!byName) {
      byName = new Map();
      this.fieldIndex.set(cls, byName);
      const ts = this.ts;
      const stack: TS.Node[] = [...cls.members];
      while (stack.length) {
        const n = stack.pop()!;
        if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) continue; // another class's `this`
        if (
          ts.isBinaryExpression(n) &&
          n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          ts.isPropertyAccessExpression(n.left) &&
          n.left.expression.kind === ts.SyntaxKind.ThisKeyword
        ) {
          const list = byName.get(n.left.name.text) ?? [];
          list.push(n.right);
          byName.set(n.left.name.text, list);
        }
        ts.forEachChild(n, (c) => {
          stack.push(c);
        });
      }
    }
    return byName.get(name) ?? [];
  }

  /**
   * The innermost loop that runs `node` once per turn, within its own function (a loop around
   * the function's definition does not repeat the function's body): the body of a `for`/`while`/
   * `do` (not a for-of's iterable or a for's initializer), or an array method's callback
   * (`items.map(x => …)`), when `node` is in that callback.
   */
  loopAround(node: TS.Node): Loop | undefined {
    const ts = this.ts;
    let child: TS.Node = node;
    for (let n = node.parent; n; child = n, n = n.parent) {
      if (ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n)) {
        if (child === n.statement || (ts.isWhileStatement(n) || ts.isDoStatement(n) ? child === n.expression : false)) return { node: n, kind: 'statement' };
      } else if (ts.isForStatement(n)) {
        if (child === n.statement || child === n.condition || child === n.incrementor) return { node: n, kind: 'statement' };
      } else if (this.isFunction(n)) {
        const call = n.parent;
        if (ts.isCallExpression(call) && call.arguments.includes(n as TS.Expression) && ts.isPropertyAccessExpression(call.expression) && PER_ELEMENT.has(call.expression.name.text)) {
          return { node: call, kind: 'callback' };
        }
        return undefined;
      }
    }
    return undefined;
  }

  /** The innermost `try` with a `finally` whose `try` block holds `node`, within its function. */
  tryFinallyAround(node: TS.Node): TS.TryStatement | undefined {
    const ts = this.ts;
    let child: TS.Node = node;
    for (let n = node.parent; n; child = n, n = n.parent) {
      if (ts.isTryStatement(n) && n.finallyBlock && child === n.tryBlock) return n;
      if (this.isFunction(n)) return undefined;
    }
    return undefined;
  }

  /** Whether `node` is inside a `finally` block of its own function. */
  inFinally(node: TS.Node): boolean {
    const ts = this.ts;
    let child: TS.Node = node;
    for (let n = node.parent; n; child = n, n = n.parent) {
      if (ts.isTryStatement(n) && child === n.finallyBlock) return true;
      if (this.isFunction(n)) return false;
    }
    return false;
  }

  /** Whether a function is a request handler itself (a route callback, a controller method, ...). */
  handlerKind(fn: FunctionNode): HandlerKind | undefined {
    const hit = this.handlerMemo.get(fn);
    if (hit !== undefined) return hit ?? undefined;
    const kind = handlerKindOf(this.ts, fn, this.model, this.path);
    this.handlerMemo.set(fn, kind ?? null);
    return kind;
  }

  /**
   * The request handler `node` runs in, and how: directly in its body, or in a function nested in
   * it (a callback the handler passes on runs per request too).
   */
  handlerAround(node: TS.Node): { fn: FunctionNode; kind: HandlerKind } | undefined {
    for (let fn = this.enclosingFunction(node); fn; fn = this.enclosingFunction(fn)) {
      const kind = this.handlerKind(fn);
      if (kind) return { fn, kind };
    }
    return undefined;
  }
}
