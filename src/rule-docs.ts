// The rule documentation as terminal text (`conn-lint rule X`) and the table of `conn-lint rules`.
import { ruleLanguage, type Language, type Rule } from './types.js';

const LANGUAGE_NAMES: Record<Language, string> = { python: 'Python', js: 'JS/TS' };

export function ruleDocText(rule: Rule): string {
  const d = rule.docs;
  const lines = [
    `${rule.code} ${rule.name}`,
    `language: ${LANGUAGE_NAMES[ruleLanguage(rule)]}    category: ${rule.category}    severity: ${rule.severity}    fix: ${rule.fixable ?? 'none'}`,
    '',
    'What it does',
    indent(d.summary),
    '',
    'Why is this bad?',
    indent(d.why),
    '',
    'Example',
    indent(d.bad.trimEnd()),
    '',
    'Use instead',
    indent(d.good.trimEnd()),
  ];
  if (d.fix) lines.push('', 'Fix', indent(d.fix));
  const options = Object.entries(rule.options ?? {});
  if (options.length) {
    lines.push('', 'Options ([tool.conn-lint.rules.' + rule.code + '])');
    for (const [k, o] of options) lines.push(`    ${k} (${o.type}, default ${JSON.stringify(o.default)}): ${o.description}`);
  }
  if (d.references?.length) lines.push('', 'References', ...d.references.map((r) => `    ${r}`));
  return lines.join('\n') + '\n';
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
}

export function rulesTable(rules: readonly Rule[], enabled?: ReadonlySet<string>): string {
  const rows = rules.map((r) => [r.code, r.name, LANGUAGE_NAMES[ruleLanguage(r)], r.category, r.severity, r.fixable ?? '-', enabled && !enabled.has(r.code) ? 'off' : 'on']);
  const head = ['code', 'name', 'language', 'category', 'severity', 'fix', 'enabled'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n') + '\n';
}

/** The Markdown table of rules in the README (kept in sync by scripts/readme-rules.mjs). */
export function readmeRulesTable(rules: readonly Rule[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = rules.map((r) => `| ${r.code} | \`${r.name}\` | ${LANGUAGE_NAMES[ruleLanguage(r)]} | ${r.category} | ${r.severity} | ${r.fixable ?? '—'} | ${esc(r.docs.summary)} |`);
  return ['| code | name | language | category | severity | fix | what it finds |', '|---|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
