// Runs file jobs on worker threads (piscina), or on the main thread when the run is too small to
// pay for starting workers. Results come back per batch, in any order, and are put back in the
// order of the jobs so the output never depends on scheduling.
import { availableParallelism } from 'node:os';
import type { Rule } from '../types.js';
import { parserBackend } from '../lang/python/tree.js';
import type { FileJob, FileOutcome, RunSettings } from './file-job.js';

export interface PoolOptions {
  /** Worker threads: undefined = decide from the cores and the work; 0 = main thread only. */
  workers?: number;
  /** Called after each batch with the number of files done so far. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Below this much source (bytes), files are linted on the main thread: starting a worker (a
 * thread, the parser and the rules) costs about as much as linting this much code.
 */
export const IN_PROCESS_MAX_BYTES = 1024 * 1024;
/** Files at least this big go in a batch of their own; smaller ones share batches up to it. */
const BATCH_BYTES = 96 * 1024;
const BATCH_FILES = 32;

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
  let done = 0;
  try {
    await Promise.all(
      batches(sizes).map(async (batch) => {
        let got: FileOutcome[] | undefined;
        try {
          got = (await pool.run(batch.map((i) => jobs[i]))) as FileOutcome[];
        } catch {
          // The worker died or could not start (a native module that fails to load in a thread):
          // lint this batch here rather than lose it.
          await inProcess(batch);
        }
        if (got) batch.forEach((i, k) => (outcomes[i] = got![k]));
        done += batch.length;
        opts.onProgress?.(done, total);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return outcomes;
}

/**
 * Heap settings of a worker. With the native parser, an old-generation cap: V8 then grows the
 * heap less eagerly between collections (standard library, 2 workers: ~290 MB peak RSS instead
 * of ~390 MB, same CPU). A file too big for it (several MB of one module) makes the worker run
 * out of memory; its batch is then linted on the main thread, which has no cap. With
 * tree-sitter's Node binding (the fallback), a small young generation instead: short-lived node
 * objects die sooner, and their native trees with them (see worker.ts).
 */
function workerHeapLimits(): { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number } {
  return parserBackend().backend === 'binding' ? { maxYoungGenerationSizeMb: 16 } : { maxOldGenerationSizeMb: 1024 };
}

/** Job indices grouped into batches, biggest files first so no thread is left with a big one at the end. */
export function batches(sizes: readonly number[]): number[][] {
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const out: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const i of order) {
    if (cur.length && (bytes + sizes[i] > BATCH_BYTES || cur.length >= BATCH_FILES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(i);
    bytes += sizes[i];
  }
  if (cur.length) out.push(cur);
  return out;
}
