// The result cache: per project, one file per run configuration (conn-lint build, enabled rules,
// their options, settings) mapping each linted file to its findings, keyed by the file's content
// hash and checked first by (size, mtime) so a warm run hashes nothing.
//
// Safe by construction rather than by locks: the cache file is written to a temporary name and
// renamed over the old one, so a reader sees a whole file or the previous one; two runs at once
// just race to write (the last one wins, the other's new entries are lost and redone next time).
// A file that does not parse or has the wrong shape is treated as empty.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { packageJson } from '../package-root.js';
import { makeFolders } from '../util/make-folders.js';
import type { Diagnostic, FileError, FileResult, GlobalSettings, RuleOptions } from '../types.js';

/** Bump when the cache file layout or the meaning of an entry changes. */
const FORMAT = 1;
export const CACHE_DIR_NAME = '.conn-lint-cache';
/** An entry not used for this long is dropped when the cache is saved. */
const MAX_AGE_DAYS = 30;
/** An mtime this close to when the file was read is not trusted (a write in the same tick). */
const RACY_MS = 2000;

interface Entry {
  /** size, mtimeMs, readAt (ms), sha256 of the bytes */
  s: number;
  m: number;
  r: number;
  h: string;
  /** What besides the bytes the result depends on: module location, per-file-ignores. */
  c: string;
  /** Diagnostics and errors as the linter gave them (key order kept: it shows in JSON output). */
  d: Diagnostic[];
  e: FileError[];
  /** Day (since the epoch) the entry was last used. */
  t: number;
}

interface CacheFile {
  format: number;
  key: string;
  files: Record<string, Entry>;
}

export interface RunIdentity {
  version: string;
  enabled: readonly string[];
  ruleOptions: Record<string, RuleOptions>;
  settings: GlobalSettings;
}

export type Lookup =
  | { kind: 'hit'; result: FileResult }
  /** Same size, different or untrusted mtime: hash the bytes and call `confirm`. */
  | { kind: 'verify' }
  | { kind: 'miss' };

const today = () => Math.floor(Date.now() / 86_400_000);

export class ResultCache {
  private files: Record<string, Entry> = {};
  private dirty = false;

  private constructor(
    readonly dir: string,
    readonly key: string,
  ) {}

  /** Opens (or starts) the cache for a run; never throws. */
  static open(dir: string, identity: RunIdentity): ResultCache {
    const cache = new ResultCache(dir, runKey(identity));
    try {
      const data = JSON.parse(readFileSync(cache.file, 'utf8')) as CacheFile;
      if (data && data.format === FORMAT && data.key === cache.key && data.files && typeof data.files === 'object') {
        cache.files = data.files;
      }
    } catch {
      // missing or corrupt: start empty
    }
    return cache;
  }

  get file(): string {
    return path.join(this.dir, `results-${this.key.slice(0, 20)}.json`);
  }

  lookup(absPath: string, size: number, mtimeMs: number, context: string): Lookup {
    const e = this.files[absPath];
    if (!valid(e) || e.c !== context || e.s !== size) return { kind: 'miss' };
    if (e.m === mtimeMs && e.m < e.r - RACY_MS) return { kind: 'hit', result: this.use(absPath, e) };
    return { kind: 'verify' };
  }

  /** After a 'verify': the bytes hash to `hash`; a hit if they are the ones cached. */
  confirm(absPath: string, hash: string, size: number, mtimeMs: number, readAt: number): FileResult | undefined {
    const e = this.files[absPath];
    if (!valid(e) || e.h !== hash || e.s !== size) return undefined;
    e.m = mtimeMs;
    e.r = readAt;
    this.dirty = true;
    return this.use(absPath, e);
  }

  store(absPath: string, stamp: { size: number; mtimeMs: number; readAt: number; hash: string }, context: string, result: FileResult): void {
    this.files[absPath] = {
      s: stamp.size,
      m: stamp.mtimeMs,
      r: stamp.readAt,
      h: stamp.hash,
      c: context,
      d: result.diagnostics,
      e: result.errors,
      t: today(),
    };
    this.dirty = true;
  }

  /** Writes the cache if anything changed; a cache that cannot be written is silently skipped. */
  save(): void {
    if (!this.dirty) return;
    const oldest = today() - MAX_AGE_DAYS;
    const files: Record<string, Entry> = {};
    for (const [p, e] of Object.entries(this.files)) if (valid(e) && e.t >= oldest) files[p] = e;
    const data: CacheFile = { format: FORMAT, key: this.key, files };
    const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      prepareDir(this.dir);
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing written
      }
    }
  }

  private use(absPath: string, e: Entry): FileResult {
    if (e.t !== today()) {
      e.t = today();
      this.dirty = true;
    }
    return {
      path: absPath,
      diagnostics: e.d.map((d) => ({ ...d, path: absPath })),
      errors: e.e.map((x) => ({ ...x, path: absPath })),
    };
  }
}

function valid(e: Entry | undefined): e is Entry {
  return (
    !!e &&
    typeof e.s === 'number' &&
    typeof e.m === 'number' &&
    typeof e.r === 'number' &&
    typeof e.h === 'string' &&
    typeof e.c === 'string' &&
    typeof e.t === 'number' &&
    Array.isArray(e.d) &&
    Array.isArray(e.e)
  );
}

function prepareDir(dir: string): void {
  if (existsSync(dir)) return;
  makeFolders(dir);
  // A directory conn-lint made: keep it out of git and out of backups.
  writeFileSync(path.join(dir, '.gitignore'), '# Created by conn-lint automatically.\n*\n');
  writeFileSync(
    path.join(dir, 'CACHEDIR.TAG'),
    'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by conn-lint.\n# For information about cache directory tags, see https://bford.info/cachedir/\n',
  );
}

// ---- where the cache lives -------------------------------------------------------------------

/**
 * The cache directory of a project: `$CONN_LINT_CACHE_DIR`, else `.conn-lint-cache/` in the
 * project root when it exists or the root is writable, else a folder for this root under the
 * user's cache directory.
 */
export function cacheDirFor(root: string, explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  const env = process.env.CONN_LINT_CACHE_DIR;
  if (env) return path.resolve(env);
  const local = path.join(root, CACHE_DIR_NAME);
  if (existsSync(local)) return local;
  try {
    accessSync(root, constants.W_OK);
    return local;
  } catch {
    return userCacheDirFor(root);
  }
}

export function userCacheDirFor(root: string): string {
  const id = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16);
  return path.join(userCacheHome(), 'conn-lint', id);
}

function userCacheHome(): string {
  if (process.platform === 'win32') return process.env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Caches');
  return process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
}

/** Removes the cache directories of a project; returns the ones that existed. */
export function cleanCache(root: string, explicit?: string): string[] {
  const dirs = new Set([path.join(root, CACHE_DIR_NAME), userCacheDirFor(root), cacheDirFor(root, explicit)]);
  const removed: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    // Only what conn-lint made: a directory carrying its tag (a CONN_LINT_CACHE_DIR may be shared).
    if (!existsSync(path.join(dir, 'CACHEDIR.TAG'))) {
      for (const f of safeList(dir)) if (/^results-[0-9a-f]+\.json/.test(f)) rmSync(path.join(dir, f), { force: true });
      removed.push(dir);
      continue;
    }
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

// ---- the run key -----------------------------------------------------------------------------

/** Everything besides a file's own bytes and context that its result depends on. */
export function runKey(id: RunIdentity): string {
  const enabled = [...id.enabled].sort();
  const options = Object.fromEntries(enabled.map((c) => [c, sortKeys(id.ruleOptions[c] ?? {})]));
  const data = { format: FORMAT, version: id.version, build: buildFingerprint(), enabled, options, settings: sortKeys(id.settings) };
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

/** conn-lint's version, from its package.json. */
export function connLintVersion(): string {
  try {
    return packageJson().version;
  } catch {
    return '?';
  }
}

let fingerprint: string | undefined;
let buildFiles: string[] | undefined;

/** For the bundled CLI: fingerprint these files (the bundles) instead of dist/src and dist/rules. */
export function useBuildFiles(files: string[]): void {
  buildFiles = files;
  fingerprint = undefined;
}

/**
 * The compiled engine and rules (names and contents) and the parser's versions: a rebuilt rule or
 * an upgraded grammar must not reuse results, even at the same conn-lint version. Contents, not
 * mtimes: a rebuild that changes nothing (tsc rewrites every file) keeps the cache.
 */
export function buildFingerprint(): string {
  if (fingerprint) return fingerprint;
  const h = createHash('sha256');
  const dist = fileURLToPath(new URL('../../', import.meta.url));
  for (const f of buildFiles ?? []) h.update(`${path.basename(f)}\0`).update(readFileSync(f)).update('\0');
  for (const sub of buildFiles ? [] : ['src', 'rules']) {
    const stack = [path.join(dist, sub)];
    while (stack.length) {
      const dir = stack.pop()!;
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        continue;
      }
      for (const name of names) {
        const p = path.join(dir, name);
        if (name.endsWith('.js')) {
          try {
            h.update(`${path.relative(dist, p)}\0`).update(readFileSync(p)).update('\0');
          } catch {
            // vanished
          }
        } else if (!name.includes('.')) stack.push(p);
      }
    }
  }
  const require = createRequire(import.meta.url);
  for (const pkg of ['tree-sitter', 'tree-sitter-python']) {
    try {
      h.update(`${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}\n`);
    } catch {
      h.update(`${pkg}@?\n`);
    }
  }
  fingerprint = h.digest('hex');
  return fingerprint;
}
