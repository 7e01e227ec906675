/**
 * AppArmor's version skew on create (pkg/registry/core/pod: applyAppArmorVersionSkew;
 * pkg/api/pod: ApparmorFieldForAnnotation): a container with a deprecated AppArmor annotation and no
 * appArmorProfile of its own gets the profile the annotation names, unless it is invalid or the same
 * as the pod-level one; either way the client is warned that the annotation is deprecated.
 */
import { path } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, ensureObj, objList, semanticEqual, specObj, str, strMap } from '../../apimachinery/json-fields.js';
import { APPARMOR_CONTAINER_PREFIX, validateAppArmorProfileField } from './validation-profiles.js';

const LOCALHOST_PREFIX = 'localhost/';

/** ApparmorFieldForAnnotation: the profile an annotation value stands for, if any. */
function profileForAnnotation(value: string): Obj | undefined {
  if (value === 'unconfined') return { type: 'Unconfined' };
  if (value === 'runtime/default') return { type: 'RuntimeDefault' };
  if (value.startsWith(LOCALHOST_PREFIX) && value.length > LOCALHOST_PREFIX.length) {
    return { type: 'Localhost', localhostProfile: value.slice(LOCALHOST_PREFIX.length) };
  }
  return undefined;
}

/** Copies annotation profiles into the containers; returns the deprecation warnings to send. */
export function applyAppArmorVersionSkew(pod: KubeObject): string[] {
  const spec = specObj(pod);
  if (str(asObj(spec.os)?.name) === 'windows') return [];
  const annotations = strMap(pod.metadata?.annotations) ?? {};
  if (!Object.keys(annotations).some((k) => k.startsWith(APPARMOR_CONTAINER_PREFIX))) return [];
  const podProfile = asObj(asObj(spec.securityContext)?.appArmorProfile);
  const warnings: string[] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of objList(spec[key])) {
      const annotationKey = `${APPARMOR_CONTAINER_PREFIX}${str(c.name)}`;
      if (!(annotationKey in annotations) || asObj(asObj(c.securityContext)?.appArmorProfile)) continue;
      let profile = profileForAnnotation(annotations[annotationKey]);
      if (profile && validateAppArmorProfileField(profile, path('')).length > 0) profile = undefined;
      let warn = !profile;
      if (profile && !semanticEqual(profile, podProfile)) {
        ensureObj(c, 'securityContext').appArmorProfile = profile;
        warn = true;
      }
      if (warn) {
        const fld = path('metadata', 'annotations').key(annotationKey);
        warnings.push(`${String(fld)}: deprecated since v1.30; use the "appArmorProfile" field instead`);
      }
    }
  }
  return warnings;
}
