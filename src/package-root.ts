// Where conn-lint is installed. Modules find package.json, the native parser and the compiled
// rules from here instead of from their own location, because the same code runs both as
// separate files (dist/src/..., for the tests) and bundled into dist/conn-lint.mjs (the CLI).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory of conn-lint's package.json: the nearest one above this module named conn-lint. */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'conn-lint') return (root = dir);
    } catch {
      // none here
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`conn-lint: cannot find its package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

let pkg: { version: string } & Record<string, unknown> | undefined;

/** conn-lint's package.json, read once. */
export function packageJson(): { version: string } & Record<string, unknown> {
  pkg ??= JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8'));
  return pkg!;
}
