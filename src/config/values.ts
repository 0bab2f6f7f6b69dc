// Checking parsed TOML values against what a key expects, with messages that name the key as the
// user wrote it and the value they gave.
import { TomlDate } from 'smol-toml';
import { nearest } from '../util/suggest.js';
import { isTable, type TomlTable, type TomlValue } from './toml.js';
import { ConfigError } from './types.js';

/** A key path: table keys and array indices, as in the file. */
export type KeyPath = ReadonlyArray<string | number>;

/** `tool.conn-lint.per-file-ignores."tests/*.py"[0]` */
export function formatKey(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += (out ? '.' : '') + (/^[A-Za-z0-9_-]+$/.test(part) ? part : JSON.stringify(part));
  }
  return out;
}

/** What a value is, for "got …": `integer 3`, `string "x"`, `array`, `table`. */
export function describe(v: unknown): string {
  if (typeof v === 'bigint') return `integer ${v}`;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'float nan';
    if (!Number.isFinite(v)) return `float ${v > 0 ? 'inf' : '-inf'}`;
    return `float ${Number.isInteger(v) ? v.toFixed(1) : String(v)}`;
  }
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v)}`;
  if (typeof v === 'boolean') return `boolean ${v}`;
  if (v instanceof TomlDate) return `date-time ${v.toISOString()}`;
  if (Array.isArray(v)) return v.length ? 'an array' : 'an empty array';
  if (isTable(v)) return 'a table';
  return String(v);
}

/** Reports problems in one config file; keys are shown under the file's prefix (`tool.conn-lint`). */
export class ValueChecker {
  constructor(
    readonly display: string,
    readonly prefix: readonly string[],
  ) {}

  fail(path: KeyPath, detail: string): never {
    const full = [...this.prefix, ...path];
    throw new ConfigError(this.display, full.length ? formatKey(full) : undefined, detail);
  }

  expected(path: KeyPath, what: string, got: unknown): never {
    return this.fail(path, `expected ${what}, got ${describe(got)}`);
  }

  table(v: TomlValue, path: KeyPath): TomlTable {
    if (!isTable(v)) this.expected(path, 'a table', v);
    return v;
  }

  string(v: TomlValue, path: KeyPath): string {
    if (typeof v !== 'string') this.expected(path, 'a string', v);
    return v;
  }

  boolean(v: TomlValue, path: KeyPath): boolean {
    if (typeof v !== 'boolean') this.expected(path, 'a boolean (true or false)', v);
    return v;
  }

  number(v: TomlValue, path: KeyPath): number {
    if (typeof v === 'bigint') {
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
        this.fail(path, `expected a number, got integer ${v}, which is too large`);
      }
      return Number(v);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) this.expected(path, 'a number', v);
    return v;
  }

  positiveInteger(v: TomlValue, path: KeyPath, unit: string): number {
    if (typeof v !== 'bigint' || v <= 0n) this.expected(path, `a positive integer (${unit})`, v);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(path, `expected a positive integer (${unit}), got integer ${v}, which is too large`);
    return Number(v);
  }

  stringArray(v: TomlValue, path: KeyPath): string[] {
    if (!Array.isArray(v)) this.expected(path, 'an array of strings', v);
    return v.map((item, i) => {
      if (typeof item !== 'string') this.expected([...path, i], 'a string', item);
      return item;
    });
  }

  /** Fails on keys of `table` not in `known`, suggesting the closest. */
  knownKeys(table: TomlTable, known: readonly string[], path: KeyPath, hint?: (key: string) => string | undefined): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const extra = hint?.(key);
      const near = closest(key, known);
      this.fail(
        path,
        `unknown key ${JSON.stringify(key)}` +
          (extra ? ` (${extra})` : near ? ` (did you mean ${JSON.stringify(near)}?)` : known.length ? `; expected one of: ${known.join(', ')}` : ''),
      );
    }
  }
}

/** Lowercase with `-` and `_` dropped: `max_workers`, `max-workers` and `maxWorkers` are the same. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** The candidate closest to `key`: equal once normalized, or within a small edit distance. */
export function closest(key: string, candidates: readonly string[]): string | undefined {
  const norm = normalizeKey(key);
  const same = candidates.find((c) => normalizeKey(c) === norm);
  if (same) return same;
  return nearest(key, candidates, 1)[0];
}
