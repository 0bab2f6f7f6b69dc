// The GitHub Action (action.yml): its run step is scripts/action-run.sh, executed here the way the
// runner executes it — inputs as INPUT_* variables, outputs appended to $GITHUB_OUTPUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './support.js';
import { sarifErrors, tempDir } from './integration-support.js';

const HAZARD = 'import requests\n\n\ndef f():\n    return requests.get("https://example.com")\n';

function project() {
  return tempDir('action', { 'svc/app.py': HAZARD, 'lib/util.py': HAZARD, 'other/skip.py': HAZARD }, true);
}

function runAction(cwd: string, inputs: Record<string, string>) {
  const outputs = path.join(tempDir('action-out'), 'github_output');
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_ACTION_PATH: REPO, GITHUB_OUTPUT: outputs, GITHUB_WORKSPACE: cwd, NO_COLOR: '1' };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const r = spawnSync('bash', [path.join(REPO, 'scripts', 'action-run.sh')], { cwd, env, encoding: 'utf8' });
  const out: Record<string, string> = {};
  if (existsSync(outputs)) {
    for (const line of readFileSync(outputs, 'utf8').split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs: out };
}

test('action.yml is a composite action whose steps run the scripts with its inputs', () => {
  const yml = readFileSync(path.join(REPO, 'action.yml'), 'utf8');
  assert.match(yml, /^runs:\n  using: composite$/m);
  for (const input of ['paths', 'args', 'sarif-file', 'annotations']) {
    assert.match(yml, new RegExp(`^  ${input}:$`, 'm'), `input ${input}`);
    assert.match(yml, new RegExp(`INPUT_${input.toUpperCase().replace(/-/g, '_')}: \\$\\{\\{ inputs\\.${input} \\}\\}`), `input ${input} is passed on`);
  }
  for (const script of ['action-install.sh', 'action-run.sh']) {
    assert.ok(yml.includes(`"$GITHUB_ACTION_PATH/scripts/${script}"`));
    assert.ok(existsSync(path.join(REPO, 'scripts', script)));
  }
});

test('the run step writes SARIF, prints annotations, sets outputs and fails on findings', () => {
  const dir = project();
  const r = runAction(dir, { paths: 'svc\nlib', args: '', 'sarif-file': 'reports/conn-lint.sarif', annotations: 'true' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const sarif = JSON.parse(readFileSync(path.join(dir, 'reports/conn-lint.sarif'), 'utf8'));
  assert.deepEqual(sarifErrors(sarif), []);
  const uris = sarif.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri).sort();
  assert.deepEqual(uris, ['lib/util.py', 'svc/app.py']);
  assert.match(r.stdout, /^::error file=svc\/app\.py,line=5,endLine=5,col=12,endColumn=47,title=conn-lint \(CL101\)::/m);
  assert.match(r.stdout, /^::error file=lib\/util\.py,/m);
  assert.doesNotMatch(r.stdout, /other\/skip\.py/);
  assert.deepEqual(r.outputs, { 'sarif-file': 'reports/conn-lint.sarif', findings: '2', 'exit-code': '1' });
});

test('args reach conn-lint: --exit-zero lets the upload step run; --select narrows the rules', () => {
  const dir = project();
  const r = runAction(dir, { paths: 'svc', args: '--exit-zero  --select CL101', 'sarif-file': 'conn-lint.sarif', annotations: 'false' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs['exit-code'], '0');
  assert.equal(r.outputs.findings, '1');
  assert.doesNotMatch(r.stdout, /^::/m, 'no annotations when annotations is false');
  const none = runAction(dir, { paths: 'svc', args: '--select sync-in-async', 'sarif-file': 'none.sarif' });
  assert.equal(none.code, 0, none.stdout + none.stderr);
  assert.equal(none.outputs.findings, '0');
});

test('without SARIF and annotations the step prints the text report; errors give exit 2', () => {
  const dir = project();
  const text = runAction(dir, { paths: '.', 'sarif-file': '', annotations: 'false' });
  assert.equal(text.code, 1, text.stdout + text.stderr);
  assert.match(text.stdout, /svc\/app\.py:5:12: CL101 /);
  assert.equal(text.outputs['sarif-file'], '');
  const bad = runAction(dir, { paths: 'svc', args: '--select NOPE', 'sarif-file': 'x.sarif' });
  assert.equal(bad.code, 2, bad.stdout + bad.stderr);
  assert.equal(bad.outputs['exit-code'], '2');
  assert.match(bad.stderr, /unknown rule selector "NOPE"/);
});
