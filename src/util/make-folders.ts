// mkdir -p that always ends.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Creates `dir` and its missing parents one level at a time: Node's recursive mkdirSync spins
 * forever on some virtual file systems (a folder under /proc), where a plain mkdir fails at once.
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}
