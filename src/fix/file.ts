// `--fix` / `--diff` for one file on disk: read, decode, run the fix loop, then either write the
// result back (same encoding, BOM, line breaks, mode; atomically) or return a unified diff.
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic, FileError } from '../types.js';
import { decodeSource } from '../engine/source.js';
import type { FileLintOptions } from '../engine/run.js';
import { fixText, type AppliedFix, type FixOptions } from './fixpoint.js';
import { encodeLike, writeAtomic } from './write.js';
import { unifiedDiff } from './diff.js';

export interface FileFixOptions extends FixOptions {
  /** Write the fixed text back (`--fix`); otherwise only compute it (`--diff`). */
  write: boolean;
  /** Compute a unified diff against this display path (`--diff`). */
  diffPath?: string;
}

export interface FileFixResult {
  path: string;
  /** Findings left after fixing (line numbers of the fixed text). */
  diagnostics: Diagnostic[];
  errors: FileError[];
  applied: AppliedFix[];
  dropped: number;
  /** The fixed text differs from the file (written when `write`). */
  changed: boolean;
  diff?: string;
}

export function fixFile(absPath: string, base: FileLintOptions, maxFileSize: number, options: FileFixOptions): FileFixResult {
  const empty = (errors: FileError[]): FileFixResult => ({ path: absPath, diagnostics: [], errors, applied: [], dropped: 0, changed: false });
  let bytes: Buffer;
  try {
    const st = statSync(absPath);
    if (st.size > maxFileSize) {
      return empty([{ path: absPath, kind: 'too-large', message: `file is over the max-file-size limit (${st.size} bytes); skipped` }]);
    }
    bytes = readFileSync(absPath);
  } catch (e) {
    return empty([{ path: absPath, kind: 'io', message: `cannot read file: ${(e as Error).message}` }]);
  }
  const decoded = decodeSource(absPath, bytes);
  if ('kind' in decoded) return empty([decoded]);

  const outcome = fixText(absPath, decoded.text, base, options);
  const result: FileFixResult = {
    path: absPath,
    diagnostics: outcome.diagnostics,
    errors: outcome.errors,
    applied: outcome.applied,
    dropped: outcome.dropped,
    changed: outcome.text !== decoded.text,
  };
  if (!result.changed) return result;

  const data = encodeLike(bytes, decoded.text, decoded.bom, outcome.text);
  if ('error' in data) {
    // Nothing is written, so the findings stand as they were in the original.
    const again = fixText(absPath, decoded.text, base, { ...options, maxPasses: 0 });
    return {
      ...result,
      diagnostics: again.diagnostics,
      errors: [...again.errors, { path: absPath, kind: 'fix', message: `not fixed: ${data.error}` }],
      applied: [],
      dropped: result.dropped + result.applied.length,
      changed: false,
    };
  }
  if (options.diffPath !== undefined) {
    // The diff shows the text as written, BOM excepted (diff tools show it as an invisible character).
    result.diff = unifiedDiff(options.diffPath, decoded.text, outcome.text);
  }
  if (options.write) {
    try {
      writeAtomic(absPath, data);
    } catch (e) {
      return { ...result, changed: false, applied: [], errors: [...result.errors, { path: absPath, kind: 'io', message: `cannot write the fixed file: ${(e as Error).message}` }] };
    }
  }
  return result;
}
