// The resolved configuration: what config files and CLI flags say, merged and validated.
import type { GlobalSettings, RuleOptions } from '../types.js';

export interface Config {
  /** Directory of the config file that was used (or the cwd when none): relative paths start here. */
  root: string;
  /** The config file that was read, if any. */
  configFile?: string;
  select?: string[];
  extendSelect: string[];
  ignore: string[];
  /** Glob (relative to root, gitignore-like matching on the relative path) → selectors to ignore there. */
  perFileIgnores: Record<string, string[]>;
  /** Replaces the default exclusions when given. */
  exclude?: string[];
  extendExclude: string[];
  respectGitignore: boolean;
  /** Apply the exclusions to files named on the command line too (pre-commit, editors). */
  forceExclude: boolean;
  /** Files larger than this (bytes) are reported under errors and skipped. */
  maxFileSize: number;
  settings: GlobalSettings;
  /** Per-rule options keyed by rule code, validated against each rule's declared options. */
  ruleOptions: Record<string, RuleOptions>;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string | undefined,
    readonly key: string | undefined,
    detail: string,
  ) {
    super(`${file ?? 'command line'}${key ? `: ${key}` : ''}: ${detail}`);
  }
}

export const DEFAULT_EXCLUDE = [
  '.git',
  '.hg',
  '.svn',
  '.bzr',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.conn-lint-cache',
  '.venv',
  'venv',
  '.eggs',
  '*.egg-info',
  '__pycache__',
  '__pypackages__',
  'node_modules',
  'build',
  'dist',
  '.next',
  '.nuxt',
  'coverage',
  'site-packages',
  '_build',
  'buck-out',
];

export const DEFAULT_SETTINGS: GlobalSettings = {
  targetVersion: [3, 9],
  requestsTimeout: '(3.05, 27)',
  defaultTimeout: '10',
  blockingCalls: [],
};

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
