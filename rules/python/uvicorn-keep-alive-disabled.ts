import type { PythonRule as Rule } from '../../src/types.js';
import { argumentOf } from '../../src/lang/python/calls.js';
import { uvicornEntry } from './_shared/uvicorn.js';

const rule: Rule = {
  code: 'CL605',
  name: 'uvicorn-keep-alive-disabled',
  category: 'server-config',
  severity: 'warning',
  triggers: ['uvicorn'],
  nodeTypes: ['call'],
  docs: {
    summary: '`uvicorn.run(...)` or `uvicorn.Config(...)` is given `timeout_keep_alive=0` (or less).',
    why:
      'With a zero keep-alive timeout uvicorn closes every connection as soon as its response is sent. Each request then ' +
      'pays a new TCP (and TLS) handshake, closed sockets pile up in TIME_WAIT on the busy side, and a load balancer or ' +
      'proxy that reuses its upstream connections races the close and returns 502s. The keep-alive timeout should be ' +
      "longer than the proxy's idle timeout, not shorter.",
    bad: 'import uvicorn\n\nuvicorn.run("app:app", host="0.0.0.0", timeout_keep_alive=0, limit_concurrency=500)\n',
    good: 'import uvicorn\n\nuvicorn.run("app:app", host="0.0.0.0", timeout_keep_alive=75, limit_concurrency=500)\n',
    references: ['https://www.uvicorn.org/settings/#timeouts'],
  },
  visit(call, ctx) {
    const entry = uvicornEntry(call, ctx.model);
    if (!entry) return;
    const a = argumentOf(call, 'timeout_keep_alive');
    if (a.kind !== 'present') return;
    const v = ctx.model.constantValue(a.node);
    if (typeof v !== 'number' || v > 0) return;
    ctx.report({
      node: a.node.parent ?? a.node,
      message:
        `\`timeout_keep_alive=${a.node.text}\` makes uvicorn close each connection right after its response: every request pays a ` +
        'new TCP/TLS handshake, sockets pile up in TIME_WAIT, and a proxy that reuses upstream connections gets 502s. Set it ' +
        "above the load balancer's idle timeout (e.g. `timeout_keep_alive=75` behind a 60 s ALB).",
    });
  },
};

export default rule;
