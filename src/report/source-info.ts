// What the machine-readable reports need beyond a Diagnostic: the repository root a path is
// relative to (SARIF, GitLab, baselines), the file's text (fix regions, fingerprints), and a
// fingerprint of a finding that survives edits elsewhere in the file.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../types.js';
import { decodeSource } from '../engine/source.js';
import { computeLineStarts, positionOf } from '../engine/positions.js';

/** The nearest directory at or above `dir` that holds a `.git` entry (a directory, or a file for worktrees). */
export function gitRoot(dir: string, cache?: Map<string, string | null>): string | null {
  const seen: string[] = [];
  let cur = path.resolve(dir);
  let found: string | null = null;
  for (;;) {
    const hit = cache?.get(cur);
    if (hit !== undefined) {
      found = hit;
      break;
    }
    seen.push(cur);
    if (existsSync(path.join(cur, '.git'))) {
      found = cur;
      break;
    }
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  if (cache) for (const d of seen) cache.set(d, found);
  return found;
}

/** `a/b c.py` → `a/b%20c.py`: a relative URI reference with each segment percent-encoded. */
export function relativeUri(rel: string): string {
  return rel.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** Absolute path → `file:///...` URI (directories should end with a slash). */
export function fileUri(abs: string): string {
  const parts = abs.split(path.sep).map(encodeURIComponent).join('/');
  return 'file://' + (parts.startsWith('/') ? parts : '/' + parts);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!!rel && !rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Where a file is relative to: its repository root when there is one, otherwise `fallback`. */
export class PathResolver {
  private readonly cache = new Map<string, string | null>();
  constructor(
    readonly cwd: string,
    /** Tried before the git root (e.g. GITHUB_WORKSPACE for workflow annotations). */
    private readonly preferred?: string,
  ) {}

  absolute(p: string): string {
    return path.resolve(this.cwd, p);
  }

  /** The root a file's path is reported against: `preferred` if it holds the file, its git root, or the cwd. */
  rootOf(abs: string): string | null {
    if (this.preferred && isInside(abs, path.resolve(this.preferred))) return path.resolve(this.preferred);
    return gitRoot(path.dirname(abs), this.cache);
  }

  /** A `/`-separated path relative to the file's root, or null when the file is under no root or the cwd. */
  relative(p: string, fallback = this.cwd): string | null {
    const abs = this.absolute(p);
    const root = this.rootOf(abs) ?? (isInside(abs, fallback) ? fallback : null);
    if (!root) return null;
    return path.relative(root, abs).split(path.sep).join('/');
  }
}

export interface SourceFile {
  text: string;
  lineStarts: number[];
  lines: string[];
}

/** Reads and decodes each file once (the same decoding the linter used, so offsets agree). */
export class SourceCache {
  private readonly files = new Map<string, SourceFile | null>();

  get(abs: string): SourceFile | null {
    if (this.files.has(abs)) return this.files.get(abs)!;
    let file: SourceFile | null = null;
    try {
      const decoded = decodeSource(abs, readFileSync(abs));
      if (!('kind' in decoded)) {
        file = { text: decoded.text, lineStarts: computeLineStarts(decoded.text), lines: decoded.text.split(/\r\n|\r|\n/) };
      }
    } catch {
      file = null;
    }
    this.files.set(abs, file);
    return file;
  }
}

/** 1-based line and column (UTF-16 code units) of an offset. */
export function positionAt(file: SourceFile, offset: number): { line: number; column: number } {
  return positionOf(offset, file.lineStarts);
}

/** Whitespace-insensitive form of a line: runs of spaces/tabs collapse, ends are trimmed. */
export function normalizeLine(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

/** A line that carries code (not blank, not only a comment): the ones a fingerprint is built from. */
function isCodeLine(line: string): boolean {
  const t = line.trim();
  return t !== '' && !t.startsWith('#');
}

/**
 * A hash of the rule and the normalized text of the reported line and of the nearest code line
 * above and below it. Line numbers are not part of it, so inserting or deleting lines elsewhere,
 * re-indenting, or adding blank lines and comment lines around the finding keeps the hash.
 */
export function findingHash(ruleId: string, lines: readonly string[], line: number): string {
  const at = line - 1;
  let before = '';
  for (let i = at - 1; i >= 0; i--) {
    if (isCodeLine(lines[i])) {
      before = normalizeLine(lines[i]);
      break;
    }
  }
  let after = '';
  for (let i = at + 1; i < lines.length; i++) {
    if (isCodeLine(lines[i])) {
      after = normalizeLine(lines[i]);
      break;
    }
  }
  return digest([ruleId, before, normalizeLine(lines[at] ?? ''), after]);
}

/** A hash of the rule and the reported line alone: the fallback match when a neighbour was edited. */
export function lineHash(ruleId: string, lines: readonly string[], line: number): string {
  return digest([ruleId, normalizeLine(lines[line - 1] ?? '')]);
}

function digest(parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

export interface Fingerprinted {
  diagnostic: Diagnostic;
  /** The content hash (null when the file could not be read again). */
  hash: string | null;
  /** Hash of the reported line alone (null when the file could not be read again). */
  lineHash: string | null;
  /** 1 for the first finding with this path, rule and hash, 2 for the next, ... */
  occurrence: number;
}

/** Hashes every diagnostic and numbers the ones that share path, rule and hash, in order. */
export function fingerprint(diagnostics: readonly Diagnostic[], sources: SourceCache, resolver: PathResolver): Fingerprinted[] {
  const counts = new Map<string, number>();
  return diagnostics.map((d) => {
    const file = sources.get(resolver.absolute(d.path));
    const hash = file ? findingHash(d.ruleId, file.lines, d.line) : null;
    const line = file ? lineHash(d.ruleId, file.lines, d.line) : null;
    const key = `${d.path}\0${d.ruleId}\0${hash}`;
    const occurrence = (counts.get(key) ?? 0) + 1;
    counts.set(key, occurrence);
    return { diagnostic: d, hash, lineHash: line, occurrence };
  });
}
