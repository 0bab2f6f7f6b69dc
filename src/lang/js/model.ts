// The JS/TS semantic model rules ask instead of matching text: what a name refers to through
// imports and `require`, the type of a local, parameter or field, and (context.ts, handlers.ts)
// where a node runs. Everything is computed on demand from one parsed SourceFile and memoised; no
// Program and no type checker. A name that cannot be resolved is unknown (undefined), never guessed.
import type * as TS from 'typescript';
import { Scopes, type Declaration } from './scopes.js';
import { canonical, CONSTRUCTED, FACTORY_RETURNS, METHOD_RETURNS, moduleName } from './knowledge.js';
import { JsContext } from './context.js';

/** What a call or `new` expression calls, as far as the model can tell. */
export interface CallTarget {
  /** The callee's qualified name (`axios.get`, `fetch`, `fs.readFileSync`), when it resolves to a module or a global. */
  name?: string;
  /** For `recv.method(...)`: the method's name. */
  method?: string;
  /** For `recv.method(...)`: the receiver expression and its type, when known (`axios.AxiosInstance`). */
  receiver?: TS.Expression;
  receiverType?: string;
}

/** What an object expression is known to hold: its properties by name, and whether it may hold others. */
export interface ObjectShape {
  /** The object literal (the last one, when spreads of known objects were merged). */
  literal: TS.ObjectLiteralExpression;
  /** Property name → its value (a method's or accessor's declaration for those). */
  props: Map<string, TS.Node>;
  /** A spread of something unknown, or a computed key: other properties may be there. */
  open: boolean;
}

/** How many `const a = b` links a name or type is followed through (a cycle ends there too). */
const MAX_HOPS = 16;

export class JsModel {
  private scopesMemo: Scopes | undefined;
  private readonly nameMemo = new Map<TS.Node, string | null>();
  private readonly typeMemo = new Map<TS.Node, string | null>();
  readonly context: JsContext;

  constructor(
    readonly ts: typeof TS,
    readonly sf: TS.SourceFile,
    readonly path: string,
  ) {
    this.context = new JsContext(ts, sf, path, this);
  }

  get scopes(): Scopes {
    return (this.scopesMemo ??= new Scopes(this.ts, this.sf));
  }

  /** The declaration a use of a name refers to (undefined: a global, or not declared in this file). */
  declarationOf(id: TS.Identifier): Declaration | undefined {
    return this.scopes.lookup(id);
  }

  /** The source text of a node, without leading trivia. */
  text(node: TS.Node): string {
    return node.getText(this.sf);
  }

  /** `(x as T)!` → `x`: the expression inside parentheses, assertions and non-null marks. */
  unwrap(expr: TS.Expression): TS.Expression {
    const ts = this.ts;
    let e = expr;
    for (;;) {
      if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
      else return e;
    }
  }

  /** `require('m')` (with `require` not shadowed): the module it loads. */
  requiredModule(expr: TS.Expression): string | undefined {
    const ts = this.ts;
    const e = this.unwrap(expr);
    if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'require') return undefined;
    if (this.declarationOf(e.expression)) return undefined;
    const arg = e.arguments[0];
    return arg && ts.isStringLiteralLike(arg) ? moduleName(arg.text) : undefined;
  }

  /**
   * The qualified name an expression stands for: `rq.get` with `import rq from 'axios'` is
   * `axios.get`; `readFileSync` from `const { readFileSync } = require('node:fs')` is
   * `fs.readFileSync`; an undeclared `fetch` is the global `fetch` (`globalThis.fetch` too).
   * Undefined for anything else (a local value, `this.x`, a call result).
   */
  qualifiedName(expr: TS.Expression): string | undefined {
    const hit = this.nameMemo.get(expr);
    if (hit !== undefined) return hit ?? undefined;
    const out = this.computeName(expr, 0);
    this.nameMemo.set(expr, out ?? null);
    return out;
  }

  private computeName(expr: TS.Expression, hops: number): string | undefined {
    const ts = this.ts;
    const parts: string[] = [];
    let e = this.unwrap(expr);
    for (;;) {
      if (ts.isPropertyAccessExpression(e)) {
        parts.push(e.name.text);
        e = this.unwrap(e.expression);
      } else if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
        parts.push(e.argumentExpression.text);
        e = this.unwrap(e.expression);
      } else break;
    }
    parts.reverse();
    let root: string | undefined;
    if (ts.isIdentifier(e)) root = this.nameOfIdentifier(e, hops);
    else root = this.requiredModule(e);
    if (root === undefined) return undefined;
    // `globalThis.fetch` is the global `fetch`.
    if ((root === 'globalThis' || root === 'global' || root === 'window' || root === 'self') && parts.length) root = parts.shift()!;
    return canonical([root, ...parts].join('.'));
  }

  private nameOfIdentifier(id: TS.Identifier, hops: number): string | undefined {
    const ts = this.ts;
    const decl = this.declarationOf(id);
    if (!decl) return id.text === 'undefined' ? undefined : id.text;
    if (ts.isImportClause(decl) || ts.isNamespaceImport(decl)) {
      const spec = importSpecifierOf(ts, decl);
      return spec === undefined ? undefined : moduleName(spec);
    }
    if (ts.isImportSpecifier(decl)) {
      const spec = importSpecifierOf(ts, decl);
      if (spec === undefined) return undefined;
      const imported = (decl.propertyName ?? decl.name).text;
      return imported === 'default' ? moduleName(spec) : `${moduleName(spec)}.${imported}`;
    }
    if (ts.isImportEqualsDeclaration(decl)) {
      const ref = decl.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteralLike(ref.expression)) return moduleName(ref.expression.text);
      return undefined;
    }
    if (hops >= MAX_HOPS) return undefined;
    if (ts.isVariableDeclaration(decl)) {
      // Only constants are aliases: a `let` may be reassigned.
      if (!isConst(ts, decl) || !decl.initializer) return undefined;
      return this.computeName(decl.initializer, hops + 1);
    }
    if (ts.isBindingElement(decl)) {
      // `const { get: fetchJson } = axios` / `const { readFileSync } = require('fs')`.
      const pattern = decl.parent;
      if (!ts.isObjectBindingPattern(pattern)) return undefined;
      const owner = pattern.parent;
      if (!ts.isVariableDeclaration(owner) || !isConst(ts, owner) || !owner.initializer) return undefined;
      const key = decl.propertyName ?? decl.name;
      if (!ts.isIdentifier(key) && !ts.isStringLiteralLike(key)) return undefined;
      const base = this.computeName(owner.initializer, hops + 1);
      return base === undefined ? undefined : `${base}.${key.text}`;
    }
    return undefined;
  }

  /** What a call or `new` expression calls. */
  callTarget(call: TS.CallExpression | TS.NewExpression): CallTarget {
    const ts = this.ts;
    const callee = this.unwrap(call.expression);
    const out: CallTarget = {};
    const name = this.qualifiedName(callee);
    if (name !== undefined) out.name = name;
    if (ts.isPropertyAccessExpression(callee)) {
      out.method = callee.name.text;
      out.receiver = callee.expression;
      const t = this.typeOf(callee.expression);
      if (t !== undefined) out.receiverType = t;
    }
    return out;
  }

  /**
   * The type of what an expression evaluates to (awaited), as a qualified name: `new Pool()` is
   * `pg.Pool`, `axios.create()` is `axios.AxiosInstance`, `await pool.connect()` is `pg.PoolClient`,
   * a parameter `client: PoolClient` is `pg.PoolClient`, `this.db` is its field's type.
   */
  typeOf(expr: TS.Expression): string | undefined {
    const hit = this.typeMemo.get(expr);
    if (hit !== undefined) return hit ?? undefined;
    const out = this.computeType(expr, 0);
    this.typeMemo.set(expr, out ?? null);
    return out;
  }

  private computeType(expr: TS.Expression, hops: number): string | undefined {
    const ts = this.ts;
    if (hops > MAX_HOPS) return undefined;
    let e = expr;
    // `await x`, `(x)`, `x!`: the same object. `x as T`: what the author says it is.
    for (;;) {
      if (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
      else if (ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) {
        const t = ts.isSatisfiesExpression(e) ? undefined : this.typeOfAnnotation(e.type);
        if (t !== undefined) return t;
        e = e.expression;
      } else break;
    }
    if (ts.isNewExpression(e)) return this.constructedType(e.expression, hops);
    if (ts.isCallExpression(e)) {
      const callee = this.unwrap(e.expression);
      const name = this.qualifiedName(callee);
      if (name !== undefined && FACTORY_RETURNS[name] !== undefined) return FACTORY_RETURNS[name];
      if (ts.isPropertyAccessExpression(callee)) {
        const recv = this.computeType(callee.expression, hops + 1);
        const returned = recv === undefined ? undefined : METHOD_RETURNS[`${recv}.${callee.name.text}`];
        if (returned !== undefined) return returned;
      }
      return undefined;
    }
    if (ts.isIdentifier(e)) return this.typeOfIdentifier(e, hops);
    if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return this.typeOfField(e, hops);
    return undefined;
  }

  /** `new X()`: X's qualified name when it is a known class, or the known class a local class extends. */
  private constructedType(callee: TS.Expression, hops: number): string | undefined {
    const ts = this.ts;
    const name = this.qualifiedName(callee);
    if (name !== undefined && CONSTRUCTED.has(name)) return name;
    const e = this.unwrap(callee);
    if (!ts.isIdentifier(e)) return undefined;
    const decl = this.declarationOf(e);
    if (!decl || !(ts.isClassDeclaration(decl) || ts.isClassExpression(decl))) return undefined;
    const ext = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    return ext && hops < MAX_HOPS ? this.constructedType(ext.expression, hops + 1) : undefined;
  }

  private typeOfIdentifier(id: TS.Identifier, hops: number): string | undefined {
    const ts = this.ts;
    const decl = this.declarationOf(id);
    if (!decl) return undefined;
    if (ts.isVariableDeclaration(decl) || ts.isParameter(decl)) {
      if (decl.type) {
        const t = this.typeOfAnnotation(decl.type);
        if (t !== undefined) return t;
      }
      if (!ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
      return this.computeType(decl.initializer, hops + 1);
    }
    return undefined;
  }

  /** `this.x`: the type of field x of the enclosing class (declared, a parameter property, or assigned). */
  private typeOfField(access: TS.PropertyAccessExpression, hops: number): string | undefined {
    const ts = this.ts;
    const cls = this.context.enclosingClass(access);
    if (!cls) return undefined;
    const name = access.name.text;
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name) && m.name.text === name) {
        if (m.type) {
          const t = this.typeOfAnnotation(m.type);
          if (t !== undefined) return t;
        }
        if (m.initializer) return this.computeType(m.initializer, hops + 1);
      }
      if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          const isProperty = p.modifiers?.some((mod) => mod.kind !== ts.SyntaxKind.Decorator);
          if (isProperty && ts.isIdentifier(p.name) && p.name.text === name && p.type) return this.typeOfAnnotation(p.type);
        }
      }
    }
    // `this.x = <expr>` anywhere in the class.
    for (const a of this.context.fieldAssignments(cls, name)) {
      const t = this.computeType(a, hops + 1);
      if (t !== undefined) return t;
    }
    return undefined;
  }

  /** The expression a `const` name is bound to, followed through `const a = b` links; the expression itself otherwise. */
  resolveConst(expr: TS.Expression): TS.Expression {
    const ts = this.ts;
    let e = this.unwrap(expr);
    for (let hops = 0; hops < MAX_HOPS && ts.isIdentifier(e); hops++) {
      const decl = this.declarationOf(e);
      if (!decl || !ts.isVariableDeclaration(decl) || !isConst(ts, decl) || !decl.initializer || !ts.isIdentifier(decl.name)) break;
      e = this.unwrap(decl.initializer);
    }
    return e;
  }

  /**
   * The properties of an object expression (an object literal, or a const bound to one), spreads
   * of known objects merged in order. Undefined when it is not known to be an object literal.
   */
  objectShape(expr: TS.Expression): ObjectShape | undefined {
    const ts = this.ts;
    const first = this.resolveConst(expr);
    if (!ts.isObjectLiteralExpression(first)) return undefined;
    const props = new Map<string, TS.Node>();
    let open = false;
    // Spreads are merged in place; a spread's own spreads too (an explicit stack of literals).
    const visit = (lit: TS.ObjectLiteralExpression, depth: number) => {
      for (const p of lit.properties) {
        if (ts.isSpreadAssignment(p)) {
          const inner = this.resolveConst(p.expression);
          if (depth < MAX_HOPS && ts.isObjectLiteralExpression(inner)) visit(inner, depth + 1);
          else open = true;
          continue;
        }
        const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name) || ts.isNumericLiteral(p.name)) ? p.name.text : undefined;
        if (key === undefined) {
          open = true;
          continue;
        }
        props.set(key, ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : p);
      }
    };
    visit(first, 0);
    return { literal: first, props, open };
  }

  /** `undefined`, `null` or `void 0` (through consts). */
  isNullish(expr: TS.Expression): boolean {
    const ts = this.ts;
    const e = this.resolveConst(expr);
    if (e.kind === ts.SyntaxKind.NullKeyword) return true;
    if (ts.isIdentifier(e) && e.text === 'undefined' && !this.declarationOf(e)) return true;
    return ts.isVoidExpression(e);
  }

  /**
   * The number an expression is known to be: literals (`10_000`), `-x`, `Infinity`,
   * `Number.POSITIVE_INFINITY`/`MAX_SAFE_INTEGER`, consts, and `+ - * /` of those (nested at
   * most MAX_HOPS deep: a longer expression is not a constant anyone wrote by hand).
   */
  numberValue(expr: TS.Expression): number | undefined {
    const ts = this.ts;
    const evalAt = (x: TS.Expression, depth: number): number | undefined => {
      if (depth > MAX_HOPS) return undefined;
      const e = this.resolveConst(x);
      if (ts.isNumericLiteral(e)) return Number(e.text);
      if (ts.isPrefixUnaryExpression(e)) {
        const v = evalAt(e.operand, depth + 1);
        if (v === undefined) return undefined;
        return e.operator === ts.SyntaxKind.MinusToken ? -v : e.operator === ts.SyntaxKind.PlusToken ? v : undefined;
      }
      if (ts.isBinaryExpression(e)) {
        const a = evalAt(e.left, depth + 1);
        const b = a === undefined ? undefined : evalAt(e.right, depth + 1);
        if (a === undefined || b === undefined) return undefined;
        switch (e.operatorToken.kind) {
          case ts.SyntaxKind.PlusToken:
            return a + b;
          case ts.SyntaxKind.MinusToken:
            return a - b;
          case ts.SyntaxKind.AsteriskToken:
            return a * b;
          case ts.SyntaxKind.SlashToken:
            return a / b;
          default:
            return undefined;
        }
      }
      const name = ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? this.qualifiedName(e) : undefined;
      if (name === 'Infinity' || name === 'Number.POSITIVE_INFINITY') return Infinity;
      if (name === 'Number.MAX_SAFE_INTEGER') return Number.MAX_SAFE_INTEGER;
      if (name === 'Number.MAX_VALUE') return Number.MAX_VALUE;
      return undefined;
    };
    return evalAt(expr, 0);
  }

  /** The type a TypeScript annotation names: `PoolClient` imported from pg → `pg.PoolClient`; `X | null` → X. */
  typeOfAnnotation(type: TS.TypeNode): string | undefined {
    const ts = this.ts;
    let t: TS.TypeNode = type;
    for (;;) {
      if (ts.isParenthesizedTypeNode(t)) t = t.type;
      else if (ts.isUnionTypeNode(t)) {
        const real = t.types.filter((u) => !(ts.isLiteralTypeNode(u) && u.literal.kind === ts.SyntaxKind.NullKeyword) && u.kind !== ts.SyntaxKind.UndefinedKeyword);
        if (real.length !== 1) return undefined;
        t = real[0];
      } else break;
    }
    if (!ts.isTypeReferenceNode(t)) return undefined;
    const parts: string[] = [];
    let n: TS.EntityName = t.typeName;
    while (ts.isQualifiedName(n)) {
      parts.push(n.right.text);
      n = n.left;
    }
    parts.reverse();
    const root = this.nameOfIdentifier(n, 0);
    if (root === undefined || !this.declarationOf(n)) return undefined;
    return canonical([root, ...parts].join('.'));
  }
}

function isConst(ts: typeof TS, decl: TS.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** The module string of the import a clause, namespace or specifier belongs to. */
function importSpecifierOf(ts: typeof TS, node: TS.ImportClause | TS.NamespaceImport | TS.ImportSpecifier): string | undefined {
  for (let n: TS.Node | undefined = node; n; n = n.parent) {
    if (ts.isImportDeclaration(n)) return ts.isStringLiteralLike(n.moduleSpecifier) ? n.moduleSpecifier.text : undefined;
  }
  return undefined;
}
