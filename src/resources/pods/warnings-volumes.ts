/**
 * The volume and pod-level parts of pkg/api/pod's warningsForPodSpecAndMeta, in its order:
 * deprecated or removed volume plugins (and an ephemeral volume's fractional storage), overlapping
 * item paths (warnings-volume-paths.ts), duplicate hostAliases IPs, duplicate and empty
 * imagePullSecrets names, fractional overhead. The gitRepo text is the one for 1.33's default
 * GitRepoVolumeDriver=false.
 */
import type { FieldPath } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, objList, str } from '../../apimachinery/json-fields.js';
import { warnFractionalBytes } from './warnings-fractional.js';
import { volumePathWarnings } from './warnings-volume-paths.js';
import { goQuote } from '../../apimachinery/go-quote.js';

/** Deprecated volume sources: their JSON key, the name upstream's path gives them, what it says. */
const DEPRECATED_VOLUMES: [string, string, string][] = [
  ['photonPersistentDisk', 'photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['gitRepo', 'gitRepo', 'deprecated in v1.11, and disabled by default in v1.33+'],
  ['scaleIO', 'scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  ['storageos', 'storageOS', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  // An ephemeral volume's claim template comes here (GetWarningsForPersistentVolumeClaimSpec).
  ['cephfs', 'cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];
const EPHEMERAL_BEFORE = 'cephfs';

function ephemeralClaimWarnings(volume: Obj, at: FieldPath, warnings: string[]): void {
  const template = asObj(asObj(volume.ephemeral)?.volumeClaimTemplate);
  if (!template) return;
  const resources = asObj(asObj(template.spec)?.resources);
  const resourcesPath = at.child('ephemeral').child('volumeClaimTemplate').child('spec').child('resources');
  warnFractionalBytes(asObj(resources?.requests)?.storage, resourcesPath.child('requests').key('storage'), warnings);
  warnFractionalBytes(asObj(resources?.limits)?.storage, resourcesPath.child('limits').key('storage'), warnings);
}

function volumeWarnings(spec: Obj, specPath: FieldPath, warnings: string[]): void {
  objList(spec.volumes).forEach((volume, i) => {
    const at = specPath.child('volumes').index(i);
    for (const [key, pathName, message] of DEPRECATED_VOLUMES) {
      if (key === EPHEMERAL_BEFORE) ephemeralClaimWarnings(volume, at, warnings);
      if (volume[key] != null) warnings.push(`${String(at.child(pathName))}: ${message}`);
    }
  });
}

/** Appends `${path}: duplicate ${what} %q` for each entry whose `field` repeats an earlier one's. */
function duplicateWarnings(entries: Obj[], listPath: FieldPath, field: string, what: string, warnings: string[]): void {
  if (entries.length < 2) return;
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const value = str(entry[field]);
    if (seen.has(value)) warnings.push(`${String(listPath.index(i).child(field))}: duplicate ${what} ${goQuote(value)}`);
    else seen.add(value);
  });
}

/** Volumes through overhead: everything between the deprecated annotations and the seccomp annotation. */
export function volumeAndPodWarnings(spec: Obj, specPath: FieldPath, warnings: string[]): void {
  volumeWarnings(spec, specPath, warnings);
  volumePathWarnings(spec, warnings);
  duplicateWarnings(objList(spec.hostAliases), specPath.child('hostAliases'), 'ip', 'ip', warnings);
  const pullSecrets = objList(spec.imagePullSecrets);
  duplicateWarnings(pullSecrets, specPath.child('imagePullSecrets'), 'name', 'name', warnings);
  pullSecrets.forEach((secret, i) => {
    if (str(secret.name) === '')
      warnings.push(`${String(specPath.child('imagePullSecrets').index(i).child('name'))}: invalid empty name ""`);
  });
  const overhead = asObj(spec.overhead);
  if (overhead) {
    warnFractionalBytes(overhead.memory, specPath.child('overhead').key('memory'), warnings);
    warnFractionalBytes(overhead['ephemeral-storage'], specPath.child('overhead').key('ephemeral-storage'), warnings);
  }
}

/** A negative terminationGracePeriodSeconds, after the port warnings. */
export function gracePeriodWarnings(spec: Obj, specPath: FieldPath, warnings: string[]): void {
  const seconds = spec.terminationGracePeriodSeconds;
  if (typeof seconds === 'number' && seconds < 0) {
    warnings.push(
      `${String(specPath.child('terminationGracePeriodSeconds'))}: must be >= 0; negative values are invalid and will be treated as 1`,
    );
  }
}
