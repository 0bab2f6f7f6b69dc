// Lints a run's files through the result cache: files whose (size, mtime) or content hash match
// the cache are answered from it, the rest go to the pool, and what they give is stored back.
import { readFileSync, statSync } from 'node:fs';
import type { FileResult, Rule } from '../types.js';
import { hashBytes, type FileJob, type RunSettings } from '../engine/file-job.js';
import { lintJobs, type PoolOptions } from '../engine/pool.js';
import { ResultCache, cacheDirFor, connLintVersion } from './store.js';
import { addTime, count, timingsOn } from '../engine/timings.js';

export interface CachedLintOptions extends PoolOptions {
  /** Use the cache (default false for API callers; the CLI turns it on unless --no-cache). */
  cache?: boolean;
  /** The project root the cache lives under. */
  root: string;
  /** `--cache-dir`. */
  cacheDir?: string;
  /** Filled in: how many files the cache answered and how many were linted. */
  stats?: { cached: number; linted: number };
}

/** Lints the jobs, in order; each job's result, with absolute paths. */
export async function lintWithCache(
  jobs: readonly FileJob[],
  rules: readonly Rule[],
  run: RunSettings,
  opts: CachedLintOptions,
): Promise<FileResult[]> {
  const lookupStart = timingsOn() ? performance.now() : 0;
  const results: FileResult[] = new Array(jobs.length);
  const sizes: number[] = new Array(jobs.length).fill(0);
  const stats: Array<FileJob['stat']> = new Array(jobs.length);
  const useCache = opts.cache === true;
  const cache = useCache
    ? ResultCache.open(cacheDirFor(opts.root, opts.cacheDir), {
        version: connLintVersion(),
        enabled: run.enabled,
        ruleOptions: run.ruleOptions,
        settings: run.settings,
      })
    : undefined;
  const contexts = jobs.map((j) => contextOf(j));

  const todo: number[] = [];
  for (let i = 0; i < jobs.length; i++) {
    let size = 0;
    let mtimeMs = 0;
    try {
      const st = statSync(jobs[i].path);
      size = st.size;
      mtimeMs = st.mtimeMs;
    } catch {
      todo.push(i); // the job reports why it cannot be read
      continue;
    }
    sizes[i] = size;
    // The job need not stat the file again.
    stats[i] = { size, mtimeMs };
    if (!cache || size > run.maxFileSize) {
      todo.push(i);
      continue;
    }
    const hit = cache.lookup(jobs[i].path, size, mtimeMs, contexts[i]);
    if (hit.kind === 'hit') {
      results[i] = hit.result;
      continue;
    }
    if (hit.kind === 'verify') {
      try {
        const readAt = Date.now();
        const bytes = readFileSync(jobs[i].path);
        const confirmed = cache.confirm(jobs[i].path, hashBytes(bytes), bytes.length, mtimeMs, readAt);
        if (confirmed) {
          results[i] = confirmed;
          continue;
        }
      } catch {
        // fall through: the job reports it
      }
    }
    todo.push(i);
  }

  const done = jobs.length - todo.length;
  count('files', done);
  count('cached', done);
  if (lookupStart) addTime('cache lookup', performance.now() - lookupStart);
  const lintStart = timingsOn() ? performance.now() : 0;
  if (opts.stats) {
    opts.stats.cached = done;
    opts.stats.linted = todo.length;
  }
  const outcomes = await lintJobs(
    todo.map((i) => (stats[i] ? { ...jobs[i], stat: stats[i] } : jobs[i])),
    todo.map((i) => sizes[i]),
    rules,
    { ...run, stamp: cache !== undefined, timings: timingsOn() },
    {
      workers: opts.workers,
      onProgress: opts.onProgress && ((n, _total) => opts.onProgress!(done + n, jobs.length)),
    },
  );
  if (lintStart) addTime('linting (wall)', performance.now() - lintStart);
  const saveStart = timingsOn() ? performance.now() : 0;
  todo.forEach((i, k) => {
    const { result, stamp } = outcomes[k];
    results[i] = result;
    if (cache && stamp && !result.errors.some((e) => e.kind === 'internal')) cache.store(jobs[i].path, stamp, contexts[i], result);
  });
  cache?.save();
  if (saveStart) addTime('cache save', performance.now() - saveStart);
  return results;
}

/** What a file's result depends on besides its bytes and the run: its module name, per-file-ignores, syntax check. */
function contextOf(job: FileJob): string {
  return JSON.stringify([job.location.moduleName ?? null, !!job.location.isPackage, [...(job.disabled ?? [])].sort(), !!job.checkSyntax]);
}
