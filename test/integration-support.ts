// Helpers for the integration tests (SARIF, annotations, baselines, pre-commit, the Action).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO } from './support.js';

export const BIN = path.join(REPO, 'bin', 'conn-lint');

export function runCli(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_WORKSPACE: undefined, CI_PROJECT_DIR: undefined, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
}

/** A temp directory with the files; with `git`, a `git init`ed repository. */
export function tempDir(prefix: string, files: Record<string, string> = {}, git = false): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `conn-lint-${prefix}-`));
  if (git) {
    const r = spawnSync('git', ['init', '-q', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git init failed: ${r.stderr}`);
  }
  writeFiles(dir, files);
  return dir;
}

type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };
let validator: Validate | undefined;

/**
 * A validator for SARIF 2.1.0: test/data holds the schema GitHub's upload-sarif action validates
 * against (codeql-action's copy of the OASIS schema). That copy nests the region's `anyOf` inside
 * `properties`, which the action's validator ignores and Ajv rejects; it is moved back where the
 * OASIS schema has it, which makes the check stricter, not looser.
 */
export function sarifValidator(): Validate {
  if (validator) return validator;
  const require = createRequire(import.meta.url);
  const Ajv2020 = require('ajv/dist/2020').default;
  const addFormats = require('ajv-formats').default;
  const schema = JSON.parse(readFileSync(path.join(REPO, 'test', 'data', 'sarif-schema-2.1.0.json'), 'utf8'));
  const region = schema.definitions.region;
  if (region.properties.anyOf) {
    region.anyOf = region.properties.anyOf;
    delete region.properties.anyOf;
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  validator = ajv.compile(schema) as Validate;
  return validator;
}

/** Schema errors of a SARIF log, as readable lines (empty when valid). */
export function sarifErrors(sarif: unknown): string[] {
  const v = sarifValidator();
  if (v(sarif)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
