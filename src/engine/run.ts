// Runs the enabled rules over one file: decode, prefilter, parse once, walk the tree once and
// hand each node to the rules that asked for its type, then drop suppressed findings.
import type {
  Diagnostic,
  FileError,
  FileResult,
  GlobalSettings,
  JsRule,
  PythonRule,
  ReportInput,
  Rule,
  RuleContext,
  RuleOptions,
} from '../types.js';
import { ruleLanguage } from '../types.js';
import { firstSyntaxError, parsePython, type SyntaxNode, type Tree } from '../lang/python/tree.js';
import { SemanticModel } from '../lang/python/model.js';
import type { ModuleLocation } from '../lang/python/scopes.js';
import { computeLineStarts, spanOf } from './positions.js';
import { decodeSource } from './source.js';
import { fileSuppressions, isSuppressedAtLine } from './suppressions.js';
import { rulesTriggeredBy } from './prefilter.js';
import { addTo } from '../util/multimap.js';
import { byPosition, dedupe } from './findings.js';
import { lintJsText } from './run-js.js';
import { languageOfNamed } from '../files/language.js';
import { addTime, count, timed, timingsOn } from './timings.js';

export interface FileLintOptions {
  rules: readonly Rule[];
  ruleOptions: Record<string, RuleOptions>;
  settings: GlobalSettings;
  location?: ModuleLocation;
  /** Skip parsing files that contain none of the enabled rules' trigger words (default true). */
  prefilter?: boolean;
  /** Rules' codes switched off for this file by per-file-ignores. */
  disabled?: ReadonlySet<string>;
  /**
   * Parse the file even when no rule needs its tree, to report a syntax error: for files named on
   * the command line (pre-commit, an editor), where a user is looking at that very file.
   */
  checkSyntax?: boolean;
}

/** Lints raw bytes (from disk). */
export function lintBytes(path: string, bytes: Uint8Array, opts: FileLintOptions): FileResult {
  const decoded = timed('decode', () => decodeSource(path, bytes));
  if ('kind' in decoded) return { path, diagnostics: [], errors: [decoded] };
  return lintText(path, decoded.text, opts);
}

/** The rules that apply to this file, before looking at its contents: its language's, not switched off there. */
export function rulesForFile(path: string, opts: FileLintOptions): Rule[] {
  const language = languageOfNamed(path);
  return opts.rules.filter((r) => ruleLanguage(r) === language && !opts.disabled?.has(r.code) && (!r.appliesTo || r.appliesTo(path)));
}

export function lintText(path: string, text: string, opts: FileLintOptions): FileResult {
  if (languageOfNamed(path) === 'js') return lintJsText(path, text, opts, rulesForFile(path, opts) as JsRule[]);
  const errors: FileError[] = [];
  const t0 = timingsOn() ? performance.now() : 0;
  let rules = rulesForFile(path, opts) as PythonRule[];
  const fileNoqa = fileSuppressions(text, opts.rules);
  if (fileNoqa === null) return { path, diagnostics: [], errors };
  if (fileNoqa) rules = rules.filter((r) => !fileNoqa.has(r.code));
  // Per rule: a file with `requests` but no `async` is parsed, but the async rules skip it.
  if (opts.prefilter !== false) rules = rulesTriggeredBy(text, rules, opts.rules, opts.location?.moduleName);
  if (t0) addTime('prefilter', performance.now() - t0);
  if (rules.length === 0 && !opts.checkSyntax) return { path, diagnostics: [], errors };

  let tree: Tree;
  try {
    tree = timed('parse', () => parsePython(text));
  } catch (e) {
    return { path, diagnostics: [], errors: [{ path, kind: 'syntax', message: `parser failed: ${(e as Error).message}` }] };
  }
  count('parsed files');
  count('parsed bytes', text.length);
  const syntax = timed('parse', () => firstSyntaxError(tree));
  // Still check what parsed: tree-sitter recovers, and the rest of the file is worth linting.
  if (syntax) errors.push({ path, kind: 'syntax', ...syntax });
  if (rules.length === 0) return { path, diagnostics: [], errors };

  const model = timed('model', () => new SemanticModel(tree, text, path, opts.location));
  // Line starts and lines are needed only for findings, which most files have none of.
  let lineStarts: number[] | undefined;
  const diagnostics: Diagnostic[] = [];
  const failed = new Set<Rule>();

  const contexts = new Map<Rule, RuleContext>();
  for (const rule of rules) {
    contexts.set(rule, {
      path,
      source: text,
      model,
      options: opts.ruleOptions[rule.code] ?? defaultOptions(rule),
      settings: opts.settings,
      report: (input: ReportInput) => diagnostics.push(toDiagnostic(rule, path, input, (lineStarts ??= computeLineStarts(text)))),
    });
  }

  const byType = new Map<string, PythonRule[]>();
  for (const rule of rules) {
    for (const t of rule.nodeTypes) addTo(byType, t, rule);
  }

  // With --timings, each visit is timed and the rest of the walk counted apart.
  const timing = timingsOn();
  const walkStart = timing ? performance.now() : 0;
  let inRules = 0;
  const run = (rule: PythonRule, node: SyntaxNode) => {
    if (failed.has(rule)) return;
    const t = timing ? performance.now() : 0;
    try {
      rule.visit(node, contexts.get(rule)!);
    } catch (e) {
      failed.add(rule);
      const at = node.startPosition;
      errors.push({
        path,
        kind: 'rule',
        ruleId: rule.code,
        line: at.row + 1,
        column: at.column + 1,
        message: `rule ${rule.code} (${rule.name}) failed: ${(e as Error)?.stack ?? String(e)}`,
      });
    }
    if (timing) {
      const spent = performance.now() - t;
      inRules += spent;
      addTime(`rule ${rule.code}`, spent);
    }
  };

  // One pass over the nodes in pre-order (the order of a cursor walk); only the nodes some rule
  // asked for become node objects. The rules wanted are looked up once per symbol id.
  const bySymbol: Array<PythonRule[] | null | undefined> = [];
  for (let i = 0; i < tree.count; i++) {
    const symbol = tree.symbolAt(i);
    let wanted = bySymbol[symbol];
    if (wanted === undefined) wanted = bySymbol[symbol] = byType.get(tree.typeAt(i)) ?? null;
    if (wanted) {
      const node = tree.node(i);
      for (const rule of wanted) run(rule, node);
    }
  }

  if (timing) addTime('tree walk', performance.now() - walkStart - inRules);

  if (diagnostics.length === 0) return { path, diagnostics, errors };
  return timed('suppressions', () => {
    const lines = text.split(/\r\n|\r|\n/);
    const kept = diagnostics.filter((d) => !isSuppressedAtLine(d, lines, tree.rootNode, opts.rules));
    return { path, diagnostics: dedupe(kept).sort(byPosition), errors };
  });
}

export function defaultOptions(rule: Rule): RuleOptions {
  const out: RuleOptions = {};
  for (const [k, o] of Object.entries(rule.options ?? {})) out[k] = o.default;
  return out;
}

function toDiagnostic(rule: Rule, path: string, input: ReportInput, lineStarts: number[]): Diagnostic {
  const { node } = input;
  const span = spanOf(node.startIndex, node.endIndex, lineStarts);
  const d: Diagnostic = {
    path,
    ...span,
    ruleId: rule.code,
    name: rule.name,
    category: rule.category,
    severity: rule.severity,
    message: input.message,
    fix: input.fix ?? null,
    startOffset: node.startIndex,
    endOffset: node.endIndex,
  };
  if (input.related?.length) {
    d.related = input.related.map((r) => ({ ...spanOf(r.node.startIndex, r.node.endIndex, lineStarts), message: r.message }));
  }
  return d;
}
