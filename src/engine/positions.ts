// Offsets in a decoded file's text (UTF-16 code units) to 1-based lines and columns, the way every
// report shows them: `\n`, `\r\n` and a lone `\r` each end a line.

/** The offset at which each line starts: `[0, ...]`. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** 1-based line and column of an offset, given the file's line starts. */
export function positionOf(offset: number, lineStarts: readonly number[]): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
}

/** 1-based line/column span of [start, end) offsets (UTF-16 code units). */
export function spanOf(start: number, end: number, lineStarts: readonly number[]) {
  const a = positionOf(start, lineStarts);
  const b = positionOf(end, lineStarts);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}
