import type { JsRule } from '../../src/types.js';
import type * as TS from 'typescript';
import { FETCH_FUNCTIONS } from './_shared/http-clients.js';

const rule: JsRule = {
  language: 'js',
  code: 'CL151',
  name: 'fetch-without-timeout',
  category: 'timeout',
  severity: 'error',
  triggers: ['fetch'],
  nodeKinds: ['CallExpression'],
  docs: {
    summary: '`fetch()` (global, `node-fetch`, `undici`, `cross-fetch`) is called without a `signal` in its init object, so nothing aborts it.',
    why:
      "A fetch without a signal waits as long as the server lets it: in browsers forever, in Node.js up to undici's defaults of " +
      '300 s for the response headers and 300 s more between body chunks. When an upstream slows down, every request that calls ' +
      'it holds its socket, its memory and whatever awaits it for minutes; the event loop stays free, but the service stops ' +
      'answering in time and its own callers time out and retry, adding load.',
    bad: 'const res = await fetch("https://api.example.com/items");\n',
    good: 'const res = await fetch("https://api.example.com/items", { signal: AbortSignal.timeout(10_000) });\n',
    references: ['https://developer.mozilla.org/en-US/docs/Web/API/AbortSignal/timeout_static', 'https://undici.nodejs.org/#/docs/api/Client'],
  },
  visit(node, ctx) {
    const { ts, model } = ctx;
    const call = node as TS.CallExpression;
    const name = model.callTarget(call).name;
    if (name === undefined || !FETCH_FUNCTIONS.has(name)) return;
    if (call.arguments.some((a) => ts.isSpreadElement(a))) return;
    const init = call.arguments[1];
    const callee = name === 'fetch' ? '`fetch()`' : `\`${name}()\``;
    const fix = 'Pass `signal: AbortSignal.timeout(10_000)` in the init object (Node.js 17.3+), or an `AbortController` aborted by a timer.';
    if (init === undefined) {
      ctx.report({ node: call, message: `${callee} has no init object, so no \`signal\` aborts it: it waits as long as the server lets it (300 s for headers and again for the body in Node.js). ${fix}` });
      return;
    }
    const shape = model.objectShape(init);
    // An init built elsewhere or spread from something unknown may carry a signal.
    if (!shape || shape.open) return;
    const signal = shape.props.get('signal');
    if (signal === undefined) {
      ctx.report({ node: call, message: `${callee} has no \`signal\` in its init object, so nothing aborts it: it waits as long as the server lets it (300 s for headers and again for the body in Node.js). ${fix}` });
    } else if (ts.isExpression(signal) && model.isNullish(signal)) {
      ctx.report({ node: call, message: `${callee} is given \`signal: ${model.text(signal)}\`, which aborts nothing. ${fix}` });
    }
  },
};

export default rule;
