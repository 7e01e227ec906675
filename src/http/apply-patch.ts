/**
 * `application/apply-patch+yaml` (server-side apply) as the HTTP layer decodes it: upstream's
 * answers to bad input (undecodable YAML 400, a wrong apiVersion 400, fields the schema does not
 * declare 500 `failed to create typed patch object …`, duplicate keys under Strict / Warn). The
 * merge itself, with field ownership and conflicts, is the store's (registry/field-ownership.ts).
 */
import type YAML from 'yaml';
import type { TSchema } from '@sinclair/typebox';
import { deepClone, isPlainObject, type KubeObject } from '../apimachinery/object.js';
import { fieldPathString, prune } from '../apimachinery/prune.js';
import { badRequest, reasonless } from '../apimachinery/status.js';
import { apiVersionOf, type ResourceDefinition } from '../registry/resource-definition.js';
import { yamlWarnings, type WriteQuery } from './field-validation.js';
import { parseYamlDocuments, repeatedKeyOffsets, YamlError, yamlToJs } from '../apimachinery/yaml-decode.js';

/** Merges a configuration into the live object (undefined: none yet), recording ownership. */
export type ApplyMerge = (live: KubeObject | undefined, config: Record<string, unknown>) => KubeObject;

export interface ApplyPatch {
  /** The live object with the configuration applied, or the new object when `current` is absent. */
  apply(current: KubeObject | undefined, merge: ApplyMerge): KubeObject;
}

/** The key whose value starts at `offset` in `text` (a JSON-quoted, single-quoted or plain scalar). */
function keyAt(text: string, offset: number): unknown {
  const rest = text.slice(offset);
  const dq = /^"(?:[^"\\]|\\.)*"/.exec(rest);
  if (dq) return JSON.parse(dq[0]) as unknown;
  const sq = /^'(?:[^']|'')*'/.exec(rest);
  if (sq) return sq[0].slice(1, -1).replace(/''/g, "'");
  const plain = /^[^:,{}[\]\s][^:,{}[\]]*?(?=\s*:)/.exec(rest)?.[0] ?? rest.split(/[:\s]/)[0];
  return /^-?\d+$/.test(plain) ? Number(plain) : plain;
}

/** The line (from 1) of each offset of `text`, found by a binary search over its line starts. */
function linesOf(text: string, offsets: number[]): number[] {
  if (!offsets.length) return [];
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return offsets.map((offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  });
}

/** goyaml's strict findings: `line 3: key "a" already set in map`, one per repeated key. */
function duplicateKeys(text: string, doc: YAML.Document): string[] {
  const offsets = repeatedKeyOffsets(doc);
  const lines = linesOf(text, offsets);
  return offsets.map((offset, i) => `line ${lines[i]}: key ${JSON.stringify(keyAt(text, offset))} already set in map`);
}

/**
 * The first document of the text, as goyaml reads one (an empty text is an empty document). Past
 * the nesting limit it is a 400 worded as upstream's (`… yaml: line 1: exceeded max depth of N`).
 */
function firstDocument(text: string): YAML.Document.Parsed {
  try {
    return parseYamlDocuments(text)[0] ?? parseYamlDocuments('{}')[0];
  } catch (e) {
    throw e instanceof YamlError ? badRequest(`error decoding YAML: error converting YAML to JSON: ${e.message}`) : e;
  }
}

/** The patch object a parsed document holds; a document that is not a mapping is a 400. */
function patchObject(doc: YAML.Document): Record<string, unknown> {
  let value: unknown;
  try {
    value = yamlToJs(doc) ?? {};
  } catch (e) {
    throw e instanceof YamlError ? badRequest(`error decoding YAML: error converting YAML to JSON: ${e.message}`) : e;
  }
  if (!isPlainObject(value)) {
    const what = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
    throw badRequest(
      `error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${what} into Go value of type map[string]interface {}`,
    );
  }
  return value;
}

/** The patch and, unless `withDuplicates` is false, its repeated keys (found before aliases are put in place). */
function decodeYaml(text: string, withDuplicates: boolean): { patch: Record<string, unknown>; duplicates: string[] } {
  const doc = firstDocument(text);
  const error = doc.errors[0];
  if (error)
    throw badRequest(
      `error decoding YAML: error converting YAML to JSON: yaml: line ${error.linePos?.[0].line ?? 1}: ${error.message.split(' at line')[0]}`,
    );
  const duplicates = withDuplicates ? duplicateKeys(text, doc) : [];
  return { patch: patchObject(doc), duplicates };
}

/** `(ns/name; apps/v1, Kind=DaemonSet)`, as objectGVKNN prints the applied object. */
function describeObject(def: ResourceDefinition, patch: Record<string, unknown>): string {
  const meta = isPlainObject(patch.metadata) ? patch.metadata : {};
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  return `(${ns}/${name}; ${def.group}/${def.version}, Kind=${def.kind})`;
}

/** Rejects what structured-merge-diff cannot type: undeclared fields and wrong value types. */
function checkTyped(def: ResourceDefinition, schema: TSchema, patch: Record<string, unknown>): void {
  const checked = prune(patch, schema);
  const errors = checked.unknown.map((p) => `${fieldPathString(p)}: field not declared in schema`);
  if (checked.typeError) errors.push(checked.typeError);
  if (!errors.length) return;
  const text = errors.length === 1 ? errors[0] : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n');
  throw reasonless(`failed to create typed patch object ${describeObject(def, patch)}: ${text}`);
}

/**
 * Decodes an apply patch. `warn` gets the duplicate-key findings under Warn; under Strict they
 * fail the request, after the apply itself (as upstream orders the checks).
 */
export function decodeApplyPatch(
  raw: Buffer,
  def: ResourceDefinition,
  schema: TSchema | undefined,
  q: WriteQuery,
  warn: (t: string[]) => void,
): ApplyPatch {
  const text = raw.toString('utf8');
  const { patch, duplicates } = decodeYaml(text, q.fieldValidation !== 'Ignore');
  const expected = apiVersionOf(def);
  if (patch.apiVersion !== expected) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(patch.apiVersion ?? '')}, expected: ${expected}`,
    );
  }
  return {
    apply(current, merge) {
      if (schema) checkTyped(def, schema, patch);
      const merged = merge(current && deepClone(current), deepClone(patch));
      if (duplicates.length) {
        const message = `error converting YAML to JSON: yaml: unmarshal errors:\n${duplicates.map((d) => `  ${d}`).join('\n')}`;
        if (q.fieldValidation === 'Strict') throw badRequest(`error strict decoding YAML: ${message}`);
        warn(yamlWarnings(message));
      }
      if (!schema) return merged;
      const decoded = prune(merged, schema, { goZeros: true, unstructured: def.unstructured === true });
      // Upstream converts the merged object to its Go type after the merge: a bad time or quantity fails there.
      if (decoded.unmarshalError && !def.unstructured)
        throw reasonless(`failed to convert new object ${describeObject(def, patch)} to proper version: ${decoded.unmarshalError}`);
      return decoded.value as KubeObject;
    },
  };
}
