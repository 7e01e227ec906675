/**
 * Request bodies in `application/vnd.kubernetes.protobuf` (typed client-go, as kubectl ≥ 1.32 uses
 * for `create namespace`, `create service`, `debug`): the 4-byte `k8s\0` prefix, a runtime.Unknown
 * envelope (typeMeta, raw, contentEncoding, contentType), and in `raw` the object's message. Both are
 * decoded by protobufjs with the upstream messages (descriptor.ts), and the object is turned into the
 * JSON shape a JSON body of the same object would have (to-json.ts), so the normal pruning and
 * validation follow. Answers stay JSON.
 */
import type protobuf from 'protobufjs';
import { badRequest, StatusError, StatusReason } from '../../apimachinery/status.js';
import { messageType, protobufjs } from './descriptor.js';
import { ProtobufError } from './errors.js';
import { messageToJson, refuseWrongWireTypes } from './to-json.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"
const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';
const TYPE_META = 'k8s.io.apimachinery.pkg.runtime.TypeMeta';

/** The upstream full name of the message an apiVersion/kind is sent as, or undefined when it cannot be. */
export type MessageOf = (apiVersion: string, kind: string) => string | undefined;

function malformed(why: string): StatusError {
  return badRequest(`error decoding protobuf request body: ${why}`);
}

type Fields = Record<string, unknown>;

/** One message of the bytes given, as protobufjs reads it; anything it cannot read is a ProtobufError. */
function decodeMessage(type: protobuf.Type, bytes: Uint8Array): Fields {
  try {
    const reader = protobufjs().Reader.create(bytes);
    reader.discardUnknown = false; // kept so that a wrong wire type can be told from an unknown field
    return type.decode(reader);
  } catch (e) {
    throw new ProtobufError((e as Error).message);
  }
}

function requiredType(fullName: string): protobuf.Type {
  const type = messageType(fullName);
  if (!type) throw new Error(`protobuf message ${fullName} is not in proto/descriptor.json`);
  return type;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

/** The runtime.Unknown after the `k8s\0` prefix. */
function readEnvelope(body: Buffer): Envelope {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest(
      `the request body is not a Kubernetes protobuf message: it does not begin with the 4-byte prefix "k8s\\x00" (content type ${PROTOBUF_MEDIA_TYPE})`,
    );
  }
  try {
    const type = requiredType(UNKNOWN);
    const unknown = decodeMessage(type, body.subarray(MAGIC.length));
    refuseWrongWireTypes(type, unknown);
    const typeMeta = (unknown.typeMeta ?? {}) as Fields;
    refuseWrongWireTypes(requiredType(TYPE_META), typeMeta);
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
      apiVersion: text(typeMeta.apiVersion),
      kind: text(typeMeta.kind),
      raw: unknown.raw instanceof Uint8Array ? unknown.raw : new Uint8Array(0),
      contentEncoding: text(unknown.contentEncoding),
    };
  } catch (e) {
    if (e instanceof ProtobufError) throw malformed(e.message);
    throw e;
  }
}

/**
 * A protobuf request body as the object its JSON form would be: `{apiVersion, kind, metadata, …}`.
 * 400 for a body that is not a Kubernetes protobuf message, 415 for a kind without a message.
 * `messageOf` names the upstream message of the body's apiVersion/kind (kinds.ts's table unless given).
 */
export function decodeProtobufObject(body: Buffer, messageOf: MessageOf): Record<string, unknown> {
  const env = readEnvelope(body);
  if (env.contentEncoding !== '') throw malformed(`content encoding ${JSON.stringify(env.contentEncoding)} is not supported`);
  const name = messageOf(env.apiVersion, env.kind);
  const type = name === undefined ? undefined : messageType(name);
  if (!type) {
    const what = env.kind ? `${env.kind} in version ${JSON.stringify(env.apiVersion)}` : 'an object without apiVersion and kind';
    throw new StatusError(
      415,
      StatusReason.UnsupportedMediaType,
      `the request body holds ${what}, which this server cannot decode from ${PROTOBUF_MEDIA_TYPE}; send it as application/json or application/yaml`,
    );
  }
  try {
    return { apiVersion: env.apiVersion, kind: env.kind, ...messageToJson(type, decodeMessage(type, env.raw)) };
  } catch (e) {
    if (e instanceof ProtobufError) throw malformed(`${env.apiVersion}/${env.kind}: ${e.message}`);
    throw e;
  }
}
