// Adding an import for a fix: reuse one that is already there (under any alias), else add it after
// the module docstring and `from __future__` imports, next to the existing imports — never twice.
import type { Edit } from '../../types.js';
import type { SyntaxNode } from '../../lang/python/tree.js';
import type { SemanticModel } from '../../lang/python/model.js';
import { enclosingFunction } from '../../lang/python/context.js';
import { endOfLastLine, lineStart } from './layout.js';

export interface ImportRequest {
  /** `asyncio`, `concurrent.futures` */
  module: string;
  /** With a name: `from module import name`; without: `import module`. */
  name?: string;
}

export interface ImportResult {
  /** How to refer to the imported thing at the place of use (`asyncio`, `aio`, `closing`). */
  ref: string;
  /** The edit that adds the import; absent when it is already imported. */
  edit?: Edit;
}

/**
 * What to write at `at` to refer to the module (or the name from it), and the edit that imports
 * it if needed. Null when the name is taken by something else there (a local called `asyncio`),
 * so a fix would have to invent a name — better to offer no fix.
 */
export function ensureImport(model: SemanticModel, at: SyntaxNode, req: ImportRequest): ImportResult | null {
  const wanted = req.name ? `${req.module}.${req.name}` : req.module;
  const local = req.name ?? req.module.split('.')[0];
  const ref = req.name ?? req.module;
  const bound = model.lookup(local, at);
  if (bound) {
    if (bound.kind === 'import' && refersTo(bound.imported, wanted, req)) {
      if (!req.name && req.module.includes('.') && !hasModuleImport(model.root, req.module)) {
        // `import concurrent` does not load `concurrent.futures`: add the full import.
        return withEdit(model, at, req, ref);
      }
      return { ref };
    }
    const alias = aliasFor(model, at, wanted);
    return alias ? { ref: alias } : null;
  }
  const alias = aliasFor(model, at, wanted);
  if (alias) return { ref: alias };
  return withEdit(model, at, req, ref);
}

function withEdit(model: SemanticModel, at: SyntaxNode, req: ImportRequest, ref: string): ImportResult | null {
  const edit = importEdit(model.root, model.source, req, at);
  return edit ? { ref, edit } : null;
}

function refersTo(imported: string | undefined, wanted: string, req: ImportRequest): boolean {
  if (!imported) return false;
  if (imported === wanted) return true;
  // `import a.b` binds `a`, recorded as imported `a`.
  return !req.name && imported === req.module.split('.')[0];
}

/** A module-level alias bound to `wanted` that still means it at `at` (`import asyncio as aio`). */
function aliasFor(model: SemanticModel, at: SyntaxNode, wanted: string): string | undefined {
  const scope = model.scopeFor(model.root);
  for (const [name, list] of scope.bindings) {
    for (const b of list) {
      if (b.kind !== 'import' || b.imported !== wanted) continue;
      const seen = model.lookup(name, at);
      if (seen && seen.kind === 'import' && seen.imported === wanted) return name;
    }
  }
  return undefined;
}

function hasModuleImport(root: SyntaxNode, module: string): boolean {
  for (const s of root.namedChildren) {
    if (s.type !== 'import_statement') continue;
    for (const c of s.namedChildren) if (c.type === 'dotted_name' && c.text.replace(/\s+/g, '') === module) return true;
  }
  return false;
}

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement']);

function isDocstring(n: SyntaxNode): boolean {
  return n.type === 'expression_statement' && n.namedChildCount === 1 && (n.namedChild(0)!.type === 'string' || n.namedChild(0)!.type === 'concatenated_string');
}

/**
 * The edit adding the import at module level. `from m import x` joins an existing `from m import
 * ...` line when there is one. When the place of use runs at module level, the import must come
 * before it.
 */
export function importEdit(root: SyntaxNode, text: string, req: ImportRequest, at?: SyntaxNode): Edit | undefined {
  const statements = root.namedChildren;
  const limit = at && !enclosingFunction(at) ? at.startIndex : Infinity;

  if (req.name) {
    for (const s of statements) {
      if (s.type !== 'import_from_statement' || s.startIndex >= limit) continue;
      const mod = s.childForFieldName('module_name');
      if (!mod || mod.text.replace(/\s+/g, '') !== req.module) continue;
      if (s.namedChildren.some((c) => c.type === 'wildcard_import')) continue;
      const names = s.namedChildren.filter((c) => c.id !== mod.id && (c.type === 'dotted_name' || c.type === 'aliased_import'));
      const last = names[names.length - 1];
      if (last) return { start: last.endIndex, end: last.endIndex, text: `, ${req.name}` };
    }
  }
  const line = req.name ? `from ${req.module} import ${req.name}` : `import ${req.module}`;

  // Skip comments, the docstring and `from __future__` imports.
  let i = 0;
  let after: SyntaxNode | undefined;
  while (i < statements.length && statements[i].type === 'comment') i++;
  if (i < statements.length && isDocstring(statements[i])) after = statements[i++];
  for (;;) {
    while (i < statements.length && statements[i].type === 'comment') i++;
    if (i < statements.length && statements[i].type === 'future_import_statement') after = statements[i++];
    else break;
  }
  // The first run of imports from there (comments in between allowed).
  let j = i;
  while (j < statements.length && !IMPORT_TYPES.has(statements[j].type) && statements[j].type === 'comment') j++;
  if (j < statements.length && IMPORT_TYPES.has(statements[j].type) && statements[j].startIndex < limit) {
    let last = statements[j];
    for (let k = j + 1; k < statements.length; k++) {
      const s = statements[k];
      if (s.startIndex >= limit) break;
      if (IMPORT_TYPES.has(s.type)) last = s;
      else if (s.type !== 'comment') break;
    }
    after = last;
  }
  if (after) {
    if (after.startIndex >= limit) return undefined;
    const end = endOfLastLine(text, after);
    return { start: end, end, text: `\n${line}` };
  }
  // No docstring, future import or import: before the first statement (after leading comments
  // such as a shebang, a coding line or a licence header).
  const first = statements.find((s) => s.type !== 'comment');
  if (!first) return undefined;
  const start = lineStart(text, first.startIndex);
  return { start, end: start, text: `${line}\n` };
}
