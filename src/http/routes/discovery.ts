/**
 * Discovery, version and health (OpenAPI is in openapi.ts). Documents come from
 * ../discovery/documents.ts; this file only picks the format and writes the bytes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pathNotFound } from '../../apimachinery/status.js';
import { queryValues, type RawQuery } from '../../apimachinery/query-params.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import {
  type AggregatedVersion,
  LEGACY_CONTENT_TYPE,
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  negotiateDiscovery,
} from '../discovery/documents.js';
import { versionInfo } from '../discovery/version.js';

export interface DiscoveryRoutesOptions {
  definitions: ResourceDefinition[];
}

const HEALTH_CHECKS = [
  'ping',
  'log',
  'etcd',
  'poststarthook/start-apiserver-admission-initializer',
  'poststarthook/generic-apiserver-start-informers',
];
const HEALTH_ENDPOINTS: Record<string, string[]> = {
  healthz: HEALTH_CHECKS,
  livez: HEALTH_CHECKS,
  readyz: [...HEALTH_CHECKS.slice(0, 3), 'etcd-readiness', 'informer-sync', ...HEALTH_CHECKS.slice(3), 'shutdown'],
};

/**
 * Send pre-serialised JSON with exactly `contentType`. A Buffer, not a string: for a string with a JSON media
 * type Fastify 5 appends `; charset=utf-8`, and the aggregated discovery Content-Type must stay verbatim.
 */
function sendJson(reply: FastifyReply, body: unknown, contentType = LEGACY_CONTENT_TYPE): FastifyReply {
  return reply.header('content-type', contentType).send(Buffer.from(JSON.stringify(body)));
}

/** `/api` and `/apis`: aggregated discovery when the Accept header asks for it, legacy JSON otherwise. */
function sendRoot(
  request: FastifyRequest,
  reply: FastifyReply,
  aggregated: (v: AggregatedVersion) => unknown,
  legacy: () => unknown,
): FastifyReply {
  const format = negotiateDiscovery(request.headers.accept);
  reply.header('vary', 'Accept');
  if (format === 'legacy') return sendJson(reply, legacy());
  return sendJson(reply, aggregated(format), aggregatedContentType(format));
}

function queryOf(request: FastifyRequest): RawQuery {
  return (request.query ?? {}) as RawQuery;
}

/** The `ok` / verbose body of /healthz, /livez and /readyz (`?verbose`, `?exclude=name`). */
export function healthBody(endpoint: string, verbose: boolean, exclude: string[] = []): string {
  if (!verbose) return 'ok';
  const lines = (HEALTH_ENDPOINTS[endpoint] ?? HEALTH_CHECKS).map((c) => (exclude.includes(c) ? `[+]${c} excluded: ok` : `[+]${c} ok`));
  return `${lines.join('\n')}\n${endpoint} check passed\n`;
}

function sendText(reply: FastifyReply, text: string): FastifyReply {
  return reply.header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(text);
}

type Params = Record<string, string>;

/**
 * GET `path` and `path/`: kube-apiserver's router (go-restful, which trims a trailing slash, and
 * the aggregator's `/apis/`, `/apis/{group}/` handlers) serves every discovery document at both,
 * and generated clients call the slashed form (`/version/`, `/api/v1/`).
 */
function getDocument(
  app: FastifyInstance,
  path: string,
  handler: (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => Promise<FastifyReply>,
): void {
  for (const url of [path, `${path}/`]) app.get<{ Params: Params }>(url, handler);
}

export async function discoveryRoutes(app: FastifyInstance, opts: DiscoveryRoutesOptions): Promise<void> {
  const defs = opts.definitions;

  getDocument(app, '/api', async (request, reply) => {
    const serverAddress = request.headers.host ?? request.host;
    return sendRoot(
      request,
      reply,
      (v) => aggregatedDiscovery(defs, 'core', v),
      () => apiVersions(serverAddress),
    );
  });

  getDocument(app, '/apis', async (request, reply) =>
    sendRoot(
      request,
      reply,
      (v) => aggregatedDiscovery(defs, 'apis', v),
      () => apiGroupList(defs),
    ),
  );

  getDocument(app, '/api/v1', async (_request, reply) => {
    const list = apiResourceList(defs, 'v1');
    if (!list) throw pathNotFound();
    return sendJson(reply, list);
  });

  getDocument(app, '/apis/:group', async (request, reply) => {
    const group = apiGroup(defs, request.params.group);
    if (!group) throw pathNotFound();
    return sendJson(reply, group);
  });

  getDocument(app, '/apis/:group/:version', async (request, reply) => {
    const { group, version } = request.params;
    const list = group ? apiResourceList(defs, `${group}/${version}`) : undefined;
    if (!list) throw pathNotFound();
    return sendJson(reply, list);
  });

  getDocument(app, '/version', async (_request, reply) => sendJson(reply, versionInfo()));

  for (const endpoint of Object.keys(HEALTH_ENDPOINTS)) {
    app.get(`/${endpoint}`, async (request, reply) => {
      const query = queryOf(request);
      const exclude = queryValues(query.exclude); // a list, as healthz reads it
      return sendText(reply, healthBody(endpoint, Object.hasOwn(query, 'verbose'), exclude));
    });
    app.get<{ Params: { '*': string } }>(`/${endpoint}/*`, async (request, reply) => {
      if (!(HEALTH_ENDPOINTS[endpoint] ?? []).includes(request.params['*'])) throw pathNotFound();
      return sendText(reply, 'ok');
    });
  }
}
