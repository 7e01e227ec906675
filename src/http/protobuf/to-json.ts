/**
 * A decoded protobuf message as the JSON object a JSON body of the same object would be: field
 * names as in JSON, int64 as numbers, bytes as base64, the apimachinery types in their own JSON form
 * (json-forms.ts), Go's embedded structs inlined, and, as Go's JSON leaves them out (omitempty), the
 * zero values of fields that are not Go pointers. A pointer set to zero is a value and stays.
 */
import type protobuf from 'protobufjs';
import { fullNameOf, goFieldOf, messageType, protobufjs } from './descriptor.js';
import { ProtobufError } from './errors.js';
import { JSON_FORMS, numberOf } from './json-forms.js';

type Fields = Record<string, unknown>;

interface FieldPlan {
  /** The field's .proto name (the decoded message's key) and its JSON name. */
  name: string;
  json: string;
  map: boolean;
  repeated: boolean;
  pointer: boolean;
  inline: boolean;
  /** One value of the field (one element of a repeated field, one value of a map) in JSON. */
  value: (v: unknown) => unknown;
}

const plans = new WeakMap<protobuf.Type, FieldPlan[]>();

/** A message held by a JSON form's message (a schema in apiextensions' wrappers) as JSON. */
function nestedToJson(message: string, fields: Fields): unknown {
  const type = messageType(message);
  if (!type) throw new Error(`protobuf message ${message} is not in proto/descriptor.json`);
  return messageToJson(type, fields);
}

function valueOf(field: protobuf.Field): (v: unknown) => unknown {
  const type = field.resolve().resolvedType;
  if (type instanceof protobufjs().Type) {
    const form = JSON_FORMS[fullNameOf(type)];
    return form ? (v) => form(v as Fields, nestedToJson) : (v) => messageToJson(type, v as Fields);
  }
  switch (field.type) {
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return (v) => numberOf(v);
    case 'uint64':
    case 'fixed64':
      return (v) => numberOf(v, true);
    case 'bytes':
      return (v) => Buffer.from(v as Uint8Array).toString('base64');
    default:
      return (v) => v;
  }
}

function planOf(type: protobuf.Type): FieldPlan[] {
  let plan = plans.get(type);
  if (!plan) {
    plan = type.fieldsArray.map((field) => ({
      name: field.name,
      map: field.map,
      repeated: field.repeated,
      ...goFieldOf(type, field.name),
      value: valueOf(field),
    }));
    plans.set(type, plan);
  }
  return plan;
}

/**
 * protobufjs skips a field sent with another wire type than its own, keeping it with the unknown
 * fields (when the reader keeps them); Go's decoder refuses it, and so do we.
 */
export function refuseWrongWireTypes(type: protobuf.Type, message: Fields): void {
  const unknowns = message.$unknowns;
  if (!Array.isArray(unknowns)) return;
  for (const raw of unknowns as Uint8Array[]) {
    const tag = protobufjs().Reader.create(raw).uint32();
    const field = type.fieldsById[tag >>> 3];
    if (field) throw new ProtobufError(`field ${fullNameOf(type)}.${field.name} was sent with wire type ${tag & 7}, which is not its own`);
  }
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false || v === null;
}

/** One decoded message (fields present are own properties) as a JSON object. */
export function messageToJson(type: protobuf.Type, message: Fields): Fields {
  refuseWrongWireTypes(type, message);
  const out: Fields = {};
  for (const f of planOf(type)) {
    if (!Object.hasOwn(message, f.name)) continue;
    const v = message[f.name];
    if (f.map) {
      const entries = Object.entries(v as Fields);
      if (entries.length) out[f.json] = Object.fromEntries(entries.map(([k, x]) => [k, f.value(x)]));
    } else if (f.repeated) {
      if ((v as unknown[]).length) out[f.json] = (v as unknown[]).map(f.value);
    } else {
      const x = f.value(v);
      if (f.inline && x !== null && typeof x === 'object') Object.assign(out, x);
      else if (f.pointer || !isZero(x)) out[f.json] = x;
    }
  }
  return out;
}
