// `--format junit`: JUnit XML as CI systems (GitLab, Jenkins, Azure Pipelines, CircleCI) read it.
// One <testsuite> per file with findings and one failed <testcase> per finding; files that could
// not be linted are <testcase>s with an <error>; a clean run is one passing test case.
import type { ReportContext } from './index.js';

/** Text safe in XML content and attributes: markup escaped, characters XML 1.0 forbids dropped. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** Element text: like xmlEscape but line breaks stay readable. */
function xmlText(s: string): string {
  return xmlEscape(s).replace(/&#10;/g, '\n').replace(/&#9;/g, '\t');
}

export function formatJunit(ctx: ReportContext): string {
  const byFile = new Map<string, { cases: string[]; failures: number; errors: number }>();
  const suite = (p: string) => {
    let s = byFile.get(p);
    if (!s) byFile.set(p, (s = { cases: [], failures: 0, errors: 0 }));
    return s;
  };
  for (const d of ctx.diagnostics) {
    const s = suite(d.path);
    s.failures++;
    const where = `${d.path}:${d.line}:${d.column}`;
    s.cases.push(
      `    <testcase name="${xmlEscape(`${d.ruleId} ${d.name} at ${where}`)}" classname="${xmlEscape(d.path)}" file="${xmlEscape(d.path)}" line="${d.line}" time="0">\n` +
        `      <failure message="${xmlEscape(d.message)}" type="${xmlEscape(d.ruleId)}">${xmlText(`${where}: ${d.ruleId} [${d.severity}] ${d.message}`)}</failure>\n` +
        '    </testcase>',
    );
  }
  for (const e of ctx.errors) {
    const s = suite(e.path);
    s.errors++;
    const where = e.line ? `${e.path}:${e.line}:${e.column ?? 1}` : e.path;
    s.cases.push(
      `    <testcase name="${xmlEscape(`file ${e.kind} error at ${where}`)}" classname="${xmlEscape(e.path)}" file="${xmlEscape(e.path)}" time="0">\n` +
        `      <error message="${xmlEscape(e.message)}" type="${xmlEscape(e.kind)}">${xmlText(`${where}: ${e.message}`)}</error>\n` +
        '    </testcase>',
    );
  }
  let tests = 0;
  let failures = 0;
  let errors = 0;
  const suites: string[] = [];
  if (byFile.size === 0) {
    tests = 1;
    suites.push(
      `  <testsuite name="conn-lint" tests="1" failures="0" errors="0" skipped="0" time="0">\n` +
        `    <testcase name="${xmlEscape(`no findings in ${ctx.files} file${ctx.files === 1 ? '' : 's'}`)}" classname="conn-lint" time="0"/>\n` +
        '  </testsuite>',
    );
  }
  for (const [file, s] of byFile) {
    tests += s.cases.length;
    failures += s.failures;
    errors += s.errors;
    suites.push(
      `  <testsuite name="${xmlEscape(file)}" tests="${s.cases.length}" failures="${s.failures}" errors="${s.errors}" skipped="0" time="0">\n` +
        s.cases.join('\n') +
        '\n  </testsuite>',
    );
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="conn-lint" tests="${tests}" failures="${failures}" errors="${errors}" time="0">\n` +
    suites.join('\n') +
    '\n</testsuites>\n'
  );
}
