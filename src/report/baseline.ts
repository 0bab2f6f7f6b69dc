// Baselines: how a team adopts conn-lint on a legacy codebase. `--write-baseline FILE` records
// today's findings; `--baseline FILE` then reports only findings that are not in it.
//
// A finding is matched on its rule, its file (relative to the repository root, so the run's cwd
// does not matter) and a hash of the normalized text of the reported line and of the nearest
// code lines above and below it — never on line numbers, so edits elsewhere in the file do not
// turn old findings into new ones. Findings left over after that are matched on rule, path and
// the reported line alone, against entries left over likewise, so editing the line next to an old
// finding does not make it new either. Identical findings are counted: a baseline with two
// matching entries hides two findings, and a third one is new.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../types.js';
import { fingerprint, PathResolver, SourceCache } from './source-info.js';
import { makeFolders } from '../util/make-folders.js';
import { TOOL_NAME, toolVersion } from './tool.js';
import { addTo } from '../util/multimap.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  path: string;
  ruleId: string;
  hash: string;
  /** Hash of the reported line alone (the second-chance match). */
  lineHash?: string;
  /** For people reading the file; matching ignores them. */
  line?: number;
  message?: string;
}

export interface BaselineFile {
  version: number;
  tool: string;
  toolVersion?: string;
  findings: BaselineEntry[];
}

export class BaselineError extends Error {}

/** Paths in a baseline are relative to the repository root, or to the baseline's folder outside a repository. */
function keyedFindings(diagnostics: readonly Diagnostic[], baselineFile: string, cwd: string) {
  const resolver = new PathResolver(cwd);
  const fallback = path.dirname(path.resolve(cwd, baselineFile));
  return fingerprint(diagnostics, new SourceCache(), resolver).map((f) => {
    const abs = resolver.absolute(f.diagnostic.path);
    const rel = resolver.relative(f.diagnostic.path, fallback) ?? path.relative(fallback, abs).split(path.sep).join('/');
    // A file that vanished between linting and reporting still gets a (line-bound) key.
    const hash = f.hash ?? `line-${f.diagnostic.line}`;
    const lineHash = f.lineHash ?? hash;
    const base = `${rel}\0${f.diagnostic.ruleId}\0`;
    return { diagnostic: f.diagnostic, path: rel, hash, lineHash, key: base + hash, lineKey: base + lineHash };
  });
}

export function writeBaseline(file: string, diagnostics: readonly Diagnostic[], cwd: string): number {
  const entries: BaselineEntry[] = keyedFindings(diagnostics, file, cwd).map((k) => ({
    path: k.path,
    ruleId: k.diagnostic.ruleId,
    hash: k.hash,
    lineHash: k.lineHash,
    line: k.diagnostic.line,
    message: k.diagnostic.message,
  }));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0) || a.ruleId.localeCompare(b.ruleId));
  const data: BaselineFile = { version: BASELINE_VERSION, tool: TOOL_NAME, toolVersion: toolVersion(), findings: entries };
  const abs = path.resolve(cwd, file);
  makeFolders(path.dirname(abs));
  writeFileSync(abs, JSON.stringify(data, null, 2) + '\n');
  return entries.length;
}

export function readBaseline(file: string, cwd: string): BaselineFile {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new BaselineError(`cannot read baseline ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`baseline ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const b = data as Partial<BaselineFile>;
  if (!b || typeof b !== 'object' || b.tool !== TOOL_NAME || !Array.isArray(b.findings)) {
    throw new BaselineError(`${file} is not a conn-lint baseline (expected {"tool": "conn-lint", "findings": [...]}; write one with --write-baseline)`);
  }
  if (b.version !== BASELINE_VERSION) {
    throw new BaselineError(`baseline ${file} has version ${b.version}; this conn-lint reads version ${BASELINE_VERSION} (rewrite it with --write-baseline)`);
  }
  for (const [i, e] of b.findings.entries()) {
    if (!e || typeof e.path !== 'string' || typeof e.ruleId !== 'string' || typeof e.hash !== 'string') {
      throw new BaselineError(`baseline ${file}: findings[${i}] needs string "path", "ruleId" and "hash"`);
    }
  }
  return b as BaselineFile;
}

export interface BaselineResult {
  /** Findings not in the baseline. */
  diagnostics: Diagnostic[];
  /** How many findings the baseline hid. */
  matched: number;
  /** Baseline entries no finding matched any more (fixed, or their code changed). */
  unmatched: number;
}

export function applyBaseline(diagnostics: readonly Diagnostic[], baseline: BaselineFile, baselineFile: string, cwd: string): BaselineResult {
  // Pass 1: line and neighbours. Pass 2: the line alone, among what is left on both sides.
  const byKey = new Map<string, BaselineEntry[]>();
  for (const e of baseline.findings) {
    addTo(byKey, `${e.path}\0${e.ruleId}\0${e.hash}`, e);
  }
  const found = keyedFindings(diagnostics, baselineFile, cwd);
  const hidden = new Set<number>();
  found.forEach((k, i) => {
    if (byKey.get(k.key)?.pop()) hidden.add(i);
  });
  const byLine = new Map<string, number>();
  for (const list of byKey.values()) {
    for (const e of list) {
      if (!e.lineHash) continue;
      const key = `${e.path}\0${e.ruleId}\0${e.lineHash}`;
      byLine.set(key, (byLine.get(key) ?? 0) + 1);
    }
  }
  let unmatched = 0;
  for (const list of byKey.values()) unmatched += list.length;
  found.forEach((k, i) => {
    if (hidden.has(i)) return;
    const n = byLine.get(k.lineKey) ?? 0;
    if (n > 0) {
      byLine.set(k.lineKey, n - 1);
      hidden.add(i);
      unmatched--;
    }
  });
  return { diagnostics: found.filter((_, i) => !hidden.has(i)).map((k) => k.diagnostic), matched: hidden.size, unmatched };
}
