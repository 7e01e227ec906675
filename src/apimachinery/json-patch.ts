/**
 * JSON patch (RFC 6902): add, remove, replace, move, copy and test on a JSON document, with
 * JSON-pointer paths (RFC 6901). Behaviour and error texts follow the library kube-apiserver uses
 * (evanphx/json-patch v4): negative array indices count from the end, `-` appends, a missing
 * target fails the operation. The document is not modified; a new one is returned.
 */
import { deepEqual, isPlainObject } from './object.js';

export interface JsonPatchOperation {
  op?: unknown;
  path?: unknown;
  from?: unknown;
  value?: unknown;
  [extra: string]: unknown;
}

/** An operation could not be applied; kube-apiserver answers the generic 422 for these. */
export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

type Container = Record<string, unknown> | unknown[];

/** Splits a JSON pointer into unescaped tokens; `/a/b` → ['a', 'b']. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`JSON pointer must be empty or start with a "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Go's strconv.Atoi: optional sign, decimal digits. */
function atoi(token: string): number | undefined {
  return /^[+-]?\d+$/.test(token) ? Number(token) : undefined;
}

/** An existing element's index (negative ones count from the end), or undefined. */
function listIndex(list: unknown[], token: string): number | undefined {
  let i = atoi(token);
  if (i === undefined) return undefined;
  if (i < 0) i += list.length;
  return i >= 0 && i < list.length ? i : undefined;
}

/** The container holding the target of `path`, and the last token; undefined when the parent is missing. */
function findParent(doc: unknown, path: string): { parent: Container; key: string } | undefined {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return undefined;
  let node: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) {
      const i = listIndex(node, token);
      if (i === undefined) return undefined;
      node = node[i];
    } else if (isPlainObject(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, token)) return undefined;
      node = node[token];
    } else return undefined;
  }
  if (!Array.isArray(node) && !isPlainObject(node)) return undefined;
  return { parent: node, key: tokens[tokens.length - 1] };
}

function arrayIndex(list: unknown[], key: string, allowEnd: boolean): number {
  let i = atoi(key);
  if (i === undefined) throw new JsonPatchError(`Unable to access invalid index: ${key}`);
  const limit = allowEnd ? list.length : list.length - 1;
  if (i < 0) {
    if (i < -list.length) throw new JsonPatchError(`Unable to access invalid index: ${i}`);
    i += list.length;
  }
  if (i > limit) throw new JsonPatchError(`Unable to access invalid index: ${i}`);
  return i;
}

function get(doc: unknown, path: string): { found: boolean; value?: unknown } {
  if (path === '') return { found: true, value: doc };
  const at = findParent(doc, path);
  if (!at) return { found: false };
  if (Array.isArray(at.parent)) {
    const i = listIndex(at.parent, at.key);
    return i === undefined ? { found: false } : { found: true, value: at.parent[i] };
  }
  if (!Object.prototype.hasOwnProperty.call(at.parent, at.key)) return { found: false };
  return { found: true, value: at.parent[at.key] };
}

function add(doc: unknown, path: string, value: unknown): unknown {
  if (path === '') return value;
  const at = findParent(doc, path);
  if (!at) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${path}"`);
  if (Array.isArray(at.parent)) {
    const i = at.key === '-' ? at.parent.length : arrayIndex(at.parent, at.key, true);
    at.parent.splice(i, 0, value);
  } else {
    at.parent[at.key] = value;
  }
  return doc;
}

function remove(doc: unknown, path: string): { doc: unknown; removed: unknown } {
  const at = findParent(doc, path);
  if (!at) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${path}"`);
  if (Array.isArray(at.parent)) {
    const i = arrayIndex(at.parent, at.key, false);
    const [removed] = at.parent.splice(i, 1);
    return { doc, removed };
  }
  if (!Object.prototype.hasOwnProperty.call(at.parent, at.key)) {
    throw new JsonPatchError(`Unable to remove nonexistent key: ${at.key}: missing value`);
  }
  const removed = at.parent[at.key];
  delete at.parent[at.key];
  return { doc, removed };
}

function replace(doc: unknown, path: string, value: unknown): unknown {
  if (path === '') return value;
  const at = findParent(doc, path);
  if (!at) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${path}`);
  if (Array.isArray(at.parent)) {
    const i = arrayIndex(at.parent, at.key, false);
    at.parent[i] = value;
  } else {
    if (!Object.prototype.hasOwnProperty.call(at.parent, at.key)) {
      throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    }
    at.parent[at.key] = value;
  }
  return doc;
}

function stringField(op: JsonPatchOperation, name: 'path' | 'from'): string {
  const v = op[name];
  if (typeof v !== 'string') throw new JsonPatchError(`operation missing ${name} field`);
  return v;
}

/** The operation's value; a missing one is null (evanphx/json-patch v4 adds or replaces with null). */
function valueOf(op: JsonPatchOperation): unknown {
  return op.value === undefined ? null : clone(op.value);
}

/**
 * What copies may add to a document in one patch (the bytes of the copied values' JSON, summed):
 * kube-apiserver's JSONPatchMaxCopyBytes, which it sets as the library's AccumulatedCopySizeLimit.
 * Without it forty copies of a growing list double it forty times.
 */
export const MAX_COPIED_BYTES = 3 * 1024 * 1024;

/** The bytes copies have added so far in one patch. */
interface CopyBudget {
  copied: number;
}

function applyOne(doc: unknown, op: JsonPatchOperation, budget: CopyBudget): unknown {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add':
      return add(doc, stringField(op, 'path'), valueOf(op));
    case 'remove':
      return remove(doc, stringField(op, 'path')).doc;
    case 'replace':
      return replace(doc, stringField(op, 'path'), valueOf(op));
    case 'move': {
      const from = stringField(op, 'from');
      const path = stringField(op, 'path');
      const { doc: without, removed } = remove(doc, from);
      return add(without, path, removed);
    }
    case 'copy': {
      const from = stringField(op, 'from');
      const path = stringField(op, 'path');
      const source = get(doc, from);
      if (!source.found) throw new JsonPatchError(`copy operation does not apply: doc is missing from path: ${from}`);
      const json = source.value === undefined ? 'null' : JSON.stringify(source.value);
      budget.copied += Buffer.byteLength(json);
      if (budget.copied > MAX_COPIED_BYTES) {
        throw new JsonPatchError(
          `Unable to complete the copy, the accumulated size increase of copy is ${budget.copied}, exceeding the limit ${MAX_COPIED_BYTES}`,
        );
      }
      return add(doc, path, JSON.parse(json) as unknown);
    }
    case 'test': {
      const path = stringField(op, 'path');
      const expected = op.value === undefined ? null : op.value;
      const actual = get(doc, path);
      if (!actual.found) {
        if (findParent(doc, path) === undefined && path !== '')
          throw new JsonPatchError(`test operation for path ${path} failed, not found`);
        if (expected === null) return doc;
        throw new JsonPatchError(`testing value ${path} failed: test failed`);
      }
      if (!deepEqual(actual.value, expected)) throw new JsonPatchError(`testing value ${path} failed: test failed`);
      return doc;
    }
    default:
      throw new JsonPatchError(`Unexpected kind: ${kind}`);
  }
}

/** Applies the operations in order to a copy of `doc`; throws JsonPatchError on the first failure. */
export function applyJsonPatch(doc: unknown, ops: readonly JsonPatchOperation[]): unknown {
  let out = clone(doc);
  const budget: CopyBudget = { copied: 0 };
  for (const op of ops) {
    if (!isPlainObject(op)) throw new JsonPatchError('Unexpected kind: unknown');
    out = applyOne(out, op, budget);
  }
  return out;
}
