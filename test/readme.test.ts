// The README is part of the product: its rule table matches the rules, and its set-up
// commands are the ones CI runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readmeRulesTable } from '../src/rule-docs.js';
import { REPO, rules } from './support.js';

const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');

test('README rule table matches the rules (regenerate with scripts/readme-rules.mjs)', async () => {
  const table = readmeRulesTable(await rules());
  const start = readme.indexOf('<!-- rules-table:begin -->\n') + '<!-- rules-table:begin -->\n'.length;
  const end = readme.indexOf('<!-- rules-table:end -->');
  assert.equal(readme.slice(start, end), table);
});

test('README gives the two set-up commands and CI runs the same test command', () => {
  assert.match(readme, /npx conn-lint examples\//);
  assert.match(readme, /npm test/);
  const ci = readFileSync(path.join(REPO, '.ci', 'run'), 'utf8');
  assert.match(ci, /^npm ci\b/m);
  assert.match(ci, /^npm test$/m);
});
