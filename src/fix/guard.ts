// The re-parse guard: a fix must never leave a file that no longer parses.
import { firstSyntaxError, parsePython } from '../lang/python/tree.js';

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/** The first syntax error tree-sitter finds in `text`, if any. */
export function syntaxErrorIn(text: string): SyntaxProblem | undefined {
  try {
    return firstSyntaxError(parsePython(text));
  } catch (e) {
    return { line: 1, column: 1, message: `parser failed: ${(e as Error).message}` };
  }
}
