// Loading the configuration: find the file, parse it, check every key, merge over the defaults.
import { basename, dirname, relative, resolve } from 'node:path';
import { findRule, matchSelector, SelectorError } from '../engine/select.js';
import type { GlobalSettings, Rule, RuleOption, RuleOptions } from '../types.js';
import { findConfigFile } from './find.js';
import { parseToml, readConfigText, type TomlTable, type TomlValue } from './toml.js';
import { closest, normalizeKey, ValueChecker, type KeyPath } from './values.js';
import { ConfigError, DEFAULT_MAX_FILE_SIZE, DEFAULT_SETTINGS, type Config } from './types.js';

export { findConfigFile, CONFIG_FILE_NAMES } from './find.js';

export interface LoadConfigOptions {
  /** `--config FILE`, relative to cwd: used instead of searching. */
  configFile?: string;
  cwd: string;
  /** Every known rule: selectors and `[rules.X]` tables are checked against them. */
  rules: readonly Rule[];
}

/** Top-level keys, in the order `unknown key` lists them. */
export const CONFIG_KEYS = [
  'select',
  'extend-select',
  'ignore',
  'per-file-ignores',
  'exclude',
  'extend-exclude',
  'respect-gitignore',
  'force-exclude',
  'max-file-size',
  'target-version',
  'blocking-calls',
  'fix',
  'rules',
] as const;

export const FIX_KEYS = ['requests-timeout', 'timeout'] as const;

export const MIN_TARGET_VERSION: [number, number] = [3, 8];
export const MAX_TARGET_VERSION: [number, number] = [3, 14];

/**
 * The configuration for a run from `cwd`: the `--config` file, or the one found walking up from
 * `cwd`, or the defaults. Throws ConfigError for unreadable files, TOML syntax errors, unknown
 * keys, values of the wrong type and unknown rule selectors.
 */
export function loadConfig(opts: LoadConfigOptions): Config {
  const cwd = resolve(opts.cwd);
  const explicit = opts.configFile !== undefined;
  const file = explicit ? resolve(cwd, opts.configFile!) : findConfigFile(cwd);
  const config = defaultConfig(cwd, opts.rules);
  if (file === undefined) return config;

  const display = displayPath(file, cwd);
  const doc = parseToml(readConfigText(file, display), display);
  let table: TomlTable;
  let checker: ValueChecker;
  if (basename(file) === 'pyproject.toml') {
    const top = new ValueChecker(display, []);
    const tool = doc.tool === undefined ? undefined : top.table(doc.tool, ['tool']);
    const ours = tool?.['conn-lint'];
    if (ours === undefined) {
      const near = tool ? closest('conn-lint', Object.keys(tool)) : undefined;
      throw new ConfigError(
        display,
        undefined,
        'no [tool.conn-lint] table' + (near ? ` (found [tool.${near}]: did you mean [tool.conn-lint]?)` : ''),
      );
    }
    table = top.table(ours, ['tool', 'conn-lint']);
    checker = new ValueChecker(display, ['tool', 'conn-lint']);
  } else {
    table = doc;
    checker = new ValueChecker(display, []);
  }

  config.root = dirname(file);
  config.configFile = file;
  applyTable(config, table, checker, opts.rules);
  return config;
}

/** What a run uses without any config file. */
export function defaultConfig(cwd: string, rules: readonly Rule[]): Config {
  return {
    root: resolve(cwd),
    extendSelect: [],
    ignore: [],
    perFileIgnores: {},
    extendExclude: [],
    respectGitignore: true,
    forceExclude: false,
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    settings: defaultSettings(),
    ruleOptions: Object.fromEntries(rules.map((r) => [r.code, ruleDefaults(r)])),
  };
}

function defaultSettings(): GlobalSettings {
  return {
    ...DEFAULT_SETTINGS,
    targetVersion: [...DEFAULT_SETTINGS.targetVersion],
    blockingCalls: [...DEFAULT_SETTINGS.blockingCalls],
  };
}

function ruleDefaults(rule: Rule): RuleOptions {
  const out: RuleOptions = {};
  for (const [name, opt] of Object.entries(rule.options ?? {})) {
    out[name] = Array.isArray(opt.default) ? [...opt.default] : opt.default;
  }
  return out;
}

function applyTable(config: Config, table: TomlTable, c: ValueChecker, rules: readonly Rule[]): void {
  const isToolTable = c.prefix.length > 0;
  c.knownKeys(table, CONFIG_KEYS, [], (key) =>
    key === 'tool' && !isToolTable
      ? `this file takes the options at the top level; [tool.conn-lint] belongs in pyproject.toml`
      : undefined,
  );
  const v = (key: string): TomlValue | undefined => table[key];

  if (v('select') !== undefined) config.select = selectors(v('select')!, ['select'], c, rules);
  if (v('extend-select') !== undefined) config.extendSelect = selectors(v('extend-select')!, ['extend-select'], c, rules);
  if (v('ignore') !== undefined) config.ignore = selectors(v('ignore')!, ['ignore'], c, rules);
  if (v('per-file-ignores') !== undefined) {
    const t = c.table(v('per-file-ignores')!, ['per-file-ignores']);
    config.perFileIgnores = Object.fromEntries(
      Object.entries(t).map(([glob, sel]) => {
        if (!glob.trim()) c.fail(['per-file-ignores'], 'a glob must not be empty');
        return [glob, selectors(sel, ['per-file-ignores', glob], c, rules)];
      }),
    );
  }
  if (v('exclude') !== undefined) config.exclude = globs(v('exclude')!, ['exclude'], c);
  if (v('extend-exclude') !== undefined) config.extendExclude = globs(v('extend-exclude')!, ['extend-exclude'], c);
  if (v('respect-gitignore') !== undefined) config.respectGitignore = c.boolean(v('respect-gitignore')!, ['respect-gitignore']);
  if (v('force-exclude') !== undefined) config.forceExclude = c.boolean(v('force-exclude')!, ['force-exclude']);
  if (v('max-file-size') !== undefined) config.maxFileSize = c.positiveInteger(v('max-file-size')!, ['max-file-size'], 'bytes');
  if (v('target-version') !== undefined) config.settings.targetVersion = targetVersion(v('target-version')!, c);
  if (v('blocking-calls') !== undefined) config.settings.blockingCalls = dottedNames(v('blocking-calls')!, ['blocking-calls'], c);
  if (v('fix') !== undefined) {
    const fix = c.table(v('fix')!, ['fix']);
    c.knownKeys(fix, FIX_KEYS, ['fix']);
    if (fix['requests-timeout'] !== undefined) {
      config.settings.requestsTimeout = timeoutExpression(fix['requests-timeout'], ['fix', 'requests-timeout'], c, true);
    }
    if (fix.timeout !== undefined) config.settings.defaultTimeout = timeoutExpression(fix.timeout, ['fix', 'timeout'], c, false);
  }
  if (v('rules') !== undefined) ruleTables(config, c.table(v('rules')!, ['rules']), c, rules);
}

function selectors(value: TomlValue, path: KeyPath, c: ValueChecker, rules: readonly Rule[]): string[] {
  const list = c.stringArray(value, path);
  list.forEach((s, i) => {
    try {
      matchSelector(s, rules);
    } catch (e) {
      if (e instanceof SelectorError) c.fail([...path, i], e.message);
      throw e;
    }
  });
  return list;
}

function globs(value: TomlValue, path: KeyPath, c: ValueChecker): string[] {
  const list = c.stringArray(value, path);
  list.forEach((g, i) => {
    if (!g.trim()) c.fail([...path, i], 'a glob must not be empty');
  });
  return list;
}

const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function dottedNames(value: TomlValue, path: KeyPath, c: ValueChecker): string[] {
  const list = c.stringArray(value, path);
  list.forEach((name, i) => {
    if (!DOTTED_NAME.test(name)) {
      c.fail([...path, i], `expected a dotted name such as "mylib.client.fetch", got ${JSON.stringify(name)}`);
    }
  });
  return list;
}

/** "3.11", "py311" (also "3.11" written as py3.11 or 311) → [3, 11], within the supported range. */
export function parseTargetVersion(text: string): [number, number] | undefined {
  const m = /^(?:py)?3\.?(\d{1,2})$/i.exec(text.trim());
  if (!m) return undefined;
  return [3, Number(m[1])];
}

function targetVersion(value: TomlValue, c: ValueChecker): [number, number] {
  const range = `${MIN_TARGET_VERSION.join('.')} to ${MAX_TARGET_VERSION.join('.')}`;
  if (typeof value !== 'string') {
    c.expected(['target-version'], `a Python version as a string ("3.11" or "py311")`, value);
  }
  const parsed = parseTargetVersion(value);
  if (!parsed) c.fail(['target-version'], `expected a Python version such as "3.11" or "py311", got ${JSON.stringify(value)}`);
  if (parsed[1] < MIN_TARGET_VERSION[1] || parsed[1] > MAX_TARGET_VERSION[1]) {
    c.fail(['target-version'], `expected a Python version from ${range}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/**
 * The timeout expression a fix inserts: a string of Python (`"(3.05, 27)"`, `"settings.TIMEOUT"`),
 * or a number; for requests also a `[connect, read]` pair, written as a tuple.
 */
function timeoutExpression(value: TomlValue, path: KeyPath, c: ValueChecker, pairAllowed: boolean): string {
  const what = pairAllowed
    ? 'a Python expression as a string ("(3.05, 27)"), a number, or a [connect, read] pair of numbers'
    : 'a Python expression as a string ("10"), or a number';
  if (typeof value === 'bigint' || typeof value === 'number') return String(c.number(value, path));
  if (Array.isArray(value) && pairAllowed) {
    if (value.length !== 2 || !value.every((x) => typeof x === 'bigint' || typeof x === 'number')) c.expected(path, what, value);
    return `(${value.map((x, i) => String(c.number(x, [...path, i]))).join(', ')})`;
  }
  if (typeof value !== 'string') c.expected(path, what, value);
  const text = value.trim();
  if (!text || /[\r\n]/.test(text) || !balanced(text)) {
    c.fail(path, `expected a single-line Python expression with balanced brackets, got ${JSON.stringify(value)}`);
  }
  return text;
}

function balanced(text: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return !quote && stack.length === 0;
}

function ruleTables(config: Config, table: TomlTable, c: ValueChecker, rules: readonly Rule[]): void {
  const seenAs = new Map<string, string>();
  for (const [ref, body] of Object.entries(table)) {
    const rule = findRule(ref, rules);
    if (!rule) {
      let detail: string;
      try {
        const hits = matchSelector(ref, rules);
        const codes = hits.map((r) => r.code);
        detail =
          `${JSON.stringify(ref)} is a selector for a group of rules (${codes.slice(0, 4).join(', ')}${codes.length > 4 ? ', ...' : ''}); ` +
          'options belong to one rule, given by its code (CL101) or name (requests-without-timeout)';
      } catch (e) {
        if (!(e instanceof SelectorError)) throw e;
        detail =
          `unknown rule ${JSON.stringify(ref)}` +
          (e.suggestions.length ? ` (did you mean ${e.suggestions.map((s) => JSON.stringify(s)).join(' or ')}?)` : '') +
          '; expected a rule code (CL101) or name (requests-without-timeout)';
      }
      c.fail(['rules', ref], detail);
    }
    const previous = seenAs.get(rule.code);
    if (previous !== undefined) {
      c.fail(['rules', ref], `options for ${rule.code} (${rule.name}) are already given as [rules.${previous}]`);
    }
    seenAs.set(rule.code, ref);
    const options = c.table(body, ['rules', ref]);
    const declared = rule.options ?? {};
    const names = Object.keys(declared);
    const merged = config.ruleOptions[rule.code] ?? ruleDefaults(rule);
    for (const [key, value] of Object.entries(options)) {
      const name = names.find((n) => n === key) ?? names.find((n) => normalizeKey(n) === normalizeKey(key));
      if (name === undefined) {
        const near = closest(key, names.map(kebab));
        c.fail(
          ['rules', ref],
          `unknown option ${JSON.stringify(key)} for ${rule.code} (${rule.name})` +
            (near
              ? ` (did you mean ${JSON.stringify(near)}?)`
              : names.length
                ? `; its options are: ${names.map(kebab).join(', ')}`
                : '; this rule has no options'),
        );
      }
      merged[name] = optionValue(declared[name], value, ['rules', ref, key], c);
    }
    config.ruleOptions[rule.code] = merged;
  }
}

function optionValue(option: RuleOption, value: TomlValue, path: KeyPath, c: ValueChecker): RuleOptions[string] {
  switch (option.type) {
    case 'number':
      return c.number(value, path);
    case 'string':
      return c.string(value, path);
    case 'boolean':
      return c.boolean(value, path);
    case 'string[]':
      return c.stringArray(value, path);
  }
}

/** `maxWorkers` / `max_workers` → `max-workers`, the spelling config files use. */
function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
}

/** The config file as users see it: relative to cwd when that is shorter. */
function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && rel.length < file.length ? rel : file;
}
