#!/usr/bin/env node
// `npm run bench`: conn-lint side by side with the Ruff binary that users install (native, pinned),
// each run a whole process, the tools alternating so that a busy machine slows both alike.
//
//   npm run bench -- [--runs N] [--corpus stdlib,site-packages] [--one-file PATH] [--ruff PATH]
//                    [--no-wasm] [--no-workers] [--no-growth] [--no-profile]
//
// Corpora: the CPython standard library, and a copy of the interpreter's site-packages (its .py
// files only, so neither tool meets a config file or a cache of its own there). Ruff runs
// `ruff check --select S113,ASYNC,SIM115` (the rules closest to conn-lint's), conn-lint all rules,
// both with JSON output to /dev/null. Ruff is `$RUFF` or `--ruff PATH`, else ruff==0.16.9 installed
// with pip into a virtualenv under the temp folder (reused by later runs). Ruff's WebAssembly build
// (a devDependency, one file after the other in a Node process) stays as a second column.
// Each process is timed by a python3 wrapper that also reads its peak RSS and CPU time from
// getrusage, the same way for a native binary and for Node. Then: 1 vs 2 workers, the floors
// (`node -e 0`, `conn-lint --version`), growth with the input, and the phase profile of a cold run
// (`--timings`). Build first (`npm run build`): it runs bin/conn-lint, i.e. dist/conn-lint.mjs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(REPO, 'bin', 'conn-lint');
const RUFF_WASM = path.join(REPO, 'scripts', 'bench-ruff.mjs');
const SYNTHETIC = path.join(REPO, 'scripts', 'synthetic-module.mjs');
const RUFF_VERSION = '0.16.9';
const RUFF_RULES = 'S113,ASYNC,SIM115';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    corpus: { type: 'string', default: 'stdlib,site-packages' },
    'one-file': { type: 'string' },
    ruff: { type: 'string' },
    'no-wasm': { type: 'boolean', default: false },
    'no-workers': { type: 'boolean', default: false },
    'no-growth': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(opts.runs) || 5);
if (!existsSync(path.join(REPO, 'dist', 'conn-lint.mjs'))) throw new Error('dist/ is missing: run `npm run build` first');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'conn-lint-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

// ---- measuring one process ----------------------------------------------------------------------

// Runs argv[1:] with stdout to /dev/null; prints wall seconds, CPU seconds and peak RSS (KB) of the
// child, and its exit status. RUSAGE_CHILDREN holds only this one child.
const TIMER = `
import resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.buffer.write(p.stderr[-4000:])
print(wall, u.ru_utime + u.ru_stime, u.ru_maxrss, p.returncode)
`;

/** One whole-process run: wall and CPU ms, peak RSS MB. */
function measure(argv, { cwd = tmp, env = {} } = {}) {
  const r = spawnSync('python3', ['-c', TIMER, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`timer failed for ${argv.join(' ')}:\n${r.stderr}`);
  const [wall, cpu, kb, status] = r.stdout.trim().split(/\s+/).map(Number);
  if (status !== 0 && status !== 1) throw new Error(`${argv.join(' ')} exited with ${status}:\n${r.stderr}`);
  return { ms: wall * 1000, cpu: cpu * 1000, rss: kb / 1024 };
}

/** Runs a command for its output (not timed). */
function output(argv, cwd = tmp) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

// ---- the tools ----------------------------------------------------------------------------------

function ruffBinary() {
  const given = opts.ruff ?? process.env.RUFF;
  if (given) return given;
  const venv = path.join(os.tmpdir(), `conn-lint-bench-ruff-${RUFF_VERSION}`);
  const bin = path.join(venv, 'bin', 'ruff');
  if (!existsSync(bin)) {
    process.stderr.write(`installing ruff==${RUFF_VERSION} into ${venv} (pip)...\n`);
    for (const argv of [['python3', '-m', 'venv', venv], [path.join(venv, 'bin', 'pip'), 'install', '-q', `ruff==${RUFF_VERSION}`]]) {
      const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (set RUFF=/path/to/ruff to use a binary you have):\n${r.stderr}`);
    }
  }
  return bin;
}
const RUFF = ruffBinary();
const ruffVersion = output([RUFF, '--version']).trim();

const ruffArgs = (target, ...extra) => [RUFF, 'check', '--isolated', '--select', RUFF_RULES, '--output-format', 'json', '--exit-zero', ...extra, target];
const connArgs = (target, ...extra) => [process.execPath, BIN, target, '--select', 'ALL', '--format', 'json', '--exit-zero', ...extra];

// ---- corpora ------------------------------------------------------------------------------------

function python(code) {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 -c ${code}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Copies the .py files under `from` to `to`, keeping the tree (no configs, caches or data). */
function copyPython(from, to) {
  const stack = [[from, to]];
  while (stack.length) {
    const [src, dst] = stack.pop();
    let entries;
    try {
      entries = readdirSync(src, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const s = path.join(src, e.name);
      const d = path.join(dst, e.name);
      if (e.isDirectory() && e.name !== '__pycache__') stack.push([s, d]);
      else if (e.isFile() && e.name.endsWith('.py')) {
        mkdirSync(dst, { recursive: true });
        copyFileSync(s, d);
      }
    }
  }
}

/** The .py files both tools look at: their default exclusions (site-packages, build, ...) skipped. */
const SKIPPED = new Set(['site-packages', '__pycache__', '.git', 'node_modules', '.venv', 'venv', 'build', 'dist', '_build', 'buck-out', '__pypackages__']);

function countPython(dir) {
  let count = 0;
  let bytes = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name)) stack.push(p);
      }
      else if (e.isFile() && e.name.endsWith('.py')) {
        count++;
        bytes += statSync(p).size;
      }
    }
  }
  return { count, bytes };
}

const corpora = [];
for (const name of opts.corpus.split(',').map((s) => s.trim()).filter(Boolean)) {
  if (name === 'stdlib') {
    corpora.push({ key: 'stdlib', label: `CPython ${python('import platform; print(platform.python_version())')} standard library`, dir: python('import sysconfig; print(sysconfig.get_paths()["stdlib"])') });
  } else if (name === 'site-packages') {
    const from = python('import site; print(site.getsitepackages()[0])');
    const dir = path.join(tmp, 'site-packages-copy');
    copyPython(from, dir);
    corpora.push({ key: 'site-packages', label: 'a copy of the interpreter\'s site-packages', dir });
  } else if (existsSync(name)) {
    corpora.push({ key: path.basename(name), label: name, dir: path.resolve(name) });
  } else throw new Error(`unknown corpus ${name}: stdlib, site-packages or a directory`);
}
for (const c of corpora) Object.assign(c, countPython(c.dir));
const stdlib = corpora.find((c) => c.key === 'stdlib');
const ONE_FILE = path.resolve(opts['one-file'] ?? path.join(stdlib?.dir ?? python('import sysconfig; print(sysconfig.get_paths()["stdlib"])'), 'asyncio', 'base_events.py'));

// ---- scenarios ----------------------------------------------------------------------------------

const scenarios = [];
for (const c of corpora) {
  const ruffCache = path.join(tmp, `ruff-cache-${c.key}`);
  const connCache = path.join(tmp, `conn-cache-${c.key}`);
  scenarios.push(
    { key: `${c.key}:cold`, tool: 'ruff', argv: ruffArgs(c.dir, '--no-cache') },
    { key: `${c.key}:cold`, tool: 'conn', argv: connArgs(c.dir, '--no-cache') },
    { key: `${c.key}:warm`, tool: 'ruff', argv: ruffArgs(c.dir, '--cache-dir', ruffCache), prime: true },
    { key: `${c.key}:warm`, tool: 'conn', argv: connArgs(c.dir, '--cache-dir', connCache), prime: true },
  );
  if (!opts['no-wasm'] && c.key === 'stdlib') scenarios.push({ key: `${c.key}:cold`, tool: 'wasm', argv: [process.execPath, RUFF_WASM, c.dir] });
}
scenarios.push(
  { key: 'one', tool: 'ruff', argv: ruffArgs(ONE_FILE, '--no-cache') },
  { key: 'one', tool: 'conn', argv: connArgs(ONE_FILE, '--no-cache') },
  { key: 'floor:node', tool: 'conn', argv: [process.execPath, '-e', '0'] },
  { key: 'floor:version', tool: 'conn', argv: [process.execPath, BIN, '--version'] },
);
if (!opts['no-workers'] && stdlib) {
  for (const w of ['1', '2']) scenarios.push({ key: `workers:${w}`, tool: 'conn', argv: connArgs(stdlib.dir, '--no-cache', '--workers', w) });
}

const loadBefore = os.loadavg();
// What is compared (not timed): the findings of each tool; and the caches of the warm rows.
const sanity = corpora.map((c) => {
  const conn = JSON.parse(output(connArgs(c.dir, '--no-cache')));
  const ruff = JSON.parse(output(ruffArgs(c.dir, '--no-cache')));
  return `${c.key}: conn-lint ${conn.diagnostics.length} findings and ${conn.errors.length} file errors, Ruff ${ruff.length} findings`;
});
for (const s of scenarios) if (s.prime) measure(s.argv);

const samples = new Map();
for (let i = 0; i < RUNS; i++) {
  for (const s of scenarios) {
    const id = `${s.key}/${s.tool}`;
    if (!samples.has(id)) samples.set(id, []);
    samples.get(id).push(measure(s.argv));
    process.stderr.write('.');
  }
}
process.stderr.write('\n');

const median = (xs) => {
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};
const stat = (key, tool) => {
  const xs = samples.get(`${key}/${tool}`);
  if (!xs) return undefined;
  return { ms: median(xs.map((x) => x.ms)), min: Math.min(...xs.map((x) => x.ms)), cpu: median(xs.map((x) => x.cpu)), rss: Math.max(...xs.map((x) => x.rss)) };
};
const secs = (ms) => (ms >= 100 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mb = (x) => `${Math.round(x)} MB`;
const yes = (good) => (good ? 'yes' : '**no**');

const cpuModel = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
const out = [
  `Machine: ${cpuModel}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}; ${ruffVersion} (native). ` +
    `Load average (1 min) before: ${loadBefore[0].toFixed(1)}` +
    (loadBefore[0] > 0.5 * os.availableParallelism() ? ' — a busy machine: wall times are pessimistic for both tools; CPU times less so.' : '.'),
  `Corpora: ${corpora.map((c) => `${c.label} (${c.count.toLocaleString('en')} files, ${(c.bytes / 1e6).toFixed(1)} MB)`).join('; ')}. One file: ${path.relative(stdlib?.dir ?? path.dirname(ONE_FILE), ONE_FILE)}.`,
  `Ruff: \`ruff check --select ${RUFF_RULES} --output-format json\`; conn-lint: all rules, \`--format json\`. ${sanity.join('; ')}.`,
  `${RUNS} runs of each, alternating; medians of whole-process wall time (CPU: user + system, all threads; RSS: peak).`,
  '',
  `| run | Ruff ${RUFF_VERSION} native | conn-lint | ratio | CPU Ruff / conn-lint | target | met |${opts['no-wasm'] ? '' : ' Ruff wasm 0.17.3 |'}`,
  `|---|---:|---:|---:|---:|---|---|${opts['no-wasm'] ? '' : '---:|'}`,
];
const row = (label, key, target, good) => {
  const r = stat(key, 'ruff');
  const c = stat(key, 'conn');
  const w = stat(key, 'wasm');
  out.push(
    `| ${label} | ${secs(r.ms)} | ${secs(c.ms)} | ${(c.ms / r.ms).toFixed(2)}× | ${secs(r.cpu)} / ${secs(c.cpu)} | ${target} | ${yes(good(r, c))} |` +
      (opts['no-wasm'] ? '' : ` ${w ? secs(w.ms) : ''} |`),
  );
};
for (const c of corpora) row(`${c.key}, cold`, `${c.key}:cold`, '≤ 1.0× Ruff', (r, x) => x.ms <= r.ms);
for (const c of corpora) row(`${c.key}, warm (each tool's own cache, nothing changed)`, `${c.key}:warm`, '≤ 1.0× Ruff', (r, x) => x.ms <= r.ms);
row('one file (as pre-commit runs it)', 'one', '≤ 0.10 s', (_r, x) => x.ms <= 100);
for (const c of corpora) {
  const r = stat(`${c.key}:cold`, 'ruff');
  const x = stat(`${c.key}:cold`, 'conn');
  const target = c.key === 'site-packages' ? '≤ 150 MB' : '';
  out.push(`| peak memory, ${c.key}, cold | ${mb(r.rss)} | ${mb(x.rss)} | ${(x.rss / r.rss).toFixed(2)}× | | ${target} | ${target ? yes(x.rss <= 150) : ''} |${opts['no-wasm'] ? '' : ` ${stat(`${c.key}:cold`, 'wasm') ? mb(stat(`${c.key}:cold`, 'wasm').rss) : ''} |`}`);
}

out.push('', '| floor | wall | CPU | peak RSS |', '|---|---:|---:|---:|');
for (const [label, key] of [['`node -e 0`', 'floor:node'], ['`conn-lint --version`', 'floor:version']]) {
  const s = stat(key, 'conn');
  out.push(`| ${label} | ${secs(s.ms)} | ${secs(s.cpu)} | ${mb(s.rss)} |`);
}
if (!opts['no-workers'] && stdlib) {
  const w1 = stat('workers:1', 'conn');
  const w2 = stat('workers:2', 'conn');
  out.push('', '| stdlib, cold | wall | CPU | peak RSS |', '|---|---:|---:|---:|');
  out.push(`| \`--workers 1\` | ${secs(w1.ms)} | ${secs(w1.cpu)} | ${mb(w1.rss)} |`, `| \`--workers 2\` | ${secs(w2.ms)} | ${secs(w2.cpu)} | ${mb(w2.rss)} |`);
  out.push(`| speed-up | ${(w1.ms / w2.ms).toFixed(2)}× | | |`);
}

// Where a cold run's time goes, by phase (`--timings`, summed over threads).
if (!opts['no-profile'] && stdlib) {
  const r = spawnSync(process.execPath, [BIN, stdlib.dir, '--select', 'ALL', '--no-cache', '--exit-zero', '--quiet', '--timings'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const table = r.stderr.slice(r.stderr.indexOf('| phase'));
  if (r.stderr.includes('| phase')) out.push('', `Phases of a cold standard-library run (\`--timings\`; one run):`, '', table.trimEnd());
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
      const bytes = countPython(dir).bytes;
      const runs = [0, 1, 2].map(() => measure(connArgs(target, '--no-cache')));
      const ms = median(runs.map((x) => x.ms));
      growth.push(`| ${k} × ${unitLabel} | ${(bytes / 1e6).toFixed(1)} MB | ${secs(ms)} | ${mb(Math.max(...runs.map((x) => x.rss)))} | ${(ms / 1000 / (bytes / 1e6)).toFixed(2)} s/MB |`);
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  out.push(
    '',
    'Growth with the input (scripts/synthetic-module.mjs: each block exercises every rule family; cold, default workers; median of 3):',
    '',
    '| input | size | time | peak RSS | time per MB |',
    '|---|---:|---:|---:|---:|',
    ...growth,
  );
}
process.stdout.write(out.join('\n') + '\n');
