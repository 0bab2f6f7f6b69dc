// Which files a run looks at: the paths on the command line, directories walked, minus the
// default or configured exclusions, virtualenvs and what git ignores.
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { DEFAULT_EXCLUDE } from '../config/types.js';
import type { FileError } from '../types.js';
import { ioReason } from './errors.js';
import { GitignoreSource } from './gitignore.js';
import { languageOf } from './language.js';
import { isExcluded, isExcludedBy, patternLevel, relativeUnder, type PatternLevel } from './matcher.js';

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
  /** Named on the command line: linted whatever its extension or exclusion, as Python. */
  explicit: boolean;
}

/**
 * The files to lint under `paths` (relative to `cwd`; none means `cwd` itself), sorted by path and
 * each only once. Never throws: paths that do not exist and directories that cannot be read are
 * returned as errors.
 *
 * - A file named in `paths` is always included. A directory named in `paths` is always walked;
 *   exclusions apply to what is found inside it.
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
export function discoverFiles(
  paths: string[],
  cwd: string,
  opts: DiscoverOptions,
): { files: DiscoveredFile[]; errors: FileError[] } {
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
    try {
      st = statSync(abs);
    } catch (e) {
      this.errors.push({ path: abs, kind: 'io', message: argumentError(abs, e) });
      return;
    }
    let real: string;
    try {
      real = realpathSync.native(abs);
    } catch (e) {
      this.errors.push({ path: abs, kind: 'io', message: argumentError(abs, e) });
      return;
    }
    if (!st.isDirectory()) {
      // Named explicitly: linted whatever it is called (a FIFO from `<(…)` included).
      this.add(abs, real, true, false);
      return;
    }
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

  result(): { files: DiscoveredFile[]; errors: FileError[] } {
    const files = [...this.found.values()].map((f) => f.file).sort((a, b) => compare(a.path, b.path));
    const errors = this.errors.sort((a, b) => compare(a.path, b.path));
    return { files, errors };
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
  private add(path: string, real: string, explicit: boolean, viaLink: boolean): void {
    const prev = this.found.get(real);
    const better =
      !prev ||
      (explicit && !prev.file.explicit) ||
      (explicit === prev.file.explicit && !explicit && prev.viaLink && !viaLink);
    if (better) this.found.set(real, { file: { path, explicit }, viaLink });
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
