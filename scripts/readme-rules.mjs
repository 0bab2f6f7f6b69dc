#!/usr/bin/env node
// Regenerates the rule table in README.md from the rules' own docs (run after `npm run build`):
//   node scripts/readme-rules.mjs          rewrite README.md
//   node scripts/readme-rules.mjs --check  exit 1 if README.md is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readmeRulesTable } from '../dist/src/rule-docs.js';
import { loadRules } from '../dist/src/engine/registry.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const BEGIN = '<!-- rules-table:begin -->';
const END = '<!-- rules-table:end -->';

const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (start < 0 || end < start) {
  console.error('README.md has no rules-table markers');
  process.exit(2);
}
const table = readmeRulesTable(await loadRules());
const next = readme.slice(0, start + BEGIN.length) + '\n' + table + readme.slice(end);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md rule table is out of date: run `npm run build && node scripts/readme-rules.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync(readmePath, next);
}
