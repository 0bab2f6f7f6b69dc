// Human output, like Ruff's: `path:line:col: CODE message`, an excerpt with carets under the
// span when showing source, and a summary line with counts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, FileError } from '../types.js';

export interface TextOptions {
  showSource: boolean;
  color: boolean;
  cwd: string;
  /** Whether --fix/--unsafe-fixes would apply a fix (for the "fixable" count). */
  unsafeFixes: boolean;
}

const ansi = (code: string) => (s: string, on: boolean) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = ansi('1');
const red = ansi('31');
const cyan = ansi('36');
const dim = ansi('2');
const yellow = ansi('33');

/**
 * The findings, then the files that could not be (fully) checked, each as `path:line:col: …` so
 * that editors and terminals link them: a CI log must never hide a file that was not checked.
 */
export function formatText(diagnostics: readonly Diagnostic[], opts: TextOptions, errors: readonly FileError[] = []): string {
  const out: string[] = [];
  const sources = new Map<string, string[] | null>();
  for (const d of diagnostics) {
    const fixable = d.fix && (d.fix.applicability === 'safe' || (opts.unsafeFixes && d.fix.applicability === 'unsafe'));
    out.push(
      `${bold(d.path, opts.color)}${cyan(':', opts.color)}${d.line}${cyan(':', opts.color)}${d.column}${cyan(':', opts.color)} ` +
        `${red(d.ruleId, opts.color)} ${fixable ? yellow('[*] ', opts.color) : ''}${d.message}`,
    );
    if (opts.showSource) {
      if (!sources.has(d.path)) sources.set(d.path, readLines(path.resolve(opts.cwd, d.path)));
      const lines = sources.get(d.path);
      if (lines) out.push(excerpt(d, lines, opts.color));
    }
  }
  for (const e of errors) out.push(errorLine(e, opts.color));
  return out.length ? out.join('\n') + '\n' : '';
}

/** Kinds of file error that mean a file was not checked, or only in part (a dropped fix is not one). */
export const UNCHECKED_KINDS: ReadonlySet<FileError['kind']> = new Set(['io', 'encoding', 'syntax', 'too-large', 'binary', 'rule', 'internal']);

/** What a kind of error did to the check, for the summary: `syntax error ×2`. */
const KIND_WORDS: Record<FileError['kind'], string> = {
  io: 'unreadable',
  encoding: 'not decodable',
  syntax: 'syntax error',
  'too-large': 'over max-file-size',
  binary: 'binary',
  rule: 'rule failure',
  internal: 'internal error',
  fix: 'fix dropped',
};

/** `path:line:col: syntax error: …` or `path: error: …`; a failed rule's stack stays in --format json. */
export function errorLine(e: FileError, color: boolean): string {
  const where = e.line ? `${e.path}:${e.line}:${e.column ?? 1}` : e.path;
  const first = e.message.split('\n')[0];
  const text =
    e.kind === 'syntax'
      ? red(first, color)
      : `${red('error', color)}: ${first}${e.kind === 'rule' || e.kind === 'internal' ? ' (a bug in conn-lint: please report it; --format json has the stack)' : ''}`;
  return `${bold(where, color)}${cyan(':', color)} ${text}`;
}

function readLines(file: string): string[] | null {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  } catch {
    return null;
  }
}

function excerpt(d: Diagnostic, lines: string[], color: boolean): string {
  const text = lines[d.line - 1];
  if (text === undefined) return '';
  const width = String(d.line).length;
  const gutter = ' '.repeat(width);
  const start = d.column - 1;
  const end = d.endLine === d.line ? Math.max(d.endColumn - 1, start + 1) : text.length;
  const shown = text.replace(/\t/g, ' ');
  const caret = ' '.repeat(start) + '^'.repeat(Math.max(1, Math.min(end, shown.length) - start));
  const rows = [
    `${gutter} ${dim('|', color)}`,
    `${d.line} ${dim('|', color)} ${shown}`,
    `${gutter} ${dim('|', color)} ${red(caret, color)}${d.endLine > d.line ? dim(` (to line ${d.endLine})`, color) : ''}`,
  ];
  if (d.fix) rows.push(`${gutter} ${dim('=', color)} ${d.fix.applicability === 'display-only' ? 'suggestion' : 'fix'}: ${d.fix.message}`);
  return rows.join('\n') + '\n';
}

export function formatErrors(errors: readonly FileError[], color: boolean): string {
  return errors.map((e) => errorLine(e, color)).join('\n');
}

/** `2 files could not be fully checked (syntax error ×1, unreadable ×1)`, or undefined when every file was. */
export function uncheckedSummary(errors: readonly FileError[]): string | undefined {
  const unchecked = errors.filter((e) => UNCHECKED_KINDS.has(e.kind));
  if (!unchecked.length) return undefined;
  const files = new Set(unchecked.map((e) => e.path)).size;
  const byKind = new Map<string, number>();
  for (const e of unchecked) byKind.set(KIND_WORDS[e.kind], (byKind.get(KIND_WORDS[e.kind]) ?? 0) + 1);
  const kinds = [...byKind.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${k} ×${n}`);
  return `${files} file${files === 1 ? '' : 's'} could not be fully checked (${kinds.join(', ')})`;
}

export function summary(diagnostics: readonly Diagnostic[], errors: readonly FileError[], files: number, opts: { unsafeFixes: boolean }): string {
  const unchecked = uncheckedSummary(errors);
  const dropped = errors.filter((e) => e.kind === 'fix').length;
  const droppedNote = dropped ? `; ${dropped} fix${dropped === 1 ? '' : 'es'} dropped` : '';
  if (diagnostics.length === 0) {
    // "All checks passed" only when every file was checked.
    if (!unchecked) return `All checks passed (${files} file${files === 1 ? '' : 's'})${droppedNote}.`;
    return `No findings in ${files} file${files === 1 ? '' : 's'}, but ${unchecked}${droppedNote}.`;
  }
  const byRule = new Map<string, number>();
  for (const d of diagnostics) byRule.set(d.ruleId, (byRule.get(d.ruleId) ?? 0) + 1);
  const counts = [...byRule.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([r, n]) => `${r} ×${n}`);
  const fileCount = new Set(diagnostics.map((d) => d.path)).size;
  const safe = diagnostics.filter((d) => d.fix?.applicability === 'safe').length;
  const unsafe = diagnostics.filter((d) => d.fix?.applicability === 'unsafe').length;
  const parts = [`Found ${diagnostics.length} finding${diagnostics.length === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'} (${counts.join(', ')})`];
  if (safe) parts.push(`${safe} fixable with \`--fix\``);
  if (unsafe) parts.push(`${unsafe} more with \`--fix --unsafe-fixes\``);
  if (unchecked) parts.push(unchecked);
  return parts.join('; ') + droppedNote + '.';
}
