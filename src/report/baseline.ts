// Baselines: how a team adopts conn-lint on a legacy codebase. `--write-baseline FILE` records
// today's findings; `--baseline FILE` then reports only findings that are not in it.
//
// A finding is matched on its rule, its file (relative to the repository root that holds the
// baseline, so the run's cwd does not matter) and a hash of the normalized text of the reported
// line and of the nearest code lines above and below it — never on line numbers, so edits
// elsewhere in the file do not turn old findings into new ones. Findings left over are matched on
// rule, path and the reported line alone, so editing the line next to an old finding does not
// make it new either. An entry whose file is gone follows the file: through git's rename detection
// since the commit the baseline was written at, else by its content in any file. Identical
// findings are counted: a baseline with two matching entries hides two findings, a third is new.
//
// A run sees only part of the tree (`conn-lint src/one.py`, `--select CL1`): its *scope* is the
// files it linted, the folders it walked and the rules it ran. Only entries in scope can be stale,
// and writing a baseline replaces only the entries in scope: the rest are kept as they are.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../types.js';
import { fingerprint, gitRoot, PathResolver, SourceCache } from './source-info.js';
import { TOOL_NAME, toolVersion } from './tool.js';
import { addTo } from '../util/multimap.js';
import { makeFolders } from '../util/make-folders.js';

/** Version 1: the format below. Fields may be added; a change to what they mean bumps it. */
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  /** `/`-separated, relative to the baseline's base (the git root holding it, or its folder). */
  path: string;
  ruleId: string;
  /** Hash of the rule and the normalized reported line with its nearest code lines above and below. */
  hash: string;
  /** Hash of the rule and the reported line alone (the second-chance match). */
  lineHash?: string;
  /** For people reading the file; matching ignores them. */
  line?: number;
  message?: string;
}

export interface BaselineFile {
  version: number;
  tool: string;
  toolVersion?: string;
  /** The git commit checked out when the baseline was written: renames since then are followed. */
  commit?: string;
  findings: BaselineEntry[];
}

export class BaselineError extends Error {}

/** What a run looked at: only baseline entries inside it can be stale or be replaced. */
export interface BaselineScope {
  /** Absolute paths of the files linted. */
  files: readonly string[];
  /** Absolute paths of the directories walked: an entry of a file under one that was not linted is gone. */
  dirs: readonly string[];
  /** Codes of the rules that ran. */
  rules: readonly string[];
}

interface Keyed {
  diagnostic: Diagnostic;
  path: string;
  hash: string;
  lineHash: string;
}

/** Where a baseline's paths start: the repository root that holds it, or its own folder. */
function baseOf(baselineAbs: string): string {
  const dir = path.dirname(baselineAbs);
  return gitRoot(dir) ?? dir;
}

function posixRelative(base: string, abs: string): string {
  return path.relative(base, abs).split(path.sep).join('/');
}

function keyedFindings(diagnostics: readonly Diagnostic[], base: string, cwd: string): Keyed[] {
  const resolver = new PathResolver(cwd);
  return fingerprint(diagnostics, new SourceCache(), resolver).map((f) => {
    // A file that vanished between linting and reporting still gets a (line-bound) key.
    const hash = f.hash ?? `line-${f.diagnostic.line}`;
    return { diagnostic: f.diagnostic, path: posixRelative(base, resolver.absolute(f.diagnostic.path)), hash, lineHash: f.lineHash ?? hash };
  });
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
    throw new BaselineError(`baseline ${file} has version ${b.version}; this conn-lint reads version ${BASELINE_VERSION}`);
  }
  if (b.commit !== undefined && typeof b.commit !== 'string') throw new BaselineError(`baseline ${file}: "commit" must be a string`);
  for (const [i, e] of b.findings.entries()) {
    if (!e || typeof e.path !== 'string' || typeof e.ruleId !== 'string' || typeof e.hash !== 'string') {
      throw new BaselineError(`baseline ${file}: findings[${i}] needs string "path", "ruleId" and "hash"`);
    }
  }
  return b as BaselineFile;
}

/** The commit checked out at `dir`, if it is in a git repository with one. */
function headCommit(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

/**
 * Files renamed since `commit` (old → new, relative to the repository root), as git's rename
 * detection sees the working tree and index against it. Empty when git cannot tell.
 */
function renamesSince(repo: string, commit: string): Map<string, string> {
  const out = new Map<string, string>();
  const r = spawnSync('git', ['diff', '-M', '--name-status', '-z', commit, '--'], { cwd: repo, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return out;
  const parts = r.stdout.split('\0');
  for (let i = 0; i < parts.length; ) {
    const status = parts[i++];
    if (!status) continue;
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = parts[i++];
      const to = parts[i++];
      if (status.startsWith('R') && from && to) out.set(from, to);
    } else {
      i++;
    }
  }
  return out;
}

/** Entries with the paths of files renamed since the baseline's commit moved to their new names. */
function followRenames(baseline: BaselineFile, base: string): BaselineEntry[] {
  const gone = baseline.findings.some((e) => !existsSync(path.join(base, e.path)));
  if (!gone || !baseline.commit || gitRoot(base) !== base) return baseline.findings;
  const renames = renamesSince(base, baseline.commit);
  if (!renames.size) return baseline.findings;
  return baseline.findings.map((e) => {
    const to = renames.get(e.path);
    return to !== undefined && !existsSync(path.join(base, e.path)) ? { ...e, path: to } : e;
  });
}

interface Match {
  /** For each finding, the index of the entry it matched, or -1. */
  entryOf: number[];
  /** Entries no finding matched. */
  unmatched: number[];
}

/** Pairs findings with entries: by path+rule+hash, then path+rule+line, then (files gone) rule+hash anywhere. */
function match(entries: readonly BaselineEntry[], found: readonly Keyed[], base: string): Match {
  const entryOf = found.map(() => -1);
  const taken = new Set<number>();
  const pass = (keyOfEntry: (e: BaselineEntry, i: number) => string | undefined, keyOfFinding: (k: Keyed) => string) => {
    const pool = new Map<string, number[]>();
    entries.forEach((e, i) => {
      if (taken.has(i)) return;
      const key = keyOfEntry(e, i);
      if (key !== undefined) addTo(pool, key, i);
    });
    // Reversed so that pop() hands out entries in file order.
    for (const list of pool.values()) list.reverse();
    found.forEach((k, fi) => {
      if (entryOf[fi] !== -1) return;
      const i = pool.get(keyOfFinding(k))?.pop();
      if (i !== undefined) {
        entryOf[fi] = i;
        taken.add(i);
      }
    });
  };
  pass((e) => `${e.path}\0${e.ruleId}\0${e.hash}`, (k) => `${k.path}\0${k.diagnostic.ruleId}\0${k.hash}`);
  pass((e) => (e.lineHash ? `${e.path}\0${e.ruleId}\0${e.lineHash}` : undefined), (k) => `${k.path}\0${k.diagnostic.ruleId}\0${k.lineHash}`);
  // A file moved without git seeing it (or outside git): its code, found in another file, is still old.
  const vanished = new Map<string, boolean>();
  const isGone = (p: string) => {
    let v = vanished.get(p);
    if (v === undefined) vanished.set(p, (v = !existsSync(path.join(base, p))));
    return v;
  };
  pass((e) => (isGone(e.path) ? `${e.ruleId}\0${e.hash}` : undefined), (k) => `${k.diagnostic.ruleId}\0${k.hash}`);
  const unmatched: number[] = [];
  entries.forEach((_, i) => {
    if (!taken.has(i)) unmatched.push(i);
  });
  return { entryOf, unmatched };
}

/** Whether the run could have seen an entry's finding: its rule ran and its file was linted or is gone from a walked folder. */
function inScope(entry: BaselineEntry, base: string, scope: ScopeIndex): boolean {
  if (!scope.rules.has(entry.ruleId)) return false;
  const abs = path.resolve(base, entry.path);
  if (scope.files.has(abs)) return true;
  return scope.dirs.some((d) => abs.startsWith(d.endsWith(path.sep) ? d : d + path.sep));
}

interface ScopeIndex {
  files: ReadonlySet<string>;
  dirs: readonly string[];
  rules: ReadonlySet<string>;
}

function indexScope(scope: BaselineScope): ScopeIndex {
  return { files: new Set(scope.files.map((f) => path.resolve(f))), dirs: scope.dirs.map((d) => path.resolve(d)), rules: new Set(scope.rules) };
}

function entryOf(k: Keyed): BaselineEntry {
  return { path: k.path, ruleId: k.diagnostic.ruleId, hash: k.hash, lineHash: k.lineHash, line: k.diagnostic.line, message: k.diagnostic.message };
}

function sortEntries(entries: BaselineEntry[]): BaselineEntry[] {
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0) || a.ruleId.localeCompare(b.ruleId) || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}

function save(abs: string, entries: BaselineEntry[], base: string): void {
  const commit = headCommit(base);
  const data: BaselineFile = { version: BASELINE_VERSION, tool: TOOL_NAME, toolVersion: toolVersion(), ...(commit ? { commit } : {}), findings: sortEntries(entries) };
  makeFolders(path.dirname(abs));
  writeFileSync(abs, JSON.stringify(data, null, 2) + '\n');
}

export interface BaselineUpdate {
  /** Entries kept: outside the run's scope, or still found (refreshed). */
  kept: number;
  /** Findings recorded that were not in the baseline. */
  added: number;
  /** Entries of the run's scope whose finding is gone. */
  removed: number;
  total: number;
}

/**
 * Records the findings of a run in `file`. An existing baseline is updated, not replaced: entries
 * the run could not have seen (other paths, rules not run) are kept as they are.
 */
export function writeBaseline(file: string, diagnostics: readonly Diagnostic[], cwd: string, scope: BaselineScope): BaselineUpdate {
  const abs = path.resolve(cwd, file);
  const base = baseOf(abs);
  const found = keyedFindings(diagnostics, base, cwd);
  let existing: BaselineFile | undefined;
  try {
    existing = existsSync(abs) ? readBaseline(file, cwd) : undefined;
  } catch (e) {
    // Never overwrite what may be somebody's baseline in another format: say so and stop.
    throw new BaselineError(`cannot update ${file}: ${(e as Error).message.replace(/; write one with --write-baseline\)$/, ')')}; move it away to write a new baseline`);
  }
  const entries = existing ? followRenames(existing, base) : [];
  const m = match(entries, found, base);
  const index = indexScope(scope);
  const out: BaselineEntry[] = found.map(entryOf);
  const kept = new Set(m.entryOf.filter((i) => i !== -1));
  let removed = 0;
  for (const i of m.unmatched) {
    if (inScope(entries[i], base, index)) removed++;
    else {
      out.push(entries[i]);
      kept.add(i);
    }
  }
  save(abs, out, base);
  return { kept: kept.size, added: found.length - m.entryOf.filter((i) => i !== -1).length, removed, total: out.length };
}

export interface BaselineResult {
  /** Findings not in the baseline. */
  diagnostics: Diagnostic[];
  /** How many findings the baseline hid. */
  matched: number;
  /** Entries of the run's scope that no finding matched any more (fixed, or their code changed). */
  stale: number;
}

export function applyBaseline(diagnostics: readonly Diagnostic[], baseline: BaselineFile, baselineFile: string, cwd: string, scope: BaselineScope): BaselineResult {
  const base = baseOf(path.resolve(cwd, baselineFile));
  const found = keyedFindings(diagnostics, base, cwd);
  const entries = followRenames(baseline, base);
  const m = match(entries, found, base);
  const index = indexScope(scope);
  return {
    diagnostics: found.filter((_, i) => m.entryOf[i] === -1).map((k) => k.diagnostic),
    matched: m.entryOf.filter((i) => i !== -1).length,
    stale: m.unmatched.filter((i) => inScope(entries[i], base, index)).length,
  };
}

/** Removes the entries of the run's scope that no finding matches (`--prune-baseline`); nothing is added. */
export function pruneBaseline(diagnostics: readonly Diagnostic[], baselineFile: string, cwd: string, scope: BaselineScope): { pruned: number; total: number } {
  const abs = path.resolve(cwd, baselineFile);
  const base = baseOf(abs);
  const baseline = readBaseline(baselineFile, cwd);
  const entries = followRenames(baseline, base);
  const m = match(entries, keyedFindings(diagnostics, base, cwd), base);
  const index = indexScope(scope);
  const stale = new Set(m.unmatched.filter((i) => inScope(entries[i], base, index)));
  const keep = entries.filter((_, i) => !stale.has(i));
  save(abs, keep, base);
  return { pruned: stale.size, total: keep.length };
}
