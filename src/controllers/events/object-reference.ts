/**
 * What an Event is about: the object reference client-go's recorders build (reference.GetReference,
 * and GetPartialReference with a fieldPath naming a part of the object, such as a pod's container).
 * Fields in ObjectReference's Go order; an empty one is left out, as its omitempty encoding does.
 */
import type { KubeObject } from '../../apimachinery/object.js';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export function objectReference(obj: KubeObject, fieldPath?: string): ObjectReference {
  // Set in order, the empty ones skipped (not deleted after: a deleted property slows every later read and encoding).
  const ref: ObjectReference = {};
  const { namespace, name, uid, resourceVersion } = obj.metadata;
  if (obj.kind) ref.kind = obj.kind;
  if (namespace) ref.namespace = namespace;
  if (name) ref.name = name;
  if (uid) ref.uid = uid;
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
  if (resourceVersion) ref.resourceVersion = resourceVersion;
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}
