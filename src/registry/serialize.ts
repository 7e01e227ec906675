/** One serialisation per write, fields in the order kube-apiserver prints them. */
import type { KubeObject, ObjectMeta } from '../apimachinery/object.js';

const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

function orderedMeta(meta: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = {};
  for (const k of META_ORDER) if (meta[k] !== undefined) out[k] = meta[k];
  for (const k of Object.keys(meta)) if (!(k in out) && meta[k] !== undefined) out[k] = meta[k];
  return out;
}

/** apiVersion, kind, metadata, then the body fields, status last. */
export function canonicalize<T extends KubeObject>(obj: T): T {
  const out: KubeObject = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: orderedMeta(obj.metadata) };
  for (const k of Object.keys(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata' || k === 'status') continue;
    if (obj[k] !== undefined) out[k] = obj[k];
  }
  if (obj.status !== undefined) out.status = obj.status;
  return out as T;
}
