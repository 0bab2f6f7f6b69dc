// Which config file applies to a directory.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pyprojectHasOurTable } from './toml.js';

/** Names looked for in each directory, in order of precedence. */
export const CONFIG_FILE_NAMES = ['conn-lint.toml', '.conn-lint.toml', 'pyproject.toml'] as const;

/**
 * Walking up from `startDir`, the first `conn-lint.toml`, `.conn-lint.toml`, or `pyproject.toml`
 * with a `[tool.conn-lint]` table (that precedence within one directory); a pyproject.toml without
 * the table does not stop the search, an unreadable one does (its error is reported).
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = join(dir, name);
      if (!isFile(file)) continue;
      if (name !== 'pyproject.toml') return file;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // Unreadable: it may be the config meant for this run, so loading it reports why (exit 2)
        // rather than the run going on silently with the defaults.
        return file;
      }
      if (pyprojectHasOurTable(text)) return file;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}
