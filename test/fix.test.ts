// --fix: the edit applier, the fixpoint loop and its re-parse guard, writing files back as they
// were (encoding, BOM, line breaks, mode), --diff, the fixture pairs (`name.py` → `name.fixed.py`),
// rules' declared fix applicability, and a property test: fixing every fixture and examples/
// with unsafe fixes leaves code that parses (tree-sitter and Python's ast) and converges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Applicability, Rule } from '../src/types.js';
import { DEFAULT_SETTINGS } from '../src/config/types.js';
import type { FileLintOptions } from '../src/engine/run.js';
import { applyEdits, applyFixes, detectEol, selectFixes } from '../src/fix/apply.js';
import { fixText } from '../src/fix/fixpoint.js';
import { fixFile } from '../src/fix/file.js';
import { syntaxErrorIn } from '../src/fix/guard.js';
import { firstSyntaxError, parsePython } from '../src/lang/python/tree.js';
import { unifiedDiff } from '../src/fix/diff.js';
import { FIXTURES, REPO, fixtureDirs, fixtureOptions, fixturePairs, optionsFor, pythonVerdicts, rules, pythonFiles } from './support.js';

const all = await rules();
const cl101 = all.find((r) => r.code === 'CL101')!;
const only101 = optionsFor(all, [cl101]);
const BIN = path.join(REPO, 'bin', 'conn-lint');

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'conn-lint-fix-'));
}

/** A rule for engine tests: reports every call to `target` with a fix built by `edit`. */
function testRule(code: string, target: string, applicability: Applicability, replacement: (callText: string) => string): Rule {
  return {
    code,
    name: `test-${code.toLowerCase()}`,
    category: 'timeout',
    severity: 'error',
    fixable: applicability,
    triggers: [],
    nodeTypes: ['call'],
    docs: { summary: 's', why: 'w', bad: 'b', good: 'g' },
    visit(call, ctx) {
      if (call.childForFieldName('function')?.text !== target) return;
      ctx.report({
        node: call,
        message: `call to ${target}`,
        fix: { applicability, message: `rewrite ${target}`, edits: [{ start: call.startIndex, end: call.endIndex, text: replacement(call.text) }] },
      });
    },
  };
}

function engineOptions(...rs: Rule[]): FileLintOptions {
  return { rules: rs, ruleOptions: {}, settings: { ...DEFAULT_SETTINGS }, prefilter: false };
}

// ---- applying edits ------------------------------------------------------------------------

test('overlapping fixes wait for the next pass; a repeated fix applies once', () => {
  const fix = (start: number, end: number, text = 'x') => ({ fix: { applicability: 'safe' as const, message: 'm', edits: [{ start, end, text }] }, tag: `${start}-${end}` });
  const s = selectFixes([fix(5, 8), fix(0, 6), fix(8, 8), fix(8, 9), fix(20, 20, 'import a\n'), fix(20, 20, 'import a\n'), fix(20, 20, '    ')], 30);
  // Source order among overlapping fixes; a fix nested inside another's replaced text goes first.
  assert.deepEqual(s.picked.map((c) => c.tag).sort(), ['0-6', '20-20', '20-20', '8-8', '8-9']);
  assert.deepEqual(s.deferred.map((c) => c.tag).sort(), ['20-20', '5-8'], 'the same point edited by another fix waits');
  const nested = selectFixes([fix(0, 10, 'outer'), fix(4, 4, 'inner')], 30);
  assert.deepEqual([nested.picked.map((c) => c.tag), nested.deferred.map((c) => c.tag)], [['4-4'], ['0-10']]);
  const bad = selectFixes([fix(10, 40)], 30);
  assert.equal(bad.invalid.length, 1);
  assert.equal(applyEdits('abcdefghij', [{ start: 2, end: 2, text: 'X' }, { start: 2, end: 4, text: 'Y' }]), 'abXYefghij');
  const text = 'x'.repeat(30);
  const imports = s.picked.filter((c) => c.tag === '20-20').map((c) => c.fix);
  assert.equal(imports.length, 2);
  assert.equal(applyFixes(text, imports), 'x'.repeat(20) + 'import a\n' + 'x'.repeat(10), 'a repeated fix applies once');
});

test('two fixes indenting the same line both count (nested with-blocks)', () => {
  // Two resources in one block: each fix indents the lines after it; the second waits a pass.
  const src = 'def f():\n    a = 1\n    b = 2\n    c = 3\n';
  const indentFrom = (line: number) => {
    const starts = [0];
    for (let i = 0; i < src.length; i++) if (src[i] === '\n') starts.push(i + 1);
    return starts.slice(line, 4).map((p) => ({ start: p, end: p, text: '    ' }));
  };
  const a = { fix: { applicability: 'safe' as const, message: 'a', edits: indentFrom(2) }, tag: 'a' };
  const b = { fix: { applicability: 'safe' as const, message: 'b', edits: indentFrom(3) }, tag: 'b' };
  const s = selectFixes([a, b], src.length);
  assert.deepEqual(s.picked.map((c) => c.tag), ['a']);
  assert.deepEqual(s.deferred.map((c) => c.tag), ['b']);
});

test('inserted line breaks follow the file: LF, CRLF, CR', () => {
  assert.equal(detectEol('a\r\nb\n'), '\r\n');
  assert.equal(detectEol('no break'), '\n');
  assert.equal(applyEdits('a\r\nb\r\n', [{ start: 3, end: 3, text: 'x\ny\n' }]), 'a\r\nx\r\ny\r\nb\r\n');
  assert.equal(applyEdits('a\nb\n', [{ start: 2, end: 2, text: 'x\n' }]), 'a\nx\nb\n');
});

// ---- the fix loop ---------------------------------------------------------------------------

test('fixes repeat until nothing changes, and report what remains', () => {
  // foo() → bar(foo2()), bar(...) is left, foo2() → 1: needs two passes.
  const r1 = testRule('CL901', 'foo', 'safe', () => 'bar(foo2())');
  const r2 = testRule('CL902', 'foo2', 'safe', () => '1');
  const r3 = testRule('CL903', 'bar', 'display-only', (t) => t);
  const out = fixText('t.py', 'foo()\nfoo()\n', engineOptions(r1, r2, r3), { unsafe: false });
  assert.equal(out.text, 'bar(1)\nbar(1)\n');
  assert.deepEqual(out.applied.map((a) => `${a.ruleId}@${a.pass}`), ['CL901@1', 'CL901@1', 'CL902@2', 'CL902@2']);
  assert.deepEqual(out.diagnostics.map((d) => d.ruleId), ['CL903', 'CL903']);
  assert.deepEqual(out.errors, []);
});

test('an overlapping safe fix goes first: the timeout is added before the call moves to a thread', () => {
  const src = 'import requests\n\n\nasync def f(u):\n    return requests.get(u).json()\n';
  const out = fixText('t.py', src, optionsFor(all), { unsafe: true });
  assert.equal(out.text, 'import requests\nimport asyncio\n\n\nasync def f(u):\n    return (await asyncio.to_thread(requests.get, u, timeout=(3.05, 27))).json()\n');
  assert.deepEqual(out.applied.map((a) => `${a.ruleId}@${a.pass}`), ['CL101@1', 'CL501@2']);
});

test('unsafe fixes need --unsafe-fixes; display-only fixes never apply', () => {
  const r = testRule('CL901', 'foo', 'unsafe', () => 'bar()');
  assert.equal(fixText('t.py', 'foo()\n', engineOptions(r), { unsafe: false }).text, 'foo()\n');
  assert.equal(fixText('t.py', 'foo()\n', engineOptions(r), { unsafe: true }).text, 'bar()\n');
  const d = testRule('CL902', 'foo', 'display-only', () => 'bar()');
  assert.equal(fixText('t.py', 'foo()\n', engineOptions(d), { unsafe: true }).text, 'foo()\n');
});

test('a fix that breaks the syntax is dropped and reported; the good ones still apply', () => {
  const broken = testRule('CL901', 'foo', 'safe', () => 'foo(');
  const good = testRule('CL902', 'baz', 'safe', () => 'qux()');
  const src = 'def f():\n    foo()\n    baz()\n';
  const out = fixText('t.py', src, engineOptions(broken, good), { unsafe: false });
  assert.equal(out.text, 'def f():\n    foo()\n    qux()\n');
  assert.equal(out.dropped, 1);
  const err = out.errors.find((e) => e.kind === 'fix');
  assert.ok(err && err.ruleId === 'CL901' && err.line === 2, JSON.stringify(out.errors));
  assert.match(err.message, /would not parse/);
  assert.deepEqual(out.diagnostics.map((d) => d.ruleId), ['CL901']);
});

test('the guard catches indentation errors that tree-sitter lets through', () => {
  const flat = 'def f():\n    with a() as t:\n    t.get()\n';
  assert.equal(firstSyntaxError(parsePython(flat)), undefined, 'tree-sitter accepts it (else this test is moot)');
  assert.match(syntaxErrorIn(flat)?.message ?? '', /expected an indented block/);
  assert.match(syntaxErrorIn('if x:\n    a()\n      b()\n')?.message ?? '', /indentation|syntax/);
  assert.match(syntaxErrorIn('if x:\n\ta()\n        b()\n')?.message ?? '', /indentation|syntax/);
  assert.equal(syntaxErrorIn('if x: a()\nif y:\n  b()\n  # c\n c = 1 if x else \\\n   2\n'.replace(' c = 1', 'c = 1')), undefined);
});

test('a suppressed finding is not fixed', () => {
  const src = 'import requests\nrequests.get("a")  # noqa: CL101\nrequests.get("b")\n';
  const out = fixText('t.py', src, only101, { unsafe: true });
  assert.equal(out.text, 'import requests\nrequests.get("a")  # noqa: CL101\nrequests.get("b", timeout=(3.05, 27))\n');
});

test('a file that does not parse is not fixed', () => {
  const r = testRule('CL901', 'foo', 'safe', () => 'bar()');
  const out = fixText('t.py', 'foo()\ndef (:\n', engineOptions(r), { unsafe: false });
  assert.equal(out.text, 'foo()\ndef (:\n');
  assert.equal(out.applied.length, 0);
});

test('fixes that undo each other, or never finish, stop with an error and a parsing file', () => {
  const a = testRule('CL901', 'foo', 'safe', () => 'bar()');
  const b = testRule('CL902', 'bar', 'safe', () => 'foo()');
  const cycle = fixText('t.py', 'foo()\n', engineOptions(a, b), { unsafe: false });
  assert.ok(cycle.errors.some((e) => e.kind === 'fix' && /undo each other/.test(e.message)));
  assert.equal(syntaxErrorIn(cycle.text), undefined);
  const grow = testRule('CL903', 'foo', 'safe', (t) => `foo(${t})`);
  const endless = fixText('t.py', 'foo()\n', engineOptions(grow), { unsafe: false });
  assert.equal(endless.passes, 10);
  assert.ok(endless.errors.some((e) => e.kind === 'fix' && /did not converge after 10 passes/.test(e.message)));
});

// ---- files on disk ------------------------------------------------------------------------

const write = { unsafe: false, write: true };

test('--fix keeps CRLF line endings, a BOM, tabs, non-ASCII text and the file mode', () => {
  const dir = tempDir();
  const file = path.join(dir, 'svc.py');
  const src = '# café — naïve “quotes” 😀\r\nimport requests\r\n\r\ndef f():\r\n\tif True:\r\n\t\treturn requests.get(\r\n\t\t\t"ü"\r\n\t\t)\r\n';
  writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(src, 'utf8')]));
  chmodSync(file, 0o751);
  const r = fixFile(file, only101, 1 << 20, write);
  assert.equal(r.applied.length, 1);
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  // One argument per line: the timeout gets a line of its own, with the file's tabs and CRLF.
  assert.equal(text, src.replace('\t\t\t"ü"\r\n', '\t\t\t"ü",\r\n\t\t\ttimeout=(3.05, 27)\r\n'));
  assert.equal(statSync(file).mode & 0o777, 0o751);
  assert.deepEqual(readdirSync(dir), ['svc.py'], 'no temporary file left behind');
  // Second run: nothing to do, file untouched.
  const again = fixFile(file, only101, 1 << 20, write);
  assert.equal(again.changed, false);
});

test('--fix writes a Latin-1 file back in Latin-1', () => {
  const dir = tempDir();
  const file = path.join(dir, 'legacy.py');
  const src = '# -*- coding: latin-1 -*-\nimport requests\nNAME = "caf\u00e9"\nrequests.get(NAME)\n';
  writeFileSync(file, Buffer.from(src, 'latin1'));
  const r = fixFile(file, only101, 1 << 20, write);
  assert.equal(r.changed, true, JSON.stringify(r.errors));
  assert.deepEqual(readFileSync(file), Buffer.from(src.replace('(NAME)', '(NAME, timeout=(3.05, 27))'), 'latin1'));
});

test('--diff computes the change and writes nothing', () => {
  const dir = tempDir();
  const file = path.join(dir, 'a.py');
  const src = 'import requests\nrequests.get("u")\n';
  writeFileSync(file, src);
  const r = fixFile(file, only101, 1 << 20, { unsafe: false, write: false, diffPath: 'a.py' });
  assert.equal(readFileSync(file, 'utf8'), src);
  assert.equal(
    r.diff,
    '--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n import requests\n-requests.get("u")\n+requests.get("u", timeout=(3.05, 27))\n',
  );
  assert.equal(unifiedDiff('a.py', 'x\n', 'x\n'), '');
});

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('CLI: --diff on a clean tree prints nothing and exits 0; with fixes prints a diff and exits 1', () => {
  const clean = tempDir();
  writeFileSync(path.join(clean, 'ok.py'), 'import requests\nrequests.get("u", timeout=3)\n');
  const c = cli(['.', '--diff', '--no-cache'], clean);
  assert.deepEqual(c, { code: 0, stdout: '', stderr: '' });

  const dirty = tempDir();
  const src = 'import requests\nrequests.get("u")\nrequests.get("v", timeout=None)\n';
  writeFileSync(path.join(dirty, 'bad.py'), src);
  const d = cli(['.', '--diff', '--no-cache'], dirty);
  assert.equal(d.code, 1, d.stderr);
  assert.match(d.stdout, /^--- a\/bad\.py\n\+\+\+ b\/bad\.py\n/);
  assert.match(d.stdout, /^\+requests\.get\("u", timeout=\(3\.05, 27\)\)$/m);
  assert.doesNotMatch(d.stdout, /^-requests\.get\("v"/m, 'the unsafe fix needs --unsafe-fixes');
  assert.match(d.stderr, /Would fix 1 \(1 remaining\)\./);
  assert.equal(readFileSync(path.join(dirty, 'bad.py'), 'utf8'), src, '--diff must not write');
});

test('CLI: --fix applies safe fixes and prints "Fixed N (M remaining)"; --unsafe-fixes applies the rest', () => {
  const dir = tempDir();
  const file = path.join(dir, 'bad.py');
  writeFileSync(file, 'import requests\nrequests.get("u")\nrequests.get("v", timeout=None)\n');
  const r = cli(['.', '--fix', '--no-cache'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^bad\.py:3:1: CL101 /m, 'the remaining finding is reported as usual');
  assert.match(r.stdout, /^Fixed 1 \(1 remaining\)\.$/m);
  const u = cli(['.', '--fix', '--unsafe-fixes', '--no-cache'], dir);
  assert.equal(u.code, 0, u.stdout + u.stderr);
  assert.match(u.stdout, /^Fixed 1 \(0 remaining\)\.$/m);
  assert.equal(readFileSync(file, 'utf8'), 'import requests\nrequests.get("u", timeout=(3.05, 27))\nrequests.get("v", timeout=(3.05, 27))\n');
  const j = cli(['.', '--fix', '--format', 'json', '--no-cache'], dir);
  assert.equal(j.code, 0);
  assert.deepEqual(JSON.parse(j.stdout).diagnostics, []);
});

test('CLI: the config sets the timeout a fix inserts and the target version', () => {
  const dir = tempDir();
  writeFileSync(
    path.join(dir, 'pyproject.toml'),
    '[tool.conn-lint]\ntarget-version = "3.8"\n\n[tool.conn-lint.fix]\nrequests-timeout = "(5, 60)"\n',
  );
  const src = 'import requests\n\n\nasync def f(u):\n    return requests.get(u, timeout=3)\n\n\ndef g(u):\n    return requests.get(u)\n';
  writeFileSync(path.join(dir, 'svc.py'), src);
  const d = cli(['.', '--diff', '--unsafe-fixes', '--no-cache'], dir);
  assert.equal(d.code, 1, d.stderr);
  assert.match(d.stdout, /^\+    return requests\.get\(u, timeout=\(5, 60\)\)$/m);
  assert.match(d.stdout, /^\+    return await asyncio\.get_running_loop\(\)\.run_in_executor\(None, functools\.partial\(requests\.get, u, timeout=3\)\)$/m);
  assert.match(d.stdout, /^\+import asyncio\n\+import functools$/m);
});

test('CLI: JSON carries each fix with its applicability and edits', () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'bad.py'), 'import requests\nrequests.get("u")\n');
  const j = cli(['.', '--format', 'json', '--no-cache'], dir);
  const fix = JSON.parse(j.stdout).diagnostics[0].fix;
  assert.equal(fix.applicability, 'safe');
  assert.deepEqual(fix.edits, [{ start: 32, end: 32, text: ', timeout=(3.05, 27)' }]);
});

// ---- fixtures -----------------------------------------------------------------------------

function fixOnce(file: string, text: string, unsafe = true) {
  return fixText(file, text, fixtureOptions(text, all), { unsafe });
}

const pairs = fixturePairs();
for (const pair of pairs) {
  test(`fix ${pair.dir}/${path.basename(pair.input)} → ${path.basename(pair.expected)}`, () => {
    assert.ok(existsSync(pair.input), `${pair.expected} has no ${path.basename(pair.input)}`);
    const input = readFileSync(pair.input, 'utf8');
    const expected = readFileSync(pair.expected, 'utf8');
    const out = fixOnce(pair.input, input);
    assert.deepEqual(out.errors.filter((e) => e.kind === 'fix' || e.kind === 'rule'), []);
    assert.equal(out.text, expected);
    assert.equal(syntaxErrorIn(out.text), undefined, 'tree-sitter parses the fixed file');
    const again = fixOnce(pair.input, out.text);
    assert.equal(again.text, out.text, 'a second --fix changes nothing');
  });
}

test('fixed fixtures compile with Python', { skip: pythonVerdicts([''], 'compile') === null && 'python3 not found' }, () => {
  const texts = pairs.map((p) => readFileSync(p.expected, 'utf8'));
  const verdicts = pythonVerdicts(texts, 'compile')!;
  const bad = pairs.map((p, i) => (verdicts[i] ? `${path.relative(REPO, p.expected)}: ${verdicts[i]}` : '')).filter(Boolean);
  assert.deepEqual(bad, []);
});

const RANK: Record<Applicability, number> = { safe: 2, unsafe: 1, 'display-only': 0 };

test("each rule's declared `fixable` matches the fixes it produces on the fixtures", () => {
  const seen = new Map<string, Set<Applicability>>();
  for (const dir of fixtureDirs()) {
    for (const f of readdirSync(path.join(FIXTURES, dir))) {
      if (!f.endsWith('.py')) continue;
      const file = path.join(FIXTURES, dir, f);
      const text = readFileSync(file, 'utf8');
      const out = fixOnce(file, text, true);
      // The first pass sees the original findings; later ones are in out.applied.
      for (const a of out.applied) (seen.get(a.ruleId) ?? seen.set(a.ruleId, new Set()).get(a.ruleId)!).add(a.applicability);
      for (const d of out.diagnostics) if (d.fix) (seen.get(d.ruleId) ?? seen.set(d.ruleId, new Set()).get(d.ruleId)!).add(d.fix.applicability);
    }
  }
  const problems: string[] = [];
  for (const rule of all) {
    const got = seen.get(rule.code);
    if (!got) {
      if (rule.fixable) problems.push(`${rule.code} declares fixable: '${rule.fixable}' but no fixture shows a fix`);
      continue;
    }
    if (!rule.fixable) {
      problems.push(`${rule.code} produces fixes (${[...got].join(', ')}) but declares no \`fixable\``);
      continue;
    }
    const best = [...got].sort((a, b) => RANK[b] - RANK[a])[0];
    if (best !== rule.fixable) problems.push(`${rule.code} declares fixable: '${rule.fixable}' but its safest fix on the fixtures is '${best}'`);
  }
  assert.deepEqual(problems, []);
});

test('property: --fix --unsafe-fixes on every fixture and examples/ parses (tree-sitter and ast) and converges', () => {
  const files = [...pythonFiles(FIXTURES), ...pythonFiles(path.join(REPO, 'examples'))];
  assert.ok(files.length > 0);
  const changed: Array<{ file: string; text: string }> = [];
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const options = file.startsWith(FIXTURES) ? fixtureOptions(text, all) : optionsFor(all);
    const out = fixText(file, text, options, { unsafe: true });
    const rel = path.relative(REPO, file);
    if (out.errors.some((e) => e.kind === 'fix')) problems.push(`${rel}: ${out.errors.filter((e) => e.kind === 'fix').map((e) => e.message).join('; ')}`);
    if (out.text === text) continue;
    const err = syntaxErrorIn(out.text);
    if (err) problems.push(`${rel}: fixed text does not parse (tree-sitter): ${err.message} at ${err.line}:${err.column}`);
    const again = fixText(file, out.text, options, { unsafe: true });
    if (again.text !== out.text) problems.push(`${rel}: a second pass still changes the file`);
    changed.push({ file: rel, text: out.text });
  }
  const verdicts = pythonVerdicts(changed.map((c) => c.text), 'ast');
  if (verdicts) verdicts.forEach((v, i) => v && problems.push(`${changed[i].file}: fixed text does not parse (ast): ${v}`));
  assert.deepEqual(problems, []);
});

test('examples/: --fix --unsafe-fixes leaves only findings without a fix, and a second run changes nothing', { skip: !existsSync(path.join(REPO, 'examples')) && 'no examples/' }, () => {
  const dir = tempDir();
  const copy = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.isDirectory()) copy(path.join(from, e.name), path.join(to, e.name));
      else writeFileSync(path.join(to, e.name), readFileSync(path.join(from, e.name)));
    }
  };
  copy(path.join(REPO, 'examples'), path.join(dir, 'examples'));
  const first = cli(['examples', '--fix', '--unsafe-fixes', '--no-cache', '--format', 'json'], dir);
  assert.notEqual(first.code, 2, first.stderr);
  const remaining = JSON.parse(first.stdout).diagnostics as Array<{ ruleId: string; fix: { applicability: string } | null }>;
  const stillFixable = remaining.filter((d) => d.fix && d.fix.applicability !== 'display-only');
  assert.deepEqual(stillFixable.map((d) => d.ruleId), [], 'a fixable finding survived --fix --unsafe-fixes');
  const second = cli(['examples', '--diff', '--unsafe-fixes', '--no-cache'], dir);
  assert.equal(second.stdout, '', 'a second run would still change files');
  const texts = pythonFiles(path.join(dir, 'examples')).map((f) => readFileSync(f, 'utf8'));
  const verdicts = pythonVerdicts(texts, 'ast');
  if (verdicts) assert.deepEqual(verdicts.filter(Boolean), []);
});
