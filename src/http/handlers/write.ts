/** POST, PUT and PATCH of objects and of their /status. */
import { badRequest } from '../../apimachinery/status.js';
import { applyMergePatch } from '../../apimachinery/merge-patch.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { checkBody, checkName, checkNamespace } from '../../registry/type-meta.js';
import type { WriteOptions } from '../../registry/store.js';
import { decodeObjectBody, decodePatchBody } from '../content.js';
import { sendJsonText } from '../reply.js';
import { isDryRun, type HandlerContext } from './context.js';

function writeOptions(c: HandlerContext): WriteOptions {
  const opts: WriteOptions = {};
  if (isDryRun(c.query)) opts.dryRun = true;
  if (c.info.subresource === 'status') opts.subresource = 'status';
  return opts;
}

export function createObject(c: HandlerContext): void {
  const obj = checkBody(c.store.def, decodeObjectBody(c.request.headers['content-type'], c.request.body));
  checkNamespace(c.store.def, obj, c.info.namespace);
  const result = c.store.create(obj, writeOptions(c));
  sendJsonText(c.reply, 201, result.json, c.format);
}

export function updateObject(c: HandlerContext): void {
  const obj = checkBody(c.store.def, decodeObjectBody(c.request.headers['content-type'], c.request.body));
  checkNamespace(c.store.def, obj, c.info.namespace);
  checkName(obj, c.info.name!);
  const result = c.store.update(c.info.namespace, c.info.name!, obj, writeOptions(c));
  sendJsonText(c.reply, 200, result.json, c.format);
}

export function patchObject(c: HandlerContext): void {
  const { type, patch } = decodePatchBody(c.request.headers['content-type'], c.request.body);
  if (type !== 'merge') throw badRequest(`patch type ${c.request.headers['content-type']} is not supported yet`);
  const def = c.store.def;
  const result = c.store.patch(
    c.info.namespace,
    c.info.name!,
    (current) => {
      const patched = applyMergePatch(current, patch);
      const obj = checkBody(def, patched);
      checkNamespace(def, obj, c.info.namespace);
      checkName(obj, c.info.name!);
      return obj as KubeObject;
    },
    writeOptions(c),
  );
  sendJsonText(c.reply, 200, result.json, c.format);
}
