/** Writing serialised objects: JSON as stored (no re-serialisation), or YAML when asked. */
import type { FastifyReply } from 'fastify';
import { toYaml, type ResponseFormat } from './content.js';
import { stringifyGo } from '../apimachinery/go-json.js';

export const JSON_TYPE = 'application/json';

/** A Buffer keeps Fastify from appending `; charset=utf-8` to the exact media type. */
export function sendRaw(reply: FastifyReply, code: number, body: string, contentType = JSON_TYPE): FastifyReply {
  return reply.code(code).header('content-type', contentType).send(Buffer.from(body));
}

export function sendJsonText(reply: FastifyReply, code: number, json: string, format: ResponseFormat): FastifyReply {
  if (format.media === 'yaml') return sendRaw(reply, code, toYaml(JSON.parse(json)), 'application/yaml');
  return sendRaw(reply, code, json);
}

export function sendObject(reply: FastifyReply, code: number, value: unknown, format: ResponseFormat): FastifyReply {
  if (format.media === 'yaml') return sendRaw(reply, code, toYaml(value), 'application/yaml');
  return sendRaw(reply, code, stringifyGo(value));
}
