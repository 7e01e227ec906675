/**
 * The baseline: bare Fastify + better-sqlite3 doing the I/O kubemock does for pods, and nothing
 * else. Same schema (kubemock's own migration files are applied), same SQL shape as
 * src/storage/object-store.ts, same body handling (raw buffer, JSON.parse, stored JSON sent as is):
 *
 * - GET by name: one SELECT by primary key, the stored JSON string sent as is;
 * - LIST: one SELECT of the namespace's rows in name order, bodies joined into a PodList string;
 * - POST: JSON.parse, set uid / creationTimestamp / resourceVersion (and a generated name),
 *   JSON.stringify, INSERT the key into objects and the body into the revision log in one transaction, 201.
 *
 * On a database file (WAL, synchronous NORMAL, as kubemock opens one) each POST commits its own
 * transaction before the reply.
 *
 * No validation, defaulting, admission, content negotiation, watch fan-out or Status errors:
 * the gap between the two servers is what kubemock's own code costs.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';

export interface BareServer {
  fastify: FastifyInstance;
  close(): Promise<void>;
}

const MIGRATIONS = new URL('../../migrations/', import.meta.url);
const RESOURCE = 'pods';
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** kubemock's request body limit (MAX_REQUEST_BODY_BYTES), kept in step by hand. */
const BODY_LIMIT = 3 * 1024 * 1024;
const MAX_NAME_ATTEMPTS = 8;

interface Row {
  rv: number;
  body: string;
}

interface PodBody {
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    resourceVersion?: string;
  };
  [k: string]: unknown;
}

function generateName(base: string): string {
  let out = base;
  for (let i = 0; i < 5; i++) out += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return out;
}

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function sendJson(reply: FastifyReply, code: number, json: string): FastifyReply {
  return reply.code(code).header('content-type', 'application/json').send(Buffer.from(json));
}

function sendError(reply: FastifyReply, code: number, reason: string, message: string): FastifyReply {
  return sendJson(
    reply,
    code,
    JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }),
  );
}

/** `file` is ':memory:' or a path; the pragmas are those src/storage/database.ts sets for each kind. */
export function openBareDatabase(file = ':memory:'): Database.Database {
  const db = new Database(file);
  if (file === ':memory:') db.pragma('page_size = 16384');
  else {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const files = readdirSync(MIGRATIONS)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  for (const file of files) db.exec(readFileSync(new URL(file, MIGRATIONS), 'utf8'));
  return db;
}

export async function buildBareServer(file = ':memory:'): Promise<BareServer> {
  const db = openBareDatabase(file);
  // The body lives once, in the revision log; an object's row names its current log row.
  const select = db.prepare<[string, string, string], Row>(
    'SELECT o.rv, e.body FROM objects o JOIN object_events e ON e.id = o.rv WHERE o.resource = ? AND o.namespace = ? AND o.name = ?',
  );
  const list = db.prepare<[string, string], Row & { name: string }>(
    'SELECT o.namespace, o.name, o.rv, e.body FROM objects o JOIN object_events e ON e.id = o.rv WHERE o.resource = ? AND o.namespace = ? ORDER BY o.name',
  );
  const insert = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO objects (resource, namespace, name, uid, rv) VALUES (?, ?, ?, ?, ?)',
  );
  const append = db.prepare<[number, string, string, string, string, null, string]>(
    'INSERT INTO object_events (id, resource, namespace, name, type, prev_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const write = db.transaction((namespace: string, name: string, uid: string, rv: number, body: string) => {
    insert.run(RESOURCE, namespace, name, uid, rv);
    append.run(rv, RESOURCE, namespace, name, 'ADDED', null, body);
  });
  let revision = 0;

  const fastify = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: true });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  fastify.get<{ Params: { namespace: string; name: string } }>('/api/v1/namespaces/:namespace/pods/:name', (request, reply) => {
    const row = select.get(RESOURCE, request.params.namespace, request.params.name);
    if (!row) return sendError(reply, 404, 'NotFound', `pods "${request.params.name}" not found`);
    return sendJson(reply, 200, row.body);
  });

  fastify.get<{ Params: { namespace: string } }>('/api/v1/namespaces/:namespace/pods', (request, reply) => {
    const rows = list.all(RESOURCE, request.params.namespace);
    const head = `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"${revision}"},"items":[`;
    return sendJson(reply, 200, `${head}${rows.map((r) => r.body).join(',')}]}`);
  });

  fastify.post<{ Params: { namespace: string } }>('/api/v1/namespaces/:namespace/pods', (request, reply) => {
    const namespace = request.params.namespace;
    let obj: PodBody;
    try {
      obj = JSON.parse((request.body as Buffer).toString('utf8')) as PodBody;
    } catch (e) {
      return sendError(reply, 400, 'BadRequest', `error decoding request body: ${(e as Error).message}`);
    }
    const meta = (obj.metadata ??= {});
    const explicit = meta.name;
    if (!explicit && !meta.generateName) return sendError(reply, 422, 'Invalid', 'name or generateName is required');
    // Like kubemock, a generated name that is taken is generated again (a few times).
    for (let attempt = 0; ; attempt++) {
      const name = explicit || generateName(meta.generateName!);
      const rv = revision + 1;
      meta.name = name;
      meta.namespace = namespace;
      meta.uid = randomUUID();
      meta.creationTimestamp = rfc3339(Date.now());
      meta.resourceVersion = String(rv);
      const json = JSON.stringify(obj);
      try {
        write(namespace, name, meta.uid, rv, json);
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw e;
        if (explicit || attempt + 1 >= MAX_NAME_ATTEMPTS) return sendError(reply, 409, 'AlreadyExists', `pods "${name}" already exists`);
        continue;
      }
      revision = rv;
      return sendJson(reply, 201, json);
    }
  });

  return {
    fastify,
    close: async () => {
      await fastify.close();
      db.close();
    },
  };
}
