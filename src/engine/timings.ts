// Where a run's time goes, by phase (`--timings`, or CONN_LINT_TIMINGS=1). Off by default: then
// every call here is one test of a module variable. Each thread (the main one, each worker) keeps
// its own totals; a worker hands its totals back with its results and the main thread adds them.

/** Milliseconds per phase; keys starting with `#` are counts (files parsed, bytes parsed). */
export type PhaseTimes = Record<string, number>;

let current: PhaseTimes | undefined;

export function startTimings(): void {
  current ??= {};
}

export function timingsOn(): boolean {
  return current !== undefined;
}

export function addTime(phase: string, ms: number): void {
  if (current) current[phase] = (current[phase] ?? 0) + ms;
}

export function count(name: string, n = 1): void {
  if (current) current[`#${name}`] = (current[`#${name}`] ?? 0) + n;
}

/** Runs `fn`, adding its time to `phase` when timings are on. */
export function timed<T>(phase: string, fn: () => T): T {
  if (!current) return fn();
  const t = performance.now();
  try {
    return fn();
  } finally {
    current[phase] = (current[phase] ?? 0) + performance.now() - t;
  }
}

/** This thread's totals so far, reset to zero (a worker sends them back with its results). */
export function takeTimings(): PhaseTimes | undefined {
  if (!current) return undefined;
  const out = current;
  current = {};
  return out;
}

/** Adds another thread's totals to this thread's (when timings are on). */
export function addTimings(from: PhaseTimes | undefined): void {
  if (current) mergeTimings(current, from);
}

export function mergeTimings(into: PhaseTimes, from: PhaseTimes | undefined): void {
  if (!from) return;
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Phases of the main thread, in the order a run goes through them (wall time). */
export const MAIN_PHASES = ['start-up: node and the bundle', 'config and rules', 'discovery', 'cache lookup', 'linting (wall)', 'cache save', 'report'] as const;

/** The per-file phases, summed over the threads that linted (rules follow, one row each). */
export const FILE_PHASES = ['worker start-up', 'read', 'hash', 'decode', 'prefilter', 'parse', 'model', 'tree walk', 'suppressions', 'fix'] as const;

/** A Markdown table of the phases (what `--timings` prints on stderr). */
export function timingsTable(t: PhaseTimes, totalMs: number, threads: number): string {
  const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
  const pct = (x: number) => `${((100 * x) / totalMs).toFixed(1)} %`;
  const rows = ['| phase | time | of the run |', '|---|---:|---:|'];
  for (const p of MAIN_PHASES) if (t[p] !== undefined) rows.push(`| ${p} | ${ms(t[p])} | ${pct(t[p])} |`);
  rows.push(`| **whole run (wall)** | **${ms(totalMs)}** | |`);
  const rules = Object.keys(t).filter((k) => k.startsWith('rule ')).sort((a, b) => t[b] - t[a]);
  const fileRows = [...FILE_PHASES.filter((p) => t[p] !== undefined), ...rules];
  if (fileRows.length) {
    const sum = fileRows.reduce((a, p) => a + t[p], 0);
    rows.push(`| *per-file work, summed over ${threads} thread${threads === 1 ? '' : 's'}:* | *${ms(sum)}* | |`);
    for (const p of fileRows) rows.push(`| ${p.startsWith('rule ') ? '&nbsp;&nbsp;' : ''}${p} | ${ms(t[p])} | |`);
  }
  const files = t['#files'] ?? 0;
  const parsed = t['#parsed files'] ?? 0;
  const bytes = t['#parsed bytes'] ?? 0;
  const lines = [rows.join('\n')];
  if (files) {
    const rate = t.parse ? ` at ${(bytes / 1e6 / (t.parse / 1000)).toFixed(1)} MB/s` : '';
    lines.push(`${files} files linted, ${t['#cached'] ?? 0} answered by the cache; ${parsed} parsed (${(bytes / 1e6).toFixed(1)} MB${rate}).`);
  }
  return lines.join('\n\n') + '\n';
}
