// The reference for `npm run bench`: Ruff's WebAssembly build (@astral-sh/ruff-wasm-nodejs, a
// devDependency) checking every .py file under a directory with the rules closest to conn-lint's
// (S113 request without timeout, ASYNC, SIM115 open without context manager), one file after the
// other as a whole Node process, like `conn-lint` is run. Prints "files findings".
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');

const SKIP = new Set(['site-packages', '__pycache__', '.git', 'node_modules', '.venv', 'venv']);
const workspace = new Workspace({ lint: { select: ['S113', 'ASYNC', 'SIM115'] } }, PositionEncoding.Utf16);

let files = 0;
let findings = 0;
function walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) walk(p);
    } else if (e.isFile() && e.name.endsWith('.py')) {
      files++;
      try {
        findings += workspace.check(readFileSync(p, 'utf8')).length;
      } catch {
        // not UTF-8 or not parseable by Ruff: counted as a file, like conn-lint's errors
      }
    }
  }
}

walk(path.resolve(process.argv[2] ?? '.'));
process.stdout.write(`${files} ${findings}\n`);
