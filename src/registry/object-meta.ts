/**
 * The system half of ObjectMeta: what every create fills in and every update keeps (k8s
 * rest.BeforeCreate / rest.BeforeUpdate), independent of kind.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../apimachinery/object.js';
import { deepEqual, deepEqualObjects, rfc3339 } from '../apimachinery/object.js';
import { generateName } from '../apimachinery/names.js';
import type { ResourceDefinition } from './resource-definition.js';

export function fillSystemMetaOnCreate(def: ResourceDefinition, obj: KubeObject, now: number): void {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(now);
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (def.tracksGeneration) meta.generation = 1;
  else delete meta.generation;
  if (meta.labels && Object.keys(meta.labels).length === 0) delete meta.labels;
  if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
}

/** Keeps what an update may not change; bumps generation when the spec moved (or what the kind's generationChanged says). */
export function keepSystemMetaOnUpdate(def: ResourceDefinition, obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  if (!meta.uid) meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  // As rest.BeforeUpdate: an update never removes or changes a deletion timestamp, nor removes a
  // grace period; one that sets either on an object not being deleted (or another grace period)
  // keeps it, and ValidateObjectMetaUpdate refuses it as immutable.
  if (meta.deletionTimestamp == null) delete meta.deletionTimestamp;
  if (meta.deletionGracePeriodSeconds == null) delete meta.deletionGracePeriodSeconds;
  if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined)
    meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  if (def.tracksGeneration) {
    const base = oldMeta.generation ?? 1;
    const subject = def.generationSubject ?? ((o: KubeObject) => o.spec);
    meta.generation = deepEqual(subject(obj), subject(old)) ? base : base + 1;
  } else delete meta.generation;
  if (meta.labels && Object.keys(meta.labels).length === 0) delete meta.labels;
  if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
  if (meta.finalizers && meta.finalizers.length === 0) delete meta.finalizers;
}

/** Equal but for resourceVersion: such an update writes nothing. */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  return deepEqualObjects(a.metadata, b.metadata, 'resourceVersion') && deepEqualObjects(a, b, 'metadata');
}
