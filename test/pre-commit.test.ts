// The pre-commit hooks, driven through the real `pre-commit` binary: a temp git repository with a
// hazardous file points its .pre-commit-config.yaml at this repository (local path + HEAD commit,
// so it tests what is committed). pre-commit clones it, runs `npm install` (which builds through
// `prepare`), `npm pack` and installs the tarball, then runs the hooks on the staged files.
// Slow (about a minute: two npm installs that compile tree-sitter) and needs the npm registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './support.js';
import { tempDir } from './integration-support.js';

const SERVICE = [
  'import requests',
  '',
  '',
  'def fetch_order(order_id):',
  '    return requests.get(f"https://api.example.com/orders/{order_id}")',
  '',
].join('\n');

/** The environment without the outer git's variables (the tests may run inside a git hook). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && !k.startsWith('PRE_COMMIT')) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 15 * 60_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

function whyNot(): string | null {
  const v = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  if (v.error) return 'the `pre-commit` binary is not installed (apt-get install pre-commit)';
  const head = spawnSync('git', ['-C', REPO, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return 'this checkout is not a git repository, so there is no commit for pre-commit to clone';
  return null;
}

const skip = whyNot();

test('pre-commit: the hook fails on a hazard, --fix hook repairs it, then the hook passes', { skip: skip ?? false, timeout: 20 * 60_000 }, (t) => {
  const rev = spawnSync('git', ['-C', REPO, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const home = tempDir('pre-commit-home');
  const project = tempDir('pre-commit-project', {}, true);
  // The hook environment holds a node_modules tree of ~100 MB: remove it when done.
  t.after(() => {
    for (const dir of [home, project]) rmSync(dir, { recursive: true, force: true });
  });
  const env = cleanEnv({ PRE_COMMIT_HOME: home, HOME: process.env.HOME ?? home });
  writeFileSync(
    path.join(project, '.pre-commit-config.yaml'),
    ['repos:', `  - repo: ${REPO}`, `    rev: ${rev}`, '    hooks:', '      - id: conn-lint', '      - id: conn-lint-fix', ''].join('\n'),
  );
  writeFileSync(path.join(project, 'service.py'), SERVICE);
  writeFileSync(path.join(project, 'notes.txt'), 'requests.get("https://example.com")\n');
  // Staged, but excluded by the config: the hooks (--force-exclude) neither report nor fix it.
  writeFileSync(path.join(project, 'pyproject.toml'), '[tool.conn-lint]\nextend-exclude = ["vendor/"]\n');
  mkdirSync(path.join(project, 'vendor'));
  writeFileSync(path.join(project, 'vendor', 'client.py'), SERVICE);
  // Not staged: pre-commit passes only staged files, so this one must never be reported.
  const git = (...args: string[]) => assert.equal(sh('git', args, project, env).code, 0, args.join(' '));
  git('add', '.pre-commit-config.yaml', 'service.py', 'notes.txt', 'pyproject.toml', 'vendor/client.py');
  writeFileSync(path.join(project, 'unstaged.py'), SERVICE);

  const started = Date.now();
  const first = sh('pre-commit', ['run', 'conn-lint'], project, env);
  const installSeconds = Math.round((Date.now() - started) / 1000);
  assert.equal(first.code, 1, first.out);
  assert.match(first.out, /conn-lint\.+Failed/);
  assert.match(first.out, /service\.py:5:12: CL101 /);
  assert.doesNotMatch(first.out, /unstaged\.py|notes\.txt|vendor/);

  const fix = sh('pre-commit', ['run', 'conn-lint-fix'], project, env);
  assert.equal(fix.code, 1, fix.out);
  assert.match(fix.out, /files were modified by this hook/);
  const fixed = readFileSync(path.join(project, 'service.py'), 'utf8');
  assert.match(fixed, /requests\.get\(f"https:\/\/api\.example\.com\/orders\/\{order_id\}", timeout=[^)]+\)/);

  git('add', 'service.py');
  const second = sh('pre-commit', ['run', 'conn-lint'], project, env);
  assert.equal(second.code, 0, second.out);
  assert.match(second.out, /conn-lint\.+Passed/);
  assert.equal(readFileSync(path.join(project, 'unstaged.py'), 'utf8'), SERVICE, 'unstaged files are left alone');
  assert.equal(readFileSync(path.join(project, 'vendor', 'client.py'), 'utf8'), SERVICE, 'excluded files are left alone');
  t.diagnostic(`pre-commit installed the hook environment and ran the first hook in ${installSeconds}s`);
});
