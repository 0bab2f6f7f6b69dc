// The CLI as users and CI run it: exit codes, the JSON contract, selection, sub-commands,
// and bad input that must be reported without stopping the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './support.js';
import { exitCodeFor } from '../src/cli.js';

const BIN = path.join(REPO, 'bin', 'conn-lint');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempProject(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'conn-lint-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const HAZARD = 'import requests\n\nrequests.get("https://example.com")\n';

test('exit 0 with no findings, 1 with findings, 0 with --exit-zero', () => {
  const clean = tempProject({ 'ok.py': 'import requests\nrequests.get("u", timeout=3)\n' });
  assert.equal(run(['.', '--no-cache'], clean).code, 0);
  const dirty = tempProject({ 'bad.py': HAZARD });
  const r = run(['.', '--no-cache'], dirty);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^bad\.py:3:1: CL101 /m);
  assert.match(r.stdout, /Found 1 finding in 1 file \(CL101 ×1\)/);
  assert.equal(run(['.', '--exit-zero', '--no-cache'], dirty).code, 0);
});

test('exit 2 on usage errors, unknown selectors and unknown formats', () => {
  const dir = tempProject({ 'a.py': '' });
  for (const args of [['--no-such-flag'], ['--select', 'CL999x'], ['--format', 'xml'], ['rule', 'nope']]) {
    const r = run(args, dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /error/);
  }
});

test('--format json follows the contract in DESIGN.md', () => {
  const dir = tempProject({ 'bad.py': HAZARD, 'broken.py': 'import requests\ndef f(:\n  pass\n' });
  const r = run(['--format', 'json', '--no-cache'], dir);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out).sort(), ['diagnostics', 'errors']);
  const [d] = out.diagnostics;
  for (const key of ['path', 'line', 'column', 'endLine', 'endColumn', 'ruleId', 'name', 'category', 'severity', 'message', 'fix']) {
    assert.ok(key in d, `diagnostic lacks ${key}`);
  }
  assert.equal(d.path, 'bad.py');
  assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [3, 1, 3, 36]);
  assert.equal(d.ruleId, 'CL101');
  assert.equal(d.name, 'requests-without-timeout');
  assert.equal(d.category, 'timeout');
  assert.equal(d.fix.applicability, 'safe');
  assert.ok(Array.isArray(d.fix.edits) && d.fix.edits.length === 1);
  const broken = out.errors.find((e: { path: string }) => e.path === 'broken.py');
  assert.ok(broken, 'the syntax error is listed under errors');
  assert.equal(broken.kind, 'syntax');
  assert.equal(broken.line, 2);
});

test('--select and --ignore accept codes, names, prefixes and categories', () => {
  const dir = tempProject({ 'bad.py': HAZARD });
  assert.equal(run(['--ignore', 'CL101', '--no-cache'], dir).code, 0);
  assert.equal(run(['--ignore', 'requests-without-timeout', '--no-cache'], dir).code, 0);
  assert.equal(run(['--ignore', 'timeout', '--no-cache'], dir).code, 0);
  assert.equal(run(['--select', 'CL1', '--no-cache'], dir).code, 1);
  assert.equal(run(['--select', 'CL1', '--ignore', 'CL101', '--no-cache'], dir).code, 0);
});

test('rule and rules sub-commands show the docs', () => {
  const dir = tempProject({});
  const doc = run(['rule', 'requests-without-timeout'], dir);
  assert.equal(doc.code, 0);
  assert.match(doc.stdout, /^CL101 requests-without-timeout/);
  assert.match(doc.stdout, /Why is this bad\?/);
  assert.match(doc.stdout, /Use instead/);
  const table = run(['rules'], dir);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /CL101\s+requests-without-timeout\s+Python\s+timeout/);
});

test('the bundled CLI (bin/conn-lint) carries every rule of rules/python/', async () => {
  const table = run(['rules'], tempProject({}));
  const listed = [...table.stdout.matchAll(/^(CL\d{3})\s/gm)].map((m) => m[1]);
  const { loadRules } = await import('../src/engine/registry.js');
  assert.deepEqual(listed, (await loadRules()).map((r) => r.code));
});

test('bad input is reported under errors and never stops the run', () => {
  const big = Buffer.alloc(11 * 1024 * 1024, 0x23); // '#' * 11 MB: a comment over the size limit
  const dir = tempProject({
    'a_syntax.py': 'import requests\ndef broken(:\n    pass\nrequests.get("u")\n',
    'b_latin1.py': Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]),
    'c_declared_latin1.py': Buffer.concat([
      Buffer.from('# -*- coding: latin-1 -*-\nimport requests\nx = "'),
      Buffer.from([0xe9]),
      Buffer.from('"\nrequests.get("u")\n'),
    ]),
    'd_bom.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(HAZARD)]),
    'e_crlf.py': HAZARD.replace(/\n/g, '\r\n'),
    'f_nul.py': Buffer.from('import requests\n\0\0\0'),
    'g_empty.py': '',
    'h_big.py': big,
    'z_last.py': HAZARD,
  });
  const r = run(['--format', 'json', '--no-cache'], dir);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  const errors = Object.fromEntries(out.errors.map((e: { path: string; kind: string }) => [e.path, e.kind]));
  assert.equal(errors['a_syntax.py'], 'syntax');
  assert.equal(errors['b_latin1.py'], 'encoding');
  assert.equal(errors['f_nul.py'], 'binary');
  assert.equal(errors['h_big.py'], 'too-large');
  assert.equal(errors['c_declared_latin1.py'], undefined, 'a PEP 263 declaration is honoured');
  const hits = out.diagnostics.map((d: { path: string; line: number }) => `${d.path}:${d.line}`).sort();
  // The syntax error does not hide the finding after it; BOM and CRLF keep line numbers right.
  assert.deepEqual(hits, ['a_syntax.py:4', 'c_declared_latin1.py:4', 'd_bom.py:3', 'e_crlf.py:3', 'z_last.py:3']);
});

test('a mistyped path or command exits 2 and lints nothing, with a did-you-mean', () => {
  const dir = tempProject({ 'src/app.py': HAZARD });
  const typo = run(['scr/', '--no-cache'], dir);
  assert.equal(typo.code, 2, typo.stdout + typo.stderr);
  assert.equal(typo.stdout, '', 'nothing is linted, no "All checks passed"');
  assert.match(typo.stderr, /cannot lint "scr\/": no such file or directory \(did you mean src\/\?\)/);
  const mixed = run(['missing_dir', 'src', '--format', 'json', '--no-cache'], dir);
  assert.equal(mixed.code, 2, 'one missing path fails the run even when others exist');
  assert.equal(mixed.stdout, '');
  const command = run(['rulez'], dir);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /unknown command or path "rulez": did you mean `conn-lint rules`\?/);
});

test('a syntax error is shown in the text report and fails the run unless --ignore-parse-errors', () => {
  // No trigger word: a walk need not parse it, but a file named on the command line always is.
  const dir = tempProject({ 'broken.py': 'def f(:\n    pass\n', 'ok.py': 'x = 1\n' });
  const named = run(['broken.py', 'ok.py', '--no-cache'], dir);
  assert.equal(named.code, 1, named.stderr);
  assert.match(named.stdout, /^broken\.py:1:7: syntax error: missing "\)"$/m);
  assert.doesNotMatch(named.stdout, /All checks passed/);
  assert.match(named.stdout, /No findings in 2 files, but 1 file could not be fully checked \(syntax error ×1\)\./);
  assert.equal(run(['broken.py', '--no-cache', '--ignore-parse-errors'], dir).code, 0);
  assert.equal(run(['broken.py', '--no-cache', '--exit-zero'], dir).code, 0);
  // The cache keeps the answer apart from a walk's, which does not parse the file.
  assert.equal(run(['broken.py'], dir).code, 1);
  assert.equal(run(['broken.py'], dir).code, 1, 'warm cache: same answer');
  // With findings too, the summary says what could not be checked.
  const both = tempProject({ 'broken.py': 'import requests\ndef f(:\n    pass\n', 'bad.py': HAZARD });
  const r = run(['.', '--no-cache'], both);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^broken\.py:2:7: syntax error/m);
  assert.match(r.stdout, /Found 1 finding in 1 file \(CL101 ×1\); 1 fixable with `--fix`; 1 file could not be fully checked \(syntax error ×1\)\./);
  // Errors are part of the report, so -o gets them too.
  run(['.', '--no-cache', '-o', 'report.txt'], both);
  assert.match(readFileSync(path.join(both, 'report.txt'), 'utf8'), /^broken\.py:2:7: syntax error/m);
});

test('exit codes: rule and internal failures are 2, unreadable files 1, dropped fixes are not failures', () => {
  const flags = { exitZero: false, ignoreParseErrors: false };
  assert.equal(exitCodeFor(0, [], flags), 0);
  assert.equal(exitCodeFor(3, [], flags), 1);
  for (const kind of ['io', 'encoding', 'syntax', 'too-large', 'binary']) {
    assert.equal(exitCodeFor(0, [{ kind }], flags), 1, kind);
    assert.equal(exitCodeFor(0, [{ kind }], { ...flags, ignoreParseErrors: true }), 0, kind);
  }
  assert.equal(exitCodeFor(0, [{ kind: 'fix' }], flags), 0);
  for (const kind of ['rule', 'internal']) {
    assert.equal(exitCodeFor(0, [{ kind }], { exitZero: true, ignoreParseErrors: true }), 2, kind);
  }
  assert.equal(exitCodeFor(5, [{ kind: 'syntax' }], { ...flags, exitZero: true }), 0);
});

test('-o creates missing folders; a report that cannot be written exits 2 without a stack', () => {
  const dir = tempProject({ 'bad.py': HAZARD });
  const r = run(['.', '--no-cache', '--format', 'json', '-o', 'report/nested/out.json'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(JSON.parse(readFileSync(path.join(dir, 'report/nested/out.json'), 'utf8')).diagnostics.length, 1);
  writeFileSync(path.join(dir, 'afile'), '');
  const bad = run(['.', '--no-cache', '-o', 'afile/out.json'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /cannot write the report to afile\/out\.json: /);
  assert.doesNotMatch(bad.stderr, /internal error|    at /);
});

test('--force-exclude (and force-exclude = true) skip excluded files named on the command line', () => {
  const dir = tempProject({
    'pyproject.toml': '[tool.conn-lint]\nextend-exclude = ["vendor/"]\n',
    'vendor/lib.py': HAZARD,
    'app.py': HAZARD,
  });
  const named = ['vendor/lib.py', 'app.py', '--no-cache', '--format', 'json'];
  const paths = (r: { stdout: string }) => JSON.parse(r.stdout).diagnostics.map((d: { path: string }) => d.path);
  assert.deepEqual(paths(run(named, dir)), ['app.py', 'vendor/lib.py'], 'named files are linted by default');
  assert.deepEqual(paths(run([...named, '--force-exclude'], dir)), ['app.py']);
  writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.conn-lint]\nextend-exclude = ["vendor/"]\nforce-exclude = true\n');
  assert.deepEqual(paths(run(named, dir)), ['app.py']);
  assert.deepEqual(paths(run([...named, '--no-force-exclude'], dir)), ['app.py', 'vendor/lib.py']);
  // Everything named is excluded: nothing to lint is not an error.
  const none = run(['vendor/lib.py', '--no-cache'], dir);
  assert.equal(none.code, 0);
  assert.match(none.stderr, /no Python files found/);
});

test('--fix never writes an excluded file, or a file outside the tree through a symlink', () => {
  const base = tempProject({
    'project/pyproject.toml': '[tool.conn-lint]\nextend-exclude = ["vendor/"]\n',
    'project/vendor/lib.py': HAZARD,
    'project/app.py': HAZARD,
    'outside/secret.py': HAZARD,
  });
  const dir = path.join(base, 'project');
  symlinkSync(path.join(base, 'outside', 'secret.py'), path.join(dir, 'link.py'));
  const r = run(['.', 'vendor/lib.py', '--fix', '--no-cache'], dir);
  assert.equal(r.code, 1, 'the findings not fixed remain');
  assert.match(readFileSync(path.join(dir, 'app.py'), 'utf8'), /timeout=/, 'the file inside the tree is fixed');
  assert.equal(readFileSync(path.join(dir, 'vendor/lib.py'), 'utf8'), HAZARD);
  assert.equal(readFileSync(path.join(base, 'outside/secret.py'), 'utf8'), HAZARD);
  assert.match(r.stderr, /not fixed: link\.py: it is a symbolic link to .*secret\.py, outside the paths being linted/);
  assert.match(r.stderr, /not fixed: vendor\/lib\.py: it is excluded: matched by the exclude settings \(vendor\/\)/);
  assert.match(r.stdout, /^link\.py:3:1: CL101/m, 'reported under the link\'s path');
  assert.match(r.stdout, /^vendor\/lib\.py:3:1: CL101/m);
  const diff = run(['.', '--diff', '--no-cache'], dir);
  assert.doesNotMatch(diff.stdout, /secret|link\.py/);
});

test('suppression comments: line noqa, own ignore form, file-level noqa', () => {
  const dir = tempProject({
    'a.py': 'import requests\nrequests.get("u")  # noqa: CL101\nrequests.get("u")  # conn-lint: ignore[requests-without-timeout]\nrequests.get("u")  # noqa: CL999\n',
    'b.py': '# conn-lint: noqa\nimport requests\nrequests.get("u")\n',
    'c.py': 'import requests\ns = "# noqa"; requests.get("u")\n',
  });
  const out = JSON.parse(run(['--format', 'json', '--no-cache'], dir).stdout);
  const hits = out.diagnostics.map((d: { path: string; line: number }) => `${d.path}:${d.line}`).sort();
  assert.deepEqual(hits, ['a.py:4', 'c.py:2']);
});

test('broken config exits 2 naming the file and key', () => {
  const dir = tempProject({ 'pyproject.toml': '[tool.conn-lint]\nselect = 3\n', 'a.py': HAZARD });
  const r = run(['.'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pyproject\.toml/);
  assert.match(r.stderr, /select/);
});

test('an unreadable file is an error, not a crash', () => {
  const dir = tempProject({ 'secret.py': HAZARD, 'bad.py': HAZARD });
  chmodSync(dir, 0o755);
  chmodSync(path.join(dir, 'bad.py'), 0o644);
  chmodSync(path.join(dir, 'secret.py'), 0o000);
  // Root reads any file: run as an unprivileged user then, so the permission check is real.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(process.execPath, [BIN, '--format', 'json', '--no-cache'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', HOME: dir },
    ...asUser,
  });
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.errors.some((e: { path: string; kind: string }) => e.path === 'secret.py' && e.kind === 'io'), r.stdout);
  assert.deepEqual(out.diagnostics.map((d: { path: string }) => d.path), ['bad.py']);
});

test('a config file that cannot be read exits 2, even a pyproject.toml found by the search', () => {
  const dir = tempProject({ 'pyproject.toml': '[tool.conn-lint]\n', 'bad.py': HAZARD });
  chmodSync(dir, 0o755);
  chmodSync(path.join(dir, 'bad.py'), 0o644);
  chmodSync(path.join(dir, 'pyproject.toml'), 0o000);
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(process.execPath, [BIN, '.', '--no-cache'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: dir }, ...asUser });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /pyproject\.toml: cannot read config file: permission denied/);
});

test('--select takes one value, so paths after it are still paths', () => {
  const dir = tempProject({ 'sub/bad.py': HAZARD });
  const r = run(['--select', 'CL101', 'sub', '--no-cache'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /sub\/bad\.py:3:1: CL101/);
  assert.equal(run(['--select', 'CL101', '--select', 'CL5', 'sub', '--no-cache'], dir).code, 1);
});

test('--timings prints the phases and rules on stderr and changes nothing else', () => {
  const dir = tempProject({ 'bad.py': HAZARD, 'ok.py': 'x = 1\n', 'async_io.py': 'import time\nasync def f():\n    time.sleep(1)\n' });
  const plain = run(['.', '--no-cache', '--format', 'json'], dir);
  for (const workers of ['0', '2']) {
    const r = run(['.', '--no-cache', '--format', 'json', '--timings', '--workers', workers], dir);
    assert.equal(r.code, plain.code);
    assert.equal(r.stdout, plain.stdout, 'the report is the same');
    for (const phase of ['start-up: node and the bundle', 'discovery', 'linting (wall)', 'parse', 'prefilter', 'rule CL101', 'rule CL502']) {
      assert.match(r.stderr, new RegExp(`\\| (&nbsp;)*${phase.replace(/[()]/g, '\\$&')} \\| [\\d.]+ m?s \\|`), `${phase} (workers ${workers})`);
    }
    assert.match(r.stderr, /3 files linted, 0 answered by the cache; 2 parsed/);
    if (workers === '2') assert.match(r.stderr, /summed over 2 threads/), assert.match(r.stderr, /\| worker start-up \|/);
  }
  const env = spawnSync(process.execPath, [BIN, '.', '--no-cache'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CONN_LINT_TIMINGS: '1' } });
  assert.match(env.stderr, /\| parse \|/);
});
