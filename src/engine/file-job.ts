// One file's work, the same on the main thread and in a worker: stat, read, hash (for the result
// cache), decode and lint. I/O problems become errors, never exceptions.
import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { FileResult, GlobalSettings, Rule, RuleOptions } from '../types.js';
import type { ModuleLocation } from '../lang/python/scopes.js';
import { lintBytes } from './run.js';
import { describeIoError } from '../util/io-error.js';
import { addTime, count, timed, timingsOn } from './timings.js';

/** What the main thread sends for one file (plain data: it crosses to worker threads). */
export interface FileJob {
  path: string;
  location: ModuleLocation;
  /** Rule codes switched off here by per-file-ignores. */
  disabled?: string[];
  /** Named on the command line: parsed for syntax errors even when no rule needs it. */
  checkSyntax?: boolean;
  /** Size and mtime, when the main thread has just stat'ed the file (the result cache does). */
  stat?: { size: number; mtimeMs: number };
}

/** Settings of a run that are the same for every file (plain data). */
export interface RunSettings {
  /** Codes of the enabled rules. */
  enabled: string[];
  ruleOptions: Record<string, RuleOptions>;
  settings: GlobalSettings;
  prefilter: boolean;
  maxFileSize: number;
  /** Whether outcomes need a FileStamp (size, mtime, sha256) for the result cache; default true. */
  stamp?: boolean;
  /** Collect `--timings` in the threads that lint. */
  timings?: boolean;
}

/** The file as it was read, for the result cache; absent when it could not be read. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** When the file was read (ms since the epoch): an mtime this recent is not trusted later. */
  readAt: number;
  /** sha256 of the bytes, hex. */
  hash: string;
}

export interface FileOutcome {
  result: FileResult;
  stamp?: FileStamp;
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads and lints one file. `rules` are the enabled rules (resolved from `run.enabled`). */
export function runFileJob(job: FileJob, rules: readonly Rule[], run: RunSettings): FileOutcome {
  const { path } = job;
  let bytes: Buffer;
  let size: number;
  let mtimeMs: number;
  let readAt: number;
  const tooLarge = (n: number): FileOutcome => {
    const message = `file is ${formatSize(n)}, over the ${formatSize(run.maxFileSize)} limit (max-file-size); skipped`;
    return { result: { path, diagnostics: [], errors: [{ path, kind: 'too-large', message }] } };
  };
  count('files');
  const t0 = timingsOn() ? performance.now() : 0;
  try {
    const st = job.stat ?? statSync(path);
    if (st.size > run.maxFileSize) return tooLarge(st.size);
    readAt = Date.now();
    bytes = readFileSync(path);
    size = st.size;
    mtimeMs = st.mtimeMs;
    if (t0) addTime('read', performance.now() - t0);
  } catch (e) {
    return { result: { path, diagnostics: [], errors: [{ path, kind: 'io', message: `cannot read file: ${describeIoError(e)}` }] } };
  }
  // It may have grown since it was stat'ed.
  if (bytes.length > run.maxFileSize) return tooLarge(bytes.length);
  // A file that changed between stat and read must not be cached under the old stamp. Without a
  // cache nobody reads the stamp: its sha256 is not worth computing.
  const stamp: FileStamp | undefined =
    run.stamp !== false && bytes.length === size ? { size, mtimeMs, readAt, hash: timed('hash', () => hashBytes(bytes)) } : undefined;
  try {
    const result = lintBytes(path, bytes, {
      rules,
      ruleOptions: run.ruleOptions,
      settings: run.settings,
      prefilter: run.prefilter,
      disabled: job.disabled?.length ? new Set(job.disabled) : undefined,
      location: job.location,
      checkSyntax: job.checkSyntax,
    });
    return { result, stamp };
  } catch (e) {
    return { result: { path, diagnostics: [], errors: [{ path, kind: 'internal', message: `internal error: ${(e as Error)?.stack ?? e}` }] } };
  }
}

/** The enabled rules, in the order of `codes`, from all loaded rules. */
export function pickRules(all: readonly Rule[], codes: readonly string[]): Rule[] {
  const byCode = new Map(all.map((r) => [r.code, r]));
  return codes.map((c) => {
    const r = byCode.get(c);
    if (!r) throw new Error(`rule ${c} is not loaded`);
    return r;
  });
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
