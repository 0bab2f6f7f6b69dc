// Shared vocabulary of the engine, the rules, the fixer and the reporters.
import type { SyntaxNode } from './lang/python/tree.js';
import type { SemanticModel } from './lang/python/model.js';
import type * as TS from 'typescript';
import type { JsModel } from './lang/js/model.js';

/** The languages conn-lint lints; a rule is written for one of them. */
export type Language = 'python' | 'js';

export const CATEGORIES = [
  'timeout',
  'session-reuse',
  'bounded-pool',
  'resource-close',
  'sync-in-async',
  'server-config',
  'retry',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Hundreds digit of a rule code by category (CL1xx timeout, ...). */
export const CATEGORY_PREFIX: Record<Category, string> = {
  timeout: 'CL1',
  'session-reuse': 'CL2',
  'bounded-pool': 'CL3',
  'resource-close': 'CL4',
  'sync-in-async': 'CL5',
  'server-config': 'CL6',
  retry: 'CL7',
};

export type Severity = 'error' | 'warning' | 'info';

/** safe: applied by --fix; unsafe: needs --unsafe-fixes; display-only: shown, never applied. */
export type Applicability = 'safe' | 'unsafe' | 'display-only';

/** A replacement of [start, end) in the original text; offsets are JS string (UTF-16) indices. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  applicability: Applicability;
  /** What the fix does, in words ("Add `timeout=(3.05, 27)`"). */
  message: string;
  edits: Edit[];
}

/** 1-based line and column (UTF-16 code units), end exclusive like Ruff and SARIF. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Diagnostic extends Span {
  path: string;
  ruleId: string;
  name: string;
  category: Category;
  severity: Severity;
  message: string;
  fix: Fix | null;
  /** Offsets of the reported node in the source, for fixes, baselines and excerpts. */
  startOffset: number;
  endOffset: number;
  /** Other places that explain the finding (where a resource was created, the loop, ...). */
  related?: Array<Span & { message: string }>;
}

/** A file that could not be read or parsed, or a rule that failed on it. Never aborts the run. */
export interface FileError {
  path: string;
  message: string;
  kind: 'io' | 'encoding' | 'syntax' | 'too-large' | 'binary' | 'rule' | 'fix' | 'internal';
  line?: number;
  column?: number;
  ruleId?: string;
}

export interface RuleDocs {
  /** One sentence: what the rule finds. */
  summary: string;
  /** Why it hurts in production. */
  why: string;
  bad: string;
  good: string;
  /** How the fix works and why it has the applicability it has. */
  fix?: string;
  references?: string[];
}

export interface RuleOption {
  type: 'number' | 'string' | 'boolean' | 'string[]';
  default: number | string | boolean | string[];
  description: string;
}

/** Options every rule sees, merged from defaults and config. */
export type RuleOptions = Record<string, number | string | boolean | string[]>;

/** Settings that are not one rule's own (target version, the timeout a fix inserts, ...). */
export interface GlobalSettings {
  targetVersion: [number, number];
  requestsTimeout: string;
  defaultTimeout: string;
  blockingCalls: string[];
}

export interface ReportInput {
  node: SyntaxNode;
  message: string;
  fix?: Fix | null;
  related?: Array<{ node: SyntaxNode; message: string }>;
}

export interface RuleContext {
  readonly path: string;
  readonly source: string;
  readonly model: SemanticModel;
  readonly options: RuleOptions;
  readonly settings: GlobalSettings;
  report(input: ReportInput): void;
}

/** A word (a substring of the code or of the module name) or a pattern matched in the code. */
export type Trigger = string | RegExp;

/** What every rule has, whatever its language. */
export interface RuleMeta {
  code: string;
  name: string;
  category: Category;
  severity: Severity;
  docs: RuleDocs;
  /** Applicability of the rule's fix, if it has one; the harness checks fixes match it. */
  fixable?: Applicability;
  /** How often a finding is a real hazard, as SARIF's `properties.precision` says it (default "high"). */
  precision?: 'very-high' | 'high' | 'medium' | 'low';
  /**
   * Necessary conditions of a finding, checked on a file's text before it is parsed (see
   * engine/prefilter.ts): words (module names, keywords), which also count when they occur in
   * the file's dotted module name, patterns (`/async\s+def/`), or lists of them that must all
   * be there (`['aiohttp', 'Connector']`: a name's module and its last part), the first in the
   * code as above, the others anywhere in the text (a string annotation can name a class). The
   * rule runs on a file only when one of them is there; a file no enabled rule triggers on is
   * not parsed. Empty = always.
   */
  triggers: ReadonlyArray<Trigger | readonly Trigger[]>;
  options?: Record<string, RuleOption>;
  /** Only for files whose path matches (e.g. gunicorn config files). */
  appliesTo?: (path: string) => boolean;
}

/** A rule for Python files (rules/python/): visits tree-sitter nodes and asks the Python model. */
export interface PythonRule extends RuleMeta {
  language?: 'python';
  /** Node types the rule wants to visit ('call', 'module', ...). */
  nodeTypes: string[];
  visit(node: SyntaxNode, ctx: RuleContext): void;
}

/** A finding of a JS/TS rule: the TypeScript node it points at. */
export interface JsReportInput {
  node: TS.Node;
  message: string;
  fix?: Fix | null;
  related?: Array<{ node: TS.Node; message: string }>;
}

export interface JsRuleContext {
  readonly path: string;
  readonly source: string;
  readonly model: JsModel;
  /** The TypeScript compiler API (loaded when the first JS/TS file is linted). */
  readonly ts: typeof TS;
  readonly options: RuleOptions;
  readonly settings: GlobalSettings;
  report(input: JsReportInput): void;
}

/**
 * A rule for JavaScript and TypeScript files (rules/js/): visits raw TypeScript nodes and asks the
 * JS model. Node kinds are named (`'CallExpression'`), not `ts.SyntaxKind` values, so that loading
 * a rule does not load the compiler: a Python-only run never does.
 */
export interface JsRule extends RuleMeta {
  language: 'js';
  nodeKinds: Array<keyof typeof TS.SyntaxKind>;
  visit(node: TS.Node, ctx: JsRuleContext): void;
}

export type Rule = PythonRule | JsRule;

export function ruleLanguage(rule: Rule): Language {
  return rule.language ?? 'python';
}



export interface FileResult {
  path: string;
  diagnostics: Diagnostic[];
  errors: FileError[];
}
