/**
 * The control API under /kubemock/v1 (a prefix no Kubernetes path uses), JSON in and out, errors
 * as Kubernetes Status objects, usable with curl from any language. Its hooks (faults, journal)
 * are global, so this plugin is registered before the Kubernetes routes. Described by the
 * OpenAPI document at /kubemock/v1/openapi.json.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { badRequest, notFound } from '../../apimachinery/status.js';
import { parseGoJson } from '../../apimachinery/json-scan.js';
import type { ControlApi } from './control-api.js';
import { parseJournalQuery } from './journal.js';
import { firstValues, type RawQuery } from '../../apimachinery/query-params.js';
import { CONTROL_OPENAPI } from './openapi.js';
import { RouteGroup } from '../route-group.js';

export interface ControlRoutesOptions {
  control: ControlApi;
}

const P = '/kubemock/v1';

/** The JSON body ({} when empty); the app keeps bodies as buffers. */
function body(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
  if (text.trim() === '') return {};
  try {
    const value = parseGoJson(Buffer.from(text, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw badRequest('the request body must be a JSON object');
  }
}

const json = (reply: FastifyReply, code: number, value: unknown) =>
  reply.code(code).header('content-type', 'application/json').send(JSON.stringify(value));

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: RawQuery }>;

async function controlRoutes(app: FastifyInstance, { control }: ControlRoutesOptions): Promise<void> {
  control.journal.decorate(app);
  // One onRequest hook for both (each hook Fastify runs costs every request): the faults first, and
  // the journal's only when no fault answered. The journal's onSend part is the app's one onSend
  // hook (durable-replies.ts, given journal.notePayload).
  const { faults, journal } = control;
  app.addHook('onRequest', (request, reply, done) => {
    if (!faults.active) return journal.onRequest(request, reply, done);
    faults.onRequest(request, reply, (err?: Error) => (err ? done(err) : journal.onRequest(request, reply, done)));
  });
  app.addHook('onResponse', journal.onResponse);

  // One route for the whole prefix, its paths in a table of their own: they cost a start almost nothing.
  const routes = new RouteGroup();
  routes.get(P, async (_q, reply) =>
    json(reply, 200, {
      paths: ['faults', 'chaos', 'journal', 'snapshots', 'clock', 'nodes', 'settle', 'openapi.json'].map((p) => `${P}/${p}`),
    }),
  );
  routes.get(`${P}/openapi.json`, async (_q, reply) => json(reply, 200, CONTROL_OPENAPI));

  routes.get(`${P}/faults`, async (_q, reply) => json(reply, 200, { items: control.faults.list() }));
  routes.post(`${P}/faults`, async (q, reply) => json(reply, 201, control.faults.add(body(q))));
  routes.get(`${P}/faults/:id`, async (q: Req, reply) => {
    const rule = control.faults.get(q.params.id);
    if (!rule) throw notFound({ group: 'kubemock.io', resource: 'faults' }, q.params.id);
    return json(reply, 200, rule);
  });
  routes.delete(`${P}/faults/:id`, async (q: Req, reply) => {
    if (!control.faults.remove(q.params.id)) throw notFound({ group: 'kubemock.io', resource: 'faults' }, q.params.id);
    return json(reply, 200, { removed: 1 });
  });
  routes.delete(`${P}/faults`, async (_q, reply) => json(reply, 200, { removed: control.faults.clear() }));

  routes.get(`${P}/chaos`, async (_q, reply) => json(reply, 200, control.chaos.state()));
  routes.post(`${P}/chaos`, async (q, reply) => json(reply, 200, control.chaos.apply(body(q))));

  routes.get(`${P}/journal`, async (q: Req, reply) => {
    const items = control.journal.entries(parseJournalQuery(firstValues(q.query)));
    return json(reply, 200, { items, count: items.length, latestSeq: control.journal.latestSeq, dropped: control.journal.dropped });
  });
  routes.delete(`${P}/journal`, async (_q, reply) =>
    json(reply, 200, { removed: control.journal.clear(), latestSeq: control.journal.latestSeq }),
  );

  routes.get(`${P}/snapshots`, async (_q, reply) => json(reply, 200, { items: control.snapshots.list() }));
  routes.post(`${P}/snapshots`, async (_q, reply) => json(reply, 201, control.takeSnapshot()));
  routes.post(`${P}/snapshots/:id/restore`, async (q: Req, reply) => json(reply, 200, control.restoreSnapshot(q.params.id)));
  routes.delete(`${P}/snapshots/:id`, async (q: Req, reply) => {
    if (!control.snapshots.delete(q.params.id)) throw notFound({ group: 'kubemock.io', resource: 'snapshots' }, q.params.id);
    return json(reply, 200, { removed: 1 });
  });

  routes.get(`${P}/clock`, async (_q, reply) => json(reply, 200, control.clockState()));
  routes.post(`${P}/clock/advance`, async (q, reply) => {
    const b = body(q);
    const ms = b.ms !== undefined ? b.ms : typeof b.seconds === 'number' ? b.seconds * 1000 : undefined;
    if (typeof ms !== 'number') throw badRequest('clock: give ms or seconds (a number)');
    return json(reply, 200, await control.advanceClock(ms));
  });

  routes.post(`${P}/nodes`, async (q, reply) => {
    const b = body(q);
    if (Array.isArray(b.names) && b.names.every((n) => typeof n === 'string'))
      return json(reply, 201, { names: control.addNodes(b.names) });
    if (typeof b.count === 'number') return json(reply, 201, { names: control.addNodes(b.count) });
    throw badRequest('nodes: give count (a number) or names (a list of strings)');
  });
  routes.post(`${P}/settle`, async (_q, reply) => {
    await control.settle();
    return json(reply, 200, { idle: true });
  });
  routes.mount(app, [P, `${P}/*`]);
}

export const controlApi = fp(controlRoutes, { name: 'kubemock-control' });
