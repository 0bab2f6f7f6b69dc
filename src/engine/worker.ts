// A piscina worker: loads the rules once, then lints the batches of files the main thread sends.
// Its run settings (enabled rules, options) come once, as workerData.
import { workerData } from 'piscina';
import { loadRules } from './registry.js';
import { pickRules, runFileJob, type FileJob, type FileOutcome, type RunSettings } from './file-job.js';

const run = (workerData as { run: RunSettings }).run;
const rules = pickRules(await loadRules(), run.enabled);

// tree-sitter trees live in native memory that V8 does not see, and the binding frees a tree only
// through finalizers of its node objects, which run on the event loop after a collection found
// them unreachable. piscina keeps a busy worker in a synchronous loop from task to task, so
// without a turn of the event loop between files its RSS grows by every tree it ever parsed
// (over 1 GB on the standard library). One turn after each parsed file keeps it flat; the
// collections themselves are the ordinary young-generation ones.
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

export default async function lintBatch(files: FileJob[]): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  for (const job of files) {
    out.push(runFileJob(job, rules, run));
    await yieldToLoop();
  }
  return out;
}
