/** What every resource handler receives: the parsed URL, the store, the negotiated format. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceStore } from '../../registry/store.js';
import type { Registry } from '../../registry/registry.js';
import type { RequestInfo } from '../request-info.js';
import type { ResponseFormat } from '../content.js';
import type { RawQuery } from '../../apimachinery/query-params.js';

export interface HandlerContext {
  request: FastifyRequest;
  reply: FastifyReply;
  info: RequestInfo;
  store: ResourceStore;
  registry: Registry;
  format: ResponseFormat;
  /** Each query parameter's first value, as single-valued options read them. */
  query: Record<string, string | undefined>;
  /** The query as it came, repeated parameters as arrays (for list-valued options such as dryRun). */
  rawQuery: RawQuery;
}
