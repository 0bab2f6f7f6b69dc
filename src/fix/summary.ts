// What a `--fix` / `--diff` run did, across files: fixes applied per rule, files changed, diffs.
import type { FileFixResult } from './file.js';

export interface FixMode {
  /** Also apply unsafe fixes (--unsafe-fixes). */
  unsafe: boolean;
  /** Write fixed files (--fix); false for --diff. */
  write: boolean;
  /** Collect unified diffs (--diff). */
  diff: boolean;
}

export interface FixSummary {
  /** Fixes applied (or, with --diff, that would be applied). */
  fixed: number;
  byRule: Record<string, number>;
  /** Files whose text changed (written with --fix). */
  changedFiles: string[];
  /** Fixes dropped because their result did not parse or the file could not be written back. */
  dropped: number;
  /** Unified diffs, one per changed file, in file order (--diff). */
  diffs: string[];
  /** Files linted but deliberately not written by --fix (excluded, or a link out of the tree), and why. */
  notWritten: Array<{ path: string; reason: string }>;
}

export function newFixSummary(): FixSummary {
  return { fixed: 0, byRule: {}, changedFiles: [], dropped: 0, diffs: [], notWritten: [] };
}

/** Adds one file's outcome; `shownPath` is the path as reported (relative to the cwd). */
export function addFileFix(summary: FixSummary, result: FileFixResult, shownPath: string): void {
  summary.dropped += result.dropped;
  if (!result.changed) return;
  summary.changedFiles.push(shownPath);
  for (const a of result.applied) {
    summary.fixed++;
    summary.byRule[a.ruleId] = (summary.byRule[a.ruleId] ?? 0) + 1;
  }
  if (result.diff) summary.diffs.push(result.diff);
}

/** `Fixed 3 (2 remaining).` — or, for --diff, `Would fix 3 (2 remaining).` */
export function fixSummaryLine(summary: FixSummary, remaining: number, diffMode: boolean): string {
  const verb = diffMode ? 'Would fix' : 'Fixed';
  const dropped = summary.dropped ? `; ${summary.dropped} fix${summary.dropped === 1 ? '' : 'es'} dropped (see errors)` : '';
  return `${verb} ${summary.fixed} (${remaining} remaining)${dropped}.`;
}
