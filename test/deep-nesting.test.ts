// Generated code can nest expressions thousands deep; the engine and the scope builder must not
// run out of stack on it (a rule that does is reported as a rule error, but the common path —
// building scopes — must not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../src/engine/run.js';
import { optionsFor, rules } from './support.js';

test('an expression nested 20,000 deep is linted without errors', async () => {
  const all = await rules();
  const n = 20_000;
  const source = `import requests\nx = ${'['.repeat(n)}1${']'.repeat(n)}\nrequests.get(u)\n`;
  const result = lintText('deep.py', source, { ...optionsFor(all), prefilter: true });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.diagnostics.map((d) => d.ruleId), ['CL101']);
});
