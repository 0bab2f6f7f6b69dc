// Preloaded into each benchmarked process (`node --import`): on exit, appends the process's peak
// RSS (all threads) to the file named by BENCH_PROBE_FILE, so the benchmark can report memory
// without a platform-specific `time` command.
import { appendFileSync } from 'node:fs';

const out = process.env.BENCH_PROBE_FILE;
if (out) {
  process.on('exit', () => {
    // maxRSS is in kilobytes.
    appendFileSync(out, `${process.resourceUsage().maxRSS}\n`);
  });
}
