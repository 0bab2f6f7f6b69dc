// Shared by the gunicorn server-config rules (CL601–CL604): which files are gunicorn config
// files, and the settings a config file assigns at module level.
import type { SyntaxNode } from '../../../src/lang/python/tree.js';
import type { SemanticModel } from '../../../src/lang/python/model.js';
import type { PythonRule as Rule, RuleContext } from '../../../src/types.js';

/** Words that may accompany `gunicorn` in a config file's name: `gunicorn.conf.py`, `gunicorn_prod.py`. */
const NAME_WORDS = new Set([
  'gunicorn', 'conf', 'config', 'cfg', 'settings', 'prod', 'production', 'dev', 'development', 'staging', 'stage',
  'local', 'base', 'default', 'docker', 'heroku', 'k8s', 'web', 'app', 'api',
]);

/**
 * True for Python files named as gunicorn config files: the name (without `.py`) split on `.`, `_`,
 * `-` contains `gunicorn` and otherwise only config-ish words (`gunicorn.conf.py`, `gunicorn_config.py`,
 * `config/gunicorn.py`, `prod.gunicorn.conf.py`). Not `test_gunicorn.py` or `gunicorn_worker.py`.
 */
export function isGunicornConfigPath(path: string): boolean {
  if (!/gunicorn/i.test(path)) return false;
  const base = path.split(/[\\/]/).pop()!.toLowerCase();
  if (!base.endsWith('.py')) return false;
  const words = base.slice(0, -3).split(/[._-]+/).filter(Boolean);
  return words.includes('gunicorn') && words.every((w) => NAME_WORDS.has(w));
}

/** Settings whose presence marks a module as a gunicorn config (not some other `gunicorn.py`). */
const CORE_SETTINGS = new Set([
  'bind', 'workers', 'worker_class', 'threads', 'worker_connections', 'timeout', 'graceful_timeout', 'keepalive',
  'max_requests', 'max_requests_jitter', 'preload_app', 'wsgi_app', 'accesslog', 'errorlog', 'loglevel', 'backlog',
]);
export const HOOKS = new Set([
  'on_starting', 'on_reload', 'when_ready', 'pre_fork', 'post_fork', 'post_worker_init', 'worker_int', 'worker_abort',
  'pre_exec', 'pre_request', 'post_request', 'child_exit', 'worker_exit', 'nworkers_changed', 'on_exit',
]);

export interface GunicornConfig {
  /** Module-level assignments by setting name: the `assignment` node and its value. */
  settings: Map<string, Array<{ assignment: SyntaxNode; value: SyntaxNode }>>;
  /** Hook functions defined at module level, by name. */
  hooks: Map<string, SyntaxNode>;
  /** `from x import *`, `globals()[...] = ...`, `globals().update(...)`, `exec(...)`: settings we cannot see. */
  dynamic: boolean;
  /** Statements run at import time (module level, including inside `if`/`try`/`with` blocks). */
  statements: SyntaxNode[];
}

const cache = new WeakMap<SemanticModel, GunicornConfig | null>();

/** The config's settings, or null when the module assigns no gunicorn setting and defines no hook. */
export function gunicornConfig(model: SemanticModel): GunicornConfig | null {
  if (cache.has(model)) return cache.get(model)!;
  const cfg: GunicornConfig = { settings: new Map(), hooks: new Map(), dynamic: false, statements: [] };
  const visit = (block: SyntaxNode) => {
    for (const stmt of block.namedChildren) {
      cfg.statements.push(stmt);
      switch (stmt.type) {
        case 'expression_statement': {
          const a = stmt.namedChild(0);
          if (a?.type === 'assignment') addAssignment(a, cfg);
          break;
        }
        case 'function_definition':
          cfg.hooks.set(stmt.childForFieldName('name')?.text ?? '', stmt);
          continue;
        case 'decorated_definition': {
          const def = stmt.childForFieldName('definition');
          if (def?.type === 'function_definition') cfg.hooks.set(def.childForFieldName('name')?.text ?? '', def);
          continue;
        }
        case 'class_definition':
          continue;
        case 'import_from_statement':
          if (stmt.namedChildren.some((c) => c.type === 'wildcard_import')) cfg.dynamic = true;
          break;
        case 'if_statement':
        case 'try_statement':
        case 'with_statement':
        case 'for_statement':
        case 'while_statement':
          for (const c of stmt.namedChildren) {
            if (c.type === 'block') visit(c);
            else if (['else_clause', 'elif_clause', 'except_clause', 'finally_clause'].includes(c.type)) {
              for (const b of c.namedChildren) if (b.type === 'block') visit(b);
            }
          }
          break;
      }
      if (!cfg.dynamic) {
        for (const id of stmt.descendantsOfType('identifier')) {
          if ((id.text === 'globals' || id.text === 'exec' || id.text === 'locals') && id.parent?.type === 'call') cfg.dynamic = true;
        }
      }
    }
  };
  visit(model.root);
  const isConfig = [...cfg.settings.keys()].some((k) => CORE_SETTINGS.has(k)) || [...cfg.hooks.keys()].some((k) => HOOKS.has(k));
  const result = isConfig ? cfg : null;
  cache.set(model, result);
  return result;
}

function addAssignment(a: SyntaxNode, cfg: GunicornConfig): void {
  let value = a.childForFieldName('right');
  const targets = [a.childForFieldName('left')];
  while (value?.type === 'assignment') {
    targets.push(value.childForFieldName('left'));
    value = value.childForFieldName('right');
  }
  if (!value) return;
  for (const t of targets) {
    if (t?.type !== 'identifier') continue;
    const list = cfg.settings.get(t.text) ?? [];
    list.push({ assignment: a, value });
    cfg.settings.set(t.text, list);
  }
}

/** A setting's value as a number when it is a numeric constant (or a numeric string, as gunicorn converts it). */
export function numericValue(model: SemanticModel, value: SyntaxNode): number | undefined {
  const v = model.constantValue(value);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** The assignments of `setting` whose value is a numeric constant (see numericValue), with that number. */
export function numericAssignments(
  cfg: GunicornConfig,
  model: SemanticModel,
  setting: string,
): Array<{ assignment: SyntaxNode; value: SyntaxNode; n: number }> {
  const out: Array<{ assignment: SyntaxNode; value: SyntaxNode; n: number }> = [];
  for (const { assignment, value } of cfg.settings.get(setting) ?? []) {
    const n = numericValue(model, value);
    if (n !== undefined) out.push({ assignment, value, n });
  }
  return out;
}

/** The node a "missing setting" finding points at: the first token of the file's first statement or comment. */
export function firstLineNode(model: SemanticModel): SyntaxNode {
  let n = model.root.firstChild ?? model.root;
  while (n.firstChild) n = n.firstChild;
  return n;
}

/** Which files the gunicorn rules read, and what they cannot see: said in each rule's docs. */
export const GUNICORN_SCOPE =
  ' Applies to Python files named like gunicorn configs (`gunicorn.conf.py`, `gunicorn_config.py`, `gunicorn_prod.py`, ' +
  '`config/gunicorn.py`) that assign at least one gunicorn setting; a config with another name passed with `-c` in a ' +
  'Procfile or Dockerfile `CMD`, and settings given as command-line flags, are not seen.';

/**
 * A gunicorn config rule (CL60x): category server-config, run once per file on gunicorn config
 * paths only, GUNICORN_SCOPE appended to the docs' summary, and `check` called with the parsed
 * config when the module is one (see gunicornConfig).
 */
export function gunicornRule(
  spec: Pick<Rule, 'code' | 'name' | 'severity' | 'docs'> & { check(cfg: GunicornConfig, ctx: RuleContext): void },
): Rule {
  return {
    code: spec.code,
    name: spec.name,
    category: 'server-config',
    severity: spec.severity,
    triggers: [],
    nodeTypes: ['module'],
    appliesTo: isGunicornConfigPath,
    docs: { ...spec.docs, summary: spec.docs.summary + GUNICORN_SCOPE },
    visit(_module, ctx) {
      const cfg = gunicornConfig(ctx.model);
      if (cfg) spec.check(cfg, ctx);
    },
  };
}
