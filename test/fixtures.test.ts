// One harness for every rule fixture: each `# error: [CODE]` line must be reported (as many
// times as listed) and every other line must stay silent, with or without the prefilter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { findRule } from '../src/engine/select.js';
import { ruleLanguage } from '../src/types.js';
import { fixtureDirs, lintFixture, readFixtures, rules } from './support.js';

const all = await rules();

for (const language of ['python', 'js'] as const) {
  test(`every fixtures/${language}/ folder names a rule of that language`, () => {
    for (const dir of fixtureDirs(language)) {
      const rule = findRule(dir, all);
      assert.ok(rule, `fixtures/${language}/${dir} matches no rule code or name`);
      assert.equal(ruleLanguage(rule), language, `fixtures/${language}/${dir} is a ${ruleLanguage(rule)} rule's`);
    }
  });
}

for (const [language, dir] of [...fixtureDirs('python').map((d) => ['python', d] as const), ...fixtureDirs('js').map((d) => ['js', d] as const)]) {
  for (const fx of readFixtures(dir, all, language)) {
    test(`fixture ${language}/${dir}/${path.basename(fx.file)}`, () => {
      const result = lintFixture(fx, all);
      const unknown = [...fx.expected.values()].flat().filter((c) => c.startsWith('unknown'));
      assert.deepEqual(unknown, [], 'expectation names a rule that does not exist');
      const actual = new Map<number, string[]>();
      for (const d of result.diagnostics) actual.set(d.line, [...(actual.get(d.line) ?? []), d.ruleId]);
      const problems: string[] = [];
      const lines = new Set([...fx.expected.keys(), ...actual.keys()]);
      for (const line of [...lines].sort((a, b) => a - b)) {
        const want = [...(fx.expected.get(line) ?? [])].sort();
        const got = [...(actual.get(line) ?? [])].sort();
        if (want.join() !== got.join()) {
          const msgs = result.diagnostics.filter((d) => d.line === line).map((d) => `    ${d.ruleId}: ${d.message}`);
          problems.push(`line ${line}: expected [${want.join(', ')}], got [${got.join(', ')}]\n${msgs.join('\n')}`);
        }
      }
      const ruleErrors = result.errors.filter((e) => e.kind === 'rule');
      assert.deepEqual(ruleErrors, [], 'a rule threw');
      assert.equal(problems.length, 0, `${path.relative(process.cwd(), fx.file)}\n${problems.join('\n')}`);
      // The prefilter must never change results.
      const filtered = lintFixture(fx, all, true);
      assert.deepEqual(filtered.diagnostics, result.diagnostics, 'prefilter changed the findings');
    });
  }
}
