/**
 * The protobuf messages kubemock can read: proto/descriptor.json, derived by
 * scripts/protobuf-update.ts from the upstream generated.proto files (and the Go structs they were
 * generated from) vendored under proto/k8s.io. Loaded once, on the first protobuf body.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';
import { DESCRIPTOR_FILE, type GoJsonField } from '../../apimachinery/managed-fields/go-zero-values.js';

export { DESCRIPTOR_FILE, PROTO_DIR, type GoJsonField } from '../../apimachinery/managed-fields/go-zero-values.js';

/** proto/descriptor.json. Message and field names are the upstream ones (`k8s.io.api.core.v1.Pod`). */
export interface DescriptorFile {
  comment: string;
  /** Per message, the fields whose Go type is a pointer: a zero value sent is a value, not "unset". */
  pointers: Record<string, string[]>;
  /** Per message, the embedded structs Go's JSON inlines into the enclosing object. */
  inline: Record<string, string[]>;
  /** Per message, the fields whose JSON name is not their .proto name (authentication/v1 `uID` is `uid`). */
  jsonNames: Record<string, Record<string, string>>;
  /** Per message, its fields as Go writes them in JSON: always written with their zero, and of which message. */
  goJson: Record<string, Record<string, GoJsonField>>;
  /** protobufjs's JSON descriptor of every vendored message. */
  proto: protobuf.INamespace;
}

interface Descriptor {
  root: protobuf.Root;
  pointers: ReadonlyMap<string, ReadonlySet<string>>;
  inline: ReadonlyMap<string, ReadonlySet<string>>;
  jsonNames: Record<string, Record<string, string>>;
}

let library: typeof protobuf | undefined;
let descriptor: Descriptor | undefined;

/** protobufjs, loaded on the first protobuf body: it would add tens of milliseconds to every cold start. */
export function protobufjs(): typeof protobuf {
  return (library ??= createRequire(import.meta.url)('protobufjs') as typeof protobuf);
}

function load(): Descriptor {
  const file = JSON.parse(readFileSync(DESCRIPTOR_FILE, 'utf8')) as DescriptorFile;
  const sets = (byMessage: Record<string, string[]>) => new Map(Object.entries(byMessage).map(([name, fields]) => [name, new Set(fields)]));
  return {
    root: protobufjs().Root.fromJSON(file.proto),
    pointers: sets(file.pointers),
    inline: sets(file.inline),
    jsonNames: file.jsonNames,
  };
}

/** The message type of an upstream full name (`k8s.io.api.core.v1.Pod`), or undefined. */
export function messageType(fullName: string): protobuf.Type | undefined {
  descriptor ??= load();
  const found = descriptor.root.lookup(fullName);
  return found instanceof protobufjs().Type ? found : undefined;
}

/** The upstream full name of a message type, without protobufjs's leading dot. */
export function fullNameOf(type: protobuf.Type): string {
  return type.fullName.slice(1);
}

/** What Go says of one field that its .proto does not: pointer, inlined in JSON, and its JSON name. */
export function goFieldOf(type: protobuf.Type, field: string): { pointer: boolean; inline: boolean; json: string } {
  descriptor ??= load();
  const name = fullNameOf(type);
  return {
    pointer: descriptor.pointers.get(name)?.has(field) ?? false,
    inline: descriptor.inline.get(name)?.has(field) ?? false,
    json: descriptor.jsonNames[name]?.[field] ?? field,
  };
}
