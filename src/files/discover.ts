// Which files a run looks at: the paths on the command line, directories walked, minus the
// default or configured exclusions, virtualenvs and what git ignores.
import { existsSync, lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';
import { DEFAULT_EXCLUDE } from '../config/types.js';
import type { FileError } from '../types.js';
import { ioReason } from './errors.js';
import { GitignoreSource } from './gitignore.js';
import { languageOf } from './language.js';
import { isExcluded, isExcludedBy, patternLevel, relativeUnder, type PatternLevel } from './matcher.js';
import { nearest } from '../util/suggest.js';

export { languageOf } from './language.js';
export type { Language } from './language.js';

export interface DiscoverOptions {
  /** The project root (the config file's directory): exclude patterns are relative to it. */
  root: string;
  /** Replaces DEFAULT_EXCLUDE when given. */
  exclude?: string[];
  extendExclude: string[];
  respectGitignore: boolean;
}

export interface DiscoveredFile {
  /** Absolute and normalized; the path as reached (through symlinks), not the real path. */
  path: string;
  /** Named on the command line: linted whatever its extension, as Python. */
  explicit: boolean;
  /**
   * For a file named on the command line that a walk would have skipped: why (the exclude setting,
   * .gitignore, a virtualenv). The caller decides: `--force-exclude` drops it, `--fix` never writes it.
   */
  excluded?: string;
  /**
   * Why `--fix` must not write this file although it is linted: it is reached through a symbolic
   * link that leads outside every path named on the command line (or into an excluded folder).
   */
  readOnly?: string;
}

/** A path named on the command line that cannot be linted at all: a usage error, not a file error. */
export interface ArgumentError {
  /** As typed. */
  arg: string;
  path: string;
  /** "no such file or directory", "permission denied", ... */
  reason: string;
  /** A name next to it that the user may have meant (`src` for `scr`), relative like `arg`. */
  suggestion?: string;
}

export interface Discovered {
  files: DiscoveredFile[];
  /** Directories that could not be read during a walk, and the like. */
  errors: FileError[];
  /** Paths named on the command line that do not exist or cannot be accessed. */
  argumentErrors: ArgumentError[];
}

/**
 * The files to lint under `paths` (relative to `cwd`; none means `cwd` itself), sorted by path and
 * each only once. Never throws: paths that do not exist are returned as argument errors, and
 * directories that cannot be read as errors.
 *
 * - A file named in `paths` is always included, marked `excluded` when a walk would have skipped
 *   it. A directory named in `paths` is always walked; exclusions apply to what is found inside it.
 * - In a walk: `.py` and `.pyi` files; not entries matched by the exclude patterns (gitignore
 *   syntax, relative to `opts.root`, or to the walked argument when it lies outside the root),
 *   not directories holding a `pyvenv.cfg` (virtualenvs), never `.git`; with `respectGitignore`,
 *   not what .gitignore files (from the repository root down, nested ones for their subtree,
 *   negations included) and .git/info/exclude ignore. Outside a git repository, .gitignore files
 *   from `opts.root` (when the walked directory is inside it) down are still honoured.
 * - Symlinks are followed, broken ones skipped silently. A directory is entered once by real path,
 *   so loops end; symlinked directories are entered after the real tree, so a file reachable both
 *   ways is listed under its path without links.
 */
export function discoverFiles(paths: string[], cwd: string, opts: DiscoverOptions): Discovered {
  const walker = new Walker(resolve(cwd), opts);
  for (const p of paths.length ? paths : ['.']) {
    try {
      walker.visitArgument(p);
    } catch (e) {
      // Not expected: every file system call that can fail is handled where it is made.
      walker.internalError(p, e);
    }
  }
  try {
    walker.followLinks();
  } catch (e) {
    walker.internalError('.', e);
  }
  return walker.result();
}

class Walker {
  private readonly root: string;
  private readonly excludes: PatternLevel;
  private readonly git: GitignoreSource | undefined;
  /** Real path of a file → what was found, and whether a symlink was on the way. */
  private readonly found = new Map<string, { file: DiscoveredFile; viaLink: boolean }>();
  /**
   * Symlinked directories met in the walks, entered only after every real directory has been:
   * what a link leads to is listed under its real path when the walk reaches that too.
   */
  private readonly links: Array<{ path: string; excludes: PatternLevel; levels: PatternLevel[] }> = [];
  /** Real paths of the directories entered. */
  private readonly visited = new Set<string>();
  private readonly errors: FileError[] = [];
  private readonly argumentErrors: ArgumentError[] = [];
  /** Real paths of the directories named on the command line, and of the folders of named files. */
  private readonly roots: string[] = [];

  constructor(
    private readonly cwd: string,
    opts: DiscoverOptions,
  ) {
    this.root = resolve(cwd, opts.root);
    this.excludes = patternLevel(this.root, [...(opts.exclude ?? DEFAULT_EXCLUDE), ...opts.extendExclude]);
    this.git = opts.respectGitignore ? new GitignoreSource((e) => this.errors.push(e)) : undefined;
  }

  visitArgument(arg: string): void {
    const abs = resolve(this.cwd, arg);
    let st;
    let real: string;
    try {
      st = statSync(abs);
      real = realpathSync.native(abs);
    } catch (e) {
      this.argumentErrors.push({ arg, path: abs, reason: argumentError(abs, e), suggestion: suggestSibling(arg, this.cwd) });
      return;
    }
    if (!st.isDirectory()) {
      // Named explicitly: linted whatever it is called (a FIFO from `<(…)` included).
      this.roots.push(realOrSelf(dirname(abs)));
      this.add(abs, real, true, false, this.exclusionOf(abs));
      return;
    }
    this.roots.push(real);
    if (this.visited.has(real)) return;
    this.visited.add(real);
    // Exclude patterns are relative to the root; a directory outside it gets its own anchor.
    const excludes =
      abs === this.root || relativeUnder(this.root, abs) !== undefined
        ? this.excludes
        : { base: abs, ig: this.excludes.ig };
    const gitLevels = this.git ? this.git.ancestorLevels(abs, this.gitBoundary(abs)) : [];
    this.walk(abs, real, excludes, gitLevels, true, false);
  }

  /** Enters the symlinked directories the walks met (and those met in them) not entered yet. */
  followLinks(): void {
    for (let i = 0; i < this.links.length; i++) {
      const { path, excludes, levels } = this.links[i];
      let real: string;
      try {
        real = realpathSync.native(path);
      } catch {
        continue; // vanished or looping link
      }
      if (this.visited.has(real)) continue;
      this.visited.add(real);
      this.walk(path, real, excludes, levels, false, true);
    }
  }

  internalError(arg: string, e: unknown): void {
    this.errors.push({ path: resolve(this.cwd, arg), kind: 'internal', message: `file discovery failed: ${(e as Error)?.stack ?? e}` });
  }

  result(): Discovered {
    for (const [real, { file }] of this.found) {
      if (real === file.path) continue;
      // Reached through a link: fixes may write only where the user pointed conn-lint.
      if (!this.roots.some((r) => real === r || relativeUnder(r, real) !== undefined)) {
        file.readOnly = `it is a symbolic link to ${real}, outside the paths being linted`;
      } else {
        const why = relativeUnder(this.root, real) !== undefined ? this.exclusionOf(real) : undefined;
        if (why) file.readOnly = `it is a symbolic link to ${real}, which is ${why.replace(/^matched/, 'excluded: matched')}`;
      }
    }
    const files = [...this.found.values()].map((f) => f.file).sort((a, b) => compare(a.path, b.path));
    const errors = this.errors.sort((a, b) => compare(a.path, b.path));
    return { files, errors, argumentErrors: this.argumentErrors };
  }

  /**
   * Why a walk would have skipped the file `abs` (named on the command line), judging it and each
   * directory above it up to the project root, as a walk from the root would reach them.
   */
  private exclusionOf(abs: string): string | undefined {
    const inRoot = relativeUnder(this.root, abs) !== undefined;
    const chain: string[] = [abs];
    if (inRoot) for (let d = dirname(abs); d !== this.root && d !== dirname(d); d = dirname(d)) chain.push(d);
    chain.reverse();
    // Outside the root the patterns are anchored at the file's own folder, as for a walked argument.
    const excludes = inRoot ? this.excludes : { base: dirname(abs), ig: this.excludes.ig };
    for (const [i, p] of chain.entries()) {
      const isDir = i < chain.length - 1;
      if (isExcludedBy(excludes, p, isDir)) return `matched by the exclude settings (${relativeUnder(excludes.base, p) ?? basename(p)}${isDir ? '/' : ''})`;
      if (this.git && isExcluded(this.git.ancestorLevels(p, this.gitBoundary(p)), p, isDir)) return 'ignored by git (.gitignore)';
      if (isDir && existsSync(join(p, 'pyvenv.cfg'))) return `inside a virtualenv (${relativeUnder(excludes.base, p) ?? basename(p)}/)`;
    }
    return undefined;
  }

  /** Outside a repository, .gitignore files count from the project root down, if dir is in it. */
  private gitBoundary(dir: string): string {
    return dir === this.root || relativeUnder(this.root, dir) !== undefined ? this.root : dir;
  }

  private walk(
    dir: string,
    real: string,
    excludes: PatternLevel,
    parentLevels: PatternLevel[],
    top: boolean,
    viaLink: boolean,
  ): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      this.errors.push({ path: dir, kind: 'io', message: `cannot read directory: ${ioReason(e)}` });
      return;
    }
    let levels = parentLevels;
    if (this.git) {
      let hasGitignore = false;
      let hasGit = false;
      for (const e of entries) {
        if (e.name === '.gitignore') hasGitignore = true;
        else if (e.name === '.git') hasGit = true;
        else if (e.name === 'pyvenv.cfg' && !top) return;
      }
      // A repository nested in the walk (submodule, vendored checkout) has its own ignore rules.
      if (hasGit && !top) levels = this.git.repoLevels(dir);
      if (hasGitignore) {
        const own = this.git.gitignoreOf(dir);
        if (own) levels = [...levels, own];
      }
    } else if (!top && entries.some((e) => e.name === 'pyvenv.cfg')) {
      return;
    }
    entries.sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) {
      const name = entry.name;
      const path = dir.endsWith(sep) ? dir + name : dir + sep + name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      const isLink = entry.isSymbolicLink();
      if (isLink) {
        const st = statOrUndefined(path);
        if (!st) continue; // broken or looping link
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir) {
        if (name === '.git') continue;
        if (this.excluded(excludes, levels, path, true)) continue;
        if (isLink) {
          this.links.push({ path, excludes, levels });
          continue;
        }
        const childReal = join(real, name);
        if (this.visited.has(childReal)) continue;
        this.visited.add(childReal);
        this.walk(path, childReal, excludes, levels, false, viaLink);
      } else if (isFile) {
        if (languageOf(name) === null) continue;
        if (this.excluded(excludes, levels, path, false)) continue;
        let fileReal: string;
        if (isLink) {
          try {
            fileReal = realpathSync.native(path);
          } catch {
            continue;
          }
        } else {
          fileReal = join(real, name);
        }
        this.add(path, fileReal, false, viaLink || isLink);
      }
    }
  }

  /** Config exclusions and git's levels each exclude on their own; a `!pattern` in one does not undo the other. */
  private excluded(excludes: PatternLevel, levels: readonly PatternLevel[], path: string, isDir: boolean): boolean {
    return isExcludedBy(excludes, path, isDir) || (levels.length > 0 && isExcluded(levels, path, isDir));
  }

  /** One entry per real file: named on the command line first, then reached without a symlink. */
  private add(path: string, real: string, explicit: boolean, viaLink: boolean, excluded?: string): void {
    const prev = this.found.get(real);
    const better =
      !prev ||
      (explicit && !prev.file.explicit) ||
      (explicit === prev.file.explicit && !explicit && prev.viaLink && !viaLink);
    if (better) this.found.set(real, { file: excluded ? { path, explicit, excluded } : { path, explicit }, viaLink });
  }
}

function argumentError(abs: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    let link;
    try {
      link = lstatSync(abs, { throwIfNoEntry: false });
    } catch {
      link = undefined;
    }
    return link?.isSymbolicLink() ? 'broken symbolic link' : 'no such file or directory';
  }
  return `cannot access path: ${ioReason(e)}`;
}

/**
 * `src/app.py` for a mistyped `scr/app.py`: the first part of the path that does not exist, replaced
 * by the nearest name in its folder, when the whole corrected path exists.
 */
function suggestSibling(arg: string, cwd: string): string | undefined {
  const absolute = isAbsolute(arg);
  const base = absolute ? parse(resolve(arg)).root : cwd;
  const parts = arg.split(/[\\/]+/).filter((p) => p !== '');
  const trailing = /[\\/]$/.test(arg) ? '/' : '';
  let dir = base;
  for (let i = 0; i < parts.length; i++) {
    const next = join(dir, parts[i]);
    if (parts[i] === '.' || parts[i] === '..' || existsSync(next)) {
      dir = next;
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return undefined;
    }
    const near = nearest(parts[i], names.filter((n) => !n.startsWith('.')), 1)[0];
    if (near === undefined) return undefined;
    const fixed = [...parts.slice(0, i), near, ...parts.slice(i + 1)];
    if (!existsSync(join(base, ...fixed))) return undefined;
    return (absolute ? base : '') + fixed.join('/') + trailing;
  }
  return undefined;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
