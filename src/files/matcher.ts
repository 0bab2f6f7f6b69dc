// Gitignore-style pattern sets anchored at a directory, judged one path at a time as a walk
// reaches it (like git and ripgrep), so a directory the walk was told to enter (named on the
// command line, or re-included by a deeper `!pattern`) does not pass an ancestor's exclusion
// on to everything under it.
import { sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Patterns and the directory they are relative to. */
export interface PatternLevel {
  /** Absolute directory the patterns are relative to. */
  readonly base: string;
  readonly ig: Ignore;
}

export function patternLevel(base: string, patterns: readonly string[] | string): PatternLevel {
  return { base, ig: ignore({ ignorecase: CASE_INSENSITIVE_FS }).add(patterns as string | string[]) };
}

/** Git's core.ignorecase default follows the file system: off on Linux, on for macOS and Windows. */
const CASE_INSENSITIVE_FS = process.platform === 'darwin' || process.platform === 'win32';

const toPosix = sep === '/' ? (p: string) => p : (p: string) => p.split(sep).join('/');

/** `abs` relative to `base` in posix form, or undefined if `abs` is not strictly under `base`. */
export function relativeUnder(base: string, abs: string): string | undefined {
  const prefix = base.endsWith(sep) ? base : base + sep;
  if (abs.length <= prefix.length || !abs.startsWith(prefix)) return undefined;
  return toPosix(abs.slice(prefix.length));
}

/**
 * What one pattern set says about a path (posix, relative to its base; directories are tested
 * as "dir/"): true = excluded, false = re-included by a `!pattern`, undefined = no pattern matches
 * the path itself. Only the path itself is judged: the walk has already ruled on its parents.
 */
export function verdict(ig: Ignore, rel: string): boolean | undefined {
  const r = testOne(ig, rel);
  return r.ignored ? true : r.unignored ? false : undefined;
}

interface OneResult {
  ignored: boolean;
  unignored: boolean;
}

type RuleSet = { test(path: string, mode: string): OneResult };

/**
 * `Ignore.test` also applies what a pattern says about each parent directory, which is right for
 * a flat list of paths and wrong for a walk that entered a directory on purpose (named on the
 * command line, or re-included by a deeper .gitignore). ignore@7 judges one path alone in its rule
 * set's `test(path, 'regex')`; that is not public API, so it is used only if it behaves as
 * expected on a probe, and otherwise the public `test` is used with parent inheritance discounted.
 */
const testOne: (ig: Ignore, rel: string) => OneResult = (() => {
  const ruleSet = (ig: Ignore): RuleSet | undefined => {
    const rules = (ig as unknown as { _rules?: RuleSet })._rules;
    return rules && typeof rules.test === 'function' ? rules : undefined;
  };
  const probe = ignore().add(['build', '!keep.py', '/top/']);
  const probeRules = ruleSet(probe);
  let works = false;
  try {
    works =
      probeRules !== undefined &&
      probeRules.test('build/', 'regex').ignored === true &&
      probeRules.test('x/build/', 'regex').ignored === true &&
      probeRules.test('build/dist/', 'regex').ignored === false &&
      probeRules.test('build/keep.py', 'regex').unignored === true &&
      probeRules.test('top/', 'regex').ignored === true &&
      probeRules.test('x/top/', 'regex').ignored === false;
  } catch {
    works = false;
  }
  if (works) {
    return (ig, rel) => {
      const rules = ruleSet(ig);
      return rules ? rules.test(rel, 'regex') : fallback(ig, rel);
    };
  }
  return fallback;
})();

/** With the public API: when a parent is excluded, the path's answer is inherited, so undecided. */
function fallback(ig: Ignore, rel: string): OneResult {
  const end = rel.endsWith('/') ? rel.length - 2 : rel.length - 1;
  const cut = rel.lastIndexOf('/', end);
  if (cut > 0 && ig.test(rel.slice(0, cut + 1)).ignored) return { ignored: false, unignored: false };
  return ig.test(rel);
}

/**
 * Whether `abs` is excluded by the levels, the last (deepest) level that has an opinion deciding,
 * as git does with nested .gitignore files.
 */
export function isExcluded(levels: readonly PatternLevel[], abs: string, isDir: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const v = levelVerdict(levels[i], abs, isDir);
    if (v !== undefined) return v;
  }
  return false;
}

/** Whether one level excludes `abs`. */
export function isExcludedBy(level: PatternLevel, abs: string, isDir: boolean): boolean {
  return levelVerdict(level, abs, isDir) === true;
}

function levelVerdict(level: PatternLevel, abs: string, isDir: boolean): boolean | undefined {
  const rel = relativeUnder(level.base, abs);
  if (rel === undefined) return undefined;
  return verdict(level.ig, isDir ? rel + '/' : rel);
}
