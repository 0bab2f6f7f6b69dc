// Config discovery and loading: precedence, every key, and the message for each kind of mistake.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findConfigFile, loadConfig } from '../src/config/load.js';
import { ConfigError, DEFAULT_MAX_FILE_SIZE, DEFAULT_SETTINGS, type Config } from '../src/config/types.js';
import type { Category, Rule, RuleOption } from '../src/types.js';

function fakeRule(code: string, name: string, category: Category, options?: Record<string, RuleOption>): Rule {
  return {
    code,
    name,
    category,
    severity: 'warning',
    docs: { summary: '', why: '', bad: '', good: '' },
    triggers: [],
    nodeTypes: [],
    options,
    visit() {},
  };
}

const RULES: Rule[] = [
  fakeRule('CL101', 'requests-without-timeout', 'timeout'),
  fakeRule('CL102', 'socket-without-timeout', 'timeout'),
  fakeRule('CL301', 'unbounded-executor', 'bounded-pool', {
    maxWorkers: { type: 'number', default: 32, description: 'largest max_workers accepted' },
    executors: { type: 'string[]', default: ['ThreadPoolExecutor'], description: 'constructors checked' },
  }),
  fakeRule('CL501', 'blocking-call-in-async', 'sync-in-async', {
    allowSleep: { type: 'boolean', default: false, description: 'allow time.sleep(0)' },
    mode: { type: 'string', default: 'strict', description: 'how eager' },
  }),
];

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory with the given files. */
function tree(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'conn-lint-config-')));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(name.endsWith('/') ? path : dirname(path), { recursive: true });
    if (!name.endsWith('/')) writeFileSync(path, text);
  }
  return root;
}

function load(cwd: string, configFile?: string): Config {
  return loadConfig({ cwd, configFile, rules: RULES });
}

/** The ConfigError message loading `text` as conn-lint.toml (or another file name) produces. */
function errorOf(text: string, name = 'conn-lint.toml'): ConfigError {
  const root = tree({ [name]: text });
  try {
    load(root);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
    return e;
  }
  assert.fail(`no error for:\n${text}`);
}

function messageOf(text: string, name?: string): string {
  return errorOf(text, name).message;
}

test('without a config file: the defaults, rooted at cwd, with every rule\'s option defaults', (t) => {
  const root = tree({ 'pkg/': '' });
  const cwd = join(root, 'pkg');
  const stray = findConfigFile(cwd);
  if (stray !== undefined) {
    t.skip(`a config file above the temp directory applies: ${stray}`);
    return;
  }
  const c = load(cwd);
  assert.equal(c.select, undefined);
  assert.equal(c.exclude, undefined);
  assert.equal(c.configFile, undefined);
  // Defaults are copies, not the shared constants.
  assert.notEqual(c.settings, DEFAULT_SETTINGS);
  assert.notEqual(c.ruleOptions.CL301.executors, RULES[2].options!.executors.default);
  assert.deepEqual(c, {
    root: cwd,
    extendSelect: [],
    ignore: [],
    perFileIgnores: {},
    extendExclude: [],
    respectGitignore: true,
    forceExclude: false,
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    settings: DEFAULT_SETTINGS,
    ruleOptions: {
      CL101: {},
      CL102: {},
      CL301: { maxWorkers: 32, executors: ['ThreadPoolExecutor'] },
      CL501: { allowSleep: false, mode: 'strict' },
    },
  });
});

test('discovery: conn-lint.toml, then .conn-lint.toml, then pyproject.toml with [tool.conn-lint], in one directory', () => {
  const pyproject = '[project]\nname = "x"\n[tool.conn-lint]\nselect = ["CL1"]\n';
  let root = tree({ 'conn-lint.toml': '', '.conn-lint.toml': '', 'pyproject.toml': pyproject });
  assert.equal(findConfigFile(root), join(root, 'conn-lint.toml'));
  root = tree({ '.conn-lint.toml': '', 'pyproject.toml': pyproject });
  assert.equal(findConfigFile(root), join(root, '.conn-lint.toml'));
  root = tree({ 'pyproject.toml': pyproject });
  assert.equal(findConfigFile(root), join(root, 'pyproject.toml'));
  const c = load(root);
  assert.equal(c.configFile, join(root, 'pyproject.toml'));
  assert.deepEqual(c.select, ['CL1']);
});

test('discovery walks up; the nearest directory wins; a pyproject.toml without our table is passed over', () => {
  const root = tree({
    'conn-lint.toml': 'select = ["CL3"]\n',
    'app/pyproject.toml': '[project]\nname = "app"\n[tool.ruff]\nline-length = 100\n',
    'app/src/pkg/': '',
    'lib/.conn-lint.toml': 'select = ["CL5"]\n',
    'lib/src/': '',
  });
  const fromApp = load(join(root, 'app', 'src', 'pkg'));
  assert.equal(fromApp.configFile, join(root, 'conn-lint.toml'));
  assert.equal(fromApp.root, root);
  assert.deepEqual(fromApp.select, ['CL3']);
  const fromLib = load(join(root, 'lib', 'src'));
  assert.equal(fromLib.root, join(root, 'lib'));
  assert.deepEqual(fromLib.select, ['CL5']);
});

test('discovery: a broken pyproject.toml that has a [tool.conn-lint] header is ours and its error is reported', () => {
  const root = tree({ 'pyproject.toml': '[tool.conn-lint]\nselect = ["CL1"\n', 'sub/': '' });
  assert.equal(findConfigFile(join(root, 'sub')), join(root, 'pyproject.toml'));
  assert.throws(() => load(join(root, 'sub')), /^Error: \.\.\/pyproject\.toml: TOML syntax error at line 3, column 1: /);
});

test('discovery: a pyproject.toml whose conn-lint header itself is broken, or that cannot be read, stops the run', () => {
  const broken = tree({ 'pyproject.toml': '[project]\nname = "x"\n[tool.conn-lint\nselect = ["CL1"]\n' });
  assert.equal(findConfigFile(broken), join(broken, 'pyproject.toml'));
  assert.throws(() => load(broken), /pyproject\.toml: TOML syntax error at line 3/);
  const dotted = tree({ 'pyproject.toml': 'tool.conn-lint.select = [\n' });
  assert.equal(findConfigFile(dotted), join(dotted, 'pyproject.toml'));
  // Another tool's broken table is not ours: the search goes on up.
  const other = tree({ 'pyproject.toml': '[tool.conn-linter\n', 'sub/': '' });
  assert.equal(findConfigFile(join(other, 'sub')), undefined);
  // (A pyproject.toml without read permission: test/cli.test.ts, which can run as another user.)
});

test('--config: a pyproject.toml is read under [tool.conn-lint], any other file at the top level', () => {
  const root = tree({
    'configs/pyproject.toml': '[tool.conn-lint]\nignore = ["CL102"]\n',
    'configs/strict.toml': 'select = ["ALL"]\n',
    'conn-lint.toml': 'select = ["CL1"]\n',
    'work/': '',
  });
  const cwd = join(root, 'work');
  const a = load(cwd, '../configs/pyproject.toml');
  assert.deepEqual(a.ignore, ['CL102']);
  assert.equal(a.root, join(root, 'configs'));
  assert.equal(a.configFile, join(root, 'configs', 'pyproject.toml'));
  const b = load(cwd, join(root, 'configs', 'strict.toml'));
  assert.deepEqual(b.select, ['ALL']);
  assert.equal(b.root, join(root, 'configs'));
});

test('--config: a pyproject.toml without [tool.conn-lint] is an error, with a hint for a near miss', () => {
  const root = tree({ 'a/pyproject.toml': '[project]\nname = "x"\n', 'b/pyproject.toml': '[tool.connlint]\nselect = []\n' });
  assert.throws(() => load(root, 'a/pyproject.toml'), { message: 'a/pyproject.toml: no [tool.conn-lint] table' });
  assert.throws(() => load(root, 'b/pyproject.toml'), {
    message: 'b/pyproject.toml: no [tool.conn-lint] table (found [tool.connlint]: did you mean [tool.conn-lint]?)',
  });
});

test('every key is read into the Config', () => {
  const root = tree({
    'pyproject.toml': `
[tool.conn-lint]
select = ["timeout", "CL3"]
extend-select = ["CL501"]
ignore = ["socket-without-timeout"]
exclude = ["generated"]
extend-exclude = ["*_pb2.py", "legacy/"]
respect-gitignore = false
max-file-size = 2_000_000
target-version = "py312"
blocking-calls = ["mylib.client.fetch", "legacy_sleep"]

[tool.conn-lint.per-file-ignores]
"tests/**/*.py" = ["CL1"]
"scripts/*" = ["ALL"]

[tool.conn-lint.fix]
requests-timeout = "(5, 60)"
timeout = "settings.HTTP_TIMEOUT"

[tool.conn-lint.rules.unbounded-executor]
max-workers = 64

[tool.conn-lint.rules.CL501]
allow_sleep = true
mode = "lenient"
`,
  });
  const c = load(root);
  assert.deepEqual(c, {
    root,
    configFile: join(root, 'pyproject.toml'),
    select: ['timeout', 'CL3'],
    extendSelect: ['CL501'],
    ignore: ['socket-without-timeout'],
    perFileIgnores: { 'tests/**/*.py': ['CL1'], 'scripts/*': ['ALL'] },
    exclude: ['generated'],
    extendExclude: ['*_pb2.py', 'legacy/'],
    respectGitignore: false,
    forceExclude: false,
    maxFileSize: 2_000_000,
    settings: {
      targetVersion: [3, 12],
      requestsTimeout: '(5, 60)',
      defaultTimeout: 'settings.HTTP_TIMEOUT',
      blockingCalls: ['mylib.client.fetch', 'legacy_sleep'],
    },
    ruleOptions: {
      CL101: {},
      CL102: {},
      CL301: { maxWorkers: 64, executors: ['ThreadPoolExecutor'] },
      CL501: { allowSleep: true, mode: 'lenient' },
    },
  });
});

test('target-version accepts "3.8" to "3.14" and "py38" to "py314"', () => {
  for (const [text, v] of [
    ['3.8', [3, 8]],
    ['3.10', [3, 10]],
    ['3.14', [3, 14]],
    ['py38', [3, 8]],
    ['py311', [3, 11]],
  ] as const) {
    const root = tree({ 'conn-lint.toml': `target-version = "${text}"\n` });
    assert.deepEqual(load(root).settings.targetVersion, v, text);
  }
  assert.equal(
    messageOf('target-version = "3.7"\n'),
    'conn-lint.toml: target-version: expected a Python version from 3.8 to 3.14, got "3.7"',
  );
  assert.equal(
    messageOf('target-version = "python3"\n'),
    'conn-lint.toml: target-version: expected a Python version such as "3.11" or "py311", got "python3"',
  );
  assert.equal(
    messageOf('target-version = 3.8\n'),
    'conn-lint.toml: target-version: expected a Python version as a string ("3.11" or "py311"), got float 3.8',
  );
});

test('[fix] timeouts also take numbers, and requests-timeout a [connect, read] pair', () => {
  const root = tree({ 'conn-lint.toml': '[fix]\nrequests-timeout = [3.05, 27]\ntimeout = 15\n' });
  const s = load(root).settings;
  assert.equal(s.requestsTimeout, '(3.05, 27)');
  assert.equal(s.defaultTimeout, '15');
  assert.equal(
    messageOf('[fix]\ntimeout = "(10"\n'),
    'conn-lint.toml: fix.timeout: expected a single-line Python expression with balanced brackets, got "(10"',
  );
  assert.equal(
    messageOf('[fix]\ntimeout = [1, 2]\n'),
    'conn-lint.toml: fix.timeout: expected a Python expression as a string ("10"), or a number, got an array',
  );
});

test('errors: a value of the wrong type names the key path and what was given', () => {
  assert.equal(
    messageOf('[tool.conn-lint]\nselect = 3\n', 'pyproject.toml'),
    'pyproject.toml: tool.conn-lint.select: expected an array of strings, got integer 3',
  );
  assert.equal(
    messageOf('select = ["CL1", 2.5]\n'),
    'conn-lint.toml: select[1]: expected a string, got float 2.5',
  );
  assert.equal(messageOf('respect-gitignore = "yes"\n'), 'conn-lint.toml: respect-gitignore: expected a boolean (true or false), got string "yes"');
  assert.equal(messageOf('max-file-size = 0\n'), 'conn-lint.toml: max-file-size: expected a positive integer (bytes), got integer 0');
  assert.equal(messageOf('max-file-size = 1.5\n'), 'conn-lint.toml: max-file-size: expected a positive integer (bytes), got float 1.5');
  assert.equal(messageOf('fix = "yes"\n'), 'conn-lint.toml: fix: expected a table, got string "yes"');
  assert.equal(messageOf('exclude = "build"\n'), 'conn-lint.toml: exclude: expected an array of strings, got string "build"');
  assert.equal(
    messageOf('[per-file-ignores]\n"tests/*.py" = "CL1"\n'),
    'conn-lint.toml: per-file-ignores."tests/*.py": expected an array of strings, got string "CL1"',
  );
  assert.equal(
    messageOf('blocking-calls = ["mylib.fetch()"]\n'),
    'conn-lint.toml: blocking-calls[0]: expected a dotted name such as "mylib.client.fetch", got "mylib.fetch()"',
  );
  assert.equal(
    messageOf('created = 2024-01-02T03:04:05Z\n'),
    'conn-lint.toml: unknown key "created"; expected one of: select, extend-select, ignore, per-file-ignores, exclude, extend-exclude, respect-gitignore, force-exclude, max-file-size, target-version, blocking-calls, fix, rules',
  );
});

test('errors: unknown keys, with the closest known key suggested', () => {
  assert.equal(messageOf('slect = ["CL1"]\n'), 'conn-lint.toml: unknown key "slect" (did you mean "select"?)');
  assert.equal(messageOf('extend_select = ["CL1"]\n'), 'conn-lint.toml: unknown key "extend_select" (did you mean "extend-select"?)');
  assert.equal(
    messageOf('[tool.conn-lint]\nrespect-gitingore = true\n', 'pyproject.toml'),
    'pyproject.toml: tool.conn-lint: unknown key "respect-gitingore" (did you mean "respect-gitignore"?)',
  );
  assert.equal(messageOf('[fix]\ntimout = "5"\n'), 'conn-lint.toml: fix: unknown key "timout" (did you mean "timeout"?)');
  assert.equal(
    messageOf('[tool.conn-lint]\nselect = ["CL1"]\n'),
    'conn-lint.toml: unknown key "tool" (this file takes the options at the top level; [tool.conn-lint] belongs in pyproject.toml)',
  );
});

test('errors: unknown rule selectors, with suggestions', () => {
  const e = errorOf('ignore = ["CL101", "requests-without-timeot"]\n');
  assert.equal(e.file, 'conn-lint.toml');
  assert.equal(e.key, 'ignore[1]');
  assert.match(e.message, /^conn-lint\.toml: ignore\[1\]: unknown rule selector "requests-without-timeot" \(did you mean "requests-without-timeout"\?\)/);
  assert.match(
    messageOf('[per-file-ignores]\n"tests/*" = ["CL9"]\n'),
    /^conn-lint\.toml: per-file-ignores\."tests\/\*"\[0\]: unknown rule selector "CL9"/,
  );
});

test('errors: [rules.X] tables — unknown rule, group selector, unknown option, wrong option type, duplicates', () => {
  assert.equal(
    messageOf('[rules.CL302]\nmax-workers = 1\n'),
    'conn-lint.toml: rules.CL302: unknown rule "CL302" (did you mean "CL102" or "CL301"?); expected a rule code (CL101) or name (requests-without-timeout)',
  );
  assert.equal(
    messageOf('[rules.timeout]\nx = 1\n'),
    'conn-lint.toml: rules.timeout: "timeout" is a selector for a group of rules (CL101, CL102); options belong to one rule, given by its code (CL101) or name (requests-without-timeout)',
  );
  assert.equal(
    messageOf('[rules.CL301]\nmax-worker = 8\n'),
    'conn-lint.toml: rules.CL301: unknown option "max-worker" for CL301 (unbounded-executor) (did you mean "max-workers"?)',
  );
  assert.equal(
    messageOf('[rules.CL301]\nfoo = 8\n'),
    'conn-lint.toml: rules.CL301: unknown option "foo" for CL301 (unbounded-executor); its options are: max-workers, executors',
  );
  assert.equal(
    messageOf('[rules.requests-without-timeout]\nfoo = 8\n'),
    'conn-lint.toml: rules.requests-without-timeout: unknown option "foo" for CL101 (requests-without-timeout); this rule has no options',
  );
  // The option is named as the user wrote it.
  assert.equal(
    messageOf('[rules.unbounded-executor]\nmax_workers = "many"\n'),
    'conn-lint.toml: rules.unbounded-executor.max_workers: expected a number, got string "many"',
  );
  assert.equal(
    messageOf('[rules.CL301]\nexecutors = ["A", 1]\n'),
    'conn-lint.toml: rules.CL301.executors[1]: expected a string, got integer 1',
  );
  assert.equal(
    messageOf('[rules.CL501]\nallowSleep = 1\n'),
    'conn-lint.toml: rules.CL501.allowSleep: expected a boolean (true or false), got integer 1',
  );
  assert.equal(messageOf('[rules]\nCL301 = 5\n'), 'conn-lint.toml: rules.CL301: expected a table, got integer 5');
  assert.equal(
    messageOf('[rules.CL301]\nmax-workers = 1\n[rules.unbounded-executor]\nmax-workers = 2\n'),
    'conn-lint.toml: rules.unbounded-executor: options for CL301 (unbounded-executor) are already given as [rules.CL301]',
  );
});

test('errors: TOML syntax errors give the line and column', () => {
  const e = errorOf('select = ["CL1"]\nignore = ["CL102"\nexclude = []\n');
  assert.equal(e.file, 'conn-lint.toml');
  assert.equal(e.key, undefined);
  assert.match(e.message, /^conn-lint\.toml: TOML syntax error at line 3, column \d+: /);
  assert.match(messageOf('select = ["CL1"]\nselect = ["CL3"]\n'), /^conn-lint\.toml: TOML syntax error at line 2, column 1: .*redefine/);
});

test('errors: a config file that cannot be read', () => {
  const root = tree({ 'dir.toml/': '' });
  assert.throws(() => load(root, 'missing.toml'), { message: 'missing.toml: cannot read config file: no such file' });
  assert.throws(() => load(root, 'dir.toml'), { message: 'dir.toml: cannot read config file: is a directory' });
});
