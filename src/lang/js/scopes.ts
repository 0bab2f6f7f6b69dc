// Which declaration a name refers to: the names each scope declares, found in one walk of the
// file (an explicit stack, never recursion on depth), and the lookup from a use up its scopes.
import type * as TS from 'typescript';

/** A declaration a name can be bound to. */
export type Declaration =
  | TS.VariableDeclaration
  | TS.BindingElement
  | TS.ParameterDeclaration
  | TS.FunctionDeclaration
  | TS.ClassDeclaration
  | TS.FunctionExpression
  | TS.ClassExpression
  | TS.ImportClause
  | TS.NamespaceImport
  | TS.ImportSpecifier
  | TS.ImportEqualsDeclaration
  | TS.EnumDeclaration
  | TS.ModuleDeclaration;

export class Scopes {
  /** Scope node (SourceFile, function, block, catch clause, for loop, ...) → name → declaration. */
  private readonly declared = new Map<TS.Node, Map<string, Declaration>>();
  private readonly declaresAnywhere = new Set<string>();

  constructor(
    private readonly ts: typeof TS,
    sf: TS.SourceFile,
  ) {
    const stack: TS.Node[] = [sf];
    while (stack.length) {
      const node = stack.pop()!;
      this.collect(node);
      const children: TS.Node[] = [];
      ts.forEachChild(node, (c) => {
        children.push(c);
      });
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }

  /** The declaration `id` (a use of a name) refers to, looking outwards from it. */
  lookup(id: TS.Identifier): Declaration | undefined {
    const name = id.text;
    for (let n: TS.Node | undefined = id.parent; n; n = n.parent) {
      const d = this.declared.get(n)?.get(name);
      if (d) return d;
    }
    return undefined;
  }

  /** Whether `name` is declared anywhere in the file (a global of that name may be shadowed). */
  isDeclaredAnywhere(name: string): boolean {
    return this.declaresAnywhere.has(name);
  }

  private bind(scope: TS.Node, name: string, decl: Declaration): void {
    let m = this.declared.get(scope);
    if (!m) this.declared.set(scope, (m = new Map()));
    // The first declaration wins (`var x` twice, overloads): they all name the same thing.
    if (!m.has(name)) m.set(name, decl);
    this.declaresAnywhere.add(name);
  }

  /** Every name a binding pattern declares, with the element that declares it. */
  private bindPattern(scope: TS.Node, name: TS.BindingName, decl: TS.VariableDeclaration | TS.ParameterDeclaration): void {
    const ts = this.ts;
    const stack: TS.BindingName[] = [name];
    while (stack.length) {
      const n = stack.pop()!;
      if (ts.isIdentifier(n)) {
        // A name bound directly by the declaration, or by an element of its pattern.
        const element = ts.isBindingElement(n.parent) ? n.parent : decl;
        this.bind(scope, n.text, element);
      } else {
        for (const el of n.elements) if (!ts.isOmittedExpression(el)) stack.push(el.name);
      }
    }
  }

  private collect(node: TS.Node): void {
    const ts = this.ts;
    if (ts.isVariableDeclaration(node)) {
      const list = node.parent;
      const blockScoped = ts.isVariableDeclarationList(list) && (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) !== 0;
      this.bindPattern(blockScoped ? this.blockScopeOf(node) : this.functionScopeOf(node), node.name, node);
    } else if (ts.isParameter(node)) {
      this.bindPattern(node.parent, node.name, node);
    } else if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isEnumDeclaration(node)) {
      if (node.name) this.bind(this.blockScopeOf(node), node.name.text, node);
    } else if (ts.isModuleDeclaration(node)) {
      if (ts.isIdentifier(node.name)) this.bind(this.blockScopeOf(node), node.name.text, node);
    } else if (ts.isFunctionExpression(node) || ts.isClassExpression(node)) {
      // A named function expression sees its own name inside it.
      if (node.name) this.bind(node, node.name.text, node);
    } else if (ts.isImportClause(node)) {
      if (node.name) this.bind(node.getSourceFile(), node.name.text, node);
    } else if (ts.isNamespaceImport(node) || ts.isImportSpecifier(node)) {
      this.bind(node.getSourceFile(), node.name.text, node);
    } else if (ts.isImportEqualsDeclaration(node)) {
      this.bind(this.blockScopeOf(node), node.name.text, node);
    } else if (ts.isCatchClause(node) && node.variableDeclaration) {
      this.bindPattern(node, node.variableDeclaration.name, node.variableDeclaration);
    }
  }

  /** Where a `let`/`const`/class/function declaration is visible: its block, loop head or file. */
  private blockScopeOf(node: TS.Node): TS.Node {
    const ts = this.ts;
    for (let n = node.parent; n; n = n.parent) {
      if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseBlock(n) || ts.isCatchClause(n)) return n;
      if ((ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) && n.initializer && contains(n.initializer, node)) return n;
      if (ts.isFunctionLike(n)) return n;
    }
    return node.getSourceFile();
  }

  /** Where a `var` is visible: its function or the file. */
  private functionScopeOf(node: TS.Node): TS.Node {
    const ts = this.ts;
    for (let n = node.parent; n; n = n.parent) {
      if (ts.isFunctionLike(n) || ts.isSourceFile(n) || ts.isModuleBlock(n)) return n;
    }
    return node.getSourceFile();
  }
}

function contains(outer: TS.Node, inner: TS.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}
