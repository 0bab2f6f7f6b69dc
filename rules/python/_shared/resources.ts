// Shared by the resource-close rules (CL4xx): the trigger words and how a resource is named in
// messages. The analysis itself lives in src/lang/python/lifetime.ts.
import { RESOURCE_TRIGGERS as FROM_CREATORS, withArticle, type Lifetime } from '../../../src/lang/python/lifetime.js';

/**
 * What a file must contain for any resource to be recognised: a creator's top-level module
 * (`requests`, `sqlite3`, `socket`, `concurrent`, ...) and the name a call to it spells
 * (`ThreadPoolExecutor`, `connect`, `Session`): see nameTriggers() in knowledge.ts.
 */
export const RESOURCE_TRIGGERS: ReadonlyArray<ReadonlyArray<string | RegExp>> = FROM_CREATORS;

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
