// Every rule is one file under rules/<language>/; this finds and loads them, so adding a rule
// means adding its file and fixtures and nothing else.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { ruleLanguage, type Rule } from '../types.js';

const RULES_DIRS = ['python', 'js'].map((language) => ({ language, dir: fileURLToPath(new URL(`../../rules/${language}/`, import.meta.url)) }));

let cached: Promise<Rule[]> | undefined;

/**
 * For the bundled CLI (scripts/bundle.mjs): the rules compiled into the bundle, used instead of
 * reading dist/rules/python/. Must be called before the first loadRules().
 */
export function provideRules(modules: ReadonlyArray<{ file: string; rule: unknown }>): void {
  const rules = modules.map(({ file, rule }) => {
    if (!rule || typeof (rule as Rule).visit !== 'function') throw new Error(`rules/${file}: no default-exported rule`);
    return rule as Rule;
  });
  cached = Promise.resolve(checked(rules));
}

/**
 * All rules of every language, sorted by code. Files and folders starting with `_` hold shared
 * helpers. A JS rule's file does not load the TypeScript compiler (types.ts JsRule), so loading
 * them all costs a Python-only run nothing to speak of.
 */
export function loadRules(): Promise<Rule[]> {
  cached ??= (async () => {
    const rules: Rule[] = [];
    for (const { language, dir } of RULES_DIRS) {
      if (!existsSync(dir)) continue;
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.js') && !f.startsWith('_'))
        .sort();
      for (const f of files) {
        const mod = await import(pathToFileURL(path.join(dir, f)).href);
        const rule = mod.default as Rule | undefined;
        if (!rule || typeof rule.visit !== 'function') throw new Error(`rules/${language}/${f}: no default-exported rule`);
        if (ruleLanguage(rule) !== language) throw new Error(`rules/${language}/${f}: a ${ruleLanguage(rule)} rule in the ${language} folder`);
        rules.push(rule);
      }
    }
    return checked(rules);
  })();
  return cached;
}

/** Sorted by code; codes and names unique. */
function checked(rules: Rule[]): Rule[] {
  rules.sort((a, b) => a.code.localeCompare(b.code));
  const seen = new Map<string, string>();
  for (const r of rules) {
    for (const key of [r.code, r.name]) {
      if (seen.has(key)) throw new Error(`duplicate rule code or name "${key}" (${seen.get(key)} and ${r.code})`);
      seen.set(key, r.code);
    }
  }
  return rules;
}
