// The semantic model, tested like the rules: Python files under fixtures/python/_model/ carry
// `# model: key=value ...` comments, and each line's assertion is checked against the model.
//
// Header lines (anywhere in the file):
//   # model-module: pkg.sub.mod     the file's dotted module name (none given: no module name)
//   # model-package: true           the file is a package's __init__.py
// Directives (the target is the first call starting on the line, outermost first; `key(EXPR)`
// targets instead the first node on the line whose text is exactly EXPR; `-` means "none"):
//   call=NAME        resolveCall(target).name
//   matches=NAME     callMatches(target, [NAME]) (NAME, or `-` when it does not match)
//   qname=NAME       qualifiedName(target)
//   type=TYPE        typeOf(target)
//   binding=KIND     kind of the binding of an identifier target
//   arg(NAME)=TEXT   model.argument(call, NAME): the argument's text, `absent` or `unknown`
//   const=VALUE      constantValue(target), as JSON (null, 10, "x", true) or `-`
//   async=BOOL       isInAsyncContext       func=NAME   enclosingFunction's name (`lambda`)
//   loop=BOOL        enclosingLoop != null  with=BOOL   target is a `with` item (async-with=BOOL)
//   in-with=BOOL     inside a `with` body   finally=BOOL  protected by a try/finally
//   in-finally=BOOL  inside a finally block
// For arg(NAME) the target is the line's first call, and NAME is the parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from './support.js';
import { parsePython, type SyntaxNode } from '../src/lang/python/tree.js';
import {
  SemanticModel,
  enclosingLoop,
  enclosingTryFinally,
  enclosingWithStatements,
  isInAsyncContext,
  isInFinally,
  withStatementOfItem,
} from '../src/lang/python/model.js';
import type { ModuleLocation } from '../src/lang/python/scopes.js';

const DIR = path.join(FIXTURES, '_model');
const DIRECTIVE = /#\s*model:\s*(.*)$/;
// key, optional (EXPR) with one level of nested parentheses, =value (no spaces)
const ITEM = /([a-z][\w-]*)(?:\(((?:[^()]|\([^()]*\))*)\))?=(\S+)/g;

interface Check {
  line: number;
  key: string;
  expr?: string;
  want: string;
}

function parseChecks(source: string): { checks: Check[]; location: ModuleLocation } {
  const checks: Check[] = [];
  const location: ModuleLocation = {};
  source.split(/\r\n|\r|\n/).forEach((text, i) => {
    const mod = /^#\s*model-module:\s*(\S+)/.exec(text);
    if (mod) location.moduleName = mod[1];
    if (/^#\s*model-package:\s*true/.test(text)) location.isPackage = true;
    const m = DIRECTIVE.exec(text);
    if (!m) return;
    for (const item of m[1].matchAll(ITEM)) checks.push({ line: i + 1, key: item[1], expr: item[2], want: item[3] });
  });
  return { checks, location };
}

function nodesOnLine(root: SyntaxNode, line: number): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    if (n.endPosition.row + 1 < line || n.startPosition.row + 1 > line) return;
    if (n.startPosition.row + 1 === line && n.type !== 'comment') out.push(n);
    for (const c of n.namedChildren) walk(c);
  };
  walk(root);
  // Pre-order gives outermost first for equal starts; sort stably by start.
  return out.map((n, i) => ({ n, i })).sort((a, b) => a.n.startIndex - b.n.startIndex || a.i - b.i).map((x) => x.n);
}

function show(v: unknown): string {
  return v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
}

function answer(model: SemanticModel, check: Check, nodes: SyntaxNode[]): string {
  const firstCall = nodes.find((n) => n.type === 'call');
  const byExpr = (expr: string) => nodes.find((n) => n.text === expr);
  let target: SyntaxNode | undefined;
  if (check.key === 'arg') target = firstCall;
  else if (check.expr !== undefined) target = byExpr(check.expr);
  else target = firstCall ?? nodes.find((n) => n.type !== 'expression_statement' && n.isNamed);
  if (!target) return `<no node ${check.expr ?? 'call'} on the line>`;
  switch (check.key) {
    case 'call':
      return show(model.resolveCall(target).name);
    case 'matches':
      return show(model.callMatches(target, [check.want]));
    case 'qname':
      return show(model.qualifiedName(target));
    case 'type':
      return show(model.typeOf(target));
    case 'binding':
      return show(target.type === 'identifier' ? model.bindingOf(target)?.kind : undefined);
    case 'arg': {
      const a = model.argument(target, check.expr ?? 'timeout');
      return a.kind === 'present' ? a.node.text : a.kind;
    }
    case 'const': {
      const v = model.constantValue(target);
      return v === undefined ? '-' : JSON.stringify(v);
    }
    case 'async':
      return String(isInAsyncContext(target));
    case 'func': {
      const fn = model.enclosingFunction(target);
      return fn ? (fn.type === 'lambda' ? 'lambda' : fn.childForFieldName('name')?.text ?? '?') : '-';
    }
    case 'loop':
      return String(enclosingLoop(target) !== null);
    case 'with':
      return String(withStatementOfItem(target) !== null);
    case 'async-with':
      return String(withStatementOfItem(target)?.isAsync === true);
    case 'in-with':
      return String(enclosingWithStatements(target).length > 0);
    case 'finally':
      return String(enclosingTryFinally(target) !== null);
    case 'in-finally':
      return String(isInFinally(target));
    default:
      return `<unknown directive ${check.key}>`;
  }
}

const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.py')).sort() : [];

test('there are model fixtures', () => assert.ok(files.length > 0, 'fixtures/python/_model/*.py'));

for (const file of files) {
  test(`model fixture _model/${file}`, () => {
    const source = readFileSync(path.join(DIR, file), 'utf8');
    const { checks, location } = parseChecks(source);
    assert.ok(checks.length > 0, 'no `# model:` directives');
    const tree = parsePython(source);
    assert.equal(tree.rootNode.hasError, false, 'the fixture does not parse');
    const model = new SemanticModel(tree, source, path.join(DIR, file), location);
    const problems: string[] = [];
    for (const check of checks) {
      const nodes = nodesOnLine(tree.rootNode, check.line);
      let got: string;
      try {
        got = answer(model, check, nodes);
      } catch (e) {
        got = `<threw ${(e as Error).message}>`;
      }
      const want = check.want;
      if (got !== want) {
        const what = check.expr !== undefined ? `${check.key}(${check.expr})` : check.key;
        problems.push(`line ${check.line}: ${what}: expected ${want}, got ${got}`);
      }
    }
    assert.equal(problems.length, 0, `fixtures/python/_model/${file}\n${problems.join('\n')}`);
  });
}
