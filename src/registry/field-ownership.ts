/**
 * Field ownership in the write pipeline (kube-apiserver's FieldManager): every write through the
 * store records what its manager set in metadata.managedFields, and an apply merges a
 * configuration with conflict detection. The set algebra lives in apimachinery/managed-fields;
 * this file only picks the live and new objects, the managers to start from and the fields the
 * write's strategy resets.
 */
import type { TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../apimachinery/object.js';
import { isPlainObject, rfc3339 } from '../apimachinery/object.js';
import { badRequest } from '../apimachinery/status.js';
import {
  decodeManagers,
  encodeManagers,
  isResetManagedFields,
  type ManagedFieldsEntry,
  type Managers,
} from '../apimachinery/managed-fields/managers.js';
import { createdFields, recordApply, recordUpdate, type WriteContext } from '../apimachinery/managed-fields/updater.js';
import { CreatedFieldsMemo } from '../apimachinery/managed-fields/created-fields.js';
import { FieldSet } from '../apimachinery/managed-fields/field-set.js';
import { fieldElement } from '../apimachinery/managed-fields/path-element.js';
import { compare, toFieldSet } from '../apimachinery/managed-fields/typed-value.js';
import { stringifyGo } from '../apimachinery/go-json.js';
import { apiVersionOf, DEFAULT_RESET_FIELDS, type ResourceDefinition } from './resource-definition.js';

/** Who writes: `?fieldManager=`, else the user agent's program name, else "unknown" (as upstream). */
export interface FieldManagerOptions {
  fieldManager?: string;
  subresource?: string;
}

/** The manager a controller's writes are recorded under when it names none (kube-controller-manager's user agent). */
export const DEFAULT_FIELD_MANAGER = 'kube-controller-manager';

/** The manager of kube-apiserver's own writes (its loopback client's user agent): its controllers' and its REST storage's. */
export const API_SERVER_FIELD_MANAGER = 'kube-apiserver';

function managedOf(obj: KubeObject | undefined): ManagedFieldsEntry[] | undefined {
  return obj?.metadata.managedFields as ManagedFieldsEntry[] | undefined;
}

function decodeOrEmpty(entries: ManagedFieldsEntry[] | undefined): Managers {
  try {
    return decodeManagers(entries);
  } catch {
    return new Map();
  }
}

/** The object without its managedFields, as the comparison sees it. */
function withoutManagedFields(obj: KubeObject | undefined): unknown {
  if (!obj) return {};
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * The two versions an update compares, without their managedFields. When both hold the same list
 * (a writer that copied only what it changed) the comparison passes over it as an unchanged value,
 * so the versions are compared as they are, without copies.
 */
function comparedVersions(old: KubeObject | undefined, obj: KubeObject): [unknown, unknown] {
  if (old && old.metadata.managedFields === obj.metadata.managedFields) return [old, obj];
  return [withoutManagedFields(old), withoutManagedFields(obj)];
}

const resetSets = new WeakMap<ResourceDefinition, { main: FieldSet; status: FieldSet }>();

/** The fields a write's strategy resets (the definition's resetFields), as field sets. */
function resetOf(def: ResourceDefinition, subresource: string | undefined): FieldSet {
  let sets = resetSets.get(def);
  if (!sets) {
    const parse = (paths: readonly string[]) => FieldSet.of(...paths.map((p) => p.split('.').map(fieldElement)));
    const declared = def.resetFields ?? (def.statusStrategy ? DEFAULT_RESET_FIELDS : { main: [], status: [] });
    resetSets.set(def, (sets = { main: parse(declared.main), status: parse(declared.status) }));
  }
  return subresource === 'status' ? sets.status : sets.main;
}

function context(def: ResourceDefinition, schema: TSchema | undefined, opts: FieldManagerOptions, now: number): WriteContext {
  const ctx: WriteContext = {
    schema,
    manager: opts.fieldManager || DEFAULT_FIELD_MANAGER,
    apiVersion: apiVersionOf(def),
    reset: resetOf(def, opts.subresource),
    now: rfc3339(now),
  };
  if (opts.subresource) ctx.subresource = opts.subresource;
  if (def.protobuf) ctx.message = def.protobuf;
  return ctx;
}

function setManaged(obj: KubeObject, managers: Managers): void {
  const entries = encodeManagers(managers);
  if (entries) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/**
 * Records an Update (create, PUT, non-apply PATCH) from `old` (undefined on create) to `obj`, in
 * place. The managedFields `obj` carries are taken when valid and non-empty (a client may rewrite
 * them; `[]` or `[{}]` clears them), else the live ones are kept; a subresource write never sets them.
 */
export function recordUpdateOwnership(
  def: ResourceDefinition,
  schema: TSchema | undefined,
  old: KubeObject | undefined,
  obj: KubeObject,
  opts: FieldManagerOptions,
  now: number,
): void {
  const sent = managedOf(obj);
  const reset = !opts.subresource && isResetManagedFields(sent);
  const taken = opts.subresource || reset ? undefined : decodeOrUndefined(sent);
  if (!old && !opts.subresource && !taken) return recordCreate(def, schema, obj, opts, now);
  const managers = (): Managers => (reset ? (new Map() as Managers) : (taken ?? decodeOrEmpty(managedOf(old))));
  const [live, written] = comparedVersions(old, obj);
  const next = recordUpdate(managers, live, written, context(def, schema, opts, now));
  if (next) return setManaged(obj, next);
  // Nothing changed: the live entries stay as stored, unless the request replaced or cleared them.
  if (reset || taken) setManaged(obj, managers());
  else if (old?.metadata.managedFields) obj.metadata.managedFields = old.metadata.managedFields;
  else delete obj.metadata.managedFields;
}

const createdMemos = new WeakMap<ResourceDefinition, { schema: TSchema | undefined; memo: CreatedFieldsMemo }>();

/**
 * A create that brings no managedFields of its own: one Update entry holding the fields the object
 * sets (or none), what recordUpdate from nothing gives, with the encoding found by the object's shape.
 */
function recordCreate(def: ResourceDefinition, schema: TSchema | undefined, obj: KubeObject, opts: FieldManagerOptions, now: number): void {
  let memo = createdMemos.get(def);
  if (!memo || memo.schema !== schema) createdMemos.set(def, (memo = { schema, memo: new CreatedFieldsMemo(schema) }));
  const ctx = context(def, schema, opts, now);
  // Nothing to leave out (the usual create): no copy.
  const object = obj.metadata.managedFields === undefined ? obj : withoutManagedFields(obj);
  const fieldsV1 = memo.memo.encoded(object, () => createdFields(object, ctx));
  if (!fieldsV1) return void delete obj.metadata.managedFields;
  obj.metadata.managedFields = [
    { manager: ctx.manager, operation: 'Update', apiVersion: ctx.apiVersion, time: ctx.now, fieldsType: 'FieldsV1', fieldsV1 },
  ];
}

/** The managers a request sends, when they decode and are not empty. */
function decodeOrUndefined(entries: ManagedFieldsEntry[] | undefined): Managers | undefined {
  if (!entries?.length) return undefined;
  try {
    const managers = decodeManagers(entries);
    return managers.size ? managers : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Server-side apply of `config` to `live` (undefined when the apply creates): the merged object
 * with its managedFields, or a StatusError (409 on conflicts unless `force`).
 */
export function applyConfiguration(
  def: ResourceDefinition,
  live: KubeObject | undefined,
  config: Record<string, unknown>,
  opts: FieldManagerOptions & { force: boolean },
  now: number,
): KubeObject {
  const meta = isPlainObject(config.metadata) ? config.metadata : {};
  if (meta.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  const managers = decodeOrEmpty(managedOf(live));
  const ctx = { ...context(def, def.schema, opts, now), force: opts.force };
  const kubectl = ctx.manager === KUBECTL_MANAGER;
  const allowedConflicts = kubectl && live ? lastAppliedFields(def, live) : undefined;
  const result = recordApply(managers, live && withoutManagedFields(live), config, allowedConflicts ? { ...ctx, allowedConflicts } : ctx);
  const object = (result.object === undefined ? config : result.object) as KubeObject;
  const out = { ...object, metadata: { ...(object.metadata ?? {}) } } as KubeObject;
  if (kubectl && out.metadata.annotations?.[LAST_APPLIED]) {
    out.metadata.annotations = { ...out.metadata.annotations, [LAST_APPLIED]: lastAppliedOf(config) };
  }
  setManaged(out, result.managers);
  return out;
}

/** The manager whose applies upstream reconciles with client-side apply's annotation. */
const KUBECTL_MANAGER = 'kubectl';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * lastAppliedManager: the fields of the last-applied annotation whose live values still match it;
 * conflicts on them alone do not stop kubectl moving from client-side to server-side apply.
 */
function lastAppliedFields(def: ResourceDefinition, live: KubeObject): FieldSet | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(last) || last.apiVersion !== apiVersionOf(def)) return undefined;
  const c = compare(last, withoutManagedFields(live), def.schema);
  return toFieldSet(last, def.schema).difference(c.modified).difference(c.added).difference(c.removed);
}

/** Go's json.Marshal of a map: keys sorted at every level. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortedKeys(v[k])]),
  );
}

/** lastAppliedUpdater: the applied configuration without the annotation itself, as the unstructured encoder writes it. */
function lastAppliedOf(config: Record<string, unknown>): string {
  const copy = JSON.parse(JSON.stringify(config)) as { metadata?: { annotations?: Record<string, string> } };
  if (copy.metadata?.annotations) delete copy.metadata.annotations[LAST_APPLIED];
  return `${stringifyGo(sortedKeys(copy))}\n`;
}
