/**
 * The HTTP boundary of a served version (ResourceDefinition.conversion): objects are stored, and
 * the store works, in the stored kind's form; requests are converted to it on the way in and
 * answers back to the requested group-version on the way out, as kube-apiserver's codecs do.
 */
import { stringifyGo } from '../apimachinery/go-json.js';
import type { KubeObject } from '../apimachinery/object.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';

/** A stored object in the definition's group-version. */
export function toServed(def: ResourceDefinition, obj: KubeObject): KubeObject {
  return def.conversion ? def.conversion.fromStorage(obj) : obj;
}

/** The stored JSON of an object in the definition's group-version (the same string when no conversion applies). */
export function toServedJson(def: ResourceDefinition, json: string): string {
  return def.conversion ? stringifyGo(def.conversion.fromStorage(JSON.parse(json) as KubeObject)) : json;
}

/** A request object of the definition's group-version in the stored form. */
export function toStored(def: ResourceDefinition, obj: KubeObject): KubeObject {
  return def.conversion ? def.conversion.toStorage(obj) : obj;
}
