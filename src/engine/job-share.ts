// The job list workers share (pool.ts, worker.ts): every worker is sent the whole list once and
// takes the next job through a counter in shared memory, so no file waits for a message from the
// main thread, and the biggest files go first.
import type { FileJob } from './file-job.js';

/** The counters in shared memory: the next position in `order`, and the number of files done. */
const NEXT = 0;
export const DONE = 1;

/** What each worker is sent once (worker.ts): the jobs, biggest first, and the shared counters. */
export interface ShareTask {
  /** Job indices, biggest file first. */
  order: number[];
  jobs: readonly FileJob[];
  /** Int32Array [next, done]: see NEXT, DONE. */
  shared: SharedArrayBuffer;
}

export function newShare(jobs: readonly FileJob[], sizes: readonly number[]) {
  const shared = new SharedArrayBuffer(4 * 2);
  const order = jobs.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  return { message: { order, jobs, shared }, counters: new Int32Array(shared) };
}

/** The index of the next job a worker takes, or -1 when none is left. */
export function takeJob(task: ShareTask, counters: Int32Array): number {
  const k = Atomics.add(counters, NEXT, 1);
  return k < task.order.length ? task.order[k] : -1;
}

/** Counts a finished job (for the progress bar). */
export function jobDone(counters: Int32Array): void {
  Atomics.add(counters, DONE, 1);
}
