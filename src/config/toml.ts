// Reading and parsing a TOML config file into ConfigErrors users can act on.
import { readFileSync } from 'node:fs';
import { parse, TomlDate, TomlError } from 'smol-toml';
import { describeIoError } from '../util/io-error.js';
import { ConfigError } from './types.js';

export type TomlValue = string | number | bigint | boolean | TomlDate | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

/** Integers come back as bigint and floats as number, so `3` and `3.0` can be told apart. */
export function parseToml(text: string, display: string): TomlTable {
  try {
    return parse(text, { integersAsBigInt: true }) as TomlTable;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
      const excerpt = e.codeblock
        ? '\n' + e.codeblock.replace(/\s+$/, '').split('\n').map((l) => '  ' + l).join('\n')
        : '';
      throw new ConfigError(display, undefined, `TOML syntax error at line ${e.line}, column ${e.column}: ${first}${excerpt}`);
    }
    throw new ConfigError(display, undefined, `cannot parse TOML: ${(e as Error).message}`);
  }
}

export function readConfigText(file: string, display: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(display, undefined, `cannot read config file: ${describeIoError(e, 'no such file')}`);
  }
}

/** Parses a pyproject.toml only as far as telling whether it has a [tool.conn-lint] table. */
export function pyprojectHasOurTable(text: string): boolean {
  if (!text.includes('conn-lint')) return false;
  try {
    const doc = parse(text) as TomlTable;
    const tool = doc.tool;
    return isTable(tool) && Object.prototype.hasOwnProperty.call(tool, 'conn-lint');
  } catch {
    // A broken file that looks like it configures us is ours: loading it reports the error. Even a
    // header broken itself (`[tool.conn-lint` with no `]`) counts, and a dotted key `tool.conn-lint.x = …`.
    return /^\s*\[*\s*tool\s*\.\s*(?:conn-lint(?![\w-])|"conn-lint"|'conn-lint')/m.test(text);
  }
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof TomlDate);
}
