// A piscina worker: loads the rules once, then lints the batches of files the main thread sends.
// Its run settings (enabled rules, options) come once, as workerData.
import { workerData } from 'piscina';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadRules } from './registry.js';
import { pickRules, runFileJob, type FileJob, type FileOutcome, type RunSettings } from './file-job.js';

const run = (workerData as { run: RunSettings }).run;
const rules = pickRules(await loadRules(), run.enabled);

// Memory. tree-sitter trees live in native memory that V8 does not see, and the binding frees a
// tree only through finalizers of its node objects, which run on the event loop after a
// collection found them unreachable. Two things keep a worker's RSS down (measured on the
// standard library, 2 workers: 550 MB peak without either, ~250 MB with both, ~8% more CPU):
// - a turn of the event loop after each file: piscina keeps a busy worker in a synchronous
//   loop from task to task, so otherwise no finalizer ever runs and every tree is kept;
// - a full collection when the JS heap has grown by HEAP_GROWTH since the last one: node
//   objects that lived through a big file are promoted to the old generation, which V8 collects
//   rarely on its own, and each of them holds its whole tree.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;
// With the plain-JS tree mirror (js-tree.ts) a file makes far more JS garbage than before, so a
// 16 MB step collected too often (15 s CPU on the stdlib); 40 MB: 10.4 s CPU, 5.8 s wall, 270 MB peak.
const HEAP_GROWTH = 40 * 1024 * 1024;
let heapMark = process.memoryUsage().heapUsed;
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

export default async function lintBatch(files: FileJob[]): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  for (const job of files) {
    out.push(runFileJob(job, rules, run));
    if (gc && process.memoryUsage().heapUsed > heapMark + HEAP_GROWTH) {
      gc();
      heapMark = process.memoryUsage().heapUsed;
    }
    await yieldToLoop();
  }
  return out;
}
