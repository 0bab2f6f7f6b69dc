// Bytes → text the parser can take: BOM, PEP 263 coding declarations, binary and NUL checks.
import type { FileError } from '../types.js';
import { languageOfNamed } from '../files/language.js';

export interface DecodedSource {
  text: string;
  /** The file started with a UTF-8 BOM (stripped from `text`, restored when writing fixes). */
  bom: boolean;
}

const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** Decodes a JavaScript or TypeScript file (UTF-8, with or without a BOM), or says why it cannot be linted. */
export function decodeJs(path: string, bytes: Uint8Array): DecodedSource | FileError {
  return decode(path, bytes, false);
}

/** Decodes a Python file, or says why it cannot be linted. */
export function decodePython(path: string, bytes: Uint8Array): DecodedSource | FileError {
  return decode(path, bytes, true);
}

/** Decodes a file of the given language, by its name. */
export function decodeSource(path: string, bytes: Uint8Array): DecodedSource | FileError {
  return decode(path, bytes, languageOfNamed(path) === 'python');
}

function decode(path: string, bytes: Uint8Array, python: boolean): DecodedSource | FileError {
  let start = 0;
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bom) start = 3;
  const body = bytes.subarray(start);
  if (body.indexOf(0) !== -1) {
    return { path, kind: 'binary', message: `file contains NUL bytes: not ${python ? 'Python' : 'JavaScript or TypeScript'} source (binary file?), skipped` };
  }
  const declared = python ? codingDeclaration(body) : undefined;
  const encoding = !declared || /^utf[-_]?8(?:[-_].*)?$/i.test(declared) ? 'utf-8' : whatwgLabel(declared);
  if (bom && encoding !== 'utf-8') {
    return { path, kind: 'encoding', message: `file has a UTF-8 BOM but declares encoding "${declared}"` };
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch {
    return { path, kind: 'encoding', message: `unknown encoding "${declared}" in coding declaration` };
  }
  try {
    return { text: decoder.decode(body), bom };
  } catch {
    const offset = firstInvalidUtf8(body);
    const line = countLines(body, offset);
    return {
      path,
      kind: 'encoding',
      line,
      message:
        encoding === 'utf-8'
          ? `file is not valid UTF-8 (first bad byte 0x${body[offset]?.toString(16).padStart(2, '0')} on line ${line}); ` +
            (python ? 'add a coding declaration (# -*- coding: latin-1 -*-) or re-encode it as UTF-8' : 're-encode it as UTF-8')
          : `file is not valid ${declared}`,
    };
  }
}

/** Python codec names → WHATWG encoding labels that TextDecoder knows. */
function whatwgLabel(pythonName: string): string {
  const n = pythonName.toLowerCase().replace(/_/g, '-');
  if (/^(latin-?1|iso-?8859-1|l1|8859|cp819)$/.test(n)) return 'latin1';
  if (/^(ascii|us-ascii|646)$/.test(n)) return 'utf-8';
  const cp = /^(?:cp|windows-)(125\d)$/.exec(n);
  if (cp) return `windows-${cp[1]}`;
  const iso = /^iso-?8859-(\d+)$/.exec(n);
  if (iso) return `iso-8859-${iso[1]}`;
  return n;
}

/** PEP 263: a coding comment on line 1 or 2 (line 2 only when line 1 is a comment or blank). */
function codingDeclaration(body: Uint8Array): string | undefined {
  const head = Buffer.from(body.subarray(0, 512)).toString('latin1').split(/\r\n|\r|\n/, 2);
  const m1 = CODING.exec(head[0] ?? '');
  if (m1) return m1[1];
  if (head.length > 1 && /^[ \t\f]*(#.*)?$/.test(head[0])) {
    const m2 = CODING.exec(head[1] ?? '');
    if (m2) return m2[1];
  }
  return undefined;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const dec = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search for the shortest invalid prefix (a cut inside a valid character also fails,
  // so step back to a line start before reporting).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      dec.decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

function countLines(bytes: Uint8Array, end: number): number {
  let n = 1;
  for (let i = 0; i < end && i < bytes.length; i++) if (bytes[i] === 0x0a) n++;
  return n;
}
