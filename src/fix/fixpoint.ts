// The fix loop: lint, apply the non-overlapping applicable fixes, re-parse, repeat until nothing
// changes (at most 10 passes). A fix whose result no longer parses is dropped and reported; the
// text stays as the last pass that parsed.
import type { Applicability, Diagnostic, FileError, Fix } from '../types.js';
import { lintText, type FileLintOptions } from '../engine/run.js';
import { applyFixes, selectFixes, type Candidate } from './apply.js';
import { syntaxErrorIn } from './guard.js';

export const MAX_PASSES = 10;

export interface FixOptions {
  /** Also apply fixes marked unsafe (--unsafe-fixes). */
  unsafe: boolean;
  maxPasses?: number;
}

export interface AppliedFix {
  ruleId: string;
  message: string;
  applicability: Applicability;
  pass: number;
}

export interface FixOutcome {
  path: string;
  original: string;
  /** The text after the last pass that parsed (equal to `original` when nothing applied). */
  text: string;
  applied: AppliedFix[];
  /** Findings left in the fixed text (with its line numbers). */
  diagnostics: Diagnostic[];
  /** Errors of the final lint plus fixes that were dropped (kind 'fix'). */
  errors: FileError[];
  /** Fixes dropped because their result did not parse, or because their edits were invalid. */
  dropped: number;
  passes: number;
}

export function isApplicable(fix: Fix | null | undefined, unsafe: boolean): fix is Fix {
  return !!fix && fix.edits.length > 0 && (fix.applicability === 'safe' || (unsafe && fix.applicability === 'unsafe'));
}

/** A fix's identity independent of where earlier passes moved it: rule, message, edited text. */
function fixKey(d: Diagnostic, text: string): string {
  const edits = d.fix!.edits.map((e) => `${text.slice(Math.max(0, e.start - 80), e.start)}\u0001${text.slice(e.start, e.end)}\u0001${e.text}`);
  return `${d.ruleId}\u0000${d.fix!.message}\u0000${edits.join('\u0002')}`;
}

export function fixText(path: string, original: string, lintOptions: FileLintOptions, options: FixOptions): FixOutcome {
  const maxPasses = options.maxPasses ?? MAX_PASSES;
  const applied: AppliedFix[] = [];
  const fixErrors: FileError[] = [];
  const refused = new Set<string>();
  let dropped = 0;
  let text = original;
  const seen = new Set<string>([original]);
  let result = lintText(path, text, lintOptions);
  // A file that does not parse to begin with is not touched: there is no way to tell whether a
  // fix made things worse. Its syntax error is already reported.
  if (result.errors.some((e) => e.kind === 'syntax')) {
    return { path, original, text, applied, diagnostics: result.diagnostics, errors: result.errors, dropped, passes: 0 };
  }
  let pass = 0;
  for (; pass < maxPasses; pass++) {
    const candidates: Candidate<Diagnostic>[] = [];
    for (const d of result.diagnostics) {
      if (!isApplicable(d.fix, options.unsafe)) continue;
      if (refused.has(fixKey(d, text))) continue;
      candidates.push({ fix: d.fix, tag: d });
    }
    if (candidates.length === 0) break;
    if (pass === 0) {
      // The guard's own indentation checks must hold on the original, or every fix would look
      // like it broke the file: such a file (one CPython would reject too) is left alone.
      const problem = syntaxErrorIn(text);
      if (problem) {
        fixErrors.push({ path, kind: 'fix', line: problem.line, column: problem.column, message: `not fixed: ${problem.message}` });
        break;
      }
    }
    const selection = selectFixes(candidates, text.length);
    for (const bad of selection.invalid) {
      refused.add(fixKey(bad.tag, text));
      dropped++;
      fixErrors.push(fixError(path, bad.tag, `fix for ${bad.tag.ruleId} (${bad.fix.message}) dropped: ${bad.reason}`));
    }
    if (selection.picked.length === 0) break;

    let kept = selection.picked;
    let next = applyFixes(text, kept.map((c) => c.fix));
    if (syntaxErrorIn(next)) {
      // Find the culprits: add the fixes one at a time and keep those that still parse.
      kept = [];
      for (const c of selection.picked) {
        const trial = applyFixes(text, [...kept, c].map((k) => k.fix));
        const problem = syntaxErrorIn(trial);
        if (!problem) {
          kept.push(c);
          continue;
        }
        refused.add(fixKey(c.tag, text));
        dropped++;
        fixErrors.push(
          fixError(
            path,
            c.tag,
            `fix for ${c.tag.ruleId} (${c.fix.message}) dropped: the result would not parse ` +
              `(${problem.message} at line ${problem.line}, column ${problem.column}); the finding is left as it is`,
          ),
        );
      }
      if (kept.length === 0) continue; // re-lint is not needed: nothing changed, but other fixes may be deferred
      next = applyFixes(text, kept.map((c) => c.fix));
    }
    for (const c of kept) applied.push({ ruleId: c.tag.ruleId, message: c.fix.message, applicability: c.fix.applicability, pass: pass + 1 });
    if (seen.has(next)) {
      text = next;
      fixErrors.push({ path, kind: 'fix', message: 'fixes undo each other (the text came back to an earlier state); stopped fixing this file' });
      result = lintText(path, text, lintOptions);
      pass++;
      break;
    }
    seen.add(next);
    text = next;
    result = lintText(path, text, lintOptions);
  }
  if (pass === maxPasses) {
    const left = result.diagnostics.filter((d) => isApplicable(d.fix, options.unsafe) && !refused.has(fixKey(d, text)));
    if (left.length) {
      fixErrors.push({
        path,
        kind: 'fix',
        message: `fixes did not converge after ${maxPasses} passes (${left.map((d) => d.ruleId).join(', ')} still fixable); the file keeps the last pass`,
      });
    }
  }
  return { path, original, text, applied, diagnostics: result.diagnostics, errors: [...result.errors, ...fixErrors], dropped, passes: pass };
}

function fixError(path: string, d: Diagnostic, message: string): FileError {
  return { path, kind: 'fix', ruleId: d.ruleId, line: d.line, column: d.column, message };
}
