// lint(paths, options) → results: what the CLI and the tests call. Resolves config and rules,
// finds files, lints each one, and returns findings with paths relative to the cwd.
import { describeIoError } from './util/io-error.js';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, FileError, FileResult, Rule } from './types.js';
import type { Config } from './config/types.js';
import { loadConfig } from './config/load.js';
import { discoverFiles } from './files/discover.js';
import { PathArgumentError } from './api-errors.js';

export { PathArgumentError } from './api-errors.js';
import { loadRules } from './engine/registry.js';
import { resolveSelection } from './engine/select.js';
import { lintBytes, type FileLintOptions } from './engine/run.js';
import { perFileIgnores } from './engine/per-file-ignores.js';
import { moduleLocation } from './lang/python/module-name.js';
// The fixer (fix/file.js) is loaded only by a --fix run.
import { addFileFix, newFixSummary, type FixMode, type FixSummary } from './fix/summary.js';
import { addTime, timed } from './engine/timings.js';

export interface LintOptions {
  cwd?: string;
  configFile?: string;
  /** Selectors from the command line; `select` replaces the config's. */
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  /** Skip the trigger-word prefilter (for testing that it never changes results). */
  noPrefilter?: boolean;
  /** `--fix` / `--diff`: apply fixes (write or diff) and report what is left. */
  fix?: FixMode;
  /** Use the result cache (default false here; the CLI sets it unless --no-cache; `--fix` never uses it). */
  cache?: boolean;
  /** Where the cache lives (default: `.conn-lint-cache/` in the project root). */
  cacheDir?: string;
  /** Worker threads: undefined = by cores and amount of work, 0 = main thread only. */
  workers?: number;
  /** Called as files are done (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
  /** Apply the exclusions to files named in `paths` too (default: the config's `force-exclude`). */
  forceExclude?: boolean;
}

export interface LintResults {
  diagnostics: Diagnostic[];
  errors: FileError[];
  /** Number of files looked at. */
  files: number;
  config: Config;
  rules: Rule[];
  enabled: Rule[];
  /** With `options.fix`: what was fixed (diagnostics then hold what remains). */
  fixes?: FixSummary;
  /** What the run looked at (absolute paths), for baselines: only entries inside it can be stale. */
  scope: { files: string[]; dirs: string[]; rules: string[] };
}

export interface LintSetup {
  config: Config;
  rules: Rule[];
  enabled: Rule[];
  cwd: string;
}

/** Config and rule selection for a run; throws ConfigError / SelectorError on bad input. */
export async function setup(options: LintOptions = {}): Promise<LintSetup> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const rules = await loadRules();
  const config = loadConfig({ configFile: options.configFile, cwd, rules });
  const enabled = resolveSelection(
    {
      select: options.select?.length ? options.select : config.select,
      extendSelect: [...config.extendSelect, ...(options.extendSelect ?? [])],
      ignore: [...config.ignore, ...(options.ignore ?? [])],
    },
    rules,
  );
  return { config, rules, enabled, cwd };
}

export async function lint(paths: string[], options: LintOptions = {}): Promise<LintResults> {
  const configStart = performance.now();
  const s = await setup(options);
  addTime('config and rules', performance.now() - configStart);
  const { config, enabled, cwd } = s;
  const targets = paths.length ? paths : ['.'];
  const found = timed('discovery', () =>
    discoverFiles(targets, cwd, {
      root: config.root,
      exclude: config.exclude,
      extendExclude: config.extendExclude,
      respectGitignore: config.respectGitignore,
    }),
  );
  if (found.argumentErrors.length) throw new PathArgumentError(found.argumentErrors);
  const forceExclude = options.forceExclude ?? config.forceExclude;
  // pre-commit and editors name files one by one; with force-exclude the config still decides.
  const files = forceExclude ? found.files.filter((f) => f.excluded === undefined) : found.files;
  const errors: FileError[] = [...found.errors];
  const diagnostics: Diagnostic[] = [];
  const ignoresFor = perFileIgnores(config.perFileIgnores, config.root, s.rules);
  const base: FileLintOptions = {
    rules: enabled,
    ruleOptions: config.ruleOptions,
    settings: config.settings,
    prefilter: !options.noPrefilter,
  };
  const fixes = options.fix ? newFixSummary() : undefined;
  if (!options.fix) {
    // Through the result cache and the worker pool (engine/pool.ts, cache/): in file order.
    const { lintWithCache } = await import('./cache/cached-lint.js');
    const jobs = files.map((f) => ({ path: f.path, location: moduleLocation(f.path), disabled: [...(ignoresFor(f.path) ?? [])], checkSyntax: f.explicit }));
    const run = { enabled: enabled.map((r) => r.code), ruleOptions: config.ruleOptions, settings: config.settings, prefilter: !options.noPrefilter, maxFileSize: config.maxFileSize };
    const opts = { cache: options.cache, cacheDir: options.cacheDir, root: config.root, workers: options.workers, onProgress: options.onProgress };
    for (const result of await lintWithCache(jobs, enabled, run, opts)) {
      for (const d of result.diagnostics) diagnostics.push({ ...d, path: displayPath(d.path, cwd) });
      for (const e of result.errors) errors.push({ ...e, path: displayPath(e.path, cwd) });
    }
  }
  const { fixFile } = options.fix ? await import('./fix/file.js') : { fixFile: undefined };
  for (const file of options.fix ? files : []) {
    let result: FileResult;
    // A fix writes only files the config includes and that lie inside the paths asked for.
    const notWritable = file.readOnly ?? (file.excluded !== undefined ? `it is ${file.excluded.replace(/^matched/, 'excluded: matched')}; it was linted because it was named, but is not fixed (--force-exclude skips it)` : undefined);
    if (notWritable !== undefined && fixes) {
      fixes.notWritten.push({ path: displayPath(file.path, cwd), reason: notWritable });
      result = lintFile(file.path, { ...base, checkSyntax: file.explicit }, config.maxFileSize, ignoresFor(file.path));
    } else if (options.fix && fixes && fixFile) {
      const mode = options.fix;
      const fixed = timed('fix', () => fixFile(file.path, { ...base, disabled: ignoresFor(file.path), location: moduleLocation(file.path), checkSyntax: file.explicit }, config.maxFileSize, {
        ...mode,
        diffPath: mode.diff ? displayPath(file.path, cwd) : undefined,
      }));
      addFileFix(fixes, fixed, displayPath(file.path, cwd));
      result = fixed;
    } else result = lintFile(file.path, { ...base, checkSyntax: file.explicit }, config.maxFileSize, ignoresFor(file.path));
    for (const d of result.diagnostics) diagnostics.push({ ...d, path: displayPath(d.path, cwd) });
    for (const e of result.errors) errors.push({ ...e, path: displayPath(e.path, cwd) });
  }
  const scope = { files: files.map((f) => f.path), dirs: targets.map((t) => path.resolve(cwd, t)).filter(isDirectory), rules: enabled.map((r) => r.code) };
  return { diagnostics, errors: errors.map((e) => ({ ...e, path: displayPath(e.path, cwd) })), files: files.length, ...s, ...(fixes ? { fixes } : {}), scope };
}

/** Reads and lints one file from disk; I/O problems become errors, never exceptions. */
export function lintFile(absPath: string, base: FileLintOptions, maxFileSize: number, disabled?: ReadonlySet<string>): FileResult {
  let bytes: Buffer;
  try {
    const st = statSync(absPath);
    if (st.size > maxFileSize) {
      return {
        path: absPath,
        diagnostics: [],
        errors: [{ path: absPath, kind: 'too-large', message: `file is ${formatSize(st.size)}, over the ${formatSize(maxFileSize)} limit (max-file-size); skipped` }],
      };
    }
    bytes = readFileSync(absPath);
  } catch (e) {
    return { path: absPath, diagnostics: [], errors: [{ path: absPath, kind: 'io', message: `cannot read file: ${describeIoError(e)}` }] };
  }
  try {
    return lintBytes(absPath, bytes, { ...base, disabled, location: moduleLocation(absPath) });
  } catch (e) {
    return { path: absPath, diagnostics: [], errors: [{ path: absPath, kind: 'internal', message: `internal error: ${(e as Error).stack ?? e}` }] };
  }
}

export function displayPath(p: string, cwd: string): string {
  if (!path.isAbsolute(p)) return p.split(path.sep).join('/');
  const rel = path.relative(cwd, p);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p).split(path.sep).join('/');
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
