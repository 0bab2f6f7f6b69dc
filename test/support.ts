// Helpers shared by the test files: the rule set, default options, fixture expectations.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Rule } from '../src/types.js';
import { loadRules } from '../src/engine/registry.js';
import { defaultOptions, lintText, type FileLintOptions } from '../src/engine/run.js';
import { DEFAULT_SETTINGS } from '../src/config/types.js';
import type { RunSettings } from '../src/engine/file-job.js';
import { findRule, resolveSelection } from '../src/engine/select.js';

/** The repository root (tests run from dist/test/). */
export const REPO = path.resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const FIXTURES = path.join(REPO, 'fixtures', 'python');
export const JS_FIXTURES = path.join(REPO, 'fixtures', 'js');
export type FixtureLanguage = 'python' | 'js';
const fixtureRoot = (language: FixtureLanguage) => (language === 'js' ? JS_FIXTURES : FIXTURES);
/** A fixture source of the language (not an expected `.fixed.` output). */
const isFixtureSource = (language: FixtureLanguage, f: string) =>
  !/\.fixed\.[^.]+$/.test(f) && (language === 'js' ? /\.(?:[cm]?[jt]s|[jt]sx)$/.test(f) : f.endsWith('.py'));

/** Every .py file under `dir` (none when it does not exist), sorted. */
export function pythonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.py'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** The .py files of fixtures/ and examples/: real sources for tests that check every node or call. */
export function fixtureAndExampleFiles(): string[] {
  return [...pythonFiles(path.join(REPO, 'fixtures')), ...pythonFiles(path.join(REPO, 'examples'))];
}

export async function rules(): Promise<Rule[]> {
  return loadRules();
}

/** Run settings (as the CLI sends them to workers) for all of `all` with default options. */
export function runSettingsFor(all: readonly Rule[]): RunSettings {
  return {
    enabled: all.map((r) => r.code),
    ruleOptions: Object.fromEntries(all.map((r) => [r.code, defaultOptions(r)])),
    settings: { ...DEFAULT_SETTINGS },
    prefilter: true,
    maxFileSize: 10 * 1024 * 1024,
  };
}

export function optionsFor(all: readonly Rule[], enabled: readonly Rule[] = all): FileLintOptions {
  const ruleOptions = Object.fromEntries(all.map((r) => [r.code, defaultOptions(r)]));
  return { rules: enabled, ruleOptions, settings: { ...DEFAULT_SETTINGS }, prefilter: false };
}

export interface FixtureFile {
  rule: string;
  file: string;
  source: string;
  /** line → expected rule codes (one entry per expected diagnostic) */
  expected: Map<number, string[]>;
  /** `# conn-lint-fixture: select=...` header, limiting the rules run on this file. */
  select?: string[];
}

// `# error: [CL101]` in Python, `// error: [CL151]` in JS/TS.
const EXPECT = /(?:#|\/\/)\s*error:\s*\[([^\]]*)\]/;
const HEADER = /^(?:#|\/\/)\s*conn-lint-fixture:\s*select=([\w,\s-]+)$/m;

export function fixtureDirs(language: FixtureLanguage = 'python'): string[] {
  const root = fixtureRoot(language);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => d.name)
    .sort();
}

export function readFixtures(dir: string, all: readonly Rule[], language: FixtureLanguage = 'python'): FixtureFile[] {
  const full = path.join(fixtureRoot(language), dir);
  return readdirSync(full)
    .filter((f) => isFixtureSource(language, f))
    .sort()
    .map((f) => {
      const source = readFileSync(path.join(full, f), 'utf8');
      const expected = new Map<number, string[]>();
      source.split(/\r\n|\r|\n/).forEach((line, i) => {
        const m = EXPECT.exec(line);
        if (!m) return;
        const codes = m[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((id) => findRule(id, all)?.code ?? `unknown rule ${id}`);
        expected.set(i + 1, codes);
      });
      const header = HEADER.exec(source);
      return { rule: dir, file: path.join(full, f), source, expected, select: header?.[1].split(',').map((s) => s.trim()) };
    });
}

/** Runs the rules a fixture asks for and returns its findings by line. */
export function lintFixture(fx: FixtureFile, all: readonly Rule[], prefilter = false) {
  const enabled = fx.select ? resolveSelection({ select: fx.select }, all) : all;
  const result = lintText(fx.file, fx.source, { ...optionsFor(all, enabled), prefilter });
  return result;
}

// ---- fixes (test/fix.test.ts) --------------------------------------------------------------

/** `name.py` with a sibling `name.fixed.py`: the expected result of `--fix --unsafe-fixes`. */
export interface FixturePair {
  dir: string;
  input: string;
  expected: string;
}

export function fixturePairs(): FixturePair[] {
  const out: FixturePair[] = [];
  for (const dir of fixtureDirs()) {
    const full = path.join(FIXTURES, dir);
    for (const f of readdirSync(full).sort()) {
      if (!f.endsWith('.fixed.py')) continue;
      out.push({ dir, input: path.join(full, f.replace(/\.fixed\.py$/, '.py')), expected: path.join(full, f) });
    }
  }
  return out;
}

/** Lint options for a fixture's text, honouring its `# conn-lint-fixture: select=` header. */
export function fixtureOptions(source: string, all: readonly Rule[]): FileLintOptions {
  const header = HEADER.exec(source);
  const enabled = header ? resolveSelection({ select: header[1].split(',').map((s) => s.trim()) }, all) : all;
  return optionsFor(all, enabled);
}

/**
 * Python's own verdict on each text: '' when it compiles, else the error. `mode` 'ast' only
 * parses (ast.parse); 'compile' also runs the compiler's checks (`await` outside `async def`, ...).
 * One python3 process for the whole batch. Null when python3 is not available.
 */
export function pythonVerdicts(texts: readonly string[], mode: 'ast' | 'compile' = 'ast'): string[] | null {
  const script = [
    'import ast, json, sys',
    'texts = json.load(sys.stdin)',
    'out = []',
    'for t in texts:',
    '    try:',
    `        ${mode === 'ast' ? 'ast.parse(t)' : "compile(t, '<fixed>', 'exec', dont_inherit=True)"}`,
    "        out.append('')",
    '    except (SyntaxError, ValueError) as e:',
    "        out.append(f'{type(e).__name__}: {e}')",
    'json.dump(out, sys.stdout)',
  ].join('\n');
  try {
    const stdout = execFileSync('python3', ['-c', script], { input: JSON.stringify(texts), maxBuffer: 1 << 28, encoding: 'utf8' });
    return JSON.parse(stdout) as string[];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
