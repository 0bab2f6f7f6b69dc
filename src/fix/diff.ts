// `--diff`: what `--fix` would change, as a unified diff (git style a/ b/ paths).
import { createTwoFilesPatch } from 'diff';

/** A unified diff of one file, or '' when the texts are equal. `path` is shown as given. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const shown = path.startsWith('/') ? path : `/${path}`;
  const patch = createTwoFilesPatch(`a${shown}`, `b${shown}`, before, after, undefined, undefined, { context: 3 });
  // Drop the `Index:`/`===` preamble some versions print; keep `---`/`+++` and the hunks.
  const start = patch.indexOf('--- ');
  return start > 0 ? patch.slice(start) : patch;
}
