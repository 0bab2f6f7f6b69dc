// `--format sarif`: valid SARIF 2.1.0 (schema-checked with Ajv), repository-root-relative URIs from
// any cwd, UTF-16 columns, rules from the docs, fixes only with real edits, stable fingerprints,
// and GitHub's upload limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, Rule } from '../src/types.js';
import { formatSarif } from '../src/report/sarif.js';
import type { ReportContext } from '../src/report/index.js';
import { rules } from './support.js';
import { runCli, sarifErrors, tempDir } from './integration-support.js';

const APP = [
  'import requests',
  '',
  '',
  'def fetch(order_id):',
  '    return requests.get(f"https://api.example.com/orders/{order_id}")',
  '',
  '',
  'def price():',
  '    label = "prix: 5€ 😀"; resp = requests.post("https://api.example.com/p")',
  '    return label, resp',
  '',
].join('\n');

function project() {
  return tempDir(
    'sarif',
    {
      'services/orders/app.py': APP,
      'services/orders/with space,100%.py': 'import requests\nrequests.get("https://example.com")\n',
      'services/orders/broken.py': 'import requests\ndef f(:\n    requests.get("u")\n',
      'services/clean.py': 'import requests\nrequests.get("https://example.com", timeout=3)\n',
    },
    true,
  );
}

interface SarifLog {
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: any[] } };
    results: any[];
    invocations: any[];
    columnKind: string;
  }>;
}

function sarifRun(cwd: string, args: string[]): SarifLog {
  const out = path.join(tempDir('sarif-out'), 'out.sarif');
  const r = runCli([...args, '--format', 'sarif', '-o', out, '--no-cache'], cwd);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '', 'with -o nothing goes to stdout');
  return JSON.parse(readFileSync(out, 'utf8'));
}

function uris(log: SarifLog): string[] {
  return [...new Set(log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri as string))].sort();
}

test('SARIF from the repository root validates against the SARIF 2.1.0 schema', () => {
  const dir = project();
  const log = sarifRun(dir, ['.']);
  assert.deepEqual(sarifErrors(log), []);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.equal(run.tool.driver.name, 'conn-lint');
  assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
  assert.match(run.tool.driver.informationUri, /^https:\/\//);
  assert.deepEqual(uris(log), ['services/orders/app.py', 'services/orders/broken.py', 'services/orders/with%20space%2C100%25.py']);
  // The unparsable file is reported as a notification, and the run still succeeded.
  const inv = run.invocations[0];
  assert.equal(inv.executionSuccessful, true);
  assert.ok(inv.toolExecutionNotifications.some((n: any) => n.descriptor.id === 'file-syntax' && /broken\.py/.test(n.message.text)));
});

test('URIs are relative to the repository root from a sub-folder and from outside the repository', () => {
  const dir = project();
  const fromRoot = uris(sarifRun(dir, ['.']));
  assert.deepEqual(uris(sarifRun(path.join(dir, 'services', 'orders'), ['.'])), fromRoot);
  assert.deepEqual(uris(sarifRun(path.join(dir, 'services'), ['orders'])), fromRoot);
  const elsewhere = tempDir('sarif-cwd');
  assert.deepEqual(uris(sarifRun(elsewhere, [path.join(dir, 'services')])), fromRoot);
});

test('regions are 1-based UTF-16 columns, the same the text output shows', () => {
  const dir = project();
  const log = sarifRun(dir, ['services/orders/app.py']);
  const results = log.runs[0].results;
  const line9 = results.find((r) => r.locations[0].physicalLocation.region.startLine === 9);
  assert.ok(line9, 'the finding after the emoji');
  const text = APP.split('\n')[8];
  const start = text.indexOf('requests.post');
  const end = text.indexOf(')', start) + 1;
  assert.deepEqual(line9.locations[0].physicalLocation.region, { startLine: 9, startColumn: start + 1, endLine: 9, endColumn: end + 1 });
  // "😀" is two UTF-16 code units: a code-point count would be one less.
  assert.equal(start, [...text.slice(0, start)].length + 1);
});

test('rules come from the rule docs', async () => {
  const all = await rules();
  const log = sarifRun(project(), ['.']);
  const driverRules = log.runs[0].tool.driver.rules;
  assert.deepEqual(
    driverRules.map((r) => r.id),
    all.map((r) => r.code).sort(),
  );
  for (const r of driverRules) {
    const rule = all.find((x) => x.code === r.id)!;
    assert.equal(r.name, rule.name);
    assert.equal(r.shortDescription.text, rule.docs.summary);
    assert.ok(r.fullDescription.text.includes(rule.docs.why));
    assert.ok(r.help.text.includes(rule.docs.bad.trim()) && r.help.text.includes(rule.docs.good.trim()));
    assert.ok(r.help.markdown.includes('```python\n' + rule.docs.bad.trimEnd() + '\n```'));
    assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration.level));
    assert.ok(r.properties.tags.includes(rule.category));
    assert.ok(['very-high', 'high', 'medium', 'low'].includes(r.properties.precision));
    assert.ok(['error', 'warning', 'recommendation'].includes(r.properties['problem.severity']));
  }
  for (const res of log.runs[0].results) assert.equal(driverRules[res.ruleIndex].id, res.ruleId);
});

test('fixes carry the real edit; results without an edit have no fixes[]', () => {
  const dir = project();
  const log = sarifRun(dir, ['services/orders/app.py']);
  const [first] = log.runs[0].results;
  assert.equal(first.ruleId, 'CL101');
  const [fix] = first.fixes;
  const [change] = fix.artifactChanges;
  assert.equal(change.artifactLocation.uri, 'services/orders/app.py');
  assert.ok(change.replacements.length > 0);
  // Apply the replacements to the file: the result is the fixed line.
  const lines = APP.split('\n');
  for (const rep of [...change.replacements].reverse()) {
    const r = rep.deletedRegion;
    assert.equal(r.startLine, r.endLine);
    const l = lines[r.startLine - 1];
    lines[r.startLine - 1] = l.slice(0, r.startColumn - 1) + (rep.insertedContent?.text ?? '') + l.slice(r.endColumn - 1);
  }
  assert.match(lines[4], /requests\.get\(f"https:\/\/api\.example\.com\/orders\/\{order_id\}", timeout=.+\)$/);
  for (const res of log.runs[0].results) {
    for (const f of res.fixes ?? []) {
      assert.ok(f.artifactChanges.length > 0);
      for (const c of f.artifactChanges) assert.ok(c.replacements.length > 0);
    }
  }
});

test('partial fingerprints do not change when lines are inserted above a finding', () => {
  const dir = project();
  const before = sarifRun(dir, ['services/orders/app.py']).runs[0].results.map((r) => r.partialFingerprints);
  const file = path.join(dir, 'services/orders/app.py');
  writeFileSync(file, '"""Orders."""\n# a comment\n\nimport os\n\n' + readFileSync(file, 'utf8'));
  const after = sarifRun(dir, ['services/orders/app.py']).runs[0].results;
  assert.deepEqual(
    after.map((r) => r.partialFingerprints),
    before,
  );
  assert.equal(after[0].locations[0].physicalLocation.region.startLine, 10);
});

// Direct calls of the formatter: related locations and GitHub's limits.
function diagnostic(line: number, severity: Diagnostic['severity'], extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    path: 'app.py',
    line,
    column: 1,
    endLine: line,
    endColumn: 5,
    ruleId: 'CL101',
    name: 'requests-without-timeout',
    category: 'timeout',
    severity,
    message: `finding on line ${line}`,
    fix: null,
    startOffset: 0,
    endOffset: 4,
    ...extra,
  };
}

function context(diagnostics: Diagnostic[], all: Rule[], warnings: string[], cwd: string): ReportContext {
  return {
    diagnostics,
    errors: [],
    rules: all,
    files: 1,
    cwd,
    showSource: false,
    color: false,
    unsafeFixes: false,
    warn: (m) => warnings.push(m),
  };
}

test('related spans become relatedLocations in the same file', async () => {
  const cwd = tempDir('sarif-related', { 'app.py': 'x = 1\ny = 2\nz = 3\n' }, true);
  const d = diagnostic(3, 'error', { related: [{ line: 1, column: 1, endLine: 1, endColumn: 6, message: 'created here' }] });
  const log = JSON.parse(formatSarif(context([d], await rules(), [], cwd)));
  assert.deepEqual(sarifErrors(log), []);
  const [rel] = log.runs[0].results[0].relatedLocations;
  assert.equal(rel.message.text, 'created here');
  assert.equal(rel.physicalLocation.artifactLocation.uri, 'app.py');
  assert.deepEqual(rel.physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 6 });
});

test('over the result limit: the most severe results are kept, with a notification and a warning', async () => {
  const cwd = tempDir('sarif-limit', { 'app.py': 'x = 1\n'.repeat(40) }, true);
  const ds = Array.from({ length: 30 }, (_, i) => diagnostic(i + 1, i % 3 === 0 ? 'error' : 'info'));
  const warnings: string[] = [];
  const log = JSON.parse(formatSarif(context(ds, await rules(), warnings, cwd), { maxResults: 12, shownResults: 5, maxGzipBytes: 10 * 1024 * 1024 }));
  assert.deepEqual(sarifErrors(log), []);
  const results = log.runs[0].results;
  assert.equal(results.length, 12);
  assert.equal(results.filter((r: any) => r.level === 'error').length, 10, 'every error is kept');
  const lines = results.map((r: any) => r.locations[0].physicalLocation.region.startLine);
  assert.deepEqual(lines, [...lines].sort((a, b) => a - b), 'kept results stay in file order');
  const note = log.runs[0].invocations[0].toolExecutionNotifications.find((n: any) => n.descriptor.id === 'results-truncated');
  assert.match(note.message.text, /found 30 results; only the 12 most severe/);
  assert.ok(warnings.some((w) => /more than 12 results/.test(w)));
  assert.ok(warnings.some((w) => /shows only 5/.test(w)));
});

test('over the compressed-size limit: results are dropped until the file fits', async () => {
  const cwd = tempDir('sarif-size', { 'app.py': 'x = 1\n'.repeat(400) }, true);
  const ds = Array.from({ length: 400 }, (_, i) => diagnostic(i + 1, 'warning', { message: `finding ${i} ${'unique text '.repeat(8)}${Math.random()}` }));
  const warnings: string[] = [];
  const { gzipSync } = await import('node:zlib');
  const empty = gzipSync(formatSarif(context([], await rules(), [], cwd))).length;
  const limit = empty + 8_000;
  const text = formatSarif(context(ds, await rules(), warnings, cwd), { maxResults: 25_000, shownResults: 5_000, maxGzipBytes: limit });
  assert.ok(gzipSync(text).length <= limit);
  const log = JSON.parse(text);
  assert.deepEqual(sarifErrors(log), []);
  assert.ok(log.runs[0].results.length > 0 && log.runs[0].results.length < 400);
  assert.ok(warnings.some((w) => /larger than .* gzip-compressed/.test(w)));
});
