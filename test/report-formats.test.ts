// The other CI formats: junit (JUnit XML), gitlab (Code Quality JSON), json-lines; and `-o FILE`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from './integration-support.js';

const FILES = {
  'svc/app.py': 'import requests\n\n\ndef f(q):\n    return requests.get(f"https://x.example/?q={q}&a=<b>")\n',
  'svc/broken.py': 'import requests\ndef f(:\n    pass\n',
};

function project() {
  return tempDir('formats', FILES, true);
}

/** Parses XML with Python's expat when python3 is there (it is wherever pre-commit is). */
function xmlParses(file: string): boolean | null {
  const r = spawnSync('python3', ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])', file], { encoding: 'utf8' });
  if (r.error) return null;
  assert.equal(r.status, 0, r.stderr);
  return true;
}

test('junit: one failed test case per finding, an error per unreadable file, well-formed XML', (t) => {
  const dir = project();
  const r = runCli(['--format', 'junit', '-o', 'report.xml', '--no-cache', 'svc'], dir);
  assert.equal(r.code, 1, r.stderr);
  const xml = readFileSync(path.join(dir, 'report.xml'), 'utf8');
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="conn-lint" tests="2" failures="1" errors="1"/);
  assert.match(xml, /<testsuite name="svc\/app.py" tests="1" failures="1" errors="0"/);
  assert.match(xml, /<testcase name="CL101 requests-without-timeout at svc\/app.py:5:12" classname="svc\/app.py" file="svc\/app.py" line="5"/);
  assert.match(xml, /<failure message="`requests.get\(\)` has no timeout[^"]*" type="CL101">/);
  assert.match(xml, /<error message="[^"]+" type="syntax">/);
  if (xmlParses(path.join(dir, 'report.xml')) === null) t.diagnostic('python3 not found: XML well-formedness not checked');

  // A clean run is one passing test case.
  writeFileSync(path.join(dir, 'ok.py'), 'import requests\nrequests.get("https://x.example", timeout=5)\n');
  const clean = runCli(['--format', 'junit', '--no-cache', 'ok.py'], dir);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /<testcase name="no findings in 1 file" classname="conn-lint" time="0"\/>/);
});

test('junit escapes markup and drops characters XML cannot hold', async () => {
  const { formatJunit, xmlEscape } = await import('../src/report/junit.js');
  assert.equal(xmlEscape('a<b>&"c\'\u0001\n'), 'a&lt;b&gt;&amp;&quot;c&apos;&#10;');
  const xml = formatJunit({
    diagnostics: [
      {
        path: 'a&b/<x>.py',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 2,
        ruleId: 'CL101',
        name: 'requests-without-timeout',
        category: 'timeout',
        severity: 'error',
        message: 'use "timeout" <now> & \u0007 later\r\nok',
        fix: null,
        startOffset: 0,
        endOffset: 1,
      },
    ],
    errors: [],
    rules: [],
    files: 1,
    cwd: '/',
    showSource: false,
    color: false,
    unsafeFixes: false,
  });
  const file = path.join(tempDir('junit'), 'r.xml');
  writeFileSync(file, xml);
  xmlParses(file);
  assert.ok(xml.includes('classname="a&amp;b/&lt;x&gt;.py"'));
  assert.ok(!xml.includes('\u0007'));
});

test('gitlab: Code Quality issues with repository-relative paths and stable fingerprints', () => {
  const dir = project();
  const r = runCli(['--format', 'gitlab', '--no-cache', '.'], path.join(dir, 'svc'));
  assert.equal(r.code, 1, r.stderr);
  const issues = JSON.parse(r.stdout);
  assert.equal(issues.length, 1);
  const [i] = issues;
  assert.equal(i.check_name, 'CL101 requests-without-timeout');
  assert.match(i.description, /^CL101: `requests.get\(\)` has no timeout/);
  assert.equal(i.severity, 'major');
  assert.equal(i.location.path, 'svc/app.py');
  assert.deepEqual(i.location.positions.begin, { line: 5, column: 12 });
  assert.match(i.fingerprint, /^[0-9a-f]{32}$/);
  // File errors are not Code Quality issues: they go to stderr.
  assert.match(r.stderr, /broken\.py/);
  // Lines added above keep the fingerprint (GitLab compares them between branches).
  const file = path.join(dir, 'svc/app.py');
  writeFileSync(file, '# header\nimport os\n\n' + readFileSync(file, 'utf8'));
  const again = JSON.parse(runCli(['--format', 'gitlab', '--no-cache', '.'], dir).stdout);
  assert.equal(again[0].fingerprint, i.fingerprint);
  assert.equal(again[0].location.positions.begin.line, 8);
});

test('json-lines: one JSON diagnostic per line, the objects of --format json', () => {
  const dir = project();
  const jl = runCli(['--format', 'json-lines', '--no-cache', 'svc'], dir);
  assert.equal(jl.code, 1, jl.stderr);
  assert.ok(jl.stdout.endsWith('\n'));
  const lines = jl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  const json = JSON.parse(runCli(['--format', 'json', '--no-cache', 'svc'], dir).stdout);
  assert.deepEqual(lines, json.diagnostics);
  assert.match(jl.stderr, /broken\.py/);
  // `--output-format` is the same option.
  assert.equal(runCli(['--output-format', 'json-lines', '--no-cache', 'svc'], dir).stdout, jl.stdout);
});
