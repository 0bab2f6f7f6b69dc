// The JS/TS model: names through imports and require, types from constructors, factories and
// annotations, and the context of a node (async, loop, finally, request handler).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as TS from 'typescript';
import { typescript } from '../src/lang/js/typescript.js';
import { parseJs } from '../src/lang/js/parse.js';
import { JsModel } from '../src/lang/js/model.js';

const ts = typescript();

function modelOf(source: string, path = 'app.ts') {
  const { sf } = parseJs(path, source);
  return new JsModel(ts, sf, path);
}

/** Every node of a kind, in source order. */
function nodes<T extends TS.Node>(model: JsModel, is: (n: TS.Node) => n is T): T[] {
  const out: T[] = [];
  const stack: TS.Node[] = [model.sf];
  while (stack.length) {
    const n = stack.pop()!;
    if (is(n)) out.push(n);
    const kids: TS.Node[] = [];
    ts.forEachChild(n, (c) => {
      kids.push(c);
    });
    stack.push(...kids.reverse());
  }
  return out;
}

/** The qualified name of each call's callee, in source order. */
function callees(source: string, path?: string): Array<string | undefined> {
  const m = modelOf(source, path);
  return nodes(m, ts.isCallExpression).map((c) => m.callTarget(c).name);
}

test('qualified names through every import form, require and aliases', () => {
  assert.deepEqual(
    callees(`
import axios from 'axios';
import * as fs from 'node:fs';
import { readFile as rf } from 'fs/promises';
import def, { request } from 'undici';
import cp = require('child_process');
const { execSync, spawnSync: run } = require('node:child_process');
const zlib = require('zlib');
const gunzip = require('zlib').gunzipSync;
const get = axios.get;
axios.get(u);
fs.readFileSync(p);
rf(p);
request(u);
def.fetch(u);
cp.execFileSync(c);
execSync(c);
run(c);
zlib.deflateSync(b);
gunzip(b);
get(u);
fs['writeFileSync'](p, d);
`),
    [
      'require', 'require', 'require',
      'axios.get', 'fs.readFileSync', 'fs.promises.readFile', 'undici.request', 'undici.fetch', 'child_process.execFileSync',
      'child_process.execSync', 'child_process.spawnSync', 'zlib.deflateSync', 'zlib.gunzipSync', 'axios.get', 'fs.writeFileSync',
    ],
  );
});

test('globals are themselves unless shadowed; globalThis.x is x; locals are unknown', () => {
  assert.deepEqual(
    callees(`
fetch(u);
globalThis.fetch(u);
function f(fetch) { fetch(u); }
let client = makeClient();
client.get(u);
const o = { fetch() {} };
o.fetch();
`),
    ['fetch', 'fetch', undefined, 'makeClient', undefined, undefined],
  );
});

test('types from constructors, factories, awaited methods, annotations and fields', () => {
  const m = modelOf(`
import { Pool, PoolClient } from 'pg';
import axios from 'axios';
import type { AxiosInstance } from 'axios';
import Redis from 'ioredis';
import { PrismaClient } from '@prisma/client';
const pool = new Pool({ max: 10 });
const api = axios.create({ baseURL: 'x' });
const redis = new Redis();
class Base extends Pool {}
const mine = new Base();
async function run(client: PoolClient, http: AxiosInstance | null, other) {
  const c = await pool.connect();
  const viaAs = other as PoolClient;
  T(pool); T(api); T(redis); T(mine); T(c); T(client); T(http); T(other); T(viaAs);
}
class Repo {
  private db = new PrismaClient();
  constructor(private readonly pg: Pool, plain: Pool) {}
  m() { this.later = axios.create(); T(this.db); T(this.pg); T(this.later); T(this.nothing); }
}
`);
  const types = nodes(m, ts.isCallExpression)
    .filter((c) => ts.isIdentifier(c.expression) && c.expression.text === 'T')
    .map((c) => m.typeOf(c.arguments[0]));
  assert.deepEqual(types, [
    'pg.Pool', 'axios.AxiosInstance', 'ioredis.Redis', 'pg.Pool', 'pg.PoolClient', 'pg.PoolClient', 'axios.AxiosInstance', undefined, 'pg.PoolClient',
    '@prisma/client.PrismaClient', 'pg.Pool', 'axios.AxiosInstance', undefined,
  ]);
});

test('context: async functions (a nested plain function resets it), loops, finally, module scope', () => {
  const m = modelOf(`
mark('top');
async function a(items) {
  mark('async');
  const f = () => mark('nested-sync');
  for (const x of items) { mark('for-of-body'); }
  for (const y of mark('iterable')) {}
  while (mark('while-cond')) {}
  items.forEach((x) => mark('callback'));
  try { mark('try'); } finally { mark('finally'); }
  const g = async () => mark('nested-async');
}
`);
  const byMark = new Map(
    nodes(m, ts.isCallExpression)
      .filter((c) => ts.isIdentifier(c.expression) && c.expression.text === 'mark')
      .map((c) => [(c.arguments[0] as TS.StringLiteral).text, c] as const),
  );
  const ctx = m.context;
  const at = (k: string) => byMark.get(k)!;
  assert.equal(ctx.atModuleScope(at('top')), true);
  assert.equal(ctx.inAsyncFunction(at('top')), false);
  assert.equal(ctx.inAsyncFunction(at('async')), true);
  assert.equal(ctx.inAsyncFunction(at('nested-sync')), false);
  assert.equal(ctx.inAsyncFunction(at('nested-async')), true);
  assert.equal(ctx.loopAround(at('for-of-body'))?.kind, 'statement');
  assert.equal(ctx.loopAround(at('iterable')), undefined, "a for-of's iterable runs once");
  assert.equal(ctx.loopAround(at('while-cond'))?.kind, 'statement');
  assert.equal(ctx.loopAround(at('callback'))?.kind, 'callback');
  assert.equal(ctx.loopAround(at('async')), undefined);
  assert.ok(ctx.tryFinallyAround(at('try')));
  assert.equal(ctx.tryFinallyAround(at('finally')), undefined);
  assert.equal(ctx.inFinally(at('finally')), true);
});

/** The handler kind of each function named `h` (or arrow assigned to / passed as one), in order. */
function handlerKinds(source: string, path = 'app.ts'): Array<string | undefined> {
  const m = modelOf(source, path);
  return nodes(m, (n): n is TS.Node => n.kind === ts.SyntaxKind.StringLiteral && (n as TS.StringLiteral).text === 'HERE').map((n) => m.context.handlerAround(n)?.kind);
}

test('request handlers of Express, Koa, Fastify, Hapi, NestJS, Next.js, Lambda and http servers', () => {
  assert.deepEqual(
    handlerKinds(`
import express from 'express';
import Koa from 'koa';
import http from 'node:http';
import { Controller, Get } from '@nestjs/common';
const app = express();
const router = express.Router();
app.get('/orders/:id', async (req, res) => { 'HERE'; });
router.post('/x', auth, function (req, res) { 'HERE'; });
router.route('/y').put((req, res) => { 'HERE'; });
app.use((req, res, next) => { 'HERE'; });
new Koa().use(async (ctx) => { 'HERE'; });
fastify.route({ method: 'GET', url: '/z', handler: async (request, reply) => { 'HERE'; } });
http.createServer((req, res) => { 'HERE'; });
@Controller('items')
class Items { @Get(':id') find() { 'HERE'; } helper() { 'HERE'; } }
export const handler = async (event) => { 'HERE'; };
function notAHandler(req, res) { 'HERE'; }
app.get('/nested', (req, res) => { setTimeout(() => { 'HERE'; }); });
list.map((x) => { 'HERE'; });
`),
    ['route', 'route', 'route', 'middleware', 'middleware', 'route', 'http-server', 'controller', undefined, 'lambda', undefined, 'route', undefined],
  );
  assert.deepEqual(handlerKinds(`export async function GET(request) { 'HERE'; }\nexport function helper() { 'HERE'; }`, 'app/api/items/route.ts'), ['nextjs', undefined]);
  assert.deepEqual(handlerKinds(`export async function GET(request) { 'HERE'; }`, 'lib/util.ts'), [undefined]);
  assert.deepEqual(handlerKinds(`export default async function handler(req, res) { 'HERE'; }`, 'pages/api/items.ts'), ['nextjs']);
  assert.deepEqual(handlerKinds(`exports.handler = async (event) => { 'HERE'; };`, 'lambda.js'), ['lambda']);
});

test('object shapes, nullish values and numbers through consts', () => {
  const m = modelOf(`
const base = { timeout: 5000 };
const opts = { ...base, retries: 2, ['x' + y]: 1 };
const closed = { ...base, signal: undefined };
const N = 10 * 1000;
probe(opts, closed, N, -1, Infinity, Number.POSITIVE_INFINITY, 1_000, somethingElse);
`);
  const probe = nodes(m, ts.isCallExpression).find((c) => ts.isIdentifier(c.expression) && c.expression.text === 'probe')!;
  const [opts, closed, n, neg, inf, posInf, sep, other] = probe.arguments;
  const shape = m.objectShape(opts)!;
  assert.deepEqual([...shape.props.keys()], ['timeout', 'retries']);
  assert.equal(shape.open, true, 'a computed key may be anything');
  const c = m.objectShape(closed)!;
  assert.equal(c.open, false);
  assert.ok(m.isNullish(c.props.get('signal') as TS.Expression));
  assert.deepEqual([n, neg, inf, posInf, sep].map((e) => m.numberValue(e)), [10000, -1, Infinity, Infinity, 1000]);
  assert.equal(m.numberValue(other), undefined);
  assert.equal(m.objectShape(other), undefined);
});
