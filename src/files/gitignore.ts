// .gitignore files and .git/info/exclude, read once each, as pattern levels for the walk.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { FileError } from '../types.js';
import { patternLevel, type PatternLevel } from './matcher.js';
import { ioReason } from './errors.js';

export class GitignoreSource {
  private readonly repoRoots = new Map<string, string | null>();
  private readonly levels = new Map<string, PatternLevel | null>();

  constructor(private readonly onError: (error: FileError) => void) {}

  /** The nearest directory at or above `dir` that holds a `.git` (directory or gitdir file). */
  repoRoot(dir: string): string | undefined {
    const seen: string[] = [];
    let d = dir;
    let found: string | null = null;
    for (;;) {
      const cached = this.repoRoots.get(d);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      seen.push(d);
      if (exists(join(d, '.git'))) {
        found = d;
        break;
      }
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
    for (const s of seen) this.repoRoots.set(s, found);
    return found ?? undefined;
  }

  /**
   * The levels that apply inside `dir` from above it: the repository's info/exclude, then the
   * .gitignore files from the repository root (or, outside a repository, from `boundary`) down
   * to the parent of `dir`. `dir`'s own .gitignore is left to the walk, which sees it listed.
   */
  ancestorLevels(dir: string, boundary: string): PatternLevel[] {
    const root = this.repoRoot(dir);
    const out: PatternLevel[] = [];
    if (root !== undefined) {
      const info = this.infoExclude(root);
      if (info) out.push(info);
    }
    const top = root ?? boundary;
    const chain: string[] = [];
    for (let d = dirname(dir), prev = dir; d !== prev && isWithin(top, d); prev = d, d = dirname(d)) {
      chain.push(d);
    }
    for (const d of chain.reverse()) {
      const level = this.gitignoreOf(d);
      if (level) out.push(level);
    }
    return out;
  }

  /** Levels for a repository nested inside the walk (a submodule or a vendored checkout). */
  repoLevels(root: string): PatternLevel[] {
    this.repoRoots.set(root, root);
    const info = this.infoExclude(root);
    return info ? [info] : [];
  }

  /** The patterns of `dir/.gitignore`, or undefined if there is none. */
  gitignoreOf(dir: string): PatternLevel | undefined {
    return this.cached(dir, join(dir, '.gitignore'), dir);
  }

  private infoExclude(root: string): PatternLevel | undefined {
    const gitDir = resolveGitDir(join(root, '.git'));
    if (!gitDir) return undefined;
    return this.cached(`${root}\0info`, join(gitDir, 'info', 'exclude'), root);
  }

  private cached(key: string, file: string, base: string): PatternLevel | undefined {
    const hit = this.levels.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let level: PatternLevel | null = null;
    try {
      const text = readFileSync(file, 'utf8');
      level = patternLevel(base, text);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') {
        this.onError({ path: file, kind: 'io', message: `cannot read ignore file: ${ioReason(e)}` });
      }
    }
    this.levels.set(key, level);
    return level ?? undefined;
  }
}

/**
 * The git directory behind a `.git` entry: the directory itself, or where a `gitdir:` file
 * (worktrees, submodules) points; for a worktree, its common directory holds info/exclude.
 */
function resolveGitDir(dotGit: string): string | undefined {
  let st;
  try {
    st = statSync(dotGit, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!st) return undefined;
  if (st.isDirectory()) return dotGit;
  try {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!m) return undefined;
    const gitDir = isAbsolute(m[1]) ? m[1] : resolve(dirname(dotGit), m[1]);
    try {
      const common = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
      if (common) return isAbsolute(common) ? common : resolve(gitDir, common);
    } catch {
      // not a worktree
    }
    return gitDir;
  } catch {
    return undefined;
  }
}

function exists(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

function isWithin(top: string, d: string): boolean {
  return d === top || d.startsWith(top.endsWith(sep) ? top : top + sep);
}
