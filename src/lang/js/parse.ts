// JS/TS parsing: one SourceFile per file with parent pointers, no Program and no type checker.
import type * as TS from 'typescript';
import { typescript } from './typescript.js';

export interface ParsedJs {
  sf: TS.SourceFile;
  /** The first syntax error, 1-based, when the parser reported one (the tree is still usable). */
  syntaxError?: { line: number; column: number; message: string };
}

/** Script kind by extension: `.js`/`.mjs`/`.cjs` allow JSX, as bundlers and Babel do. */
function scriptKind(ts: typeof TS, path: string): TS.ScriptKind {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'ts' || ext === 'mts' || ext === 'cts') return ts.ScriptKind.TS;
  if (ext === 'tsx') return ts.ScriptKind.TSX;
  return ts.ScriptKind.JSX;
}

export function parseJs(path: string, text: string): ParsedJs {
  const ts = typescript();
  const sf = ts.createSourceFile(path, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, scriptKind(ts, path));
  // The parser's own diagnostics (not public API, but stable across releases): syntax errors only.
  const diags = (sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (!diags.length) return { sf };
  const first = diags.reduce((a, b) => (b.start < a.start ? b : a));
  const { line, character } = sf.getLineAndCharacterOfPosition(first.start);
  return { sf, syntaxError: { line: line + 1, column: character + 1, message: `syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}` } };
}
