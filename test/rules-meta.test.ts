// Every rule is complete: docs, codes in its category's range, fixtures with bad and good
// cases, and its documented bad example is reported while the good one is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATEGORY_PREFIX, ruleLanguage } from '../src/types.js';
import { lintText } from '../src/engine/run.js';
import { fixtureDirs, optionsFor, readFixtures, rules } from './support.js';

const all = await rules();

test('there are rules', () => assert.ok(all.length > 0));

for (const rule of all) {
  test(`rule ${rule.code} ${rule.name} is complete`, () => {
    assert.match(rule.code, /^CL\d{3}$/);
    assert.ok(rule.code.startsWith(CATEGORY_PREFIX[rule.category]), `${rule.code} is not in ${rule.category}'s range`);
    assert.match(rule.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const key of ['summary', 'why', 'bad', 'good'] as const) assert.ok(rule.docs[key]?.trim(), `docs.${key} is empty`);
    if (rule.fixable) assert.ok(rule.docs.fix?.trim(), 'a fixable rule documents its fix and why it has its applicability');
    const language = ruleLanguage(rule);
    assert.ok((rule.language === 'js' ? rule.nodeKinds : rule.nodeTypes).length > 0, 'visits no node type');

    const dirs = fixtureDirs(language).filter((d) => d === rule.name || d === rule.code);
    assert.equal(dirs.length, 1, `expected fixtures/${language}/${rule.name}/`);
    const files = readFixtures(dirs[0], all, language);
    const flags = files.map((f) => [...f.expected.values()].flat().includes(rule.code));
    assert.ok(flags.some(Boolean), 'no fixture with a bad case of this rule');
    assert.ok(flags.some((f) => !f), 'no fixture with only good cases of this rule');
  });

  test(`rule ${rule.code} docs examples behave as documented`, () => {
    const opts = optionsFor(all, [rule]);
    const path = ruleLanguage(rule) === 'js' ? 'example.ts' : rule.appliesTo ? docsPath(rule) : 'example.py';
    const bad = lintText(path, rule.docs.bad, opts).diagnostics.filter((d) => d.ruleId === rule.code);
    assert.ok(bad.length > 0, `the documented bad example is not reported:\n${rule.docs.bad}`);
    const good = lintText(path, rule.docs.good, opts).diagnostics.filter((d) => d.ruleId === rule.code);
    assert.deepEqual(good, [], `the documented good example is reported:\n${rule.docs.good}`);
  });
}

function docsPath(rule: { appliesTo?: (p: string) => boolean }): string {
  for (const p of ['gunicorn.conf.py', 'app/main.py', 'app/views.py', 'example.py']) if (rule.appliesTo!(p)) return p;
  return 'example.py';
}
