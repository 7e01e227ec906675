import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildDescriptor } from '../../scripts/protobuf-update.js';
import type { TSchema } from '@sinclair/typebox';
import protobuf from 'protobufjs';
import { DESCRIPTOR_FILE, fullNameOf, goFieldOf, messageType, type DescriptorFile } from '../../src/http/protobuf/descriptor.js';
import { JSON_FORMS } from '../../src/http/protobuf/json-forms.js';
import { protobufMessages } from '../../src/resources/protobuf-messages.js';
import { kindSchemas } from '../../src/resources/schemas.js';

/** A folder laid out as proto/ is, with one package `example.com/demo/v1` of the given files. */
function protoDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-proto-'));
  mkdirSync(join(dir, 'example.com/demo/v1'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'example.com/demo/v1', name), text);
  return dir;
}

const DEMO_PROTO = `syntax = "proto2";
package example.com.demo.v1;
option go_package = "example.com/demo/v1";
message Ref { optional string name = 1; }
message Selector {
  optional Ref localObjectReference = 1;
  optional string key = 2;
  optional bool optional = 3;
  repeated string values = 4;
}
message Empty {}
`;

const DEMO_GO = `package v1

// Selector selects one key.
type Selector struct {
	// The reference, inlined in JSON.
	Ref \`json:",inline" protobuf:"bytes,1,opt,name=localObjectReference"\`
	// Key to select.
	Key string \`json:"key" protobuf:"bytes,2,opt,name=key"\`
	// Old bool \`json:"old" protobuf:"varint,9,opt,name=old"\`
	Optional *bool \`json:"optional,omitempty" protobuf:"varint,3,opt,name=optional"\`
	Values []string \`json:"values,omitempty" protobuf:"bytes,4,rep,name=values"\`
}

type Ref struct {
	Name string \`json:"name,omitempty" protobuf:"bytes,1,opt,name=name"\`
}

type Empty struct{}
`;

/** The fields of a message by their JSON names, those of Go's inlined structs among them. */
function jsonFields(type: protobuf.Type): Map<string, protobuf.Field> {
  const out = new Map<string, protobuf.Field>();
  for (const field of type.fieldsArray) {
    const go = goFieldOf(type, field.name);
    if (go.inline) for (const [name, f] of jsonFields(field.resolve().resolvedType as protobuf.Type)) out.set(name, f);
    // A field whose .proto name is not its JSON name (aPIGroup): the schema knows it by the JSON one.
    else out.set(go.json, field);
  }
  return out;
}

/** Where a TypeBox schema and the upstream message of the same object disagree on a field's JSON name. */
function disagreements(schema: TSchema, type: protobuf.Type, path: string): string[] {
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  const fields = jsonFields(type);
  const out = type.fieldsArray
    .filter((f) => goFieldOf(type, f.name).inline && f.name in properties)
    .map((f) => `${path}: ${f.name} is inlined in JSON`);
  for (const [name, property] of Object.entries(properties)) {
    const field = fields.get(name);
    if (!field) {
      if (path !== '' || (name !== 'apiVersion' && name !== 'kind')) out.push(`${path}.${name}: not a field of ${fullNameOf(type)}`);
      continue;
    }
    const message = field.resolve().resolvedType;
    if (!(message instanceof protobuf.Type) || fullNameOf(message) in JSON_FORMS) continue;
    const element = (field.map ? property.additionalProperties : field.repeated ? property.items : property) as TSchema | undefined;
    if (element && typeof element === 'object') out.push(...disagreements(element, message, `${path}.${name}`));
  }
  return out;
}

describe('proto/descriptor.json', () => {
  it('is what `npm run protobuf:update` writes from the vendored files', () => {
    // Compared as a boolean: the diff of two 200 kB strings would bury the message.
    assert.ok(
      readFileSync(DESCRIPTOR_FILE, 'utf8') === buildDescriptor(),
      'proto/descriptor.json is out of date: run npm run protobuf:update',
    );
  });

  it('has the message of every kind accepted in protobuf', () => {
    for (const [kind, message] of protobufMessages()) assert.ok(messageType(message), `${kind}: ${message}`);
  });

  it('agrees with the TypeBox schema of every served kind on every field name, inlined structs flattened', () => {
    for (const [kind, schema] of Object.entries(kindSchemas)) {
      if (kind.startsWith('apiextensions.k8s.io/')) continue; // JSON-only kinds: no message to agree with
      const message = protobufMessages().get(kind);
      const type = message === undefined ? undefined : messageType(message);
      assert.ok(type, `${kind} has a protobuf message`);
      assert.deepEqual(disagreements(schema, type, ''), [], kind);
    }
  });

  it('reads pointer, inlined and always-written fields from the Go structs beside the .proto', (t) => {
    const dir = protoDir({ 'generated.proto': DEMO_PROTO, 'types.go': DEMO_GO });
    t.after(() => rmSync(dir, { recursive: true }));
    const file = JSON.parse(buildDescriptor(dir)) as DescriptorFile;
    assert.deepEqual(file.pointers, { 'example.com.demo.v1.Selector': ['optional'] });
    assert.deepEqual(file.inline, { 'example.com.demo.v1.Selector': ['localObjectReference'] });
    // What Go always writes: the non-omitempty `key` as "", not the pointer nor the omitempty list.
    assert.deepEqual(file.goJson, {
      'example.com.demo.v1.Selector': {
        localObjectReference: { message: 'example.com.demo.v1.Ref', inline: true },
        key: { zero: '' },
      },
    });
  });

  it('refuses a message without its Go struct, or a field number the struct does not have', (t) => {
    const missing = protoDir({ 'generated.proto': DEMO_PROTO, 'types.go': DEMO_GO.replace('type Empty struct{}', '') });
    const renumbered = protoDir({ 'generated.proto': DEMO_PROTO, 'types.go': DEMO_GO.replace('varint,3,opt', 'varint,5,opt') });
    t.after(() => [missing, renumbered].forEach((dir) => rmSync(dir, { recursive: true })));
    assert.throws(() => buildDescriptor(missing), /example\.com\.demo\.v1\.Empty: no Go struct Empty/);
    assert.throws(
      () => buildDescriptor(renumbered),
      /example\.com\.demo\.v1\.Selector\.optional: no field of the Go struct has protobuf number 3/,
    );
  });
});
