// `--format json-lines`: one JSON object per line and per finding, the same object as in
// `--format json`'s "diagnostics" (easy to stream, grep and concatenate). File errors go to stderr.
import type { ReportContext } from './index.js';
import { jsonDiagnostic } from './json.js';

export function formatJsonLines(ctx: ReportContext): string {
  return ctx.diagnostics.map((d) => JSON.stringify(jsonDiagnostic(d)) + '\n').join('');
}
