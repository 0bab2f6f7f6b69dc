// Runs the enabled JS/TS rules over one file: prefilter, parse once (TypeScript's parser, no
// Program), walk the raw nodes once with an explicit stack and hand each to the rules that asked
// for its kind, then drop suppressed findings. The compiler is loaded on the first JS/TS file.
import type * as TS from 'typescript';
import type { Diagnostic, FileError, FileResult, JsReportInput, JsRule, JsRuleContext, Rule } from '../types.js';
import { typescript } from '../lang/js/typescript.js';
import { parseJs } from '../lang/js/parse.js';
import { JsModel } from '../lang/js/model.js';
import { computeLineStarts, spanOf } from './positions.js';
import { rulesTriggeredBy } from './prefilter.js';
import { commentRanges, isSuppressedJs, jsFileSuppressions } from './suppressions-js.js';
import { addTime, count, timed, timingsOn } from './timings.js';
import type { FileLintOptions } from './run.js';
import { byPosition, dedupe } from './findings.js';

/** A line longer than this marks a minified bundle: not source anybody maintains, so not linted. */
export const MINIFIED_LINE_LENGTH = 5000;

/** Whether the text has a line longer than MINIFIED_LINE_LENGTH (a minified or generated bundle). */
export function looksMinified(text: string): boolean {
  if (text.length <= MINIFIED_LINE_LENGTH) return false;
  let lineStart = 0;
  for (;;) {
    const nl = text.indexOf('\n', lineStart);
    const end = nl === -1 ? text.length : nl;
    if (end - lineStart > MINIFIED_LINE_LENGTH) return true;
    if (nl === -1) return false;
    lineStart = nl + 1;
  }
}

export function lintJsText(path: string, text: string, opts: FileLintOptions, candidates: readonly JsRule[]): FileResult {
  const errors: FileError[] = [];
  const t0 = timingsOn() ? performance.now() : 0;
  let rules = (opts.prefilter !== false ? rulesTriggeredBy(text, candidates, opts.rules, undefined, true) : candidates) as JsRule[];
  if (t0) addTime('prefilter', performance.now() - t0);
  if (rules.length === 0 && !opts.checkSyntax) return { path, diagnostics: [], errors };
  if (looksMinified(text)) return { path, diagnostics: [], errors };

  const ts = typescript();
  const parsed = timed('parse', () => parseJs(path, text));
  count('parsed files');
  count('parsed bytes', text.length);
  const { sf } = parsed;
  if (parsed.syntaxError) errors.push({ path, kind: 'syntax', ...parsed.syntaxError });
  let comments: Array<[number, number]> | undefined;
  const commentsOf = () => (comments ??= commentRanges(ts, sf));
  const fileNoqa = jsFileSuppressions(text, opts.rules as Rule[], commentsOf);
  if (fileNoqa === null) return { path, diagnostics: [], errors };
  if (fileNoqa) rules = rules.filter((r) => !fileNoqa.has(r.code));
  if (rules.length === 0) return { path, diagnostics: [], errors };

  const model = timed('model', () => new JsModel(ts, sf, path));
  let lineStarts: number[] | undefined;
  const diagnostics: Diagnostic[] = [];
  const failed = new Set<JsRule>();
  const contexts = new Map<JsRule, JsRuleContext>();
  for (const rule of rules) {
    contexts.set(rule, {
      path,
      source: text,
      model,
      ts,
      options: opts.ruleOptions[rule.code] ?? {},
      settings: opts.settings,
      report: (input: JsReportInput) => diagnostics.push(toDiagnostic(rule, path, sf, input, (lineStarts ??= computeLineStarts(text)))),
    });
  }
  const byKind = new Map<TS.SyntaxKind, JsRule[]>();
  for (const rule of rules) {
    for (const name of rule.nodeKinds) {
      const kind = ts.SyntaxKind[name];
      const list = byKind.get(kind) ?? [];
      list.push(rule);
      byKind.set(kind, list);
    }
  }

  const timing = timingsOn();
  const walkStart = timing ? performance.now() : 0;
  let inRules = 0;
  // Pre-order, children in source order, with an explicit stack: depth is never a problem.
  const stack: TS.Node[] = [sf];
  const children: TS.Node[] = [];
  const push = (c: TS.Node) => {
    children.push(c);
  };
  while (stack.length) {
    const node = stack.pop()!;
    const wanted = byKind.get(node.kind);
    if (wanted) {
      for (const rule of wanted) {
        if (failed.has(rule)) continue;
        const t = timing ? performance.now() : 0;
        try {
          rule.visit(node, contexts.get(rule)!);
        } catch (e) {
          failed.add(rule);
          const at = sf.getLineAndCharacterOfPosition(node.getStart(sf));
          errors.push({ path, kind: 'rule', ruleId: rule.code, line: at.line + 1, column: at.character + 1, message: `rule ${rule.code} (${rule.name}) failed: ${(e as Error)?.stack ?? String(e)}` });
        }
        if (timing) {
          const spent = performance.now() - t;
          inRules += spent;
          addTime(`rule ${rule.code}`, spent);
        }
      }
    }
    children.length = 0;
    ts.forEachChild(node, push);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  if (timing) addTime('tree walk', performance.now() - walkStart - inRules);

  if (diagnostics.length === 0) return { path, diagnostics, errors };
  return timed('suppressions', () => {
    const starts = (lineStarts ??= computeLineStarts(text));
    const kept = diagnostics.filter((d) => !isSuppressedJs(d, commentsOf(), text, starts, opts.rules as Rule[]));
    return { path, diagnostics: dedupe(kept).sort(byPosition), errors };
  });
}

function toDiagnostic(rule: JsRule, path: string, sf: TS.SourceFile, input: JsReportInput, lineStarts: number[]): Diagnostic {
  const start = input.node.getStart(sf);
  const end = input.node.end;
  const d: Diagnostic = {
    path,
    ...spanOf(start, end, lineStarts),
    ruleId: rule.code,
    name: rule.name,
    category: rule.category,
    severity: rule.severity,
    message: input.message,
    fix: input.fix ?? null,
    startOffset: start,
    endOffset: end,
  };
  if (input.related?.length) {
    d.related = input.related.map((r) => ({ ...spanOf(r.node.getStart(sf), r.node.end, lineStarts), message: r.message }));
  }
  return d;
}
