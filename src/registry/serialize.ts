/** One serialisation per write, fields in the order kube-apiserver prints them. */
import { inKeyOrder, type KubeObject } from '../apimachinery/object.js';

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


/** apiVersion, kind, metadata, then the body fields, status last. */
export function canonicalize<T extends KubeObject>(obj: T): T {
  const out: KubeObject = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: inKeyOrder(obj.metadata, META_ORDER) };
  for (const k of Object.keys(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata' || k === 'status') continue;
    if (obj[k] !== undefined) out[k] = obj[k];
  }
  if (obj.status !== undefined) out.status = obj.status;
  return out as T;
}
