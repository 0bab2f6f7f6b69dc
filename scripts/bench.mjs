#!/usr/bin/env node
// `npm run bench [-- --runs N] [-- --dir PATH] [-- --one-file PATH]`: conn-lint against Ruff's
// WebAssembly build on the CPython standard library, each run a whole Node process, the tools
// alternating so a busy machine slows both alike. Prints medians, the ratio to Ruff, peak RSS,
// cold/warm, 1 vs 2 workers and the one-file (pre-commit) time as a Markdown table; then how time
// grows with the input: one synthetic module of growing size (scripts/synthetic-module.mjs), and
// a growing number of such modules.
// Build first (`npm run build`): it runs bin/conn-lint, i.e. dist/conn-lint.mjs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(REPO, 'bin', 'conn-lint');
const RUFF = path.join(REPO, 'scripts', 'bench-ruff.mjs');
const SYNTHETIC = path.join(REPO, 'scripts', 'synthetic-module.mjs');
const PROBE = pathToFileURL(path.join(REPO, 'scripts', 'bench-probe.mjs')).href;

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    dir: { type: 'string' },
    'one-file': { type: 'string' },
    'no-growth': { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(opts.runs) || 5);

function stdlibDir() {
  const r = spawnSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('python3 not found: pass --dir PATH to benchmark another tree');
  return r.stdout.trim();
}

const DIR = path.resolve(opts.dir ?? stdlibDir());
const ONE_FILE = path.resolve(opts['one-file'] ?? path.join(DIR, 'smtplib.py'));
if (!existsSync(path.join(REPO, 'dist', 'conn-lint.mjs'))) throw new Error('dist/ is missing: run `npm run build` first');
for (const p of [DIR, ONE_FILE]) if (!existsSync(p)) throw new Error(`${p} does not exist`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'conn-lint-bench-'));
const probeFile = path.join(tmp, 'rss');
const cacheDir = path.join(tmp, 'cache');

/** Runs `node <script> ...args` once; wall time (ms), peak RSS (MB), CPU time (ms), stdout. */
function measure(script, args, nodeFlags = []) {
  rmSync(probeFile, { force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...nodeFlags, '--import', PROBE, script, ...args], {
    cwd: tmp,
    env: { ...process.env, BENCH_PROBE_FILE: probeFile, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`${path.basename(script)} ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  }
  const [kb, us] = existsSync(probeFile) ? readFileSync(probeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN];
  return { ms, rss: kb / 1024, cpu: us / 1000, stdout: r.stdout };
}

const lintArgs = (...extra) => [DIR, '--select', 'ALL', '--exit-zero', '--quiet', ...extra];
const SCENARIOS = [
  { key: 'ruff', label: 'ruff-wasm 0.17.3 (S113, ASYNC, SIM115)', script: RUFF, args: [DIR] },
  { key: 'cold', label: 'conn-lint, cold (`--no-cache`, default workers)', script: BIN, args: lintArgs('--no-cache') },
  { key: 'warm', label: 'conn-lint, warm (cache, nothing changed)', script: BIN, args: lintArgs('--cache-dir', cacheDir) },
  { key: 'w1', label: 'conn-lint, cold, `--workers 1`', script: BIN, args: lintArgs('--no-cache', '--workers', '1') },
  { key: 'w2', label: 'conn-lint, cold, `--workers 2`', script: BIN, args: lintArgs('--no-cache', '--workers', '2') },
  // V8 collects garbage and compiles on helper threads of its own, so "1 worker" already keeps
  // the second core partly busy; with them off, 1 vs 2 workers compares one core with two.
  { key: 's1', label: 'conn-lint, cold, `--workers 1`, V8 `--single-threaded`', script: BIN, args: lintArgs('--no-cache', '--workers', '1'), flags: ['--single-threaded'] },
  { key: 's2', label: 'conn-lint, cold, `--workers 2`, V8 `--single-threaded`', script: BIN, args: lintArgs('--no-cache', '--workers', '2'), flags: ['--single-threaded'] },
  { key: 'one', label: `conn-lint, one file (${path.relative(DIR, ONE_FILE) || path.basename(ONE_FILE)}, \`--no-cache\`)`, script: BIN, args: [ONE_FILE, '--select', 'ALL', '--exit-zero', '--quiet', '--no-cache'] },
  { key: 'version', label: 'conn-lint --version', script: BIN, args: ['--version'] },
];

const loadBefore = os.loadavg();
// What is being compared (not timed).
const files = countPython(DIR);
const sanity = JSON.parse(measure(BIN, [DIR, '--select', 'ALL', '--exit-zero', '--no-cache', '--format', 'json']).stdout);
const ruffSanity = measure(RUFF, [DIR]).stdout.trim().split(' ');
measure(BIN, lintArgs('--cache-dir', cacheDir)); // fills the cache for the warm runs

const samples = Object.fromEntries(SCENARIOS.map((s) => [s.key, []]));
for (let i = 0; i < RUNS; i++) {
  for (const s of SCENARIOS) {
    samples[s.key].push(measure(s.script, s.args, s.flags));
    process.stderr.write('.');
  }
}
process.stderr.write('\n');

const median = (xs) => {
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};
const t = (k) => median(samples[k].map((x) => x.ms));
const cpuOf = (k) => median(samples[k].map((x) => x.cpu));
const rss = (k) => Math.max(...samples[k].map((x) => x.rss));
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (x) => (Number.isFinite(x) ? `${Math.round(x)} MB` : '?');
const ok = (good) => (good ? 'yes' : '**no**');

const ruff = t('ruff');
const speedup = t('w1') / t('w2');
const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
const lines = [
  `### ${path.basename(DIR)} at ${DIR}: ${files.count} .py files, ${(files.bytes / 1e6).toFixed(1)} MB`,
  '',
  `Machine: ${cpu}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}. ` +
    `Load average (1 min) before and after: ${loadBefore[0].toFixed(1)}, ${os.loadavg()[0].toFixed(1)}` +
    // Only the load before counts: the benchmark's own runs raise the one after.
    (loadBefore[0] > 0.5 * os.availableParallelism() ? ' — a busy machine: wall times and the worker speed-up are pessimistic; CPU times are not.' : '.'),
  `conn-lint ${sanity.diagnostics.length} findings, ${sanity.errors.length} file errors (all rules); Ruff ${ruffSanity[1]} findings on ${ruffSanity[0]} files. ` +
    `${RUNS} runs of each, alternating; medians of whole-process wall time.`,
  '',
  '| run | median | min | CPU (median) | peak RSS | vs Ruff | target | met |',
  '|---|---:|---:|---:|---:|---:|---|---|',
];
for (const s of SCENARIOS) {
  const m = t(s.key);
  const min = Math.min(...samples[s.key].map((x) => x.ms));
  const ratio = s.key === 'one' || s.key === 'version' ? '' : (m / ruff).toFixed(2);
  let target = '';
  let met = '';
  if (s.key === 'cold') [target, met] = ['≤ 0.50× Ruff, ≤ 300 MB', ok(m <= 0.5 * ruff && rss('cold') <= 300)];
  if (s.key === 'warm') [target, met] = ['≤ 0.10× Ruff', ok(m <= 0.1 * ruff)];
  if (s.key === 'w2') [target, met] = [`≥ 1.7× over 1 worker (${speedup.toFixed(2)}×)`, ok(speedup >= 1.7)];
  if (s.key === 's2') [target, met] = [`≥ 1.7× over 1 worker (${(t('s1') / t('s2')).toFixed(2)}×)`, ok(t('s1') / t('s2') >= 1.7)];
  if (s.key === 'one') [target, met] = ['≤ 0.2 s', ok(m <= 200)];
  lines.push(`| ${s.label} | ${secs(m)} | ${secs(min)} | ${secs(cpuOf(s.key))} | ${mb(rss(s.key))} | ${ratio} | ${target} | ${met} |`);
}

// Growth: the same rules on inputs of 1, 2, 4 and 8 units, three runs each (median); time per MB
// should stay flat. Units: blocks of one module (the per-file analyses must stay linear in the size
// of a module), and whole modules of 250 blocks in a directory (the run must stay linear in files).
if (!opts['no-growth']) {
  const growth = [];
  for (const [kind, unitLabel] of [['module', '250 blocks in one module'], ['files', 'files of 250 blocks']]) {
    for (const k of [1, 2, 4, 8]) {
      const dir = path.join(tmp, `growth-${kind}-${k}`);
      mkdirSync(dir, { recursive: true });
      let target;
      if (kind === 'module') {
        target = path.join(dir, 'big.py');
        spawnSync(process.execPath, [SYNTHETIC, String(250 * k), target]);
      } else {
        const one = path.join(dir, 'm0.py');
        spawnSync(process.execPath, [SYNTHETIC, '250', one]);
        for (let i = 1; i < k; i++) copyFileSync(one, path.join(dir, `m${i}.py`));
        target = dir;
      }
      const bytes = kind === 'module' ? statSync(target).size : countPython(dir).bytes;
      const runs = [0, 1, 2].map(() => measure(BIN, [target, '--select', 'ALL', '--exit-zero', '--quiet', '--no-cache']));
      const ms = median(runs.map((r) => r.ms));
      const rate = ms / 1000 / (bytes / 1e6);
      growth.push(`| ${k} × ${unitLabel} | ${(bytes / 1e6).toFixed(1)} MB | ${secs(ms)} | ${mb(Math.max(...runs.map((r) => r.rss)))} | ${rate.toFixed(2)} s/MB |`);
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  lines.push(
    '',
    'Growth with the input (scripts/synthetic-module.mjs: each block exercises every rule family; cold, default workers; median of 3):',
    '',
    '| input | size | time | peak RSS | time per MB |',
    '|---|---:|---:|---:|---:|',
    ...growth,
  );
}
rmSync(tmp, { recursive: true, force: true });
process.stdout.write(lines.join('\n') + '\n');

function countPython(dir) {
  let count = 0;
  let bytes = 0;
  const stack = [dir];
  const skip = new Set(['site-packages', '__pycache__']);
  while (stack.length) {
    const d = stack.pop();
    let names;
    try {
      names = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of names) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !skip.has(e.name)) stack.push(p);
      else if (e.isFile() && e.name.endsWith('.py')) {
        count++;
        bytes += statSync(p).size;
      }
    }
  }
  return { count, bytes };
}
