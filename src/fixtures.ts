/**
 * Fixtures: objects loaded at start from YAML or JSON (a file, or every .yaml/.yml/.json file of a
 * folder in name order; multi-document YAML and `kind: List` allowed). They are created like
 * `kubectl create` would, namespaces first, then nodes, then everything else in file order; an
 * object that already exists is left as it is, so a restart on the same database loads nothing
 * twice. A `status` given for a kind with a status subresource is written after the create.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseYamlDocuments, yamlToJs } from './apimachinery/yaml-decode.js';
import { deepClone, type KubeObject } from './apimachinery/object.js';
import { StatusError } from './apimachinery/status.js';
import { apiVersionOf } from './registry/resource-definition.js';
import type { Registry } from './registry/registry.js';
import type { ProgressCallback } from './apimachinery/progress.js';

export interface Fixture {
  object: KubeObject;
  /** Where it came from: `file.yaml#2` (document index from 1), for error messages. */
  source: string;
}

export interface FixtureResult {
  created: string[];
  existing: string[];
}

export class FixtureError extends Error {
  override name = 'FixtureError';
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const ORDER: Record<string, number> = { Namespace: 0, Node: 1 };

/** The objects of a file or folder, in file and document order. */
export function readFixtures(path: string): Fixture[] {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => EXTENSIONS.has(extname(f).toLowerCase()))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (err) {
    throw new FixtureError(`fixtures: cannot read ${path}: ${(err as Error).message}`);
  }
  return files.flatMap((file) => parseFixtures(readFileSync(file, 'utf8'), file));
}

/** The objects of one YAML or JSON text (documents that are empty are skipped). */
export function parseFixtures(text: string, source = 'fixtures'): Fixture[] {
  const out: Fixture[] = [];
  let docs;
  try {
    docs = parseYamlDocuments(text);
  } catch (e) {
    throw new FixtureError(`fixtures: ${source}: ${(e as Error).message}`);
  }
  docs.forEach((doc, i) => {
    const where = `${source}#${i + 1}`;
    if (doc.errors.length) throw new FixtureError(`fixtures: ${where}: ${doc.errors[0].message}`);
    let value: unknown;
    try {
      value = yamlToJs(doc);
    } catch (e) {
      throw new FixtureError(`fixtures: ${where}: ${(e as Error).message}`);
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) throw new FixtureError(`fixtures: ${where}: expected an object`);
    const obj = value as KubeObject & { items?: KubeObject[] };
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      obj.items.forEach((item, j) => out.push({ object: item, source: `${where}.items[${j}]` }));
    } else out.push({ object: obj, source: where });
  });
  return out;
}

/** Namespaces, then nodes, then the rest, each group in its given order. */
export function dependencyOrder(fixtures: Fixture[]): Fixture[] {
  return fixtures
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (ORDER[a.f.object.kind ?? ''] ?? 2) - (ORDER[b.f.object.kind ?? ''] ?? 2) || a.i - b.i)
    .map(({ f }) => f);
}

/** Creates the fixtures through the registry (validation, defaults and admission as for any client). */
export function loadFixtures(registry: Registry, fixtures: Fixture[], onProgress?: ProgressCallback): FixtureResult {
  const result: FixtureResult = { created: [], existing: [] };
  const ordered = dependencyOrder(fixtures);
  for (const [i, { object, source }] of ordered.entries()) {
    onProgress?.('fixtures', i, ordered.length);
    const def = registry.served.find((d) => d.kind === object.kind && apiVersionOf(d) === object.apiVersion);
    if (!def)
      throw new FixtureError(
        `fixtures: ${source}: kubemock does not serve ${object.apiVersion ?? '(no apiVersion)'} ${object.kind ?? '(no kind)'}`,
      );
    const store = registry.lookup(def.group, def.version, def.plural)!;
    const obj = deepClone(object);
    obj.metadata ??= {};
    if (def.namespaced) obj.metadata.namespace ??= 'default';
    const label = `${def.plural}/${def.namespaced ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name ?? obj.metadata.generateName ?? ''}`;
    if (obj.metadata.name && store.tryGet(obj.metadata.namespace, obj.metadata.name)) {
      result.existing.push(label);
      continue;
    }
    try {
      // A served version's object is stored in the stored kind's form (its own validation still applies).
      const created = store.create(def.conversion ? def.conversion.toStorage(obj) : obj).object;
      if (object.status !== undefined && def.statusStrategy) {
        store.update(
          created.metadata.namespace,
          created.metadata.name!,
          { ...created, status: deepClone(object.status) },
          { subresource: 'status' },
        );
      }
      result.created.push(`${def.plural}/${def.namespaced ? `${created.metadata.namespace}/` : ''}${created.metadata.name}`);
    } catch (err) {
      const why = err instanceof StatusError ? err.message : String(err);
      throw new FixtureError(`fixtures: ${source} (${label}): ${why}`);
    }
  }
  onProgress?.('fixtures', ordered.length, ordered.length);
  return result;
}
