/**
 * PodSpec, pod template and Pod validation (pkg/apis/core/validation: ValidatePodSpec,
 * ValidatePodTemplateSpec, ValidatePodCreate, ValidatePodUpdate). ObjectMeta is validated by the
 * generic store, not here.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, forbiddenField, invalidValue, notSupported, path, required } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { validateAnnotations, validateLabels } from '../../apimachinery/validation/object-meta.js';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName } from '../../apimachinery/validation/names.js';
import { validateIPForLegacyField } from '../../apimachinery/validation/ip.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import {
  GO_NULL,
  asObj,
  isObj,
  list,
  num,
  objList,
  semanticEqual,
  specObj,
  str,
  strMap,
  unsetPtr,
} from '../../apimachinery/json-fields.js';
import {
  validateContainers,
  validateEphemeralContainers,
  validateImageWhitespace,
  validateInitContainers,
} from './validation-containers.js';
import { validateAffinity, validateTolerations } from './validation-scheduling.js';
import { validateContainerResources } from './validation-resources.js';
import { validateVolumes } from './validation-volumes.js';
import { usesHostUsers, validateHostUsers, validatePodSecurityContext } from './validation-security.js';
import { validatePodOS, validateWindowsHostProcessPod } from './validation-windows.js';
import { validateAppArmorAnnotationsAndFields, validateSeccompAnnotationsAndFields } from './validation-profiles.js';
import type { PodAnnotationOptions } from './validation-annotations.js';
import {
  annotationsOf,
  validDeletionCost,
  validatePodSpecificAnnotationUpdates,
  validatePodSpecificAnnotations,
} from './validation-annotations.js';
import { validateHostAliases, validateTopologySpreadConstraints } from './validation-topology.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const MAX_INT32 = 2147483647;

/** The fields a Pod update may change, as upstream lists them in its error. */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];
export const POD_UPDATE_FORBIDDEN_PREFIX = `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}`;

export interface PodSpecValidationOptions {
  /** The spec belongs to a Pod (not a template): hostPort must then equal containerPort with hostNetwork. */
  resourceIsPod?: boolean;
}

function validateNameLike(value: unknown, check: (v: string) => string[], fld: FieldPath): FieldError[] {
  const v = str(value);
  return v === '' ? [] : check(v).map((msg) => invalidValue(fld, v, msg));
}

function validateHostNetworkDeps(spec: Obj, fld: FieldPath, opts: PodSpecValidationOptions): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  objList(spec.containers).forEach((c, i) => {
    objList(c.ports).forEach((p, j) => {
      const hp = num(p.hostPort) ?? 0;
      const cp = num(p.containerPort) ?? 0;
      if ((opts.resourceIsPod || hp !== 0) && hp !== cp) {
        const at = fld.child('containers').index(i).child('ports').index(j).child('hostPort');
        errs.push(invalidValue(at, hp, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errs;
}

function validateDnsConfig(spec: Obj, fld: FieldPath): FieldError[] {
  const config = asObj(spec.dnsConfig);
  if (str(spec.dnsPolicy) === 'None') {
    if (!config) return [required(fld, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (list(config.nameservers).length === 0) {
      return [required(fld.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  const errs: FieldError[] = [];
  if (config) {
    list(config.nameservers).forEach((ns, i) => errs.push(...validateIPForLegacyField(fld.child('nameservers').index(i), str(ns))));
    objList(config.options).forEach((o, i) => {
      if (str(o.name) === '') errs.push(required(fld.child('options').index(i), 'must not be empty'));
    });
  }
  return errs;
}

/** validateReadinessGates: each gate's condition type is a qualified name. */
function validateReadinessGates(gates: unknown, fld: FieldPath): FieldError[] {
  return objList(gates).flatMap((g, i) =>
    isQualifiedName(str(g.conditionType)).map((msg) => invalidValue(fld.index(i).child('conditionType'), str(g.conditionType), msg)),
  );
}

/** validateSchedulingGates: qualified names, no duplicates (both reported at the entry). */
function validateSchedulingGates(gates: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objList(gates).forEach((g, i) => {
    const name = str(g.name);
    errs.push(...isQualifiedName(name).map((msg) => invalidValue(fld.index(i), name, msg)));
    if (seen.has(name)) errs.push(duplicate(fld.index(i), name));
    seen.add(name);
  });
  return errs;
}

/** ValidatePodSpec. */
export function validatePodSpec(spec: Obj, fld: FieldPath, opts: PodSpecValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  if (unsetPtr(spec.terminationGracePeriodSeconds)) errs.push(required(fld.child('terminationGracePeriodSeconds')));
  const volumes = validateVolumes(spec.volumes, fld.child('volumes'));
  errs.push(...volumes.errs);
  const ctx = {
    volumes: volumes.names,
    gracePeriod: num(spec.terminationGracePeriodSeconds),
    restartPolicy: str(spec.restartPolicy),
    hostUsers: usesHostUsers(spec),
  };
  errs.push(...validateContainers(spec.containers, ctx, fld.child('containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, ctx, fld.child('initContainers')));
  errs.push(
    ...validateEphemeralContainers(spec.ephemeralContainers, spec.containers, spec.initContainers, ctx, fld.child('ephemeralContainers')),
  );
  errs.push(...validateHostNetworkDeps(spec, fld, opts));

  const restartPolicy = str(spec.restartPolicy);
  if (restartPolicy === '') errs.push(required(fld.child('restartPolicy')));
  else if (!RESTART_POLICIES.includes(restartPolicy)) errs.push(notSupported(fld.child('restartPolicy'), restartPolicy, RESTART_POLICIES));
  const dnsPolicy = str(spec.dnsPolicy);
  if (dnsPolicy === '') errs.push(required(fld.child('dnsPolicy')));
  else if (!DNS_POLICIES.includes(dnsPolicy)) errs.push(notSupported(fld.child('dnsPolicy'), dnsPolicy, DNS_POLICIES));

  errs.push(...validateLabels(strMap(spec.nodeSelector), fld.child('nodeSelector')));
  errs.push(...validatePodSecurityContext(spec, fld.child('securityContext')));
  errs.push(...validateAffinity(spec.affinity, fld.child('affinity')));
  errs.push(...validateDnsConfig(spec, fld.child('dnsConfig')));
  errs.push(...validateReadinessGates(spec.readinessGates, fld.child('readinessGates')));
  errs.push(...validateSchedulingGates(spec.schedulingGates, fld.child('schedulingGates')));
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, fld.child('topologySpreadConstraints')));
  errs.push(...validateWindowsHostProcessPod(spec, fld));
  errs.push(...validateHostUsers(spec, fld));
  errs.push(...validateNameLike(spec.serviceAccountName, isDns1123Subdomain, fld.child('serviceAccountName')));
  errs.push(...validateNameLike(spec.nodeName, isDns1123Subdomain, fld.child('nodeName')));

  const ads = num(spec.activeDeadlineSeconds);
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32)) {
    errs.push(invalidValue(fld.child('activeDeadlineSeconds'), ads, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  errs.push(...validateNameLike(spec.hostname, isDns1123Label, fld.child('hostname')));
  errs.push(...validateNameLike(spec.subdomain, isDns1123Label, fld.child('subdomain')));
  errs.push(...validateTolerations(spec.tolerations, fld.child('tolerations')));
  errs.push(...validateHostAliases(spec.hostAliases, fld.child('hostAliases')));
  errs.push(...validateNameLike(spec.priorityClassName, isDns1123Subdomain, fld.child('priorityClassName')));
  if (!unsetPtr(spec.runtimeClassName)) {
    const name = str(spec.runtimeClassName);
    for (const msg of isDns1123Subdomain(name)) errs.push(invalidValue(fld.child('runtimeClassName'), name, msg));
  }
  if (!unsetPtr(spec.preemptionPolicy)) {
    const p = str(spec.preemptionPolicy);
    if (p === '') errs.push(required(fld.child('preemptionPolicy')));
    else if (!PREEMPTION_POLICIES.includes(p)) errs.push(notSupported(fld.child('preemptionPolicy'), p, PREEMPTION_POLICIES));
  }
  // validateOverhead: the overhead is checked as a container's limits would be.
  const overhead = asObj(spec.overhead);
  if (overhead) errs.push(...validateContainerResources({ limits: overhead }, fld.child('overhead')));
  errs.push(...validatePodOS(spec, fld));
  return errs;
}

/** ValidatePodTemplateSpec: template labels/annotations (at `<fld>.labels`, as upstream) and the spec. */
export function validatePodTemplateSpec(template: Obj | undefined, fld: FieldPath): FieldError[] {
  const t = template ?? {};
  const meta = asObj(t.metadata) ?? {};
  const spec = asObj(t.spec) ?? {};
  const annotations = strMap(meta.annotations) ?? {};
  const errs = [
    ...validateLabels(strMap(meta.labels), fld.child('labels')),
    ...validateAnnotations(strMap(meta.annotations), fld.child('annotations')),
    ...validatePodSpecificAnnotations(annotations, spec, fld.child('annotations')),
    ...validatePodSpec(spec, fld.child('spec')),
    ...validateSeccompAnnotationsAndFields(annotations, spec, fld.child('spec')),
    ...validateAppArmorAnnotationsAndFields(annotations, spec, fld.child('spec')),
  ];
  if (list(spec.ephemeralContainers).length > 0) {
    errs.push(forbiddenField(fld.child('spec').child('ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/** validatePodMetadataAndSpec without the ObjectMeta part. */
function validatePodSpecForPod(pod: KubeObject, opts: PodAnnotationOptions = {}): FieldError[] {
  const spec = specObj(pod);
  const specPath = path('spec');
  const errs = validatePodSpecificAnnotations(annotationsOf(pod), spec, path('metadata', 'annotations'), opts);
  errs.push(...validatePodSpec(spec, specPath, { resourceIsPod: true }));
  if (str(spec.serviceAccountName) === '') {
    objList(spec.volumes).forEach((v, vi) => {
      objList(asObj(v.projected)?.sources).forEach((s, si) => {
        if (!unsetPtr(s.serviceAccountToken)) {
          const at = specPath.child('volumes').index(vi).child('projected').child('sources').index(si).child('serviceAccountToken');
          errs.push(forbiddenField(at, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const key of ['containers', 'initContainers']) {
    objList(spec[key]).forEach((c, i) => errs.push(...validateImageWhitespace(c, specPath.child(key).index(i))));
  }
  return errs;
}

/** ValidatePodCreate (spec part). */
export function validatePod(pod: KubeObject): FieldError[] {
  const spec = specObj(pod);
  const errs = validatePodSpecForPod(pod);
  if (list(spec.ephemeralContainers).length > 0) errs.push(forbiddenField(path('spec', 'ephemeralContainers'), 'cannot be set on create'));
  if (str(spec.nodeName) !== '' && list(spec.schedulingGates).length > 0) {
    errs.push(forbiddenField(path('spec', 'nodeName'), 'cannot be set until all schedulingGates have been cleared'));
  }
  errs.push(...validateSeccompAnnotationsAndFields(annotationsOf(pod), spec, path('spec')));
  errs.push(...validateAppArmorAnnotationsAndFields(annotationsOf(pod), spec, path('spec')));
  return errs;
}

function validateContainerUpdates(next: unknown, prev: unknown, fld: FieldPath): { errs: FieldError[]; stop: boolean } {
  const n = objList(next);
  if (n.length !== objList(prev).length) return { errs: [forbiddenField(fld, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    if (str(c.image) === '') errs.push(required(fld.index(i).child('image')));
    errs.push(...validateImageWhitespace(c, fld.index(i)));
  });
  return { errs, stop: false };
}

/** validateOnlyAddedTolerations: every old toleration must still be there (its tolerationSeconds may change). */
function validateOnlyAddedTolerations(next: unknown, prev: unknown, fld: FieldPath): FieldError[] {
  const newTolerations = objList(next);
  for (const old of objList(prev)) {
    const found = newTolerations.some((t) => semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [forbiddenField(fld, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, fld);
}

/** ValidatePodUpdate (everything but ObjectMeta). */
export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const spec = specObj(pod);
  const oldSpec = specObj(old);
  const specPath = path('spec');
  const opts = { allowInvalidDeletionCost: !validDeletionCost(annotationsOf(old)) };
  const errs = validatePodSpecForPod(pod, opts);
  errs.push(...validatePodSpecificAnnotationUpdates(annotationsOf(pod), annotationsOf(old), spec, path('metadata', 'annotations'), opts));

  for (const key of ['containers', 'initContainers']) {
    const r = validateContainerUpdates(spec[key], oldSpec[key], specPath.child(key));
    errs.push(...r.errs);
    if (r.stop) return errs;
  }

  const ads = num(spec.activeDeadlineSeconds);
  const oldAds = num(oldSpec.activeDeadlineSeconds);
  if (ads !== undefined) {
    if (ads < 0 || ads > MAX_INT32) {
      errs.push(invalidValue(specPath.child('activeDeadlineSeconds'), ads, `must be between 0 and ${MAX_INT32}, inclusive`));
      return errs;
    }
    if (oldAds !== undefined && oldAds < ads) {
      errs.push(invalidValue(specPath.child('activeDeadlineSeconds'), ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldAds !== undefined) {
    errs.push(invalidValue(specPath.child('activeDeadlineSeconds'), GO_NULL, 'must not update from a positive integer to nil value'));
  }

  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, specPath.child('tolerations')));

  const oldGates = new Set(objList(oldSpec.schedulingGates).map((g) => str(g.name)));
  objList(spec.schedulingGates).forEach((g, i) => {
    if (!oldGates.has(str(g.name))) {
      errs.push(
        forbiddenField(
          specPath.child('schedulingGates').index(i).child('name'),
          `only deletion is allowed, but found new scheduling gate '${str(g.name)}'`,
        ),
      );
    }
  });

  if (semanticEqual(spec, oldSpec)) return errs;

  const munged: Obj = structuredClone(spec);
  for (const key of ['containers', 'initContainers']) {
    const oldList = objList(oldSpec[key]);
    if (Array.isArray(munged[key])) {
      munged[key] = (munged[key] as unknown[]).map((c, i) => (isObj(c) ? { ...c, image: oldList[i]?.image } : c));
    }
  }
  for (const key of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations']) munged[key] = oldSpec[key];
  const oldGrace = num(oldSpec.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  if (!semanticEqual(munged, oldSpec)) {
    errs.push(forbiddenField(specPath, `${POD_UPDATE_FORBIDDEN_PREFIX}\n${specDiff(oldSpec, munged)}`));
  }
  return errs;
}

const goFieldName = (k: string): string =>
  k.startsWith('dns')
    ? `DNS${k.slice(3)}`
    : k.replace(/^host(Pid|Ipc)/i, (_m, x: string) => `Host${x.toUpperCase()}`).replace(/^./, (c) => c.toUpperCase());

const goRender = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? 'nil'));

/** A short cmp.Diff-like rendering of the changed top-level PodSpec fields (upstream appends a full diff). */
function specDiff(oldSpec: Obj, newSpec: Obj): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])];
  const lines = ['  core.PodSpec{'];
  let same = 0;
  for (const k of keys) {
    if (semanticEqual(oldSpec[k], newSpec[k])) {
      same++;
      continue;
    }
    if (oldSpec[k] !== undefined) lines.push(`- \t${goFieldName(k)}: ${goRender(oldSpec[k])},`);
    if (newSpec[k] !== undefined) lines.push(`+ \t${goFieldName(k)}: ${goRender(newSpec[k])},`);
  }
  if (same > 0) lines.splice(1, 0, `  \t... // ${same} identical fields`);
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}
