/** POST, PUT and PATCH of objects and of their /status. */
import type { KubeObject } from '../../apimachinery/object.js';
import { isStatusError } from '../../apimachinery/status.js';
import { checkBody, checkName, checkNamespace } from '../../registry/type-meta.js';
import type { WriteOptions } from '../../registry/store.js';
import { decodePatchBody } from '../content.js';
import { addWarnings, parseWriteQuery, type WriteQuery } from '../field-validation.js';
import { decodeWriteObject } from '../object-body.js';
import { preparePatch, type PatchTarget } from '../patch-body.js';
import { decodeApplyPatch, type ApplyMerge } from '../apply-patch.js';
import { renderObject } from '../representation.js';
import { toServed, toStored } from '../conversion.js';
import type { HandlerContext } from './context.js';
import { forbiddenRequest, type Authorizer } from '../../apimachinery/authorization.js';
import { isPrivileged } from '../../apimachinery/user-info.js';
import { requestAttributes } from '../auth/request-attributes.js';

/** A decoded patch of any type (the current object is absent when server-side apply creates). */
interface Patch {
  apply(current: KubeObject | undefined, merge: ApplyMerge): KubeObject;
}

/** managerOrUserAgent: `?fieldManager=`, else the user agent up to its first `/`, else "unknown". */
function fieldManagerOf(c: HandlerContext, q: WriteQuery): string {
  return q.fieldManager || (c.request.headers['user-agent'] ?? '').split('/')[0] || 'unknown';
}

function writeOptions(c: HandlerContext, q: WriteQuery): WriteOptions {
  const opts: WriteOptions = { fieldManager: fieldManagerOf(c, q), warn: (texts) => addWarnings(c.reply, texts), user: c.request.user };
  if (q.dryRun) opts.dryRun = true;
  if (c.info.subresource === 'status') opts.subresource = 'status';
  return opts;
}

/**
 * The patch applied to the current (stored) object in the request's group-version: the result must
 * still be this kind, in this namespace, with this name; it is returned in the stored form.
 */
function patched(c: HandlerContext, patch: Patch, current: KubeObject | undefined, merge: ApplyMerge = noMerge): KubeObject {
  const def = c.store.def;
  const checked = checkBody(def, patch.apply(current && toServed(def, current), merge));
  checkNamespace(def, checked, c.info.namespace);
  checkName(checked, c.info.name!);
  return toStored(def, checked);
}

const noMerge: ApplyMerge = () => {
  throw new Error('only an apply patch merges a configuration');
};

function patchTarget(c: HandlerContext, query: WriteQuery): PatchTarget {
  return { def: c.store.def, schema: c.store.def.schema, query, warn: (texts) => addWarnings(c.reply, texts) };
}

export function createObject(c: HandlerContext): void {
  const q = parseWriteQuery(c.rawQuery, 'CreateOptions');
  const obj = decodeWriteObject(c, q);
  checkNamespace(c.store.def, obj, c.info.namespace);
  const result = c.store.create(obj, { ...writeOptions(c, q), refuseResourceVersion: true });
  renderObject(c, 201, result.json);
}

/** PUT: 200 with the updated object, or 201 when the kind creates a missing object on update. */
export function updateObject(c: HandlerContext, authorizer: Authorizer): void {
  const q = parseWriteQuery(c.rawQuery, 'UpdateOptions');
  const obj = decodeWriteObject(c, q);
  checkNamespace(c.store.def, obj, c.info.namespace);
  checkName(obj, c.info.name!);
  const opts: WriteOptions = { ...writeOptions(c, q), authorizeCreate: () => authorizeCreate(c, authorizer) };
  const result = c.store.update(c.info.namespace, c.info.name!, obj, opts);
  renderObject(c, result.created ? 201 : 200, result.json);
}

/** A PUT or an apply that creates needs the create verb too: the request's attributes, verb create (upstream's withAuthorization). */
function authorizeCreate(c: HandlerContext, authorizer: Authorizer): void {
  const user = c.request.user;
  if (isPrivileged(user)) return;
  const attrs = { ...requestAttributes(c.request.method, c.request.url, user), verb: 'create' };
  const decision = authorizer.authorize(attrs);
  if (!decision.allowed) throw forbiddenRequest(attrs, decision.reason);
}

export function patchObject(c: HandlerContext, authorizer: Authorizer): void {
  const { type, raw } = decodePatchBody(c.request.headers['content-type'], c.request.body);
  const q = parseWriteQuery(c.rawQuery, 'PatchOptions', type);
  if (type === 'apply') return applyObject(c, raw, q, authorizer);
  const patch = preparePatch(type, raw, patchTarget(c, q));
  const mutate = (current: KubeObject) => patched(c, { apply: (served) => patch.apply(served!) }, current);
  const result = c.store.patch(c.info.namespace, c.info.name!, mutate, writeOptions(c, q));
  renderObject(c, 200, result.json);
}

/**
 * Server-side apply: creates the object when it is missing (201), else patches it (200). An apply
 * always may create the main resource (upstream forces create-on-update for it); /status only where
 * its strategy creates on update, as upstream's StatusREST passes no such force.
 */
function applyObject(c: HandlerContext, raw: Buffer, q: WriteQuery, authorizer: Authorizer): void {
  const t = patchTarget(c, q);
  const patch = decodeApplyPatch(raw, t.def, t.schema, q, t.warn);
  const { namespace, name } = c.info;
  const opts: WriteOptions = { ...writeOptions(c, q), applied: true };
  const merge: ApplyMerge = (live, config) => c.store.applyConfiguration(live, config, { ...opts, force: q.force ?? false });
  const creates = c.info.subresource !== 'status' || c.store.createsOnUpdate('status');
  if (creates && !c.store.tryGet(namespace, name!)) {
    try {
      const created = c.store.create(patched(c, patch, undefined, merge), {
        ...opts,
        authorizeCreate: () => authorizeCreate(c, authorizer),
      });
      return void renderObject(c, 201, created.json);
    } catch (e) {
      if (!isStatusError(e) || e.reason !== 'AlreadyExists') throw e;
    }
  }
  const result = c.store.patch(namespace, name!, (current) => patched(c, patch, current, merge), opts);
  renderObject(c, 200, result.json);
}
