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
import { addRootPaths, type GroupHandler, type RouteGroup } from '../route-group.js';

export interface DiscoveryRoutesOptions {
  definitions: ResourceDefinition[];
  /** Where `/api`, `/apis`, `/version` and the health paths go (addRootPaths). */
  rootPaths?: RouteGroup;
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
 * `path` and `path/`: kube-apiserver's router (go-restful, which trims a trailing slash, and
 * the aggregator's `/apis/`, `/apis/{group}/` handlers) serves every discovery document at both,
 * and generated clients call the slashed form (`/version/`, `/api/v1/`).
 */
const bothForms = (path: string) => [path, `${path}/`];

export async function discoveryRoutes(app: FastifyInstance, opts: DiscoveryRoutesOptions): Promise<void> {
  const defs = opts.definitions;

  const apiRoot: GroupHandler = async (request, reply) => {
    const serverAddress = request.headers.host ?? request.host;
    return sendRoot(
      request,
      reply,
      (v) => aggregatedDiscovery(defs, 'core', v),
      () => apiVersions(serverAddress),
    );
  };
  const apisRoot: GroupHandler = async (request, reply) =>
    sendRoot(
      request,
      reply,
      (v) => aggregatedDiscovery(defs, 'apis', v),
      () => apiGroupList(defs),
    );
  const coreVersion: GroupHandler = async (_request, reply) => {
    const list = apiResourceList(defs, 'v1');
    if (!list) throw pathNotFound();
    return sendJson(reply, list);
  };
  const groupDocument: GroupHandler = async (request, reply) => {
    const group = apiGroup(defs, request.params.group);
    if (!group) throw pathNotFound();
    return sendJson(reply, group);
  };
  const groupVersion: GroupHandler = async (request, reply) => {
    const { group, version } = request.params;
    const list = group ? apiResourceList(defs, `${group}/${version}`) : undefined;
    if (!list) throw pathNotFound();
    return sendJson(reply, list);
  };

  // Under /api/ and /apis/ a route of its own each: the resources' /api/* and /apis/* would take them from `/*`.
  const routes: [string[], GroupHandler][] = [
    [['/api/'], apiRoot],
    [['/apis/'], apisRoot],
    [bothForms('/api/v1'), coreVersion],
    [bothForms('/apis/:group'), groupDocument],
    [bothForms('/apis/:group/:version'), groupVersion],
  ];
  for (const [urls, handler] of routes) for (const url of urls) app.get<{ Params: Params; Querystring: RawQuery }>(url, handler);

  addRootPaths(app, opts.rootPaths, (paths) => {
    paths.get('/api', apiRoot).get('/apis', apisRoot);
    for (const url of bothForms('/version')) paths.get(url, async (_request, reply) => sendJson(reply, versionInfo()));
    for (const endpoint of Object.keys(HEALTH_ENDPOINTS)) {
      paths.get(`/${endpoint}`, async (request, reply) => {
        const query = queryOf(request);
        const exclude = queryValues(query.exclude); // a list, as healthz reads it
        return sendText(reply, healthBody(endpoint, Object.hasOwn(query, 'verbose'), exclude));
      });
      paths.get(`/${endpoint}/*`, async (request, reply) => {
        if (!(HEALTH_ENDPOINTS[endpoint] ?? []).includes(request.params['*'])) throw pathNotFound();
        return sendText(reply, 'ok');
      });
    }
  });
}
