// `per-file-ignores`: globs relative to the config root mapped to rules switched off there.
import path from 'node:path';
import picomatch from 'picomatch';
import type { Rule } from '../types.js';
import { matchSelector } from './select.js';

export type PerFileMatcher = (absPath: string) => ReadonlySet<string> | undefined;

export function perFileIgnores(table: Record<string, string[]>, root: string, rules: readonly Rule[]): PerFileMatcher {
  const entries = Object.entries(table).map(([glob, selectors]) => {
    const pattern = glob.includes('/') ? glob.replace(/^\.\//, '') : `**/${glob}`;
    return {
      match: picomatch(pattern, { dot: true }),
      matchDir: picomatch(`${pattern.replace(/\/+$/, '')}/**`, { dot: true }),
      codes: selectors.flatMap((s) => matchSelector(s, rules).map((r) => r.code)),
    };
  });
  if (entries.length === 0) return () => undefined;
  return (absPath) => {
    const rel = path.relative(root, absPath).split(path.sep).join('/');
    let out: Set<string> | undefined;
    for (const e of entries) {
      if (e.match(rel) || e.matchDir(rel)) {
        out ??= new Set();
        for (const c of e.codes) out.add(c);
      }
    }
    return out;
  };
}
