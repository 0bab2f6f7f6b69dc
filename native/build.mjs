// `npm install` step: builds native/py_tree.c (binding.gyp) with the node-gyp that npm provides.
// conn-lint still works without it (through tree-sitter's Node binding, several times slower), so a
// failed build warns instead of failing the install; every lint run then warns on stderr, and the
// test suite fails, until it is rebuilt (`npm rebuild conn-lint`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// npm puts its own node-gyp on PATH for install scripts; `npm_config_node_gyp` names it otherwise.
const gypJs = process.env.npm_config_node_gyp;
const [cmd, args] = gypJs ? [process.execPath, [gypJs, 'rebuild']] : ['node-gyp', ['rebuild']];
const out = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', shell: process.platform === 'win32' });
if (out.status !== 0) {
  const why = out.error ? out.error.message : (out.stderr || out.stdout).trim().split('\n').slice(-15).join('\n');
  process.stderr.write(
    `conn-lint: could not build the native parser (native/py_tree.c); falling back to tree-sitter's Node binding, ` +
      `which is slower.\n${why}\n`,
  );
}
