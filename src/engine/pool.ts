// Runs file jobs on worker threads (piscina), or on the main thread when the run is too small to
// pay for starting workers. Each worker gets the whole job list once and takes files from it one
// at a time through a counter in shared memory, biggest first: no round trip to the main thread
// per file or batch (those left each worker idle ~15% of a standard-library run), and no thread
// is left with a big file at the end. Results are put back in the order of the jobs, so the
// output never depends on scheduling.
import { availableParallelism } from 'node:os';
import type { Rule } from '../types.js';
import { parserBackend } from '../lang/python/tree.js';
import type { FileJob, FileOutcome, RunSettings } from './file-job.js';
import { DONE, newShare, type ShareTask } from './job-share.js';
import type { ShareResult } from './worker.js';
import { addTimings } from './timings.js';

/** How many threads linted in the last run of lintJobs (for --timings). */
export let lastThreadCount = 1;

export interface PoolOptions {
  /** Worker threads: undefined = decide from the cores and the work; 0 = main thread only. */
  workers?: number;
  /** Called as files are done (every 0.1 s with workers) with the number done so far. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Below this much source (bytes), files are linted on the main thread: starting a worker (a
 * thread, the parser and the rules) costs about as much as linting this much code.
 */
export const IN_PROCESS_MAX_BYTES = 1024 * 1024;
/** How often the progress callback is told how many files the workers have done (ms). */
const PROGRESS_MS = 100;

// The worker module piscina starts: worker.js beside this file, or the bundled worker (set by
// the bundled CLI, scripts/bundle.mjs).
let workerFile = new URL('./worker.js', import.meta.url).href;

export function useWorkerFile(url: string): void {
  workerFile = url;
}

/** How many worker threads a run of `totalBytes` of source gets (0 = main thread). */
export function workerCount(requested: number | undefined, jobs: number, totalBytes: number): number {
  if (requested !== undefined) return Math.max(0, Math.min(Math.floor(requested), jobs));
  if (jobs < 2 || totalBytes <= IN_PROCESS_MAX_BYTES) return 0;
  const cores = Math.max(1, availableParallelism());
  // One worker per ~IN_PROCESS_MAX_BYTES, up to the cores: a small run does not start eight.
  return Math.max(1, Math.min(cores, Math.ceil(totalBytes / IN_PROCESS_MAX_BYTES), jobs));
}

/**
 * Lints every job and returns the outcomes in job order. `sizes[i]` is the size of job i's file
 * (for balancing; 0 when unknown). `rules` are the enabled rules, used on the main thread.
 */
export async function lintJobs(
  jobs: readonly FileJob[],
  sizes: readonly number[],
  rules: readonly Rule[],
  run: RunSettings,
  opts: PoolOptions = {},
): Promise<FileOutcome[]> {
  const total = jobs.length;
  const outcomes: FileOutcome[] = new Array(total);
  if (total === 0) return outcomes;
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const n = workerCount(opts.workers, total, totalBytes);
  lastThreadCount = Math.max(1, n);

  const inProcess = async (indices: readonly number[]) => {
    const { runFileJob } = await import('./file-job.js');
    for (const i of indices) outcomes[i] = runFileJob(jobs[i], rules, run);
  };

  if (n === 0) {
    // In slices, yielding to the event loop in between: the progress bar moves, and the parser's
    // finalizers get to free the trees of files already done (see worker.ts).
    const all = jobs.map((_, i) => i);
    for (let at = 0; at < total; at += 16) {
      await inProcess(all.slice(at, at + 16));
      opts.onProgress?.(Math.min(at + 16, total), total);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return outcomes;
  }

  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: workerFile,
    minThreads: n,
    maxThreads: n,
    idleTimeout: 60_000,
    resourceLimits: workerHeapLimits(),
    workerData: { run },
  });
  const share = newShare(jobs, sizes);
  const progress = opts.onProgress && setInterval(() => opts.onProgress!(Atomics.load(share.counters, DONE), total), PROGRESS_MS);
  try {
    let failed = false;
    await Promise.all(
      Array.from({ length: n }, async () => {
        try {
          const got = (await pool.run(share.message satisfies ShareTask)) as ShareResult;
          for (const [i, outcome] of got.outcomes) outcomes[i] = outcome;
          addTimings(got.timings);
        } catch {
          // The worker died or could not start (a native module that fails to load in a thread, a
          // file too big for its heap): what it took is linted here rather than lost.
          failed = true;
        }
      }),
    );
    // A failed worker's results are lost with it: every file without one is linted here.
    if (failed) await inProcess(jobs.map((_, i) => i).filter((i) => outcomes[i] === undefined));
  } finally {
    if (progress) clearInterval(progress);
    await pool.destroy();
  }
  opts.onProgress?.(total, total);
  return outcomes;
}

/**
 * Heap settings of a worker. With the native parser, an old-generation cap: V8 then grows the
 * heap less eagerly between collections (standard library, 2 workers: ~290 MB peak RSS instead
 * of ~390 MB, same CPU). A file too big for it (several MB of one module) makes the worker run
 * out of memory; the files it took are then linted on the main thread, which has no cap. With
 * tree-sitter's Node binding (the fallback), a small young generation instead: short-lived node
 * objects die sooner, and their native trees with them (see worker.ts).
 */
function workerHeapLimits(): { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number } {
  return parserBackend().backend === 'binding' ? { maxYoungGenerationSizeMb: 16 } : { maxOldGenerationSizeMb: 1024 };
}
