// The TypeScript compiler API, loaded on first use: a run that lints no JS/TS file never pays for
// it (about 0.3 s and 40 MB per thread). It is the copy ts-morph ships (@ts-morph/common), so the
// raw nodes the engine walks and the ts-morph wrappers a rule may ask for are the same objects.
import { createRequire } from 'node:module';
import type * as TS from 'typescript';

const require = createRequire(import.meta.url);
let loaded: typeof TS | undefined;

export function typescript(): typeof TS {
  loaded ??= (require('@ts-morph/common') as { ts: typeof TS }).ts;
  return loaded;
}

/** Whether the compiler has been loaded in this thread (for tests of the lazy loading). */
export function typescriptLoaded(): boolean {
  return loaded !== undefined;
}
