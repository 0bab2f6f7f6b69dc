// examples/ is the demo a new user runs first: it must show every rule at least once, and
// nothing in it may make a rule throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { lint } from '../src/api.js';
import { REPO, rules } from './support.js';

test('examples/ shows every rule at least once', async () => {
  const all = await rules();
  const results = await lint([path.join(REPO, 'examples')], { cwd: REPO, select: ['ALL'] });
  assert.deepEqual(results.errors, []);
  const seen = new Set(results.diagnostics.map((d) => d.ruleId));
  const missing = all.map((r) => `${r.code} ${r.name}`).filter((r) => !seen.has(r.split(' ')[0]));
  assert.deepEqual(missing, [], 'rules with no example in examples/');
});
