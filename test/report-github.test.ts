// `--format github`: workflow commands that GitHub turns into annotations. A message may hold
// `%`, CR and LF (escaped as %25, %0D, %0A); a property value (the file path, the title) may also
// hold `:` and `,` (escaped as %3A, %2C), or GitHub cuts the command short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../src/types.js';
import { escapeData, escapeProperty, formatGithub, githubAnnotation } from '../src/report/github.js';
import { runCli, tempDir } from './integration-support.js';

/** Undoes the escaping the way the Actions runner does (toCommandValue in reverse). */
function unescape(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** Splits `::cmd k=v,k=v::message` the way the runner does: properties on `,`, key from value on the first `=`. */
function parse(line: string) {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  const props: Record<string, string> = {};
  for (const p of m[2].split(',')) {
    const i = p.indexOf('=');
    props[p.slice(0, i)] = unescape(p.slice(i + 1));
  }
  return { command: m[1], props, message: unescape(m[3]) };
}

function diag(extra: Partial<Diagnostic>): Diagnostic {
  return {
    path: 'app.py',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 20,
    ruleId: 'CL101',
    name: 'requests-without-timeout',
    category: 'timeout',
    severity: 'error',
    message: 'plain',
    fix: null,
    startOffset: 0,
    endOffset: 0,
    ...extra,
  };
}

test('escaping: % first, then CR/LF; properties also escape : and ,', () => {
  assert.equal(escapeData('100%: a,b\r\nc'), '100%25: a,b%0D%0Ac');
  assert.equal(escapeProperty('100%: a,b\r\nc'), '100%25%3A a%2Cb%0D%0Ac');
  assert.equal(escapeData('%0A'), '%250A', 'an escape sequence already in the text is not taken literally');
});

test('a message and a path with %, :, , and newlines survive a round trip', () => {
  const message = 'pass `timeout=(3.05, 27)`: 100% of workers hang,\nthen the pod\r\nrestarts';
  const file = 'odd dir/we,ird:100%\nname.py';
  const line = githubAnnotation(diag({ message }), file);
  assert.ok(!/[\r\n]/.test(line), 'one line per annotation');
  const { command, props, message: got } = parse(line);
  assert.equal(command, 'error');
  assert.equal(got, message);
  assert.deepEqual(props, { file, line: '3', endLine: '3', col: '5', endColumn: '20', title: 'conn-lint (CL101)' });
});

test('columns are left out when a span crosses lines; severities map to error/warning/notice', () => {
  const multi = parse(githubAnnotation(diag({ endLine: 5, endColumn: 2, severity: 'warning' }), 'a.py'));
  assert.equal(multi.command, 'warning');
  assert.deepEqual(multi.props, { file: 'a.py', line: '3', endLine: '5', title: 'conn-lint (CL101)' });
  assert.equal(parse(githubAnnotation(diag({ severity: 'info' }), 'a.py')).command, 'notice');
});

test('paths are relative to GITHUB_WORKSPACE, else the repository root', () => {
  const repo = tempDir('gh', { 'svc/app.py': 'x = 1\n' }, true);
  const ctx = (cwd: string) => ({
    diagnostics: [diag({ path: path.relative(cwd, path.join(repo, 'svc/app.py')) || 'app.py' })],
    errors: [],
    rules: [],
    files: 1,
    cwd,
    showSource: false,
    color: false,
    unsafeFixes: false,
  });
  assert.match(formatGithub(ctx(path.join(repo, 'svc')), undefined), /^::error file=svc\/app\.py,/);
  assert.match(formatGithub(ctx(path.join(repo, 'svc')), path.join(repo, 'svc')), /^::error file=app\.py,/);
});

test('the CLI prints one annotation per finding and per unreadable file', () => {
  const repo = tempDir('gh-cli', {}, true);
  const dir = path.join(repo, 'we,ird:100%');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'a,b.py'), 'import requests\n\n\ndef f():\n    return requests.get("https://example.com")\n');
  writeFileSync(path.join(dir, 'broken.py'), 'import requests\ndef f(:\n    pass\n');
  const r = runCli(['--format', 'github', '--no-cache', '.'], dir, { GITHUB_WORKSPACE: repo });
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const finding = parse(lines.find((l) => l.includes('CL101'))!);
  assert.equal(finding.props.file, 'we,ird:100%/a,b.py');
  assert.deepEqual([finding.props.line, finding.props.col], ['5', '12']);
  assert.match(finding.message, /requests\.get\(\)/);
  const broken = parse(lines.find((l) => l.includes('broken'))!);
  assert.equal(broken.command, 'error', 'a file that could not be checked fails the run');
  assert.equal(broken.props.file, 'we,ird:100%/broken.py');
  assert.equal(r.stderr, '', 'errors are annotations, not stderr');
});
