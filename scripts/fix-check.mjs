#!/usr/bin/env node
// Checks `--fix --unsafe-fixes` on a real tree without touching it: copies DIR to a temporary
// directory, fixes the copy, then verifies that every changed file still parses with Python's own
// `ast` and that a second run changes nothing. Prints files changed, fixes per rule, fixes dropped.
//
//   npm run build && node scripts/fix-check.mjs /usr/lib/python3.11 [--select CL5] [--keep]
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { lint } = await import(path.join(here, '..', 'dist', 'src', 'api.js'));

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const selectAt = args.indexOf('--select');
const select = selectAt >= 0 ? args[selectAt + 1].split(',') : undefined;
const source = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--select');
if (!source) {
  process.stderr.write('usage: node scripts/fix-check.mjs DIR [--select CODES] [--keep]\n');
  process.exit(2);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'conn-lint-fix-check-'));
const tree = path.join(work, path.basename(path.resolve(source)));
cpSync(source, tree, { recursive: true, dereference: false, filter: (p) => !p.includes(`${path.sep}__pycache__`) });

const started = Date.now();
const first = await lint([tree], { cwd: work, select, fix: { unsafe: true, write: true, diff: false } });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const fixes = first.fixes;

// Python's verdict on every changed file, in one process.
const script = [
  'import ast, json, sys',
  'out = {}',
  'for p in json.load(sys.stdin):',
  '    try:',
  '        with open(p, "rb") as f: ast.parse(f.read(), p)',
  "        out[p] = ''",
  '    except (SyntaxError, ValueError) as e:',
  "        out[p] = f'{type(e).__name__}: {e}'",
  'json.dump(out, sys.stdout)',
].join('\n');
const changed = fixes.changedFiles.map((f) => path.resolve(work, f));
const verdicts = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(changed), encoding: 'utf8', maxBuffer: 1 << 28 }));
const broken = Object.entries(verdicts).filter(([, v]) => v);

const second = await lint([tree], { cwd: work, select, fix: { unsafe: true, write: false, diff: true } });

const dropped = first.errors.filter((e) => e.kind === 'fix');
const out = [];
out.push(`tree: ${source} (${first.files} files), fixed in ${seconds}s`);
out.push(`files changed: ${fixes.changedFiles.length}`);
out.push(`fixes applied: ${fixes.fixed}`);
for (const [rule, n] of Object.entries(fixes.byRule).sort((a, b) => b[1] - a[1])) out.push(`  ${rule}: ${n}`);
out.push(`fixes dropped: ${fixes.dropped}`);
for (const e of dropped.slice(0, 20)) out.push(`  ${e.path}:${e.line ?? ''}: ${e.message.slice(0, 200)}`);
out.push(`changed files that Python's ast rejects: ${broken.length}`);
for (const [p, v] of broken.slice(0, 20)) out.push(`  ${path.relative(work, p)}: ${v}`);
out.push(`second run: ${second.fixes.diffs.length} file(s) would change (${second.fixes.fixed} fixes)`);
for (const d of second.fixes.diffs.slice(0, 3)) out.push(d);
out.push(`findings left: ${first.diagnostics.length} (${second.diagnostics.length} on the second run)`);
process.stdout.write(out.join('\n') + '\n');
if (keep) process.stdout.write(`kept: ${tree}\n`);
else rmSync(work, { recursive: true, force: true });
process.exitCode = broken.length || second.fixes.diffs.length ? 1 : 0;
