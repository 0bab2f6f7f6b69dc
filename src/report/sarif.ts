// `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. One run; rules[] from the rule
// docs; locations relative to the repository root (GitHub ignores uriBaseId and resolves every
// URI against the root of the repository); regions 1-based in UTF-16 code units; fixes only when
// there is a real edit; GitHub's upload limits enforced with a notification rather than a rejected upload.
import { gzipSync } from 'node:zlib';
import type { Diagnostic, FileError, Rule, Severity } from '../types.js';
import type { ReportContext } from './index.js';
import { informationUri, TOOL_NAME, toolVersion } from './tool.js';
import { fileUri, fingerprint, PathResolver, positionAt, relativeUri, SourceCache, type Fingerprinted } from './source-info.js';

/** GitHub code scanning's limits on one uploaded run. */
export interface SarifLimits {
  /** Results per run; a run with more is rejected. */
  maxResults: number;
  /** Results GitHub stores and shows per run (the rest of an accepted run is dropped). */
  shownResults: number;
  /** Size of the gzip-compressed file; a larger upload is rejected. */
  maxGzipBytes: number;
}

export const GITHUB_LIMITS: SarifLimits = { maxResults: 25_000, shownResults: 5_000, maxGzipBytes: 10 * 1024 * 1024 };

const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const PROBLEM_SEVERITY: Record<Severity, 'error' | 'warning' | 'recommendation'> = {
  error: 'error',
  warning: 'warning',
  info: 'recommendation',
};
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function sarifRule(rule: Rule) {
  const d = rule.docs;
  return {
    id: rule.code,
    name: rule.name,
    shortDescription: { text: d.summary },
    fullDescription: { text: `${d.summary} ${d.why}` },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    ...(d.references?.[0] ? { helpUri: d.references[0] } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['reliability', rule.category],
      precision: rule.precision ?? 'high',
      'problem.severity': PROBLEM_SEVERITY[rule.severity],
      category: rule.category,
      ...(rule.fixable ? { fix: rule.fixable } : {}),
    },
  };
}

function helpText(rule: Rule): string {
  const d = rule.docs;
  const parts = [d.summary, '', `Why is this bad? ${d.why}`, '', 'Example:', d.bad.trimEnd(), '', 'Use instead:', d.good.trimEnd()];
  if (d.fix) parts.push('', `Fix: ${d.fix}`);
  if (d.references?.length) parts.push('', 'References:', ...d.references.map((r) => `- ${r}`));
  return parts.join('\n');
}

function helpMarkdown(rule: Rule): string {
  const d = rule.docs;
  const fence = (code: string) => {
    const ticks = '`'.repeat(Math.max(3, ...[...code.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    return `${ticks}python\n${code.trimEnd()}\n${ticks}`;
  };
  const parts = [
    `## ${rule.code} ${rule.name}`,
    '',
    d.summary,
    '',
    '### Why is this bad?',
    '',
    d.why,
    '',
    '### Example',
    '',
    fence(d.bad),
    '',
    '### Use instead',
    '',
    fence(d.good),
  ];
  if (d.fix) parts.push('', '### Fix', '', d.fix);
  if (d.references?.length) parts.push('', '### References', '', ...d.references.map((r) => `- <${r}>`));
  return parts.join('\n');
}

interface Built {
  sarif: object;
  json: string;
}

/** Formats a report; `limits` is for tests (GitHub's by default). */
export function formatSarif(ctx: ReportContext, limits: SarifLimits = GITHUB_LIMITS): string {
  const resolver = new PathResolver(ctx.cwd);
  const sources = new SourceCache();
  const rules = [...ctx.rules].sort((a, b) => a.code.localeCompare(b.code));
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  const all = fingerprint(ctx.diagnostics, sources, resolver);
  const roots = new Set<string>();
  const location = (p: string) => artifactLocation(p, resolver, roots);

  // Most severe first when results have to be dropped; the kept ones stay in file order.
  const order = all.map((f, i) => i).sort((a, b) => RANK[all[a].diagnostic.severity] - RANK[all[b].diagnostic.severity] || a - b);
  const results = all.map((f) => sarifResult(f, ruleIndex, location, sources, resolver));
  const notifications = ctx.errors.map((e) => errorNotification(e, location));

  const build = (keep: number, note: string | null): Built => {
    const kept = new Set(order.slice(0, keep));
    const runResults = results.filter((_, i) => kept.has(i));
    const extra = note ? [{ level: 'warning', message: { text: note }, descriptor: { id: 'results-truncated' } }] : [];
    const sarif = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: TOOL_NAME,
              version: toolVersion(),
              semanticVersion: toolVersion(),
              informationUri: informationUri(),
              rules: rules.map(sarifRule),
            },
          },
          ...(roots.size === 1 ? { originalUriBaseIds: { [SRCROOT]: { uri: fileUri([...roots][0]) + '/' } } } : {}),
          invocations: [
            {
              executionSuccessful: !ctx.errors.some((e) => e.kind === 'internal' || e.kind === 'rule'),
              toolExecutionNotifications: [...extra, ...notifications],
            },
          ],
          columnKind: 'utf16CodeUnits',
          results: runResults,
        },
      ],
    };
    return { sarif, json: JSON.stringify(sarif, null, 2) + '\n' };
  };

  const total = results.length;
  let keep = Math.min(total, limits.maxResults);
  const truncationNote = (n: number, why: string) =>
    `conn-lint found ${total} results; only the ${n} most severe are in this file because ${why}. ` +
    'Lint fewer paths, narrow the rules with --select, or adopt a --baseline to see the rest.';
  let note = keep < total ? truncationNote(keep, `GitHub code scanning rejects a run with more than ${limits.maxResults} results`) : null;
  let built = build(keep, note);
  let size = gzipSync(built.json).length;
  while (size > limits.maxGzipBytes && keep > 0) {
    keep = Math.max(0, Math.min(keep - 1, Math.floor((keep * limits.maxGzipBytes * 0.9) / size)));
    note = truncationNote(keep, `GitHub code scanning rejects a SARIF file larger than ${formatMb(limits.maxGzipBytes)} gzip-compressed`);
    built = build(keep, note);
    size = gzipSync(built.json).length;
  }
  if (note) ctx.warn?.(`warning: ${note}`);
  if (keep > limits.shownResults) {
    ctx.warn?.(
      `warning: this SARIF file has ${keep} results; GitHub code scanning accepts up to ${limits.maxResults} per run ` +
        `but stores and shows only ${limits.shownResults} of them.`,
    );
  }
  return built.json;
}

function formatMb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(2)} MB` : `${bytes} bytes`;
}

function artifactLocation(p: string, resolver: PathResolver, roots: Set<string>) {
  const abs = resolver.absolute(p);
  const root = resolver.rootOf(abs);
  if (root) {
    roots.add(root);
    return { uri: relativeUri(resolver.relative(p)!), uriBaseId: SRCROOT };
  }
  // Not in a repository: relative to the cwd when under it, otherwise an absolute file URI.
  const rel = resolver.relative(p);
  return rel !== null ? { uri: relativeUri(rel) } : { uri: fileUri(abs) };
}

type Locate = (p: string) => { uri: string; uriBaseId?: string };

function region(s: { line: number; column: number; endLine: number; endColumn: number }) {
  return { startLine: s.line, startColumn: s.column, endLine: s.endLine, endColumn: s.endColumn };
}

function sarifResult(f: Fingerprinted, ruleIndex: Map<string, number>, location: Locate, sources: SourceCache, resolver: PathResolver) {
  const d = f.diagnostic;
  const where = location(d.path);
  const result: Record<string, unknown> = {
    ruleId: d.ruleId,
    ...(ruleIndex.has(d.ruleId) ? { ruleIndex: ruleIndex.get(d.ruleId) } : {}),
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [{ physicalLocation: { artifactLocation: where, region: region(d) } }],
  };
  if (f.hash) result.partialFingerprints = { 'connLintFindingHash/v1': `${f.hash}:${f.occurrence}` };
  if (d.related?.length) {
    result.relatedLocations = d.related.map((r, i) => ({
      id: i + 1,
      physicalLocation: { artifactLocation: where, region: region(r) },
      message: { text: r.message },
    }));
  }
  const fix = sarifFix(d, where, sources, resolver);
  if (fix) result.fixes = [fix];
  result.properties = { category: d.category, name: d.name, ...(d.fix ? { fixApplicability: d.fix.applicability } : {}) };
  return result;
}

/** A SARIF fix from the diagnostic's edits, or null when there is no real edit to describe. */
function sarifFix(d: Diagnostic, where: { uri: string; uriBaseId?: string }, sources: SourceCache, resolver: PathResolver) {
  const edits = d.fix?.edits.filter((e) => e.start !== e.end || e.text !== '') ?? [];
  if (!d.fix || edits.length === 0) return null;
  const file = sources.get(resolver.absolute(d.path));
  if (!file) return null;
  if (edits.some((e) => e.start < 0 || e.end < e.start || e.end > file.text.length)) return null;
  const replacements = [...edits]
    .sort((a, b) => a.start - b.start)
    .map((e) => {
      const a = positionAt(file, e.start);
      const b = positionAt(file, e.end);
      return {
        deletedRegion: { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column },
        ...(e.text ? { insertedContent: { text: e.text } } : {}),
      };
    });
  const label = d.fix.applicability === 'safe' ? '' : d.fix.applicability === 'unsafe' ? ' (unsafe: review it)' : ' (suggestion)';
  return { description: { text: d.fix.message + label }, artifactChanges: [{ artifactLocation: where, replacements }] };
}

function errorNotification(e: FileError, location: Locate) {
  const region = e.line ? { region: { startLine: e.line, ...(e.column ? { startColumn: e.column } : {}) } } : {};
  return {
    // A file that could not be checked fails the run (exit 1), so it is an error; a dropped fix is not.
    level: e.kind === 'fix' ? 'warning' : 'error',
    message: { text: `${e.path}: ${e.message}` },
    descriptor: { id: `file-${e.kind}` },
    locations: [{ physicalLocation: { artifactLocation: location(e.path), ...region } }],
    ...(e.ruleId ? { associatedRule: { id: e.ruleId } } : {}),
  };
}
