// Shared by the uvicorn rules (CL605, CL606): the calls that configure a uvicorn server.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';

/** `uvicorn.run(...)` and `uvicorn.Config(...)` take the server settings as keywords. */
export const UVICORN_ENTRY = ['uvicorn.run', 'uvicorn.Config', 'uvicorn.main.run', 'uvicorn.config.Config'];

export function uvicornEntry(call: SyntaxNode, model: SemanticModel): string | undefined {
  const name = model.callMatches(call, UVICORN_ENTRY);
  return name ? (name.endsWith('Config') ? 'uvicorn.Config' : 'uvicorn.run') : undefined;
}

/** Test modules start servers too; they are not production entry points. */
export function isTestPath(path: string): boolean {
  const parts = path.split(/[\\/]/);
  const base = parts[parts.length - 1];
  return /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(base) || parts.slice(0, -1).includes('tests');
}
