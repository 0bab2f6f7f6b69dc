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

export function formatText(diagnostics: readonly Diagnostic[], opts: TextOptions): string {
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
  return out.length ? out.join('\n') + '\n' : '';
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
  return errors
    .map((e) => {
      const where = e.line ? `${e.path}:${e.line}:${e.column ?? 1}` : e.path;
      return `${bold(where, color)}: ${red('error', color)}: ${e.message}`;
    })
    .join('\n');
}

export function summary(diagnostics: readonly Diagnostic[], errors: readonly FileError[], files: number, opts: { unsafeFixes: boolean }): string {
  if (diagnostics.length === 0) {
    return `All checks passed (${files} file${files === 1 ? '' : 's'})${errors.length ? `; ${errors.length} file error${errors.length === 1 ? '' : 's'}` : ''}.`;
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
  if (errors.length) parts.push(`${errors.length} file error${errors.length === 1 ? '' : 's'}`);
  return parts.join('; ') + '.';
}
