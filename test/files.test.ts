// File discovery: walking, exclusions, .gitignore, virtualenvs, symlinks, explicit paths, errors.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverFiles, languageOf, type DiscoverOptions } from '../src/files/discover.js';

/** A fresh directory with the given files ('dir/' entries make empty directories). */
function tree(files: Record<string, string> | string[]): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'conn-lint-files-')));
  const entries = Array.isArray(files) ? files.map((f) => [f, ''] as const) : Object.entries(files);
  for (const [name, text] of entries) {
    const path = join(root, name);
    if (name.endsWith('/')) {
      mkdirSync(path, { recursive: true });
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  made.push(root);
  return root;
}

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function opts(root: string, more: Partial<DiscoverOptions> = {}): DiscoverOptions {
  return { root, extendExclude: [], respectGitignore: true, ...more };
}

/** Discovered paths relative to `root`, posix-style, for readable assertions. */
function run(root: string, paths: string[], more: Partial<DiscoverOptions> = {}, cwd = root) {
  const { files, errors } = discoverFiles(paths, cwd, opts(root, more));
  return {
    paths: files.map((f) => rel(root, f.path)),
    explicit: files.filter((f) => f.explicit).map((f) => rel(root, f.path)),
    errors,
    files,
  };
}

function rel(root: string, p: string): string {
  return relative(root, p).split(sep).join('/');
}

test('languageOf: JavaScript and TypeScript sources are js, declaration files and .min.js are not linted', () => {
  for (const f of ['a.js', 'a.mjs', 'a.cjs', 'a.jsx', 'a.ts', 'a.mts', 'a.cts', 'a.tsx', 'src/x.d.js']) assert.equal(languageOf(f), 'js', f);
  for (const f of ['a.d.ts', 'a.d.mts', 'a.d.cts', 'vendor/jquery.min.js', 'a.json', 'a.js.map', 'a.coffee']) assert.equal(languageOf(f), null, f);
});

test('languageOf: .py and .pyi are Python', () => {
  assert.equal(languageOf('/a/b/x.py'), 'python');
  assert.equal(languageOf('stubs/x.pyi'), 'python');
  assert.equal(languageOf('x.pyc'), null);
  assert.equal(languageOf('x.py.txt'), null);
  assert.equal(languageOf('Makefile'), null);
  assert.equal(languageOf('dir.py/README'), null);
});

test('walks directories for .py and .pyi files, sorted, absolute, not explicit', () => {
  const root = tree(['b.py', 'a.pyi', 'notes.txt', 'pkg/z.py', 'pkg/sub/y.py', 'pkg/data.json', 'empty/']);
  const r = run(root, ['.']);
  assert.deepEqual(r.paths, ['a.pyi', 'b.py', 'pkg/sub/y.py', 'pkg/z.py']);
  assert.deepEqual(r.explicit, []);
  assert.deepEqual(r.errors, []);
  for (const f of r.files) assert.ok(f.path.startsWith(root + sep), f.path);
});

test('no paths means the current directory', () => {
  const root = tree(['a.py', 'pkg/b.py']);
  assert.deepEqual(run(root, []).paths, ['a.py', 'pkg/b.py']);
});

test('default exclusions match any path component', () => {
  const root = tree([
    'ok.py',
    '.venv/lib/x.py',
    'venv/x.py',
    'build/x.py',
    'dist/x.py',
    'node_modules/pkg/x.py',
    '__pycache__/x.py',
    'foo.egg-info/x.py',
    '.tox/py311/x.py',
    'src/app.py',
    'src/build/x.py',
    'src/deep/node_modules/x.py',
    'src/lib/site-packages/x.py',
  ]);
  assert.deepEqual(run(root, ['.']).paths, ['ok.py', 'src/app.py']);
});

test('exclude replaces the defaults, extend-exclude adds to them (globs relative to the root)', () => {
  const root = tree(['a.py', 'build/x.py', 'gen/x.py', 'src/gen/x.py', 'src/msg_pb2.py', 'src/keep.py', 'other/src/gen/y.py']);
  assert.deepEqual(run(root, ['.'], { exclude: ['gen'] }).paths, ['a.py', 'build/x.py', 'src/keep.py', 'src/msg_pb2.py']);
  assert.deepEqual(run(root, ['.'], { extendExclude: ['*_pb2.py', 'src/gen'] }).paths, [
    'a.py',
    'gen/x.py',
    'other/src/gen/y.py',
    'src/keep.py',
  ]);
  // Patterns are anchored at the root even when the walk starts deeper.
  assert.deepEqual(run(root, ['src'], { extendExclude: ['src/gen'] }).paths, ['src/keep.py', 'src/msg_pb2.py']);
});

test('a directory holding pyvenv.cfg is a virtualenv and skipped, whatever its name', () => {
  const root = tree({ 'app.py': '', 'py311-env/pyvenv.cfg': 'home = /usr/bin\n', 'py311-env/lib/mod.py': '', 'py311-env/x.py': '' });
  assert.deepEqual(run(root, ['.']).paths, ['app.py']);
  assert.deepEqual(run(root, ['.'], { respectGitignore: false }).paths, ['app.py']);
});

test('a directory named on the command line is walked even if excluded; exclusions apply inside it', () => {
  const root = tree(['build/x.py', 'build/dist/y.py', 'myenv/pyvenv.cfg', 'myenv/z.py']);
  assert.deepEqual(run(root, ['build']).paths, ['build/x.py']);
  assert.deepEqual(run(root, ['myenv']).paths, ['myenv/z.py']);
  assert.deepEqual(run(root, ['.']).paths, []);
});

test('a file named on the command line is always linted, whatever its extension or exclusion', () => {
  const root = tree({
    '.git/': '',
    '.gitignore': 'ignored.py\n',
    'ignored.py': '',
    'script': '#!/usr/bin/env python3\n',
    'build/x.py': '',
    'notes.txt': '',
  });
  const r = run(root, ['script', 'build/x.py', 'ignored.py', 'notes.txt']);
  assert.deepEqual(r.paths, ['build/x.py', 'ignored.py', 'notes.txt', 'script']);
  assert.deepEqual(r.explicit, r.paths);
  assert.deepEqual(r.errors, []);
});

test('.gitignore: nested files apply to their subtree, negations work, .git/info/exclude is honoured', () => {
  const root = tree({
    '.git/info/exclude': 'secret.py\n',
    '.gitignore': '*.gen.py\n!keep.gen.py\nignored_dir/\n/top_only.py\n',
    'a.py': '',
    'x.gen.py': '',
    'keep.gen.py': '',
    'secret.py': '',
    'top_only.py': '',
    'ignored_dir/y.py': '',
    'sub/.gitignore': 'local.py\n!a.gen.py\n',
    'sub/local.py': '',
    'sub/a.gen.py': '',
    'sub/b.gen.py': '',
    'sub/top_only.py': '',
    'sub/secret.py': '',
    'other/local.py': '',
  });
  const r = run(root, ['.']);
  assert.deepEqual(r.paths, ['a.py', 'keep.gen.py', 'other/local.py', 'sub/a.gen.py', 'sub/top_only.py']);
  assert.deepEqual(r.errors, []);

  // Switched off, only the default exclusions remain.
  assert.equal(run(root, ['.'], { respectGitignore: false }).paths.length, 12);

  // Starting below the repository root, the parents' .gitignore and info/exclude still apply.
  assert.deepEqual(run(root, ['sub'], {}, root).paths, ['sub/a.gen.py', 'sub/top_only.py']);
  assert.deepEqual(run(root, ['.'], {}, join(root, 'sub')).paths, ['sub/a.gen.py', 'sub/top_only.py']);
});

test('.gitignore: a deeper negation re-includes a directory a parent .gitignore excludes', () => {
  const root = tree({
    '.git/': '',
    '.gitignore': 'generated/\n',
    'generated/x.py': '',
    'pkg/.gitignore': '!generated/\n',
    'pkg/generated/y.py': '',
  });
  assert.deepEqual(run(root, ['.']).paths, ['pkg/generated/y.py']);
});

test('.gitignore: a repository nested in the walk does not inherit the outer ignore rules', () => {
  const root = tree({
    '.git/': '',
    '.gitignore': '*.gen.py\n',
    'a.gen.py': '',
    'vendor/lib/.git/': '',
    'vendor/lib/b.gen.py': '',
    'vendor/lib/.gitignore': 'c.py\n',
    'vendor/lib/c.py': '',
  });
  assert.deepEqual(run(root, ['.']).paths, ['vendor/lib/b.gen.py']);
});

test('.gitignore outside a git repository: honoured from the project root down', () => {
  const root = tree({ '.gitignore': 'skip.py\n', 'skip.py': '', 'pkg/skip.py': '', 'pkg/ok.py': '' });
  assert.deepEqual(run(root, ['.']).paths, ['pkg/ok.py']);
  assert.deepEqual(run(root, ['pkg']).paths, ['pkg/ok.py']);
});

test('a file reached twice (two arguments, a directory and a file in it, a symlink) is listed once', () => {
  const root = tree(['pkg/a.py', 'pkg/b.py']);
  symlinkSync('a.py', join(root, 'pkg', 'alias.py'));
  symlinkSync('b.py', join(root, 'pkg', '0-first.py')); // met before its target, reported under it
  const r = run(root, ['pkg', 'pkg/a.py', 'pkg', './pkg/../pkg/b.py']);
  assert.deepEqual(r.paths, ['pkg/a.py', 'pkg/b.py']);
  assert.deepEqual(r.explicit, ['pkg/a.py', 'pkg/b.py']);
  assert.equal(new Set(r.files.map((f) => f.path)).size, r.files.length);
});

test('symlinked directories are followed, loops end, broken links are skipped silently', () => {
  const outside = tree(['ext.py']);
  const root = tree(['pkg/a.py', 'pkg/inner/b.py']);
  symlinkSync('..', join(root, 'pkg', 'inner', 'up')); // pkg/inner/up -> pkg: a loop
  symlinkSync(join(root, 'pkg'), join(root, 'again')); // a second way into pkg
  symlinkSync(outside, join(root, 'linked'));
  symlinkSync(join(root, 'nowhere.py'), join(root, 'dangling.py'));
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling-dir'));
  const r = run(root, ['.']);
  assert.deepEqual(r.errors, []);
  // pkg is entered once, under its own name; `again` and `up` lead nowhere new.
  assert.deepEqual(r.paths, ['linked/ext.py', 'pkg/a.py', 'pkg/inner/b.py']);
  // Named through the link, it is walked under that name.
  assert.deepEqual(run(root, ['again']).paths, ['again/a.py', 'again/inner/b.py']);
});

test('a path that does not exist is an argument error, with the name it may have been', () => {
  const root = tree(['a.py', 'src/app.py', 'src/util.py']);
  symlinkSync(join(root, 'gone.py'), join(root, 'broken.py'));
  const found = discoverFiles(['missing', '.', 'broken.py', 'scr/', 'scr/app.py', 'src/ap.py', join(root, 'scr')], root, opts(root));
  assert.deepEqual(found.files.map((f) => rel(root, f.path)), ['a.py', 'src/app.py', 'src/util.py']);
  assert.deepEqual(found.errors, []);
  assert.deepEqual(
    found.argumentErrors.map(({ arg, reason, suggestion }) => ({ arg, reason, suggestion })),
    [
      { arg: 'missing', reason: 'no such file or directory', suggestion: undefined },
      { arg: 'broken.py', reason: 'broken symbolic link', suggestion: undefined },
      { arg: 'scr/', reason: 'no such file or directory', suggestion: 'src/' },
      { arg: 'scr/app.py', reason: 'no such file or directory', suggestion: 'src/app.py' },
      // Nearest in its folder: app.py (util.py is further away).
      { arg: 'src/ap.py', reason: 'no such file or directory', suggestion: 'src/app.py' },
      { arg: join(root, 'scr'), reason: 'no such file or directory', suggestion: join(root, 'src') },
    ],
  );
});

test('a file named on the command line is marked when a walk would have excluded it, and why', () => {
  const root = tree(['ok.py', 'vendor/lib/x.py', 'gen/out_pb2.py', 'ignored/y.py', 'env/lib/z.py', 'env/pyvenv.cfg', '.gitignore']);
  writeFileSync(join(root, '.gitignore'), 'ignored/\n');
  const found = discoverFiles(['ok.py', 'vendor/lib/x.py', 'gen/out_pb2.py', 'ignored/y.py', 'env/lib/z.py'], root, opts(root, { extendExclude: ['vendor/', '*_pb2.py'] }));
  const why = Object.fromEntries(found.files.map((f) => [rel(root, f.path), f.excluded]));
  assert.deepEqual(why, {
    'ok.py': undefined,
    'vendor/lib/x.py': 'matched by the exclude settings (vendor/)',
    'gen/out_pb2.py': 'matched by the exclude settings (gen/out_pb2.py)',
    'ignored/y.py': 'ignored by git (.gitignore)',
    'env/lib/z.py': 'inside a virtualenv (env/)',
  });
  // Without respect-gitignore, .gitignore does not exclude it.
  const noGit = discoverFiles(['ignored/y.py'], root, opts(root, { respectGitignore: false }));
  assert.equal(noGit.files[0].excluded, undefined);
});

test('a file reached through a link out of the linted paths is read-only for --fix', () => {
  const base = tree(['project/app.py', 'project/vendor/v.py', 'outside/secret.py']);
  const root = join(base, 'project');
  symlinkSync(join(base, 'outside', 'secret.py'), join(root, 'link.py'));
  symlinkSync(join(root, 'vendor', 'v.py'), join(root, 'to_vendor.py'));
  symlinkSync(join(root, 'app.py'), join(root, 'same.py'));
  const found = discoverFiles(['.'], root, opts(root, { extendExclude: ['vendor/'] }));
  const ro = Object.fromEntries(found.files.map((f) => [rel(root, f.path), f.readOnly]));
  assert.deepEqual(Object.keys(ro), ['app.py', 'link.py', 'to_vendor.py'], 'app.py is listed once, under its own name');
  assert.equal(ro['app.py'], undefined);
  assert.match(ro['link.py']!, /symbolic link to .*outside.secret\.py, outside the paths being linted/);
  assert.match(ro['to_vendor.py']!, /symbolic link to .*vendor.v\.py, which is excluded: matched by the exclude settings \(vendor\/\)/);
  // Named on the command line, the link is still read-only: its target is outside the folder named.
  const named = discoverFiles(['link.py'], root, opts(root));
  assert.match(named.files[0].readOnly!, /outside the paths being linted/);
  // Linting the common parent, the target is inside what was asked: writable.
  const parent = discoverFiles(['project', 'outside'], base, opts(base));
  assert.equal(parent.files.find((f) => f.path.endsWith('secret.py'))?.readOnly, undefined);
});

test('an unreadable directory is an io error and the walk goes on', (t) => {
  const root = tree(['a.py', 'locked/b.py', 'z/c.py']);
  chmodSync(root, 0o755);
  for (const d of ['locked', 'z']) chmodSync(join(root, d), 0o755);
  chmodSync(join(root, 'locked'), 0o000);
  t.after(() => chmodSync(join(root, 'locked'), 0o755)); // so that the directory can be removed
  const expected = {
    paths: ['a.py', 'z/c.py'],
    errors: [{ path: 'locked', kind: 'io', message: 'cannot read directory: permission denied' }],
  };

  if (process.getuid?.() !== 0) {
    const r = run(root, ['.']);
    assert.deepEqual({ paths: r.paths, errors: r.errors.map((e) => ({ ...e, path: rel(root, e.path) })) }, expected);
    return;
  }
  // Root reads any directory whatever its mode: run the walk as an unprivileged user instead.
  const discover = fileURLToPath(new URL('../src/files/discover.js', import.meta.url));
  const script = `
    import { discoverFiles } from ${JSON.stringify(discover)};
    const r = discoverFiles(['.'], process.cwd(), { root: process.cwd(), extendExclude: [], respectGitignore: true });
    console.log(JSON.stringify(r));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    uid: 65534,
    gid: 65534,
    encoding: 'utf8',
  });
  if (child.error || child.status !== 0) {
    t.skip(`running as root and cannot run the walk as uid 65534: ${child.error?.message ?? child.stderr}`);
    return;
  }
  const r = JSON.parse(child.stdout) as ReturnType<typeof discoverFiles>;
  assert.deepEqual(
    {
      paths: r.files.map((f) => rel(root, f.path)),
      errors: r.errors.map((e) => ({ ...e, path: rel(root, e.path) })),
    },
    expected,
  );
});
