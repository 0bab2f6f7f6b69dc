// Baselines: `--write-baseline` records today's findings, `--baseline` hides them. Matching is on
// rule, path and the normalized text around the finding, so edits elsewhere keep old findings old.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runCli, tempDir } from './integration-support.js';

const SERVICE = [
  'import requests',
  '',
  '',
  'def fetch(order_id):',
  '    return requests.get(f"https://api.example.com/orders/{order_id}")',
  '',
  '',
  'def notify(order_id):',
  '    requests.post("https://hooks.example.com/n", json={"id": order_id})',
  '    requests.post("https://hooks.example.com/n", json={"id": order_id})',
  '',
].join('\n');

function legacy() {
  return tempDir('baseline', { 'app/service.py': SERVICE, 'app/other.py': 'import requests\nrequests.get("https://example.com")\n' }, true);
}

function findings(stdout: string): Array<{ path: string; line: number; ruleId: string }> {
  return JSON.parse(stdout).diagnostics.map((d: { path: string; line: number; ruleId: string }) => ({ path: d.path, line: d.line, ruleId: d.ruleId }));
}

function writeBaselineOk(dir: string) {
  const w = runCli(['--write-baseline', 'baseline.json', '--no-cache', '.'], dir);
  assert.equal(w.code, 0, w.stdout + w.stderr);
}

test('--write-baseline records the findings and exits 0; --baseline then reports nothing', () => {
  const dir = legacy();
  const w = runCli(['--write-baseline', 'conn-lint-baseline.json', '--no-cache', '.'], dir);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stderr, /wrote 4 findings to the baseline conn-lint-baseline\.json/);
  const data = JSON.parse(readFileSync(path.join(dir, 'conn-lint-baseline.json'), 'utf8'));
  assert.equal(data.tool, 'conn-lint');
  assert.equal(data.version, 1);
  assert.deepEqual(
    data.findings.map((f: { path: string; ruleId: string; line: number }) => [f.path, f.ruleId, f.line]),
    [
      ['app/other.py', 'CL101', 2],
      ['app/service.py', 'CL101', 5],
      ['app/service.py', 'CL101', 9],
      ['app/service.py', 'CL101', 10],
    ],
  );
  const r = runCli(['--baseline', 'conn-lint-baseline.json', '--format', 'json', '--no-cache', '.'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(findings(r.stdout), []);
  assert.match(r.stderr, /4 findings in the baseline not shown/);
});

test('inserting 10 lines at the top of a file reports nothing new', () => {
  const dir = legacy();
  writeBaselineOk(dir);
  const file = path.join(dir, 'app/service.py');
  const header = [
    '"""Order service."""',
    '# Copyright the authors.',
    '',
    'from __future__ import annotations',
    '',
    'import logging',
    'import os',
    '',
    'log = logging.getLogger(__name__)',
    'BASE = os.environ.get("BASE_URL", "https://api.example.com")',
  ];
  assert.equal(header.length, 10);
  writeFileSync(file, header.join('\n') + '\n' + readFileSync(file, 'utf8'));
  const r = runCli(['--baseline', 'baseline.json', '--format', 'json', '--no-cache', '.'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(findings(r.stdout), []);
  // Without the baseline the findings are still there, 10 lines further down.
  const all = findings(runCli(['--format', 'json', '--no-cache', 'app/service.py'], dir).stdout);
  assert.deepEqual(all.map((f) => f.line), [15, 19, 20]);
});

test('a new finding is reported; a copy of a baselined line counts as new', () => {
  const dir = legacy();
  writeBaselineOk(dir);
  const file = path.join(dir, 'app/service.py');
  const lines = readFileSync(file, 'utf8').split('\n');
  // A third identical notify call and a brand-new hazard.
  lines.splice(10, 0, '    requests.post("https://hooks.example.com/n", json={"id": order_id})');
  lines.push('def audit():', '    return requests.delete("https://api.example.com/audit")', '');
  writeFileSync(file, lines.join('\n'));
  const r = runCli(['--baseline', 'baseline.json', '--format', 'json', '--no-cache', '.'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(findings(r.stdout), [
    { path: 'app/service.py', line: 11, ruleId: 'CL101' },
    { path: 'app/service.py', line: 14, ruleId: 'CL101' },
  ]);
});

test("editing the line next to an old finding keeps it old; editing the finding's line makes it new", () => {
  const dir = legacy();
  writeBaselineOk(dir);
  const file = path.join(dir, 'app/service.py');
  const source = readFileSync(file, 'utf8');
  writeFileSync(file, source.replace('def fetch(order_id):', 'def fetch(order_id: int) -> dict:'));
  const r = runCli(['--baseline', 'baseline.json', '--format', 'json', '--no-cache', '.'], dir);
  assert.deepEqual(findings(r.stdout), []);
  writeFileSync(file, source.replace('orders/{order_id}")', 'orders/{order_id}/v2")'));
  const r2 = runCli(['--baseline', 'baseline.json', '--format', 'json', '--no-cache', '.'], dir);
  assert.deepEqual(findings(r2.stdout), [{ path: 'app/service.py', line: 5, ruleId: 'CL101' }]);
});

test('fixed findings are counted as stale; the baseline works from a sub-folder', () => {
  const dir = legacy();
  writeBaselineOk(dir);
  writeFileSync(path.join(dir, 'app/other.py'), 'import requests\nrequests.get("https://example.com", timeout=5)\n');
  const r = runCli(['--baseline', '../baseline.json', '--format', 'json', '--no-cache', '.'], path.join(dir, 'app'));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(findings(r.stdout), []);
  assert.match(r.stderr, /3 findings in the baseline not shown; 1 baseline entry is stale \(the finding is gone: fixed, or its code changed\); remove it with `conn-lint \. --baseline \.\.\/baseline\.json --prune-baseline`/);
});

test('a missing or foreign baseline file is a usage error (exit 2)', () => {
  const dir = legacy();
  writeFileSync(path.join(dir, 'other.json'), '{"diagnostics": []}');
  for (const file of ['missing.json', 'other.json']) {
    const r = runCli(['--baseline', file, '--no-cache', '.'], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /baseline/);
  }
});

function git(dir: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

const entries = (dir: string, file = 'baseline.json') =>
  JSON.parse(readFileSync(path.join(dir, file), 'utf8')).findings.map((f: { path: string; line: number }) => `${f.path}:${f.line}`);

test('--write-baseline with paths updates only their entries and says what it kept, added and removed', () => {
  const dir = legacy();
  writeBaselineOk(dir);
  // other.py gains a finding; service.py loses one — but only other.py is re-recorded.
  writeFileSync(path.join(dir, 'app/other.py'), 'import requests\nrequests.get("https://example.com")\nrequests.head("https://example.com")\n');
  writeFileSync(path.join(dir, 'app/service.py'), SERVICE.replace('orders/{order_id}")', 'orders/{order_id}", timeout=5)'));
  const w = runCli(['--write-baseline', 'baseline.json', '--no-cache', 'app/other.py'], dir);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stderr, /updated the baseline baseline\.json: kept 4, added 1, removed 0 \(5 entries\)/);
  assert.deepEqual(entries(dir), ['app/other.py:2', 'app/other.py:3', 'app/service.py:5', 'app/service.py:9', 'app/service.py:10']);
  // Linting one file, only its entries can be stale.
  const one = runCli(['--baseline', 'baseline.json', '--no-cache', 'app/other.py'], dir);
  assert.equal(one.code, 0, one.stderr);
  assert.doesNotMatch(one.stderr, /stale/);
  // The whole tree: the fixed service.py finding is removed, nothing else is touched.
  const all = runCli(['--write-baseline', 'baseline.json', '--no-cache', '.'], dir);
  assert.match(all.stderr, /kept 4, added 0, removed 1 \(4 entries\)/);
});

test('--write-baseline with --select keeps the entries of the rules that did not run', () => {
  const dir = legacy();
  writeBaselineOk(dir);
  const w = runCli(['--write-baseline', 'baseline.json', '--select', 'CL5', '--no-cache', '.'], dir);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stderr, /kept 4, added 0, removed 0 \(4 entries\)/);
  assert.equal(entries(dir).length, 4);
});

test('--prune-baseline removes stale entries of what was linted and adds nothing', () => {
  const dir = legacy();
  writeBaselineOk(dir);
  writeFileSync(path.join(dir, 'app/other.py'), 'import requests\nrequests.get("https://example.com", timeout=5)\nrequests.put("https://example.com/new")\n');
  const r = runCli(['--baseline', 'baseline.json', '--prune-baseline', '--format', 'json', '--no-cache', '.'], dir);
  assert.equal(r.code, 1, 'the new finding is still reported');
  assert.deepEqual(findings(r.stdout), [{ path: 'app/other.py', line: 3, ruleId: 'CL101' }]);
  assert.match(r.stderr, /pruned 1 baseline entry whose findings are gone from baseline\.json \(3 left\)/);
  assert.deepEqual(entries(dir), ['app/service.py:5', 'app/service.py:9', 'app/service.py:10']);
  assert.equal(runCli(['--prune-baseline', '.'], dir).code, 2, '--prune-baseline needs --baseline');
});

test('a renamed file keeps its baselined findings: through git, and without git by content', () => {
  const dir = legacy();
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'legacy');
  writeBaselineOk(dir);
  assert.match(readFileSync(path.join(dir, 'baseline.json'), 'utf8'), /"commit": "[0-9a-f]{40}"/);
  git(dir, 'mv', 'app/service.py', 'app/orders.py');
  // Edited after the move as well: git still calls it a rename, and neighbours still match.
  writeFileSync(path.join(dir, 'app/orders.py'), '"""Orders."""\n' + readFileSync(path.join(dir, 'app/orders.py'), 'utf8'));
  const r = runCli(['--baseline', 'baseline.json', '--format', 'json', '--no-cache', '.'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /stale/);
  const plain = tempDir('baseline-plain', { 'app/service.py': SERVICE });
  writeBaselineOk(plain);
  renameSync(path.join(plain, 'app/service.py'), path.join(plain, 'app/moved.py'));
  const p = runCli(['--baseline', 'baseline.json', '--format', 'json', '--no-cache', '.'], plain);
  assert.equal(p.code, 0, p.stdout + p.stderr);
  // Updating the baseline records the new path.
  runCli(['--write-baseline', 'baseline.json', '--no-cache', '.'], plain);
  assert.deepEqual(entries(plain), ['app/moved.py:5', 'app/moved.py:9', 'app/moved.py:10']);
});

test('--write-baseline will not overwrite a file that is not a conn-lint baseline', () => {
  const dir = legacy();
  writeFileSync(path.join(dir, 'baseline.json'), '{"something": "else"}\n');
  const w = runCli(['--write-baseline', 'baseline.json', '--no-cache', '.'], dir);
  assert.equal(w.code, 2);
  assert.match(w.stderr, /cannot update baseline\.json: .*move it away to write a new baseline/);
  assert.equal(readFileSync(path.join(dir, 'baseline.json'), 'utf8'), '{"something": "else"}\n');
});
