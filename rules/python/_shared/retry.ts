// Shared by the retry rules (CL701–CL703): urllib3 `Retry(...)` constructions, their retry
// budget, and the HTTP methods their `allowed_methods` lets them retry.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import { argumentOf } from '../../../src/lang/python/calls.js';
import type { PythonRule as Rule, RuleContext } from '../../../src/types.js';

/** urllib3's `Retry.DEFAULT_ALLOWED_METHODS` (1.26 and 2.x). */
export const DEFAULT_METHODS = ['HEAD', 'GET', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'];
/** urllib3.Retry's parameters in positional order (the ones that can be given positionally). */
export const RETRY_PARAMS = [
  'total', 'connect', 'read', 'redirect', 'status', 'other', 'allowed_methods', 'status_forcelist', 'backoff_factor',
];

export function isRetryCall(call: SyntaxNode, model: SemanticModel): boolean {
  return !!model.callMatches(call, ['urllib3.Retry']);
}

/** The argument node for a Retry parameter, `absent`, or `unknown` when `**kwargs`/`*args` may carry it. */
export function retryArg(call: SyntaxNode, name: string): SyntaxNode | 'absent' | 'unknown' {
  const a = argumentOf(call, name, RETRY_PARAMS.includes(name) ? RETRY_PARAMS : []);
  return a.kind === 'present' ? a.node : a.kind;
}

/**
 * Whether the policy retries at all. `total=0` / `total=False` (or `Retry(0)`) never retries;
 * `total=None` falls back on the per-kind counts; an absent `total` is urllib3's default of 10.
 */
export function retries(call: SyntaxNode, model: SemanticModel): 'yes' | 'no' | 'unknown' {
  const total = retryArg(call, 'total');
  if (total === 'unknown') return 'unknown';
  if (total === 'absent') return 'yes';
  const v = model.constantValue(total);
  if (v === undefined) return 'yes';
  if (v === 0 || v === false) return 'no';
  if (v !== null) return typeof v === 'number' && v < 0 ? 'no' : 'yes';
  // total=None: the other counts decide; none of them set means no limit at all.
  let anySet = false;
  for (const k of ['connect', 'read', 'redirect', 'status', 'other']) {
    const a = retryArg(call, k);
    if (a === 'unknown') return 'unknown';
    if (a === 'absent') continue;
    anySet = true;
    const c = model.constantValue(a);
    if (c === undefined || c === null || (typeof c === 'number' && c > 0) || c === true) return 'yes';
  }
  return anySet ? 'no' : 'yes';
}

export interface MethodSet {
  /** String literals the value is known to contain. */
  literals: Set<string>;
  /** True when every member is known (so `literals` is the whole set). */
  complete: boolean;
  /** `None` / `False`: urllib3 skips the method check and retries every method. */
  every: boolean;
  /** Where each literal was written, for pointing at it. */
  nodes: Map<string, SyntaxNode>;
  /** The value is a parameter's default: what callers get when they do not pass their own. */
  fromDefault?: boolean;
}

const unknownSet = (): MethodSet => ({ literals: new Set(), complete: false, every: false, nodes: new Map() });

function union(a: MethodSet, b: MethodSet): MethodSet {
  return {
    literals: new Set([...a.literals, ...b.literals]),
    complete: a.complete && b.complete,
    every: a.every || b.every,
    nodes: new Map([...a.nodes, ...b.nodes]),
    fromDefault: a.fromDefault || b.fromDefault,
  };
}

const COLLECTION_BUILTINS = new Set(['frozenset', 'set', 'list', 'tuple', 'sorted']);

/** What an `allowed_methods` / `method_whitelist` expression evaluates to, as far as it can be read. */
export function methodSet(expr: SyntaxNode, model: SemanticModel, depth = 0): MethodSet {
  if (depth > 8) return unknownSet();
  let n = expr;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
  switch (n.type) {
    case 'none':
    case 'false':
      return { literals: new Set(), complete: true, every: true, nodes: new Map() };
    case 'list':
    case 'tuple':
    case 'set': {
      const out: MethodSet = { literals: new Set(), complete: true, every: false, nodes: new Map() };
      for (const el of n.namedChildren) {
        if (el.type === 'comment') continue;
        const v = model.constantValue(el);
        if (typeof v === 'string') {
          out.literals.add(v);
          out.nodes.set(v, el);
        } else out.complete = false;
      }
      return out;
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.type;
      if (op !== '|' && op !== '+') return unknownSet();
      return union(methodSet(n.childForFieldName('left')!, model, depth + 1), methodSet(n.childForFieldName('right')!, model, depth + 1));
    }
    case 'attribute': {
      const attr = n.childForFieldName('attribute')?.text;
      const obj = n.childForFieldName('object');
      if ((attr === 'DEFAULT_ALLOWED_METHODS' || attr === 'DEFAULT_METHOD_WHITELIST') && obj && model.qualifiedName(obj) === 'urllib3.Retry') {
        return { literals: new Set(DEFAULT_METHODS), complete: true, every: false, nodes: new Map() };
      }
      return unknownSet();
    }
    case 'call': {
      const fn = n.childForFieldName('function');
      const args = n.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
      // `frozenset` is not in the model's builtin list: an unbound bare name is the builtin.
      const name = fn ? model.qualifiedName(fn) ?? (fn.type === 'identifier' && !model.lookup(fn.text, fn) ? fn.text : undefined) : undefined;
      if (name && COLLECTION_BUILTINS.has(name)) {
        if (args.length === 0) return { literals: new Set(), complete: true, every: false, nodes: new Map() };
        return args.length === 1 && args[0].type !== 'keyword_argument' ? methodSet(args[0], model, depth + 1) : unknownSet();
      }
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'union') {
        let acc = methodSet(fn.childForFieldName('object')!, model, depth + 1);
        for (const a of args) acc = union(acc, a.type === 'keyword_argument' ? unknownSet() : methodSet(a, model, depth + 1));
        return acc;
      }
      return unknownSet();
    }
    case 'boolean_operator': {
      // `methods or frozenset({...})`: either side may be the value; a falsy left falls through to the right.
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (n.childForFieldName('operator')?.type !== 'or' || !left || !right) return unknownSet();
      const l = methodSet(left, model, depth + 1);
      const r = methodSet(right, model, depth + 1);
      return { ...union(l, r), every: r.every };
    }
    case 'conditional_expression': {
      const [a, , b] = n.namedChildren;
      if (!a || !b) return unknownSet();
      return union(methodSet(a, model, depth + 1), methodSet(b, model, depth + 1));
    }
    case 'identifier': {
      const b = model.lookup(n.text, n);
      // A parameter's default is what callers get unless they pass their own list (`None` included:
      // a wrapper whose `allowed_methods=None` goes straight to Retry retries every method by default).
      if (b?.kind === 'param' && b.value) {
        const d = methodSet(b.value, model, depth + 1);
        return { ...d, complete: false, fromDefault: true };
      }
      if (!b || b.kind !== 'assign' || !b.value || b.destructured) return unknownSet();
      if ((model.scopeOf(b.node).bindings.get(n.text)?.length ?? 0) !== 1) return unknownSet();
      return methodSet(b.value, model, depth + 1);
    }
    default:
      return unknownSet();
  }
}

/** The `allowed_methods` (or deprecated `method_whitelist`) argument of a Retry call, if given. */
export function allowedMethodsArg(call: SyntaxNode): { node: SyntaxNode; keyword: string } | 'absent' | 'unknown' {
  const am = retryArg(call, 'allowed_methods');
  if (am !== 'absent') return am === 'unknown' ? 'unknown' : { node: am, keyword: 'allowed_methods' };
  const mw = argumentOf(call, 'method_whitelist');
  if (mw.kind === 'present') return { node: mw.node, keyword: 'method_whitelist' };
  return mw.kind === 'unknown' ? 'unknown' : 'absent';
}

/**
 * The methods a Retry call that may retry is told to retry: its `allowed_methods` argument and
 * what that holds. Undefined when the argument is absent or hidden in `**kwargs`, or the policy
 * never retries.
 */
export function retriedMethods(
  call: SyntaxNode,
  model: SemanticModel,
): { arg: { node: SyntaxNode; keyword: string }; set: MethodSet } | undefined {
  const arg = allowedMethodsArg(call);
  if (arg === 'absent' || arg === 'unknown') return undefined;
  if (retries(call, model) === 'no') return undefined;
  return { arg, set: methodSet(arg.node, model) };
}

/** A retry rule (CL70x): category retry, run on calls in files that mention `Retry`, `check` called for urllib3 `Retry(...)` calls only. */
export function retryRule(
  spec: Pick<Rule, 'code' | 'name' | 'severity' | 'fixable' | 'docs'> & { check(call: SyntaxNode, ctx: RuleContext): void },
): Rule {
  return {
    code: spec.code,
    name: spec.name,
    category: 'retry',
    severity: spec.severity,
    ...(spec.fixable ? { fixable: spec.fixable } : {}),
    triggers: ['Retry'],
    nodeTypes: ['call'],
    docs: spec.docs,
    visit(call, ctx) {
      if (isRetryCall(call, ctx.model)) spec.check(call, ctx);
    },
  };
}
