// `--format gitlab`: GitLab Code Quality (a JSON array of Code Climate issues), for a CI job's
// `artifacts: reports: codequality`. Paths are relative to the repository root, and each
// fingerprint is stable across unrelated edits so GitLab can tell new findings from old ones.
import { createHash } from 'node:crypto';
import type { Severity } from '../types.js';
import type { ReportContext } from './index.js';
import { fingerprint, PathResolver, SourceCache } from './source-info.js';

const SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', info: 'info' };

export function formatGitlab(ctx: ReportContext): string {
  const resolver = new PathResolver(ctx.cwd, process.env.CI_PROJECT_DIR || undefined);
  const issues = fingerprint(ctx.diagnostics, new SourceCache(), resolver).map(({ diagnostic: d, hash, occurrence }) => {
    const file = resolver.relative(d.path) ?? d.path;
    const key = hash ? `${file}\0${hash}\0${occurrence}` : `${file}\0${d.ruleId}\0${d.line}\0${d.column}\0${d.message}`;
    return {
      type: 'issue',
      check_name: `${d.ruleId} ${d.name}`,
      description: `${d.ruleId}: ${d.message}`,
      categories: ['Bug Risk'],
      severity: SEVERITY[d.severity],
      fingerprint: createHash('sha256').update(key).digest('hex').slice(0, 32),
      location: {
        path: file,
        positions: { begin: { line: d.line, column: d.column }, end: { line: d.endLine, column: d.endColumn } },
      },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
}
