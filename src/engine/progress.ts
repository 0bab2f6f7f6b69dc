// A progress bar on stderr (files done / total) for runs that take more than a second, only when
// stderr is a terminal; erased when the run ends so it never mixes with the report.

export interface Progress {
  update(done: number, total: number): void;
  /** Erases the bar (if it was ever drawn). */
  end(): void;
}

const NONE: Progress = { update() {}, end() {} };

export function progressBar(stream: NodeJS.WriteStream = process.stderr, delayMs = 1000): Progress {
  if (!stream.isTTY || process.env.CI) return NONE;
  const started = Date.now();
  let drawn = false;
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - started < delayMs || (now - last < 100 && done < total)) return;
      last = now;
      const width = Math.max(10, Math.min(40, (stream.columns || 80) - 40));
      const filled = total ? Math.round((done / total) * width) : width;
      const pct = total ? Math.floor((done / total) * 100) : 100;
      stream.write(`\r\x1b[K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} files (${pct}%)`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
