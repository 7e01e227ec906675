/**
 * Request bodies in `application/vnd.kubernetes.protobuf` (typed client-go, as kubectl ≥ 1.32 uses
 * for `create namespace`, `create service`, `debug`): the 4-byte `k8s\0` prefix, a runtime.Unknown
 * envelope (typeMeta, raw, contentEncoding, contentType), and in `raw` the object's message. The
 * object is decoded by the field table of its kind into the JSON shape a JSON body of the same
 * object would have, so the normal pruning and validation follow. Answers stay JSON.
 */
import { badRequest, StatusError, StatusReason } from '../../apimachinery/status.js';
import { INLINE, MESSAGES, POINTER, REPEATED, type MessageSpec } from './messages.js';
import { ProtobufError, WireReader, WireType, type WireField } from './wire.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

/** The message of each apiVersion/kind that can come in protobuf. */
const KINDS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'core/v1.Namespace',
  'v1/Node': 'core/v1.Node',
  'v1/Pod': 'core/v1.Pod',
  'v1/Service': 'core/v1.Service',
  'v1/Event': 'core/v1.Event',
  'v1/Binding': 'core/v1.Binding',
  'v1/DeleteOptions': 'meta/v1.DeleteOptions',
  'meta.k8s.io/v1/DeleteOptions': 'meta/v1.DeleteOptions',
  'events.k8s.io/v1/Event': 'events/v1.Event',
  'apps/v1/DaemonSet': 'apps/v1.DaemonSet',
  'apps/v1/ControllerRevision': 'apps/v1.ControllerRevision',
  'coordination.k8s.io/v1/Lease': 'coordination/v1.Lease',
  'policy/v1/Eviction': 'policy/v1.Eviction',
  'policy/v1beta1/Eviction': 'policy/v1beta1.Eviction',
};

function malformed(why: string): StatusError {
  return badRequest(`error decoding protobuf request body: ${why}`);
}

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
  contentEncoding: string;
  contentType: string;
}

/** The runtime.Unknown after the `k8s\0` prefix. */
export function readEnvelope(body: Buffer): Envelope {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest(`the request body is not a Kubernetes protobuf message: it does not begin with the 4-byte prefix "k8s\\x00" (content type ${PROTOBUF_MEDIA_TYPE})`);
  }
  const env: Envelope = { apiVersion: '', kind: '', raw: Buffer.alloc(0), contentEncoding: '', contentType: '' };
  try {
    for (const f of new WireReader(body.subarray(MAGIC.length)).fields()) {
      if (f.wire !== WireType.Bytes) continue;
      if (f.number === 1) {
        for (const t of new WireReader(f.bytes!).fields()) {
          if (t.wire !== WireType.Bytes) continue;
          if (t.number === 1) env.apiVersion = t.bytes!.toString('utf8');
          else if (t.number === 2) env.kind = t.bytes!.toString('utf8');
        }
      } else if (f.number === 2) env.raw = f.bytes!;
      else if (f.number === 3) env.contentEncoding = f.bytes!.toString('utf8');
      else if (f.number === 4) env.contentType = f.bytes!.toString('utf8');
    }
  } catch (e) {
    if (e instanceof ProtobufError) throw malformed(e.message);
    throw e;
  }
  return env;
}

/**
 * A protobuf request body as the object its JSON form would be: `{apiVersion, kind, metadata, …}`.
 * 400 for a body that is not a Kubernetes protobuf message, 415 for a kind without a field table.
 */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  const env = readEnvelope(body);
  if (env.contentEncoding !== '') throw malformed(`content encoding ${JSON.stringify(env.contentEncoding)} is not supported`);
  const gvk = `${env.apiVersion}/${env.kind}`;
  const message = KINDS[gvk];
  if (!message) {
    const what = env.kind ? `${env.kind} in version ${JSON.stringify(env.apiVersion)}` : 'an object without apiVersion and kind';
    throw new StatusError(
      415,
      StatusReason.UnsupportedMediaType,
      `the request body holds ${what}, which this server cannot decode from ${PROTOBUF_MEDIA_TYPE}; send it as application/json or application/yaml`,
    );
  }
  try {
    return { apiVersion: env.apiVersion, kind: env.kind, ...decodeMessage(env.raw, message) };
  } catch (e) {
    if (e instanceof ProtobufError) throw malformed(`${gvk}: ${e.message}`);
    throw e;
  }
}

function spec(name: string): MessageSpec {
  const s = MESSAGES[name];
  if (!s) throw new ProtobufError(`no field table for message ${name}`);
  return s;
}

/** One message as a JSON object; unknown field numbers are skipped. */
export function decodeMessage(bytes: Buffer, name: string): Record<string, unknown> {
  const table = spec(name);
  const out: Record<string, unknown> = {};
  for (const f of new WireReader(bytes).fields()) {
    const field = table[f.number];
    if (!field) continue;
    const [key, type, flags = 0] = field;
    if (type.startsWith('map:')) {
      const entry = mapEntry(f, type.slice(4), key);
      const map = (out[key] ??= {}) as Record<string, unknown>;
      map[entry.key] = entry.value;
      continue;
    }
    if (flags & REPEATED) {
      const list = (out[key] ??= []) as unknown[];
      if (f.wire === WireType.Bytes && isPackable(type)) {
        // A packed repeated scalar: the values one after another.
        const r = new WireReader(f.bytes!);
        while (!r.done()) list.push(scalar(type, r.varint()));
      } else list.push(value(f, type, key));
      continue;
    }
    const v = value(f, type, key);
    if (flags & INLINE && v && typeof v === 'object') Object.assign(out, v);
    else out[key] = v;
  }
  // Non-pointer scalars left at their zero value are what Go's JSON (omitempty) leaves out; a
  // zero Time is `null` there. Pointer fields that are set stay, zero or not.
  for (const [key, type, flags = 0] of Object.values(table)) {
    if (!(key in out) || flags & (REPEATED | POINTER) || type.startsWith('map:')) continue;
    const v = out[key];
    if (v === '' || v === 0 || v === false || v === null) delete out[key];
  }
  return out;
}

function isPackable(type: string): boolean {
  return type === 'i64' || type === 'i32' || type === 'u64' || type === 'u32' || type === 'b';
}

function mapEntry(f: WireField, valueType: string, key: string): { key: string; value: unknown } {
  if (f.wire !== WireType.Bytes) throw new ProtobufError(`field ${key}: a map entry must be length-delimited`);
  let k = '';
  let v: unknown = defaultOf(valueType);
  for (const e of new WireReader(f.bytes!).fields()) {
    if (e.number === 1) k = expectBytes(e, key).toString('utf8');
    else if (e.number === 2) v = value(e, valueType, key);
  }
  return { key: k, value: v };
}

function defaultOf(type: string): unknown {
  switch (type) {
    case 's':
    case 'y':
    case 'quantity':
      return '';
    case 'b':
      return false;
    case 'i64':
    case 'i32':
    case 'u64':
    case 'u32':
    case 'd':
    case 'f':
      return 0;
    default:
      return type.startsWith('map:') ? {} : MESSAGES[type] ? {} : null;
  }
}

function expectBytes(f: WireField, key: string): Buffer {
  if (f.wire !== WireType.Bytes) throw new ProtobufError(`field ${key} has wire type ${f.wire}, expected length-delimited`);
  return f.bytes!;
}

function scalar(type: string, v: bigint): unknown {
  switch (type) {
    case 'i64':
      return Number(BigInt.asIntN(64, v));
    case 'i32':
      return Number(BigInt.asIntN(32, v));
    case 'u64':
      return Number(BigInt.asUintN(64, v));
    case 'u32':
      return Number(BigInt.asUintN(32, v));
    case 'b':
      return v !== 0n;
    default:
      throw new ProtobufError(`a varint cannot hold a ${type}`);
  }
}

function value(f: WireField, type: string, key: string): unknown {
  switch (type) {
    case 'i64':
    case 'i32':
    case 'u64':
    case 'u32':
    case 'b':
      if (f.wire !== WireType.Varint) throw new ProtobufError(`field ${key} has wire type ${f.wire}, expected varint`);
      return scalar(type, f.varint!);
    case 'd':
      if (f.wire !== WireType.Fixed64) throw new ProtobufError(`field ${key} has wire type ${f.wire}, expected 64-bit`);
      return f.bytes!.readDoubleLE(0);
    case 'f':
      if (f.wire !== WireType.Fixed32) throw new ProtobufError(`field ${key} has wire type ${f.wire}, expected 32-bit`);
      return f.bytes!.readFloatLE(0);
    case 's':
      return expectBytes(f, key).toString('utf8');
    case 'y':
      return expectBytes(f, key).toString('base64');
    case 'time':
    case 'microtime':
      return timeOf(decodePlain(expectBytes(f, key), key), type === 'microtime');
    case 'duration':
      return durationOf(Number(decodePlain(expectBytes(f, key), key)[1] ?? 0n));
    case 'intorstring': {
      const p = decodePlain(expectBytes(f, key), key);
      return (p[1] ?? 0n) === 1n ? stringOf(p[3]) : Number(BigInt.asIntN(32, (p[2] as bigint | undefined) ?? 0n));
    }
    case 'quantity':
      return stringOf(decodePlain(expectBytes(f, key), key)[1]);
    case 'fieldsv1':
    case 'raw': {
      const raw = decodePlain(expectBytes(f, key), key)[1];
      return rawJson(Buffer.isBuffer(raw) ? raw : Buffer.alloc(0), key);
    }
    default:
      return decodeMessage(expectBytes(f, key), type);
  }
}

/** The fields of a small message by number: varints as bigint, length-delimited as Buffer. */
function decodePlain(bytes: Buffer, key: string): Record<number, bigint | Buffer> {
  const out: Record<number, bigint | Buffer> = {};
  for (const f of new WireReader(bytes).fields()) {
    if (f.wire === WireType.Varint) out[f.number] = f.varint!;
    else if (f.wire === WireType.Bytes) out[f.number] = f.bytes!;
    else throw new ProtobufError(`field ${key}: unexpected wire type ${f.wire}`);
  }
  return out;
}

function stringOf(v: bigint | Buffer | undefined): string {
  return Buffer.isBuffer(v) ? v.toString('utf8') : '';
}

/** Time (seconds, nanos) as RFC 3339, in seconds (Time) or microseconds (MicroTime); zero is null. */
function timeOf(p: Record<number, bigint | Buffer>, micro: boolean): string | null {
  const seconds = typeof p[1] === 'bigint' ? BigInt.asIntN(64, p[1]) : 0n;
  const nanos = typeof p[2] === 'bigint' ? Number(BigInt.asIntN(32, p[2])) : 0;
  if (seconds === 0n && nanos === 0) return null;
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

/** A duration in nanoseconds as Go prints it (`1h2m3.5s`, `150ms`, `0s`). */
function durationOf(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  if (n < 1e9) {
    const [unit, div] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${n / div}${unit}`;
  }
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = `${n / 1e9}s`;
  return `${sign}${h ? `${h}h${m}m` : m ? `${m}m` : ''}${s}`;
}

function rawJson(raw: Buffer, key: string): unknown {
  if (raw.length === 0) return null;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ProtobufError(`field ${key} does not hold JSON`);
  }
}
