// Flags and sub-commands. No analysis here: everything goes through api.ts.
import { writeFileSync } from 'node:fs';
import { makeFolders } from './util/make-folders.js';
import path from 'node:path';
// yargs, the API (rules, parser, model) and the fixer load lazily, when a command needs them
// (issue 6: `--version` must not pay for them; a lint run does not load the fixer).
import type { LintOptions } from './api.js';
import { PathArgumentError } from './api-errors.js';
import { ConfigError } from './config/types.js';
import { SelectorError, findRule } from './engine/select.js';
import { FORMATTERS, FORMATS_WITH_ERRORS } from './report/index.js';
import { applyBaseline, BaselineError, pruneBaseline, readBaseline, writeBaseline } from './report/baseline.js';
import { formatErrors, summary, UNCHECKED_KINDS } from './report/text.js';
import { nearest } from './util/suggest.js';
import { describeIoError } from './util/io-error.js';
import { fixSummaryLine } from './fix/summary.js';
import { progressBar } from './engine/progress.js';
import { addTime, startTimings, takeTimings, timingsTable } from './engine/timings.js';
import { packageJson } from './package-root.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const VERSION: string = packageJson().version;

/** Thrown for bad usage: printed without a stack, exit 2. */
class UsageError extends Error {}

/** The sub-commands, for "did you mean" when a path that does not exist looks like a mistyped one. */
const COMMANDS = ['rule', 'rules', 'clean'];

/**
 * Exit code of a lint run: 2 when conn-lint itself failed on a file (a rule or internal error);
 * else 1 for findings, or for files that could not be read, decoded or parsed (unless
 * --ignore-parse-errors); --exit-zero turns those 1s into 0.
 */
export function exitCodeFor(findings: number, errors: readonly { kind: string }[], flags: { exitZero: boolean; ignoreParseErrors: boolean }): number {
  if (errors.some((e) => e.kind === 'rule' || e.kind === 'internal')) return EXIT_ERROR;
  if (flags.exitZero) return EXIT_OK;
  if (findings) return EXIT_FINDINGS;
  const unchecked = errors.some((e) => UNCHECKED_KINDS.has(e.kind as never));
  return unchecked && !flags.ignoreParseErrors ? EXIT_FINDINGS : EXIT_OK;
}

/** Why a path named on the command line cannot be linted, as the CLI says it (exit 2). */
function pathProblems(problems: ReadonlyArray<{ arg: string; reason: string; suggestion?: string }>): string {
  return problems
    .map((p) => {
      const command = !/[\\/.]/.test(p.arg) && p.reason === 'no such file or directory' ? nearest(p.arg, COMMANDS, 1)[0] : undefined;
      if (command) return `unknown command or path "${p.arg}": did you mean \`conn-lint ${command}\`? (no file or directory of that name either)`;
      return `cannot lint "${p.arg}": ${p.reason}${p.suggestion !== undefined ? ` (did you mean ${p.suggestion}?)` : ''}`;
    })
    .join('\nconn-lint: error: ');
}

/** A word as a POSIX shell reads it back: quoted only when it needs to be. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** Writes a report to -o FILE, creating its folder; a failure is a usage error, not a crash. */
function writeReport(file: string, report: string): void {
  try {
    makeFolders(path.dirname(path.resolve(file)));
    writeFileSync(file, report);
  } catch (e) {
    throw new UsageError(`cannot write the report to ${file}: ${describeIoError(e)}`);
  }
}

function list(values: unknown): string[] | undefined {
  if (values === undefined) return undefined;
  const arr = Array.isArray(values) ? values : [values];
  return arr.flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter(Boolean);
}

function workersOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--workers expects a whole number (0 = main thread only), got "${String(value)}"`);
  return n;
}

function useColor(stream: NodeJS.WriteStream, flag: string | undefined): boolean {
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return !!stream.isTTY;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  // Before anything else is loaded, so that every phase is counted (performance.now() starts with the process).
  const timings = argv.includes('--timings') || !!process.env.CONN_LINT_TIMINGS;
  if (timings) {
    startTimings();
    addTime('start-up: node and the bundle', performance.now());
  }
  const { default: yargs } = await import('yargs');
  const { lint, setup } = await import('./api.js');
  const parser = yargs(argv)
    .scriptName('conn-lint')
    .usage('$0 [PATH...] [options]\n\nFinds the code patterns behind connection, socket and thread-pool exhaustion in Python services.')
    .version(VERSION)
    .strict()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .command(
      'rule <id>',
      "Show a rule's documentation (by code or name)",
      (y) => y.positional('id', { type: 'string', demandOption: true, describe: 'CL101 or requests-without-timeout' }),
      async (args) => {
        const { loadRules } = await import('./engine/registry.js');
        const { ruleDocText } = await import('./rule-docs.js');
        const rules = await loadRules();
        const rule = findRule(String(args.id), rules);
        if (!rule) throw new UsageError(new SelectorError(String(args.id), []).message);
        process.stdout.write(ruleDocText(rule));
      },
    )
    .command(
      'rules',
      'List every rule with its category, severity and fix',
      (y) => y.option('config', { type: 'string', describe: 'Config file (to show which rules are enabled)' }),
      async (args) => {
        const s = await setup({ configFile: args.config as string | undefined });
        const { rulesTable } = await import('./rule-docs.js');
        process.stdout.write(rulesTable(s.rules, new Set(s.enabled.map((r) => r.code))));
      },
    )
    .command(
      'clean',
      'Remove the result cache of the project (.conn-lint-cache/)',
      (y) =>
        y
          .option('config', { type: 'string', describe: 'Config file (its directory is the project root)' })
          .option('cache-dir', { type: 'string', describe: 'A cache directory given to --cache-dir' }),
      async (args) => {
        const s = await setup({ configFile: args.config as string | undefined });
        const { cleanCache } = await import('./cache/store.js');
        const removed = cleanCache(s.config.root, args['cache-dir'] as string | undefined);
        process.stderr.write(removed.length ? removed.map((d) => `conn-lint: removed ${d}\n`).join('') : 'conn-lint: no cache to remove\n');
      },
    )
    .command(
      '$0 [paths..]',
      'Lint files and directories (default: the current directory)',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, describe: 'Files or directories to lint' })
          .option('format', {
            alias: 'output-format',
            type: 'string',
            default: 'text',
            describe: `Output format: ${Object.keys(FORMATTERS).join(', ')}`,
          })
          .option('output-file', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' })
          .option('baseline', { type: 'string', describe: 'Report only findings that are not in this baseline file' })
          .option('write-baseline', { type: 'string', describe: 'Record the current findings of the paths linted in this baseline file, keeping its other entries (exit 0)' })
          .option('prune-baseline', { type: 'boolean', default: false, describe: 'With --baseline: remove the entries whose findings are gone from the baseline file (adds nothing)' })
          .option('select', { type: 'string', requiresArg: true, describe: 'Rules to enable, comma-separated (codes, names, prefixes like CL1, categories, ALL); replaces the config' })
          .option('extend-select', { type: 'string', requiresArg: true, describe: 'Rules to enable on top of the selection, comma-separated' })
          .option('ignore', { type: 'string', requiresArg: true, describe: 'Rules to disable, comma-separated' })
          .option('config', { type: 'string', describe: 'Config file (pyproject.toml, conn-lint.toml); default: the nearest one' })
          .option('fix', { type: 'boolean', default: false, describe: 'Apply safe fixes to the files, then report what remains' })
          .option('unsafe-fixes', { type: 'boolean', default: false, describe: 'Also apply (with --fix, --diff) or count as fixable the fixes that may change behaviour' })
          .option('diff', { type: 'boolean', default: false, describe: 'Print a unified diff of what --fix would change and write nothing (exit 1 when there is a diff)' })
          .option('exit-zero', { type: 'boolean', default: false, describe: 'Exit 0 even when there are findings or files that could not be checked' })
          .option('ignore-parse-errors', { type: 'boolean', default: false, describe: 'Files that cannot be read, decoded or parsed are still reported, but do not fail the run' })
          .option('force-exclude', { type: 'boolean', describe: 'Apply the exclusions to files named on the command line too (pre-commit, editors); default: the config\'s force-exclude' })
          .option('cache', { type: 'boolean', default: true, describe: 'Use the result cache (--no-cache to disable)' })
          .option('cache-dir', { type: 'string', describe: 'Result cache directory (default: .conn-lint-cache/ in the project root; env CONN_LINT_CACHE_DIR)' })
          .option('workers', { alias: 'threads', type: 'number', describe: 'Worker threads (default: one per core, none for small runs; 0 = lint on the main thread)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print findings only: no summary, no source excerpts' })
          .option('show-source', { type: 'boolean', describe: 'Show a source excerpt under each finding (default: when stdout is a terminal)' })
          .option('color', { type: 'string', choices: ['auto', 'always', 'never'], default: 'auto', describe: 'Colored output' })
          .option('prefilter', { type: 'boolean', default: true, hidden: true, describe: 'Skip files with none of the rules\' trigger words' })
          .option('timings', { type: 'boolean', default: false, describe: 'Print where the run\'s time went, by phase and rule, on stderr (also CONN_LINT_TIMINGS=1)' }),
      async (args) => {
        const format = String(args.format);
        const formatter = FORMATTERS[format];
        if (!formatter) throw new UsageError(`unknown format "${format}"; expected one of: ${Object.keys(FORMATTERS).join(', ')}`);
        const options: LintOptions = {
          configFile: args.config as string | undefined,
          select: list(args.select),
          extendSelect: list(args['extend-select']),
          ignore: list(args.ignore),
          noPrefilter: args.prefilter === false,
          cache: args.cache !== false,
          cacheDir: args['cache-dir'] as string | undefined,
          workers: workersOption(args.workers),
          forceExclude: args['force-exclude'] as boolean | undefined,
        };
        const flags = { exitZero: !!args['exit-zero'], ignoreParseErrors: !!args['ignore-parse-errors'] };
        const unsafeFixes = !!args['unsafe-fixes'];
        const diffMode = !!args.diff;
        if (args.fix || diffMode) options.fix = { unsafe: unsafeFixes, write: !diffMode, diff: diffMode };
        const baselineFile = args.baseline as string | undefined;
        if (args['prune-baseline'] && baselineFile === undefined) throw new UsageError('--prune-baseline needs --baseline FILE: the baseline to prune');
        // With --write-baseline the baseline is being (re)written, so it is not read (it may not exist yet).
        const baseline = baselineFile !== undefined && args['write-baseline'] === undefined ? readBaseline(baselineFile, process.cwd()) : undefined;
        const progress = progressBar(process.stderr);
        options.onProgress = (done, total) => progress.update(done, total);
        const results = await lint((args.paths as string[] | undefined) ?? [], options).finally(() => progress.end());
        const { parserBackend } = await import('./lang/python/tree.js');
        const parser = parserBackend();
        if (parser.backend === 'binding' && !process.env.CONN_LINT_PARSER) {
          process.stderr.write(
            `conn-lint: warning: the native parser (native/py_tree.c) is not built (${parser.reason}); linted with ` +
              "tree-sitter's Node binding, several times slower. Rebuild it with `npm rebuild conn-lint` where a C compiler is available.\n",
          );
        }
        if (results.files === 0 && !args.quiet) {
          process.stderr.write(`conn-lint: warning: no Python files found in ${((args.paths as string[] | undefined) ?? ['.']).join(', ')}\n`);
        }
        for (const n of results.fixes?.notWritten ?? []) {
          process.stderr.write(`conn-lint: ${diffMode ? 'would not fix' : 'not fixed'}: ${n.path}: ${n.reason}\n`);
        }
        const writeBaselineFile = args['write-baseline'] as string | undefined;
        if (writeBaselineFile !== undefined && !diffMode) {
          const u = writeBaseline(writeBaselineFile, results.diagnostics, process.cwd(), results.scope);
          const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
          process.stderr.write(
            u.kept || u.removed
              ? `conn-lint: updated the baseline ${writeBaselineFile}: kept ${u.kept}, added ${u.added}, removed ${u.removed} (${plural(u.total, 'entry', 'entries')})\n`
              : `conn-lint: wrote ${plural(u.added, 'finding', 'findings')} to the baseline ${writeBaselineFile}\n`,
          );
          if (results.errors.length) process.stderr.write(formatErrors(results.errors, useColor(process.stderr, args.color as string)) + '\n');
          exitCode = exitCodeFor(0, results.errors, { exitZero: true, ignoreParseErrors: true });
          return;
        }
        if (baseline && baselineFile !== undefined) {
          const all = results.diagnostics;
          const b = applyBaseline(all, baseline, baselineFile, process.cwd(), results.scope);
          results.diagnostics = b.diagnostics;
          const entries = (n: number) => `${n} baseline entr${n === 1 ? 'y' : 'ies'}`;
          if (args['prune-baseline']) {
            const p = pruneBaseline(all, baselineFile, process.cwd(), results.scope);
            process.stderr.write(`conn-lint: pruned ${entries(p.pruned)} whose findings are gone from ${baselineFile} (${p.total} left)\n`);
          } else if (!args.quiet && (b.matched || b.stale)) {
            const again = [...((args.paths as string[] | undefined) ?? []), '--baseline', baselineFile, '--prune-baseline'].map(shellWord).join(' ');
            process.stderr.write(
              `conn-lint: ${b.matched} finding${b.matched === 1 ? '' : 's'} in the baseline not shown` +
                (b.stale ? `; ${entries(b.stale)} ${b.stale === 1 ? 'is' : 'are'} stale (the finding is gone: fixed, or its code changed); remove ${b.stale === 1 ? 'it' : 'them'} with \`conn-lint ${again}\`` : '') +
                '\n',
            );
          }
        }
        if (diffMode && results.fixes) {
          // Only the diff on stdout, so it can be piped to `git apply`; counts and errors on stderr.
          process.stdout.write(results.fixes.diffs.join(''));
          if (results.errors.length) process.stderr.write(formatErrors(results.errors, useColor(process.stderr, args.color as string)) + '\n');
          if (results.fixes.fixed || results.fixes.dropped) {
            process.stderr.write(fixSummaryLine(results.fixes, results.diagnostics.length, true) + '\n');
          }
          exitCode = exitCodeFor(results.fixes.diffs.length, results.errors, flags);
          return;
        }
        const reportStart = performance.now();
        const toFile = args['output-file'] as string | undefined;
        const color = !toFile && useColor(process.stdout, args.color as string);
        const report = formatter({
          diagnostics: results.diagnostics,
          errors: results.errors,
          rules: results.rules,
          files: results.files,
          cwd: process.cwd(),
          showSource: !toFile && !args.quiet && ((args['show-source'] as boolean | undefined) ?? !!process.stdout.isTTY),
          color,
          unsafeFixes,
          warn: (message) => process.stderr.write(`conn-lint: ${message}\n`),
        });
        if (toFile) writeReport(toFile, report);
        else process.stdout.write(report);
        if (results.errors.length && !FORMATS_WITH_ERRORS.has(format)) {
          process.stderr.write(formatErrors(results.errors, useColor(process.stderr, args.color as string)) + '\n');
        }
        if (results.fixes) {
          const line = fixSummaryLine(results.fixes, results.diagnostics.length, false) + '\n';
          if (format === 'text' && !toFile) process.stdout.write(line);
          else process.stderr.write(line);
        }
        if (format === 'text' && !args.quiet && !toFile && (!results.fixes || results.diagnostics.length || results.errors.length)) {
          process.stdout.write(summary(results.diagnostics, results.errors, results.files, { unsafeFixes }) + '\n');
        }
        exitCode = exitCodeFor(results.diagnostics.length, results.errors, flags);
        if (timings) {
          addTime('report', performance.now() - reportStart);
          const { lastThreadCount } = await import('./engine/pool.js');
          process.stderr.write(timingsTable(takeTimings() ?? {}, performance.now(), lastThreadCount));
        }
      },
    )
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .help()
    .alias('help', 'h');

  try {
    await parser.parseAsync();
    return exitCode;
  } catch (e) {
    if (e instanceof PathArgumentError) {
      process.stderr.write(`conn-lint: error: ${pathProblems(e.problems)}\n`);
      return EXIT_ERROR;
    }
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof SelectorError || e instanceof BaselineError) {
      process.stderr.write(`conn-lint: error: ${e.message}\n`);
      if (e instanceof UsageError) process.stderr.write('Run `conn-lint --help` for usage.\n');
      return EXIT_ERROR;
    }
    process.stderr.write(`conn-lint: internal error: ${(e as Error)?.stack ?? e}\n`);
    return EXIT_ERROR;
  }
}

export async function run(): Promise<void> {
  // `conn-lint --version` alone: answered before loading yargs and everything else.
  if (process.argv.length === 3 && process.argv[2] === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const { hideBin } = await import('yargs/helpers');
  const code = await main(hideBin(process.argv));
  // Let stdout drain before exiting (large reports through a pipe).
  process.exitCode = code;
}
