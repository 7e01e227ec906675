/**
 * `/openapi/v2`, `/openapi/v3` and `/openapi/v3/<group-version>` as kube-openapi serves them
 * (Accept negotiation, quoted SHA-512 ETags, `?hash=` URLs that are immutable for caches and
 * redirect when stale), plus the same API as one OpenAPI 3 document for humans through
 * @fastify/swagger at `/docs/openapi.json` and `/docs/openapi.yaml`, paths no Kubernetes client uses.
 * Documents come from ../openapi/documents.ts and are built once per set of definitions.
 */
import type { StaticDocumentSpec } from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { notAcceptable, pathNotFound } from '../../apimachinery/status.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { parseAccept } from '../media-type.js';
import { firstValue } from '../../apimachinery/query-params.js';
import { buildOpenApiDocuments, type OpenApiDocuments, type ServedDocument } from '../openapi/documents.js';
import { addRootPaths, type RouteGroup } from '../route-group.js';

export interface OpenApiRoutesOptions {
  definitions: ResourceDefinition[];
  /** Changes whenever `definitions` changes in place (CRDs come and go); absent = never changes. */
  generation?: () => number;
  /** Where the paths go (addRootPaths). */
  rootPaths?: RouteGroup;
}

/**
 * Content-Type of the protobuf `/openapi/v2`. kubectl 1.27/1.28 ask for `…spec.v2@v1.0+protobuf`, but a
 * response Content-Type containing `@` fails Go's mime.ParseMediaType (wire spec §4.2); like kube-openapi,
 * answer the deprecated spelling with the dotted one.
 */
export const OPENAPI_V2_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V2_PROTOBUF_SUBTYPES = ['com.github.proto-openapi.spec.v2.v1.0+protobuf', 'com.github.proto-openapi.spec.v2@v1.0+protobuf'];
const JSON_TYPE = 'application/json';

const built = new WeakMap<ResourceDefinition[], { generation: number; docs: OpenApiDocuments }>();

/**
 * The documents for these definitions, built on first use and then shared until `generation`
 * changes (a CRD was created, changed or deleted), as kube-apiserver's OpenAPI controllers rebuild.
 */
export function openApiDocumentsFor(definitions: ResourceDefinition[], generation = 0): OpenApiDocuments {
  let entry = built.get(definitions);
  if (!entry || entry.generation !== generation) {
    entry = { generation, docs: buildOpenApiDocuments(definitions) };
    built.set(definitions, entry);
  }
  return entry.docs;
}

/** Media ranges of the Accept header by decreasing q (missing header = `*\/*`), q=0 dropped. */
function acceptedRanges(request: FastifyRequest): { type: string; subtype: string }[] {
  const ranges = parseAccept(request.headers.accept || '*/*')
    .map((r, index) => ({ r, index, q: Number(r.params.get('q') ?? '1') }))
    .filter(({ q }) => !(q <= 0))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.map(({ r }) => {
    const slash = r.type.indexOf('/');
    return { type: r.type.slice(0, slash), subtype: r.type.slice(slash + 1) };
  });
}

/** The first offered `application/<subtype>` the Accept header allows, in the header's order. */
function negotiate(request: FastifyRequest, offered: string[]): string | undefined {
  for (const range of acceptedRanges(request)) {
    if (range.type !== 'application' && range.type !== '*') continue;
    const match = offered.find((subtype) => range.subtype === '*' || range.subtype === subtype);
    if (match) return match;
  }
  return undefined;
}

function etagMatches(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** Writes a document like Go's http.ServeContent: ETag, Last-Modified, 304 on If-None-Match. */
function serve(
  request: FastifyRequest,
  reply: FastifyReply,
  body: Buffer,
  hash: string,
  contentType: string,
  lastModified: string,
): FastifyReply {
  const etag = `"${hash}"`;
  reply.header('etag', etag).header('last-modified', lastModified);
  if (etagMatches(request, etag)) return reply.code(304).send();
  return reply.header('content-type', contentType).send(body);
}

export async function openapiRoutes(app: FastifyInstance, opts: OpenApiRoutesOptions): Promise<void> {
  // Built on the first request that needs them, not at start: building takes tens of milliseconds.
  const docs = () => openApiDocumentsFor(opts.definitions, opts.generation?.() ?? 0);
  const lastModified = new Date().toUTCString();
  // @fastify/swagger serves the human document from an instance of its own, made on the first /docs
  // request: registered at start, it (and the YAML package it loads) would cost every start tens of
  // milliseconds for paths no Kubernetes client uses.
  let swaggerApp: Promise<FastifyInstance> | undefined;
  const human = () =>
    (swaggerApp ??= (async () => {
      const { default: fastifySwagger } = await import('@fastify/swagger');
      const docsApp = Fastify({ logger: false });
      await docsApp.register(fastifySwagger, {
        mode: 'static',
        specification: { document: docs().combined as unknown as StaticDocumentSpec['document'] },
      });
      await docsApp.ready();
      return docsApp;
    })());
  addRootPaths(app, opts.rootPaths, (paths) => {
    paths.get('/docs/openapi.json', async (_request, reply) =>
      reply.header('content-type', JSON_TYPE).send(Buffer.from(JSON.stringify((await human()).swagger()))),
    );
    paths.get('/docs/openapi.yaml', async (_request, reply) =>
      reply.header('content-type', 'application/yaml').send(Buffer.from((await human()).swagger({ yaml: true }))),
    );

    paths.get('/openapi/v2', async (request, reply) => {
      reply.header('vary', 'Accept');
      const subtype = negotiate(request, ['json', ...V2_PROTOBUF_SUBTYPES]);
      if (!subtype) throw notAcceptable(`only the following media types are accepted: ${JSON_TYPE}, ${OPENAPI_V2_CONTENT_TYPE}`);
      // One ETag for both encodings, from the JSON bytes, as kube-openapi does.
      if (subtype === 'json') return serve(request, reply, docs().v2.json.bytes, docs().v2.json.hash, JSON_TYPE, lastModified);
      return serve(request, reply, docs().v2.protobuf, docs().v2.json.hash, OPENAPI_V2_CONTENT_TYPE, lastModified);
    });

    paths.get('/openapi/v3', async (request, reply) =>
      serve(request, reply, docs().v3.rootJson.bytes, docs().v3.rootJson.hash, JSON_TYPE, lastModified),
    );

    paths.get('/openapi/v3/*', async (request, reply) => {
      // The rest of the path names the document exactly: `/openapi/v3/apis/apps/v1/` is no document (404), as upstream.
      const key = request.params['*'];
      const doc: ServedDocument | undefined = docs().v3.documents.get(key);
      if (!doc) throw pathNotFound();
      reply.header('vary', 'Accept');
      if (!negotiate(request, ['json'])) throw notAcceptable(`only the following media types are accepted: ${JSON_TYPE}`);
      const hash = firstValue(request.query.hash) ?? '';
      if (hash !== '') {
        if (hash !== doc.hash) return reply.redirect(`/openapi/v3/${key}?hash=${doc.hash}`, 301);
        const expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
        reply.header('cache-control', 'public, immutable').header('expires', expires);
      }
      return serve(request, reply, doc.bytes, doc.hash, JSON_TYPE, lastModified);
    });
  });
}
