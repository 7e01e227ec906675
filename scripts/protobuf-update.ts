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
import type { DescriptorFile } from '../src/http/protobuf/descriptor.js';
import { DESCRIPTOR_FILE, PROTO_DIR } from '../src/http/protobuf/descriptor.js';
import { JSON_FORMS } from '../src/http/protobuf/json-forms.js';

/** One field of a Go struct that has a protobuf tag. */
interface GoField {
  goType: string;
  number: number;
  /** The name in the json tag; undefined without one. */
  json: string | undefined;
  inline: boolean;
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
        fields.push({ goType: m[2], number, json: json?.[0], inline: json?.includes('inline') ?? false });
      }
      pkg.structs.set(struct[1], fields);
    }
  }
  return pkg;
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
          // go-to-protobuf takes a field's .proto name from its json tag, except where it differs in case.
          if (!go.inline && go.json && go.json !== '-' && go.json !== field.name) {
            if (go.json.toLowerCase() !== field.name.toLowerCase()) throw new Error(`${name}.${field.name}: its JSON name is ${go.json}`);
            (jsonNames[name] ??= {})[field.name] = go.json;
          }
          if (go.goType.startsWith('*')) (pointers[name] ??= []).push(field.name);
          if (go.inline) (inline[name] ??= []).push(field.name);
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
    proto: root.toJSON({ keepComments: false }),
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const text = buildDescriptor();
  writeFileSync(DESCRIPTOR_FILE, text);
  console.log(`wrote ${relative(process.cwd(), DESCRIPTOR_FILE)} (${text.length} bytes)`);
}
