// Output formats by name. Each turns a run's results into the text written to stdout or -o.
import type { Diagnostic, FileError, Rule } from '../types.js';
import { formatJson } from './json.js';
import { formatText } from './text.js';
import { formatSarif } from './sarif.js';
import { formatGithub } from './github.js';
import { formatJunit } from './junit.js';
import { formatGitlab } from './gitlab.js';
import { formatJsonLines } from './json-lines.js';

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
  /** Where a format reports a problem with its own output (GitHub's SARIF limits, ...): stderr in the CLI. */
  warn?: (message: string) => void;
}

export type Formatter = (ctx: ReportContext) => string;

export const FORMATTERS: Record<string, Formatter> = {
  text: (c) => formatText(c.diagnostics, { showSource: c.showSource, color: c.color, cwd: c.cwd, unsafeFixes: c.unsafeFixes }, c.errors),
  json: (c) => formatJson(c.diagnostics, c.errors),
  sarif: (c) => formatSarif(c),
  github: (c) => formatGithub(c),
  junit: (c) => formatJunit(c),
  gitlab: (c) => formatGitlab(c),
  'json-lines': (c) => formatJsonLines(c),
};

/** Formats whose output carries file errors; for the others the CLI prints them on stderr. */
export const FORMATS_WITH_ERRORS: ReadonlySet<string> = new Set(['text', 'json', 'sarif', 'github', 'junit']);
