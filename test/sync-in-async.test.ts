// The sync-in-async rules' settings: `blocking-calls` from the configuration adds calls to CL506.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../src/engine/run.js';
import { optionsFor, rules } from './support.js';

const all = await rules();
const cl5 = all.filter((r) => r.code.startsWith('CL5'));

const source = [
  'from legacy.client import fetch_all',
  'import legacy.client as lc',
  '',
  '',
  'async def handler():',
  '    a = fetch_all()',
  '    b = lc.fetch_all()',
  '    c = await lc.fetch_async()',
  '    return a, b, c',
  '',
  '',
  'def sync_handler():',
  '    return fetch_all()',
  '',
].join('\n');

function lint(blockingCalls: string[]) {
  const opts = optionsFor(all, cl5);
  return lintText('app/handlers.py', source, { ...opts, settings: { ...opts.settings, blockingCalls } }).diagnostics;
}

test('blocking-calls: configured names are reported by CL506 inside async def only', () => {
  const ds = lint(['legacy.client.fetch_all']);
  assert.deepEqual(ds.map((d) => [d.line, d.ruleId]), [[6, 'CL506'], [7, 'CL506']]);
  assert.match(ds[0].message, /blocking-calls/);
});

test('blocking-calls: nothing configured, nothing reported', () => {
  assert.deepEqual(lint([]), []);
});

test('blocking-calls: an awaited call is never the blocking one', () => {
  assert.deepEqual(lint(['legacy.client.fetch_async']), []);
});
