// The speed machinery must never change what is reported: findings on a sample of the CPython
// standard library are the same on the main thread, on 1 and 2 worker threads, with the prefilter
// off, and from the result cache (cold, warm, after an edit, with a corrupt cache file).
// Not a timing test: speed is measured by scripts/bench.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lint, type LintOptions, type LintResults } from '../src/api.js';
import { lintWithCache } from '../src/cache/cached-lint.js';
import { loadRules } from '../src/engine/registry.js';
import { moduleLocation } from '../src/lang/python/module-name.js';
import { REPO, runSettingsFor } from './support.js';

/** Files with findings of several rules, files without, and files that do not decode or parse. */
const SAMPLE = [
  'asyncio/__init__.py',
  'asyncio/base_events.py',
  'asyncio/locks.py',
  'asyncio/queues.py',
  'concurrent/futures/__init__.py',
  'concurrent/futures/thread.py',
  'distutils/command/upload.py',
  'ftplib.py',
  'idlelib/rpc.py',
  'json/__init__.py',
  'poplib.py',
  'urllib/robotparser.py',
  'test/audit-tests.py',
  'test/test_kqueue.py',
  'test/test_smtpnet.py',
  'test/test_asyncio/test_timeouts.py',
  'test/test_asyncio/test_waitfor.py',
  'test/test_asyncio/test_sock_lowlevel.py',
  'test/test_sqlite3/test_hooks.py',
  'test/test_sqlite3/test_regression.py',
  'test/tokenizedata/bad_coding.py',
  'test/tokenizedata/badsyntax_pep3120.py',
  'test/test_future_stmt/badsyntax_future8.py',
];

function stdlib(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  return dir && existsSync(path.join(dir, 'asyncio', 'base_events.py')) ? dir : undefined;
}

const STDLIB = stdlib();
let dir = '';

before(() => {
  if (!STDLIB) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'conn-lint-perf-eq-'));
  for (const rel of SAMPLE) {
    const from = path.join(STDLIB, rel);
    if (!existsSync(from)) continue;
    mkdirSync(path.dirname(path.join(dir, 'lib', rel)), { recursive: true });
    cpSync(from, path.join(dir, 'lib', rel));
  }
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (opts: LintOptions): Promise<LintResults> => lint(['lib'], { cwd: dir, select: ['ALL'], cache: false, ...opts });
/** The reference run (main thread, no cache, prefilter on), shared by the tests. */
let reference: Promise<LintResults> | undefined;
const referenceRun = () => (reference ??= run({ workers: 0 }));

/** What a run reports, as comparable data (errors: kind and place; messages of crashes vary). */
function findings(r: LintResults) {
  return {
    diagnostics: r.diagnostics.map((d) => JSON.stringify(d)),
    errors: r.errors.map((e) => `${e.path} ${e.kind} ${e.line ?? ''}:${e.column ?? ''} ${e.kind === 'internal' ? '' : e.message}`),
  };
}

const skip = STDLIB ? false : 'python3 and its standard library are not available';

test('findings are the same on the main thread, 1 and 2 workers, with and without the prefilter', { skip }, async () => {
  const ref = await referenceRun();
  assert.ok(ref.diagnostics.length >= 5, `the sample should have findings to compare (got ${ref.diagnostics.length})`);
  assert.ok(ref.files >= SAMPLE.length - 2);
  assert.deepEqual(ref.errors.filter((e) => e.kind === 'rule' || e.kind === 'internal'), [], 'a rule or the engine crashed');
  const expected = findings(ref);
  assert.deepEqual(findings(await run({ workers: 1 })), expected, '1 worker');
  assert.deepEqual(findings(await run({ workers: 2 })), expected, '2 workers');

  // Without the prefilter every file is parsed, so syntax errors in files no rule would look at
  // are reported too; findings and every other error must be the same.
  const unfiltered = findings(await run({ workers: 0, noPrefilter: true }));
  assert.deepEqual(unfiltered.diagnostics, expected.diagnostics, 'prefilter changed the findings');
  const notSyntax = (es: string[]) => es.filter((e) => !e.includes(' syntax '));
  assert.deepEqual(notSyntax(unfiltered.errors), notSyntax(expected.errors));
});

test('findings are the same from the result cache: cold, warm, after an edit, with a corrupt cache', { skip }, async () => {
  const cacheDir = path.join(dir, 'cache');
  const expected = findings(await referenceRun());
  assert.deepEqual(findings(await run({ workers: 2, cache: true, cacheDir })), expected, 'cold cache');
  assert.deepEqual(findings(await run({ workers: 2, cache: true, cacheDir })), expected, 'warm cache');
  assert.deepEqual(findings(await run({ workers: 0, cache: true, cacheDir })), expected, 'warm cache, main thread');

  // Edit a file with findings: its results change, and the cache must follow.
  const edited = path.join(dir, 'lib', 'poplib.py');
  const source = readFileSync(edited, 'utf8');
  writeFileSync(edited, source + '\n\nimport smtplib\n\ndef ping(host):\n    return smtplib.SMTP(host)\n');
  const fresh = findings(await run({ workers: 0 }));
  assert.notDeepEqual(fresh, expected, 'the edit should add a finding');
  assert.deepEqual(findings(await run({ workers: 2, cache: true, cacheDir })), fresh, 'cache after an edit');

  // Same size and mtime but other bytes cannot be told apart without hashing; an mtime close to
  // when the file was read is not trusted, so a same-size rewrite right after a run is seen.
  writeFileSync(edited, source);
  assert.deepEqual(findings(await run({ workers: 0, cache: true, cacheDir })), expected, 'cache after reverting');

  for (const f of readdirSync(cacheDir)) if (f.startsWith('results-')) writeFileSync(path.join(cacheDir, f), '{"format": 1, "files": {"x": ');
  assert.deepEqual(findings(await run({ workers: 2, cache: true, cacheDir })), expected, 'corrupt cache file');
  assert.deepEqual(findings(await run({ workers: 2, cache: true, cacheDir })), expected, 'rewritten cache file');
});

test('a warm cache answers every unchanged file without linting it', { skip }, async () => {
  const rules = await loadRules();
  const files = SAMPLE.map((rel) => path.join(dir, 'lib', rel)).filter((p) => existsSync(p));
  // Old mtimes, as in a checkout that has not been touched for a while: the (size, mtime) path.
  const old = new Date(Date.now() - 3600_000);
  for (const f of files) utimesSync(f, old, old);
  const jobs = files.map((p) => ({ path: p, location: moduleLocation(p) }));
  const settings = runSettingsFor(rules);
  const cacheDir = path.join(dir, 'cache-stats');
  const stats = { cached: 0, linted: 0 };
  const cold = await lintWithCache(jobs, rules, settings, { cache: true, root: dir, cacheDir, workers: 0, stats });
  assert.deepEqual(stats, { cached: 0, linted: jobs.length });
  const warm = await lintWithCache(jobs, rules, settings, { cache: true, root: dir, cacheDir, workers: 0, stats });
  assert.deepEqual(stats, { cached: jobs.length, linted: 0 });
  assert.deepEqual(warm, cold);
  // Other options are another cache: nothing is reused across them.
  const fewer = { ...settings, enabled: settings.enabled.slice(1) };
  await lintWithCache(jobs, rules.slice(1), fewer, { cache: true, root: dir, cacheDir, workers: 0, stats });
  assert.equal(stats.cached, 0);
  // A per-file-ignore changes the file's context: linted again.
  const ignoring = jobs.map((j, i) => (i === 0 ? { ...j, disabled: [rules[0].code] } : j));
  await lintWithCache(ignoring, rules, settings, { cache: true, root: dir, cacheDir, workers: 0, stats });
  assert.deepEqual(stats, { cached: jobs.length - 1, linted: 1 });
});

test('two runs sharing a cache at once leave a valid cache; `conn-lint clean` removes it', { skip }, async () => {
  const project = path.join(dir, 'project');
  mkdirSync(project, { recursive: true });
  cpSync(path.join(dir, 'lib', 'poplib.py'), path.join(project, 'poplib.py'));
  cpSync(path.join(dir, 'lib', 'ftplib.py'), path.join(project, 'ftplib.py'));
  const once = (workers: number) => lint(['.'], { cwd: project, select: ['ALL'], cache: true, workers });
  const [a, b] = await Promise.all([once(0), once(2)]);
  assert.deepEqual(findings(a), findings(b));
  const cacheDir = path.join(project, '.conn-lint-cache');
  const files = readdirSync(cacheDir);
  assert.ok(files.includes('CACHEDIR.TAG') && files.includes('.gitignore'));
  const results = files.filter((f) => f.startsWith('results-'));
  assert.equal(results.length, 1, `one cache file, no temporary files left: ${files.join(', ')}`);
  JSON.parse(readFileSync(path.join(cacheDir, results[0]), 'utf8'));
  assert.deepEqual(findings(await once(0)), findings(a), 'warm');

  const bin = path.join(REPO, 'bin', 'conn-lint');
  const r = spawnSync(process.execPath, [bin, 'clean'], { cwd: project, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /removed .*\.conn-lint-cache/);
  assert.equal(existsSync(cacheDir), false);
});
