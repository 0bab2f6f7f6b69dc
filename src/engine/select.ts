// Turns selectors from the CLI and config (codes, kebab-case names, code prefixes, category
// names, ALL) into sets of rules.
import { CATEGORIES, type Rule } from '../types.js';
import { nearest } from '../util/suggest.js';

export class SelectorError extends Error {
  constructor(readonly selector: string, readonly suggestions: string[]) {
    super(
      `unknown rule selector "${selector}"` +
        (suggestions.length ? ` (did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?)` : '') +
        '; expected a rule code (CL101), a rule name (requests-without-timeout), a code prefix (CL1), a category (timeout) or ALL',
    );
  }
}

/** Rules matched by one selector; throws SelectorError when it matches nothing known. */
export function matchSelector(selector: string, rules: readonly Rule[]): Rule[] {
  const s = selector.trim();
  if (s.toUpperCase() === 'ALL') return [...rules];
  const upper = s.toUpperCase();
  if (/^CL\d{0,3}$/.test(upper)) {
    const hits = rules.filter((r) => r.code.startsWith(upper));
    if (hits.length) return hits;
  }
  const lower = s.toLowerCase();
  const byName = rules.filter((r) => r.name === lower);
  if (byName.length) return byName;
  if ((CATEGORIES as readonly string[]).includes(lower)) return rules.filter((r) => r.category === lower);
  throw new SelectorError(s, suggest(s, rules));
}

/** The rule a single code or name refers to (for `conn-lint rule X` and suppressions). */
export function findRule(id: string, rules: readonly Rule[]): Rule | undefined {
  const upper = id.trim().toUpperCase();
  const lower = id.trim().toLowerCase();
  return rules.find((r) => r.code === upper || r.name === lower);
}

export interface Selection {
  select?: readonly string[];
  extendSelect?: readonly string[];
  ignore?: readonly string[];
}

/**
 * Enabled rules: `select` replaces the default (all rules), `extendSelect` adds, `ignore` removes.
 * The most specific selector wins when select and ignore overlap, as in Ruff.
 */
export function resolveSelection(sel: Selection, rules: readonly Rule[]): Rule[] {
  const score = new Map<Rule, { on: boolean; specificity: number }>();
  const apply = (list: readonly string[] | undefined, on: boolean) => {
    for (const s of list ?? []) {
      const hits = matchSelector(s, rules);
      const specificity = specificityOf(s, hits.length);
      for (const r of hits) {
        const prev = score.get(r);
        if (!prev || specificity >= prev.specificity) score.set(r, { on, specificity });
      }
    }
  };
  if (sel.select && sel.select.length) apply(sel.select, true);
  else for (const r of rules) score.set(r, { on: true, specificity: 0 });
  apply(sel.extendSelect, true);
  apply(sel.ignore, false);
  return rules.filter((r) => score.get(r)?.on);
}

function specificityOf(selector: string, hits: number): number {
  if (selector.toUpperCase() === 'ALL') return 1;
  if (hits === 1) return 100;
  return 10 + selector.length;
}

function suggest(s: string, rules: readonly Rule[]): string[] {
  return nearest(s, rules.flatMap((r) => [r.code, r.name]), 2);
}
