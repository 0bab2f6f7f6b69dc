// Shared by the resource-close rules (CL4xx): the trigger words and how a resource is named in
// messages. The analysis itself lives in src/lang/python/lifetime.ts.
import { RESOURCE_MODULES, withArticle, type Lifetime } from '../../../src/lang/python/lifetime.js';

/**
 * Words one of which a file must contain for any resource to be recognised: the top-level modules
 * of the creators (`requests`, `sqlite3`, `socket`, `concurrent`, ...). A creator is reached
 * through an import, annotation or base class that spells its module, or, inside the library
 * itself, through a relative import, where the file's module name spells it.
 */
export const RESOURCE_TRIGGERS: string[] = RESOURCE_MODULES;

/** `` `session` (a requests.Session) `` or `` a requests.Session `` for an unnamed one. */
export function describe(lt: Lifetime): string {
  return lt.name ? `\`${lt.name}\` (${withArticle(lt.spec.label)})` : `this ${lt.spec.label}`;
}

/** `requests.Session()` → the call's text when short, else the creator's name. */
export function creationText(lt: Lifetime): string {
  const t = lt.call.text;
  if (t.length <= 60 && !t.includes('\n')) return t;
  return `${lt.spec.creator.replace(/^concurrent\.futures\./, '').replace(/\.__call__$/, '')}(...)`;
}
