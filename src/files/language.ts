// Which language a file is, by its name.
import type { Language } from '../types.js';

export type { Language } from '../types.js';

const JS_EXTENSIONS = new Set(['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx']);

/**
 * 'python' for `.py` and `.pyi` files; 'js' for JavaScript and TypeScript sources (`.js .mjs .cjs
 * .jsx .ts .mts .cts .tsx`) except declaration files (`.d.ts`, `.d.mts`, `.d.cts`: types only) and
 * minified bundles named so (`.min.js`); null for everything else.
 */
export function languageOf(path: string): Language | null {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return null;
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (dot < slash) return null;
  const ext = path.slice(dot + 1);
  if (ext === 'py' || ext === 'pyi') return 'python';
  if (!JS_EXTENSIONS.has(ext)) return null;
  const name = path.slice(slash + 1, dot);
  if (name.endsWith('.d') && ext !== 'js' && ext !== 'jsx' && ext !== 'mjs' && ext !== 'cjs') return null;
  if (name.endsWith('.min')) return null;
  return 'js';
}

/** The language a file named on the command line is linted as: by extension, Python otherwise. */
export function languageOfNamed(path: string): Language {
  const dot = path.lastIndexOf('.');
  const ext = dot < 0 ? '' : path.slice(dot + 1);
  return JS_EXTENSIONS.has(ext) ? 'js' : 'python';
}
