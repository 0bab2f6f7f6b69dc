// Errors lint() throws before linting anything; kept apart from api.ts so the CLI can tell them
// apart without loading the engine.
import type { ArgumentError } from './files/discover.js';

/** Paths named for linting that do not exist or cannot be accessed: nothing is linted (exit 2). */
export class PathArgumentError extends Error {
  constructor(readonly problems: readonly ArgumentError[]) {
    super(
      problems
        .map((p) => `${p.arg}: ${p.reason}${p.suggestion !== undefined ? ` (did you mean ${p.suggestion}?)` : ''}`)
        .join('\n'),
    );
  }
}
