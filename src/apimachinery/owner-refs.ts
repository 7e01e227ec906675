/** Owner references: the managing controller of an object, and a reference to one (metav1's GetControllerOf, NewControllerRef). */
import type { KubeObject, OwnerReference } from './object.js';

/** The owner reference with controller=true, if any. */
export function controllerRefOf(obj: Pick<KubeObject, 'metadata'>): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** A reference making `owner` the managing controller of a dependent (controller and blockOwnerDeletion set). */
export function newControllerRef(owner: Pick<KubeObject, 'metadata'>, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}
