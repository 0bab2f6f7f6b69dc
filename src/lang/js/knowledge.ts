// What the JS model knows about libraries: which expressions make which kind of object, so that a
// local, a parameter or a field gets a type the rules can ask about. Names are qualified as the
// model spells them: the module as imported (`node:` dropped, `fs/promises` as `fs.promises`),
// then the member path (`pg.Pool`, `axios.create`, `@prisma/client.PrismaClient`). Which of these
// objects need a timeout, a limit or a release is the rules' tables (rules/js/_shared), not this.

/** Another spelling of a module or export → the one the tables use. */
export const TYPE_ALIASES: Readonly<Record<string, string>> = {
  // ioredis exports the class as default and as `Redis`.
  ioredis: 'ioredis.Redis',
  'ioredis.default': 'ioredis.Redis',
  // `import Sequelize from 'sequelize'` and `{ Sequelize }` are the same class.
  sequelize: 'sequelize.Sequelize',
  'mysql2/promise': 'mysql2',
  'mysql2/promise.createPool': 'mysql2.createPool',
  'mysql2/promise.createConnection': 'mysql2.createConnection',
  'pg.default.Pool': 'pg.Pool',
  'pg.default.Client': 'pg.Client',
  'undici.default.Pool': 'undici.Pool',
  mongoose: 'mongoose',
  koa: 'koa.Application',
  hapi: '@hapi/hapi',
};

/** `new X(...)` of these makes an object of that type (the class's own name). */
export const CONSTRUCTED: ReadonlySet<string> = new Set([
  'pg.Pool',
  'pg.Client',
  'pg-pool',
  'undici.Pool',
  'undici.Client',
  'undici.Agent',
  'undici.BalancedPool',
  'http.Agent',
  'https.Agent',
  '@prisma/client.PrismaClient',
  'mongodb.MongoClient',
  'ioredis.Redis',
  'ioredis.Cluster',
  'sequelize.Sequelize',
  'koa.Application',
  'bottleneck',
  'p-queue',
  'AbortController',
  'URL',
]);

/** Calls that return an object of a known type: factory name → type. */
export const FACTORY_RETURNS: Readonly<Record<string, string>> = {
  'axios.create': 'axios.AxiosInstance',
  'got.extend': 'got.Got',
  'redis.createClient': 'redis.RedisClient',
  'redis.createCluster': 'redis.RedisClient',
  'mysql.createPool': 'mysql.Pool',
  'mysql.createConnection': 'mysql.Connection',
  'mysql2.createPool': 'mysql.Pool',
  'mysql2.createConnection': 'mysql.Connection',
  knex: 'knex.Knex',
  'knex.knex': 'knex.Knex',
  'mongodb.MongoClient.connect': 'mongodb.MongoClient',
  'mongoose.createConnection': 'mongoose.Connection',
  'puppeteer.launch': 'puppeteer.Browser',
  'puppeteer.connect': 'puppeteer.Browser',
  'playwright.chromium.launch': 'playwright.Browser',
  'playwright.firefox.launch': 'playwright.Browser',
  'playwright.webkit.launch': 'playwright.Browser',
  'fs.promises.open': 'fs.promises.FileHandle',
  'fs.createReadStream': 'fs.ReadStream',
  'fs.createWriteStream': 'fs.WriteStream',
  express: 'express.Application',
  'express.Router': 'express.Router',
  fastify: 'fastify.FastifyInstance',
  'fastify.fastify': 'fastify.FastifyInstance',
  '@hapi/hapi.server': '@hapi/hapi.Server',
  'http.createServer': 'http.Server',
  'https.createServer': 'http.Server',
  'p-limit': 'p-limit.Limit',
  'p-limit.default': 'p-limit.Limit',
  'p-limit.pLimit': 'p-limit.Limit',
};

/** Methods of a known type that return another: `Type.method` → type of the (awaited) result. */
export const METHOD_RETURNS: Readonly<Record<string, string>> = {
  'pg.Pool.connect': 'pg.PoolClient',
  'pg-pool.connect': 'pg.PoolClient',
  'mongodb.MongoClient.connect': 'mongodb.MongoClient',
  'mongodb.MongoClient.startSession': 'mongodb.ClientSession',
  'mongoose.startSession': 'mongodb.ClientSession',
  'mongoose.Connection.startSession': 'mongodb.ClientSession',
  'puppeteer.Browser.newPage': 'puppeteer.Page',
  'playwright.Browser.newPage': 'playwright.Page',
  'playwright.Browser.newContext': 'playwright.BrowserContext',
  'mysql.Pool.getConnection': 'mysql.PoolConnection',
  'redis.RedisClient.duplicate': 'redis.RedisClient',
  'ioredis.Redis.duplicate': 'ioredis.Redis',
  'express.Application.listen': 'http.Server',
};

/** The canonical spelling of a qualified name. */
export function canonical(name: string): string {
  return TYPE_ALIASES[name] ?? name;
}

/** A module specifier as the tables spell it: `node:fs/promises` → `fs.promises`. */
export function moduleName(specifier: string): string {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const m = /^(fs|dns|stream|timers|readline)\/promises$/.exec(bare);
  return m ? `${m[1]}.promises` : bare;
}
