/**
 * The Swagger 2.0 document as the protobuf message kubectl asks `/openapi/v2` for
 * (`openapi.v2.Document` of google/gnostic's OpenAPIv2.proto), written by hand: only the messages
 * and fields our documents use. Field numbers are those of OpenAPIv2.proto. Vendor extensions
 * (`x-kubernetes-*`) are `NamedAny` whose value is YAML text; JSON is valid YAML, so it is used as is.
 */
import type { JsonSchema } from './definitions.js';

/** A protobuf message under construction (proto3: default values are left out). */
class Message {
  private readonly chunks: Buffer[] = [];

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(n: number): void {
    const bytes: number[] = [];
    let v = n;
    while (v > 127) {
      bytes.push((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    this.chunks.push(Buffer.from(bytes));
  }

  private bytes(field: number, data: Buffer): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.chunks.push(data);
  }

  string(field: number, value: unknown): this {
    if (typeof value === 'string' && value !== '') this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  strings(field: number, values: unknown): this {
    if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') this.bytes(field, Buffer.from(v, 'utf8'));
    return this;
  }

  bool(field: number, value: unknown): this {
    if (value === true) {
      this.tag(field, 0);
      this.varint(1);
    }
    return this;
  }

  int(field: number, value: unknown): this {
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
      this.tag(field, 0);
      this.varint(value);
    }
    return this;
  }

  double(field: number, value: unknown): this {
    if (typeof value === 'number' && value !== 0) {
      this.tag(field, 1);
      const b = Buffer.alloc(8);
      b.writeDoubleLE(value);
      this.chunks.push(b);
    }
    return this;
  }

  message(field: number, m: Message | undefined): this {
    if (m) this.bytes(field, m.encode());
    return this;
  }

  messages(field: number, ms: Message[]): this {
    for (const m of ms) this.message(field, m);
    return this;
  }

  encode(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

const obj = (v: unknown): JsonSchema | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonSchema) : undefined);

/** `Any { yaml = 2 }`. */
function any(value: unknown): Message {
  return new Message().string(2, JSON.stringify(value));
}

/** Repeated `NamedAny { name = 1; value = 2 }` for the `x-` keys of an object. */
function vendorExtensions(o: JsonSchema): Message[] {
  return Object.entries(o)
    .filter(([k]) => k.startsWith('x-'))
    .map(([k, v]) => new Message().string(1, k).message(2, any(v)));
}

function named(entries: [string, Message][]): Message[] {
  return entries.map(([name, value]) => new Message().string(1, name).message(2, value));
}

/** `Schema`. */
function schema(s: JsonSchema): Message {
  const m = new Message()
    .string(1, s.$ref)
    .string(2, s.format)
    .string(3, s.title)
    .string(4, s.description);
  if (s.default !== undefined) m.message(5, any(s.default));
  m.double(6, s.multipleOf).double(7, s.maximum).bool(8, s.exclusiveMaximum).double(9, s.minimum).bool(10, s.exclusiveMinimum);
  m.int(11, s.maxLength).int(12, s.minLength).string(13, s.pattern).int(14, s.maxItems).int(15, s.minItems).bool(16, s.uniqueItems);
  m.int(17, s.maxProperties).int(18, s.minProperties).strings(19, s.required);
  if (Array.isArray(s.enum)) m.messages(20, s.enum.map(any));
  const additional = s.additionalProperties;
  if (obj(additional)) m.message(21, new Message().message(1, schema(obj(additional)!)));
  else if (typeof additional === 'boolean') m.message(21, new Message().bool(2, additional));
  if (typeof s.type === 'string') m.message(22, new Message().string(1, s.type));
  if (obj(s.items)) m.message(23, new Message().message(1, schema(obj(s.items)!)));
  if (Array.isArray(s.allOf)) m.messages(24, s.allOf.map((x) => schema(x as JsonSchema)));
  if (obj(s.properties)) {
    const props = Object.entries(obj(s.properties)!).map(([k, v]): [string, Message] => [k, schema(v as JsonSchema)]);
    m.message(25, new Message().messages(1, named(props)));
  }
  m.bool(27, s.readOnly);
  return m.messages(31, vendorExtensions(s));
}

/** `ParametersItem { parameter = 1 }` → `Parameter { body_parameter = 1 | non_body_parameter = 2 }`. */
function parameter(p: JsonSchema): Message {
  let inner: Message;
  if (p.in === 'body') {
    const body = new Message().string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required);
    inner = new Message().message(1, body.message(5, schema(obj(p.schema) ?? {})).messages(6, vendorExtensions(p)));
  } else {
    // QueryParameterSubSchema (3) and PathParameterSubSchema (4) share fields 1-4; type/format/uniqueItems differ.
    const query = p.in === 'query';
    const sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name);
    if (query) sub.string(6, p.type).string(7, p.format).bool(20, p.uniqueItems).messages(23, vendorExtensions(p));
    else sub.string(5, p.type).string(6, p.format).bool(19, p.uniqueItems).messages(22, vendorExtensions(p));
    inner = new Message().message(2, new Message().message(query ? 3 : 4, sub));
  }
  return new Message().message(1, inner);
}

/** `Operation`. */
function operation(o: JsonSchema): Message {
  const m = new Message()
    .strings(1, o.tags)
    .string(2, o.summary)
    .string(3, o.description)
    .string(5, o.operationId)
    .strings(6, o.produces)
    .strings(7, o.consumes);
  if (Array.isArray(o.parameters)) m.messages(8, o.parameters.map((p) => parameter(p as JsonSchema)));
  const codes = Object.entries(obj(o.responses) ?? {}).map(([code, r]): [string, Message] => {
    const response = obj(r) ?? {};
    const body = new Message().string(1, response.description);
    if (obj(response.schema)) body.message(2, new Message().message(1, schema(obj(response.schema)!)));
    return [code, new Message().message(1, body)]; // ResponseValue { response = 1 }
  });
  m.message(9, new Message().messages(1, named(codes)));
  return m.strings(10, o.schemes).bool(11, o.deprecated).messages(13, vendorExtensions(o));
}

const METHODS: [string, number][] = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]];

/** `PathItem`. */
function pathItem(item: JsonSchema): Message {
  const m = new Message();
  for (const [method, field] of METHODS) if (obj(item[method])) m.message(field, operation(obj(item[method])!));
  if (Array.isArray(item.parameters)) m.messages(9, item.parameters.map((p) => parameter(p as JsonSchema)));
  return m.messages(10, vendorExtensions(item));
}

/** The protobuf encoding of a Swagger 2.0 document (as built by v2.ts). */
export function encodeSwaggerProtobuf(doc: JsonSchema): Buffer {
  const info = obj(doc.info) ?? {};
  const m = new Message()
    .string(1, doc.swagger)
    .message(2, new Message().string(1, info.title).string(2, info.version).string(3, info.description).messages(7, vendorExtensions(info)));
  const paths = Object.entries(obj(doc.paths) ?? {}).map(([p, item]): [string, Message] => [p, pathItem(item as JsonSchema)]);
  m.message(8, new Message().messages(2, named(paths))); // Paths { path = 2 }
  const definitions = Object.entries(obj(doc.definitions) ?? {}).map(([n, s]): [string, Message] => [n, schema(s as JsonSchema)]);
  m.message(9, new Message().messages(1, named(definitions)));
  const security = Object.entries(obj(doc.securityDefinitions) ?? {}).map(([name, d]): [string, Message] => {
    const def = obj(d) ?? {};
    // SecurityDefinitionsItem { api_key_security = 2 }: ApiKeySecurity { type, name, in, description }
    const apiKey = new Message().string(1, def.type).string(2, def.name).string(3, def.in).string(4, def.description);
    return [name, new Message().message(2, apiKey)];
  });
  if (security.length > 0) m.message(13, new Message().messages(1, named(security)));
  if (Array.isArray(doc.security)) {
    // SecurityRequirement { NamedStringArray additional_properties = 1 } with StringArray { value = 1 }
    const requirements = doc.security.map((req) =>
      new Message().messages(1, Object.entries(obj(req) ?? {}).map(([n, scopes]) => new Message().string(1, n).message(2, new Message().strings(1, scopes)))),
    );
    m.messages(12, requirements);
  }
  return m.messages(16, vendorExtensions(doc)).encode();
}
