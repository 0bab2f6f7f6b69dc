// `--format github`: GitHub Actions workflow commands, one per finding, which GitHub shows as
// annotations on the run and on the pull request's diff:
//   ::error file=app/x.py,line=3,endLine=3,col=5,endColumn=31,title=conn-lint (CL101)::message
// Paths are relative to the workspace (GITHUB_WORKSPACE, else the repository root, else the cwd).
import type { Diagnostic, FileError, Severity } from '../types.js';
import type { ReportContext } from './index.js';
import { PathResolver } from './source-info.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** The message part: `%`, CR and LF are percent-encoded so a message stays one command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as data, plus `:` and `,`, which separate the properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: string, props: Array<[string, string | number | undefined]>, message: string): string {
  const p = props.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${kind} ${p.join(',')}::${escapeData(message)}`;
}

export function githubAnnotation(d: Diagnostic, file: string): string {
  // Columns only when the span is on one line: GitHub ignores or misplaces them otherwise.
  const oneLine = d.endLine === d.line;
  return command(
    COMMAND[d.severity],
    [
      ['file', file],
      ['line', d.line],
      ['endLine', d.endLine],
      ['col', oneLine ? d.column : undefined],
      ['endColumn', oneLine ? d.endColumn : undefined],
      ['title', `conn-lint (${d.ruleId})`],
    ],
    d.message,
  );
}

function errorAnnotation(e: FileError, file: string): string {
  return command(
    // A file that could not be checked fails the run (exit 1), so it is an error; a dropped fix is not.
    e.kind === 'fix' ? 'warning' : 'error',
    [
      ['file', file],
      ['line', e.line],
      ['col', e.line ? e.column : undefined],
      ['title', `conn-lint (${e.kind === 'rule' && e.ruleId ? e.ruleId : `file ${e.kind}`})`],
    ],
    e.message,
  );
}

export function formatGithub(ctx: ReportContext, workspace = process.env.GITHUB_WORKSPACE): string {
  const resolver = new PathResolver(ctx.cwd, workspace || undefined);
  const file = (p: string) => resolver.relative(p) ?? resolver.absolute(p);
  const out = [...ctx.diagnostics.map((d) => githubAnnotation(d, file(d.path))), ...ctx.errors.map((e) => errorAnnotation(e, file(e.path)))];
  return out.length ? out.join('\n') + '\n' : '';
}
