// `--format json`: one object {"diagnostics": [...], "errors": [...]}, the contract in DESIGN.md.
import type { Diagnostic, FileError } from '../types.js';

export function jsonDiagnostic(d: Diagnostic) {
  return {
    path: d.path,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    ruleId: d.ruleId,
    name: d.name,
    category: d.category,
    severity: d.severity,
    message: d.message,
    fix: d.fix
      ? { applicability: d.fix.applicability, message: d.fix.message, edits: d.fix.edits.map((e) => ({ ...e })) }
      : null,
    ...(d.related?.length ? { related: d.related } : {}),
  };
}

export function formatJson(diagnostics: readonly Diagnostic[], errors: readonly FileError[]): string {
  return JSON.stringify({ diagnostics: diagnostics.map(jsonDiagnostic), errors }, null, 2) + '\n';
}
