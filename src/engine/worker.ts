// A piscina worker: loads the rules once, then takes files from the run's shared job list until
// none is left (pool.ts). Its run settings (enabled rules, options) come once, as workerData.
import { workerData } from 'piscina';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadRules } from './registry.js';
import { parserBackend } from '../lang/python/tree.js';
import { pickRules, runFileJob, type FileOutcome, type RunSettings } from './file-job.js';
import { jobDone, takeJob, type ShareTask } from './job-share.js';
import { addTime, startTimings, takeTimings, type PhaseTimes } from './timings.js';

const run = (workerData as { run: RunSettings }).run;
if (run.timings) startTimings();
const rules = pickRules(await loadRules(), run.enabled);
// The thread's own clock starts with the thread: this is its start-up (isolate, bundle, rules).
addTime('worker start-up', performance.now());

// Memory, when trees come from tree-sitter's Node binding (the fallback when native/py_tree.c
// is not built; tree.ts): the binding's trees live in native memory that V8 does not see and are
// freed only through finalizers of their node objects, which run on the event loop after a
// collection found them unreachable. Two things kept a worker's RSS down with it (standard
// library, 2 workers: 550 MB peak without either, ~270 MB with both, ~8% more CPU):
// - a turn of the event loop after each file: piscina keeps a busy worker in a synchronous
//   loop from task to task, so otherwise no finalizer ever runs and every tree is kept;
// - a full collection when the JS heap has grown by HEAP_GROWTH since the last one.
// The addon frees each native tree before parse() returns, so with it neither is needed: forced
// collections then cost ~1 s of CPU on the standard library for nothing.
const viaBinding = parserBackend().backend === 'binding';
if (viaBinding) setFlagsFromString('--expose-gc');
const gc = viaBinding ? (runInNewContext('gc') as (() => void) | undefined) : undefined;
const HEAP_GROWTH = 40 * 1024 * 1024;
let heapMark = process.memoryUsage().heapUsed;
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

/** What a worker sends back: each file's outcome by job index, and its --timings totals. */
export interface ShareResult {
  outcomes: Array<[number, FileOutcome]>;
  timings?: PhaseTimes;
}

export default async function lintShare(task: ShareTask): Promise<ShareResult> {
  const counters = new Int32Array(task.shared);
  const out: Array<[number, FileOutcome]> = [];
  for (let i = takeJob(task, counters); i !== -1; i = takeJob(task, counters)) {
    out.push([i, runFileJob(task.jobs[i], rules, run)]);
    jobDone(counters);
    if (gc && process.memoryUsage().heapUsed > heapMark + HEAP_GROWTH) {
      gc();
      heapMark = process.memoryUsage().heapUsed;
    }
    if (viaBinding) await yieldToLoop();
  }
  return { outcomes: out, timings: takeTimings() };
}
