// Preloaded into each benchmarked process (`node --import`): on exit, appends the process's peak
// RSS and CPU time (all threads) to the file named by BENCH_PROBE_FILE, so the benchmark can
// report them without a platform-specific `time` command.
import { appendFileSync } from 'node:fs';

const out = process.env.BENCH_PROBE_FILE;
if (out) {
  process.on('exit', () => {
    // maxRSS in kilobytes; CPU in microseconds.
    const u = process.resourceUsage();
    appendFileSync(out, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
  });
}
