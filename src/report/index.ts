// Output formats by name. Each turns a run's results into the text written to stdout or -o.
import type { Diagnostic, FileError, Rule } from '../types.js';
import { formatJson } from './json.js';
import { formatText } from './text.js';

export interface ReportContext {
  diagnostics: readonly Diagnostic[];
  errors: readonly FileError[];
  rules: readonly Rule[];
  files: number;
  cwd: string;
  /** Text format only. */
  showSource: boolean;
  color: boolean;
  unsafeFixes: boolean;
}

export type Formatter = (ctx: ReportContext) => string;

export const FORMATTERS: Record<string, Formatter> = {
  text: (c) => formatText(c.diagnostics, { showSource: c.showSource, color: c.color, cwd: c.cwd, unsafeFixes: c.unsafeFixes }),
  json: (c) => formatJson(c.diagnostics, c.errors),
};
