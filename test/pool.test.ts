// The worker pool (src/engine/pool.ts, job-share.ts): workers take files from a shared list; the
// results come back in job order whatever the scheduling, and files a failed worker took (or
// never got to) are linted on the main thread, never lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lintJobs, useWorkerFile } from '../src/engine/pool.js';
import { runFileJob } from '../src/engine/file-job.js';
import { moduleLocation } from '../src/lang/python/module-name.js';
import { rules as allRules, runSettingsFor } from './support.js';

const SOURCES = [
  'import requests\n\ndef f(u):\n    return requests.get(u)\n',
  'import socket\ns = socket.socket()\n',
  'x = 1\n',
  'import asyncio\n\nasync def g(aw):\n    return await asyncio.wait_for(aw, None)\n',
  'import time\n\nasync def h():\n    time.sleep(1)\n',
];

async function setUp() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'conn-lint-pool-'));
  const files = Array.from({ length: 40 }, (_, i) => {
    const p = path.join(dir, `m${i}.py`);
    writeFileSync(p, SOURCES[i % SOURCES.length].repeat(1 + (i % 3)));
    return p;
  });
  const rules = await allRules();
  const jobs = files.map((p) => ({ path: p, location: moduleLocation(p) }));
  const sizes = files.map((_, i) => SOURCES[i % SOURCES.length].length * (1 + (i % 3)));
  const run = { ...runSettingsFor(rules), stamp: false };
  return { dir, rules, jobs, sizes, run };
}

const summary = (outcomes: Array<{ result: { path: string; diagnostics: Array<{ ruleId: string; line: number }> } }>) =>
  outcomes.map((o) => [path.basename(o.result.path), o.result.diagnostics.map((d) => `${d.ruleId}:${d.line}`)]);

test('workers give the main thread results, in job order', async () => {
  const { dir, rules, jobs, sizes, run } = await setUp();
  try {
    const expected = summary(await lintJobs(jobs, sizes, rules, run, { workers: 0 }));
    assert.ok(expected.some(([, d]) => d.length > 0), 'some findings');
    const progress: number[] = [];
    const got = await lintJobs(jobs, sizes, rules, run, { workers: 2, onProgress: (done) => progress.push(done) });
    assert.deepEqual(summary(got), expected);
    assert.equal(progress.at(-1), jobs.length, 'progress ends at the total');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('files a failed worker took, or never got to, are linted on the main thread', async () => {
  const { dir, rules, jobs, sizes, run } = await setUp();
  const share = pathToFileURL(path.resolve(import.meta.dirname, '../src/engine/job-share.js')).href;
  const real = new URL('../src/engine/worker.js', import.meta.url).href;
  // Workers that take three files each and then fail.
  const failing = path.join(dir, 'failing-worker.mjs');
  writeFileSync(
    failing,
    `import { takeJob } from ${JSON.stringify(share)};\n` +
      `export default function (task) {\n` +
      `  const counters = new Int32Array(task.shared);\n` +
      `  for (let k = 0; k < 3; k++) takeJob(task, counters);\n` +
      `  throw new Error('worker failed');\n` +
      `}\n`,
  );
  try {
    const expected = summary(await lintJobs(jobs, sizes, rules, run, { workers: 0 }));
    useWorkerFile(pathToFileURL(failing).href);
    const got = await lintJobs(jobs, sizes, rules, run, { workers: 2 });
    assert.deepEqual(summary(got), expected);
  } finally {
    useWorkerFile(real);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a job trusts the stat it is given, but not a file that grew past max-file-size since', async () => {
  const { dir, rules, run } = await setUp();
  try {
    const p = path.join(dir, 'grown.py');
    const code = 'import requests\nrequests.get(u)\n';
    writeFileSync(p, code + '#'.repeat(2000));
    const small = { ...run, maxFileSize: 1000 };
    const job = { path: p, location: moduleLocation(p), stat: { size: 10, mtimeMs: 0 } };
    const grown = runFileJob(job, rules, small);
    assert.deepEqual(grown.result.errors.map((e) => e.kind), ['too-large']);
    // With room enough, the given stat is what the stamp records.
    const fine = runFileJob(job, rules, { ...run, stamp: true });
    assert.equal(fine.stamp, undefined, 'no stamp when the bytes read do not match the stat (the file changed)');
    const exact = runFileJob({ ...job, stat: { size: code.length + 2000, mtimeMs: 5 } }, rules, { ...run, stamp: true });
    assert.equal(exact.stamp?.mtimeMs, 5);
    assert.ok(exact.result.diagnostics.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
