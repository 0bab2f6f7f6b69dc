// The dotted module name of a file from its package layout (`__init__.py` up the tree), so
// relative imports resolve to real module names. Cached per directory.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModuleLocation } from './scopes.js';

const packageCache = new Map<string, string | null>();

/** `pkg/sub/mod.py` with `pkg/__init__.py` and `pkg/sub/__init__.py` → `pkg.sub.mod`. */
export function moduleLocation(file: string): ModuleLocation {
  const dir = path.dirname(file);
  const base = path.basename(file).replace(/\.pyi?$/, '');
  const isPackage = base === '__init__';
  const pkg = packageName(dir);
  if (!/^[A-Za-z_]\w*$/.test(base) && !isPackage) return { isPackage };
  const moduleName = isPackage ? pkg ?? undefined : pkg ? `${pkg}.${base}` : base;
  return { moduleName, isPackage };
}

function packageName(dir: string): string | null {
  const hit = packageCache.get(dir);
  if (hit !== undefined) return hit;
  let result: string | null = null;
  const name = path.basename(dir);
  if (/^[A-Za-z_]\w*$/.test(name) && (existsSync(path.join(dir, '__init__.py')) || existsSync(path.join(dir, '__init__.pyi')))) {
    const parent = path.dirname(dir);
    const outer = parent !== dir ? packageName(parent) : null;
    result = outer ? `${outer}.${name}` : name;
  }
  packageCache.set(dir, result);
  return result;
}
