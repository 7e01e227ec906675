/**
 * Regenerates proto/descriptor.json, the protobuf descriptor kubemock decodes request bodies with,
 * from the upstream files vendored under proto/k8s.io (see proto/README.md):
 *
 * - `proto`: every message of the vendored generated.proto files, as protobufjs's JSON descriptor
 *   (what `pbjs -t json` writes), so the server never parses .proto text;
 * - `pointers` and `inline`: per message, the fields whose Go type is a pointer and the fields that
 *   are embedded structs inlined in JSON (`json:",inline"`). A .proto does not say either; both are
 *   read from the Go structs the .proto was generated from (go-to-protobuf writes one message per
 *   struct, each field tagged `protobuf:"<wire>,<number>,…"`), vendored beside each generated.proto.
 *   Reading them from Go rather than from our TypeBox schemas keeps them exact for every message,
 *   including those of kinds kubemock has no schema for, and checks each field number on the way.
 *
 * Run with `npm run protobuf:update`; test/unit/protobuf-descriptor.test.ts fails when the
 * committed file differs from what this script writes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';
import type { DescriptorFile, GoJsonField } from '../src/http/protobuf/descriptor.js';
import { DESCRIPTOR_FILE, PROTO_DIR } from '../src/http/protobuf/descriptor.js';
import { JSON_FORMS } from '../src/http/protobuf/json-forms.js';

/** One field of a Go struct that has a protobuf tag. */
interface GoField {
  goType: string;
  number: number;
  /** The name in the json tag; undefined without one. */
  json: string | undefined;
  inline: boolean;
  omitempty: boolean;
}

/** What the Go files of one package declare: structs by name, and `type X pkg.Y` definitions. */
interface GoPackage {
  structs: Map<string, GoField[]>;
  definitions: Map<string, { importPath: string; name: string }>;
}

function filesUnder(dir: string, name: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, name));
    else if (name(entry.name)) out.push(path);
  }
  return out.sort();
}

/** The value of one key of a Go struct tag (`json:"name,omitempty" protobuf:"bytes,1,opt,name=x"`). */
function tagValue(tag: string, key: string): string | undefined {
  return new RegExp(`(?:^|\\s)${key}:"([^"]*)"`).exec(tag)?.[1];
}

/** The structs and type definitions of the Go files in one package directory. */
function readGoPackage(dir: string): GoPackage {
  const pkg: GoPackage = { structs: new Map(), definitions: new Map() };
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.go'))
    .sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    const imports = new Map<string, string>();
    for (const line of lines) {
      const m = /^\s*(?:import\s+)?(\w+)\s+"([^"]+)"\s*$/.exec(line);
      if (m) imports.set(m[1], m[2]);
    }
    for (let i = 0; i < lines.length; i++) {
      const definition = /^type (\w+) (\w+)\.(\w+)\s*$/.exec(lines[i]);
      if (definition && imports.has(definition[2])) {
        pkg.definitions.set(definition[1], { importPath: imports.get(definition[2])!, name: definition[3] });
        continue;
      }
      const struct = /^type (\w+) struct ?\{(\})?\s*$/.exec(lines[i]);
      if (!struct) continue;
      const fields: GoField[] = [];
      if (struct[2]) {
        pkg.structs.set(struct[1], fields); // struct{}
        continue;
      }
      for (i++; i < lines.length && !/^\}/.test(lines[i]); i++) {
        // `Name Type \`tags\`` or, for an embedded struct, `Type \`tags\``; comments are skipped.
        const m = /^\s*(?:(\w+)\s+)?([^\s`/]+)\s+`([^`]*)`/.exec(lines[i]);
        const proto = m && tagValue(m[3], 'protobuf');
        if (!m || !proto) continue;
        const number = Number(proto.split(',')[1]);
        if (!Number.isInteger(number)) throw new Error(`${file}: ${struct[1]}: cannot read the field number of ${lines[i].trim()}`);
        const json = tagValue(m[3], 'json')?.split(',');
        fields.push({
          goType: m[2],
          number,
          json: json?.[0],
          inline: json?.includes('inline') ?? false,
          omitempty: json?.includes('omitempty') ?? false,
        });
      }
      pkg.structs.set(struct[1], fields);
    }
  }
  return pkg;
}

/**
 * The JSON zero of the apimachinery types with their own JSON form (JSON_FORMS), as Go's
 * ToUnstructured writes a zero value of each; `slice` for those that are Go slices (omitempty drops
 * them when empty, as any slice).
 */
const FORM_ZEROS: Readonly<Record<string, { zero: unknown; slice?: true }>> = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': { zero: null },
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': { zero: null },
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': { zero: '0s' },
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': { zero: null },
  'k8s.io.apimachinery.pkg.apis.meta.v1.Verbs': { zero: null, slice: true },
  'k8s.io.api.authorization.v1.ExtraValue': { zero: null, slice: true },
  'k8s.io.api.authentication.v1.ExtraValue': { zero: null, slice: true },
  'k8s.io.apimachinery.pkg.runtime.RawExtension': { zero: null },
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': { zero: 0 },
  'k8s.io.apimachinery.pkg.api.resource.Quantity': { zero: '0' },
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': { zero: '0' },
  // apiextensions v1 (marshal.go): JSON, a schema or list of schemas, a schema or list of strings
  // write null when empty; a schema-or-bool writes false. Every field of these types is a pointer,
  // a list or a map value, so the zeros are never written; the table still has to know them.
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON': { zero: null },
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': { zero: null },
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': { zero: false },
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': { zero: null },
};

/**
 * What the JSON of a Go struct field is when Go writes the struct (runtime.ToUnstructured): a field
 * that is no pointer and either has no omitempty or is a struct (omitempty never drops a struct) is
 * always written, as its zero when unset; `zero: {}` on a message field is that message's zero.
 * `message` names the message a field's objects (its items for `list`, its values for `map`) are.
 * Fields with neither are left out; an inlined struct's entry (`inline`) is keyed by its .proto name.
 */
function goJsonField(field: protobuf.Field, go: GoField): GoJsonField | undefined {
  const type = field.resolve().resolvedType;
  const message = type instanceof protobuf.Type ? type.fullName.slice(1) : undefined;
  const form = message === undefined ? undefined : FORM_ZEROS[message];
  if (message !== undefined && message in JSON_FORMS && !form) throw new Error(`${message}: no JSON zero in FORM_ZEROS`);
  const container = field.map ? 'map' : field.repeated ? 'list' : undefined;
  const out: GoJsonField = {};
  if (message !== undefined && !form) out.message = message;
  if (container) out.container = container;
  if (go.inline) return out.message ? { ...out, inline: true } : undefined;
  const pointer = go.goType.startsWith('*');
  const struct = message !== undefined && !container && !form?.slice;
  if (!pointer && (!go.omitempty || struct)) {
    if (container || form?.slice || field.type === 'bytes') out.zero = null;
    else if (form) out.zero = form.zero;
    else if (message !== undefined) out.zero = {};
    else out.zero = field.type === 'string' ? '' : field.type === 'bool' ? false : 0;
  }
  return out.message !== undefined || 'zero' in out ? out : undefined;
}

/** A JSON name as a .proto name, lower-cased: letters and digits only. */
function protoNameOf(json: string): string {
  return json.replace(/[^A-Za-z0-9_]/g, '').toLowerCase();
}

/** The whole derived file, as text. */
export function buildDescriptor(protoDir = PROTO_DIR): string {
  const protoFiles = filesUnder(protoDir, (f) => f.endsWith('.proto')).map((f) => relative(protoDir, f));
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protoDir, target);
  root.loadSync(protoFiles, { keepCase: true });
  root.resolveAll();

  const goPackages = new Map<string, GoPackage>();
  const goPackage = (importPath: string): GoPackage => {
    let pkg = goPackages.get(importPath);
    if (!pkg) goPackages.set(importPath, (pkg = readGoPackage(join(protoDir, importPath))));
    return pkg;
  };
  const structOf = (importPath: string, name: string): GoField[] | undefined => {
    const pkg = goPackage(importPath);
    const definition = pkg.definitions.get(name);
    return pkg.structs.get(name) ?? (definition && structOf(definition.importPath, definition.name));
  };

  const pointers: Record<string, string[]> = {};
  const inline: Record<string, string[]> = {};
  const jsonNames: Record<string, Record<string, string>> = {};
  const goJson: Record<string, Record<string, GoJsonField>> = {};
  const visit = (ns: protobuf.NamespaceBase, importPath: string | undefined): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type) {
        const name = child.fullName.slice(1);
        if (name in JSON_FORMS) continue; // its JSON form is its own, not its fields'
        if (!importPath) throw new Error(`${name}: its package has no go_package option`);
        const struct = structOf(importPath, child.name);
        if (!struct)
          throw new Error(`${name}: no Go struct ${child.name} in proto/${importPath}/*.go; vendor the Go file that declares it`);
        for (const field of child.fieldsArray) {
          const go = struct.find((f) => f.number === field.id);
          if (!go) throw new Error(`${name}.${field.name}: no field of the Go struct has protobuf number ${field.id}`);
          // go-to-protobuf takes a field's .proto name from its json tag, in camel case and without the
          // characters a .proto name cannot have (`$ref` is ref, `x-kubernetes-map-type` xKubernetesMapType).
          if (!go.inline && go.json && go.json !== '-' && go.json !== field.name) {
            if (protoNameOf(go.json) !== field.name.toLowerCase()) throw new Error(`${name}.${field.name}: its JSON name is ${go.json}`);
            (jsonNames[name] ??= {})[field.name] = go.json;
          }
          if (go.goType.startsWith('*')) (pointers[name] ??= []).push(field.name);
          if (go.inline) (inline[name] ??= []).push(field.name);
          const json = goJsonField(field, go);
          if (json) (goJson[name] ??= {})[go.inline ? field.name : (go.json ?? field.name)] = json;
        }
      } else if (child instanceof protobuf.Namespace) {
        visit(child, (child.options?.go_package as string | undefined) ?? importPath);
      }
    }
  };
  visit(root, undefined);

  const file: DescriptorFile = {
    comment: 'Generated by scripts/protobuf-update.ts (npm run protobuf:update) from proto/k8s.io; do not edit.',
    pointers,
    inline,
    jsonNames,
    goJson,
    proto: root.toJSON({ keepComments: false }),
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const text = buildDescriptor();
  writeFileSync(DESCRIPTOR_FILE, text);
  console.log(`wrote ${relative(process.cwd(), DESCRIPTOR_FILE)} (${text.length} bytes)`);
}
