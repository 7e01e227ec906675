/**
 * ObjectMeta validation on create and on update, and metav1.LabelSelector validation, reproducing
 * k8s.io/apimachinery/pkg/api/validation and pkg/apis/meta/v1/validation.
 */
import type { FieldError, FieldPath } from '../field-errors.js';
import { forbiddenField, immutable, invalidValue, path, required, tooLong } from '../field-errors.js';
import type { ObjectMeta, OwnerReference } from '../object.js';
import type { LabelSelector } from '../labels.js';
import type { NameValidator } from './names.js';
import { goStringSlice, isDns1123Label, isQualifiedName, isValidLabelValue, nameIsDnsLabel, nameIsDnsSubdomain } from './names.js';
import { groupOfApiVersion, versionOfApiVersion } from '../group-version.js';
import { goTimeString } from '../go-format.js';
import { goQuote } from '../go-quote.js';
import { validateManagedFields } from './managed-fields.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export interface ObjectMetaOptions {
  namespaced: boolean;
  /** Validate the name as a DNS-1123 label (namespaces) rather than a subdomain. */
  nameIsDnsLabel?: boolean;
  /** A custom name rule (e.g. DNS-1035 for services); wins over nameIsDnsLabel. */
  nameFn?: NameValidator;
  /**
   * The built-in kinds' ObjectMeta validation (pkg/apis/core/validation) rather than the generic
   * one (Leases, CRDs, custom resources): every finalizer is also checked as validateKubeFinalizerName.
   */
  kubeFinalizers?: boolean;
}

/** The finalizer names Kubernetes defines itself (helper.IsStandardFinalizerName). */
const STANDARD_FINALIZERS = new Set(['kubernetes', FINALIZER_ORPHAN_DEPENDENTS, FINALIZER_DELETE_DEPENDENTS]);

/** validateKubeFinalizerName: a name without a domain must be a standard one (the qualified-name check is the generic one's). */
export function validateKubeFinalizerName(name: string, fld: FieldPath): FieldError[] {
  if (name.includes('/') || STANDARD_FINALIZERS.has(name)) return [];
  return [invalidValue(fld, name, 'name is neither a standard finalizer name nor is it fully qualified')];
}

/** The built-in kinds' extra finalizer check, each at its index, after the generic ones; into `errs`. */
function addKubeFinalizerErrors(errs: FieldError[], meta: ObjectMeta, fld: FieldPath): void {
  const finalizers = meta.finalizers;
  if (!finalizers?.length) return;
  for (let i = 0; i < finalizers.length; i++) addAll(errs, validateKubeFinalizerName(finalizers[i], fld.child('finalizers').index(i)));
}

/** Appends `more` to `errs` (most validations find nothing: no new list for it). */
function addAll(errs: FieldError[], more: readonly FieldError[]): void {
  for (let i = 0; i < more.length; i++) errs.push(more[i]);
}

const sortedKeys = (m: Record<string, string> | undefined): string[] => Object.keys(m ?? {}).sort();

export function validateLabels(labels: Record<string, string> | undefined, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  // Valid labels (nearly always) need no sorting: the errors are told in Go's sorted key order only when there are any.
  if (!labels || allLabelsValid(labels)) return errs;
  for (const k of sortedKeys(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalidValue(fld, k, msg));
    const v = labels[k];
    for (const msg of isValidLabelValue(v)) errs.push(invalidValue(fld, v, msg));
  }
  return errs;
}

function allLabelsValid(labels: Record<string, string>): boolean {
  for (const k in labels) if (isQualifiedName(k).length !== 0 || isValidLabelValue(labels[k]).length !== 0) return false;
  return true;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!annotations) return errs;
  // One pass in any order finds the total size and whether a key is bad (nearly never): only then
  // are the keys sorted, for their errors in Go's order.
  let total = 0;
  let badKey = false;
  for (const k in annotations) {
    // Annotation keys are qualified names whose case does not matter.
    if (!badKey && isQualifiedName(k.toLowerCase()).length !== 0) badKey = true;
    total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(String(annotations[k] ?? ''), 'utf8');
  }
  if (badKey)
    for (const k of sortedKeys(annotations)) for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(fld, k, msg));
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(tooLong(fld, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

let fakePointer = 0xc000010000;
const goBoolPtr = (b: boolean | undefined): string => {
  if (b === undefined || b === null) return '(*bool)(nil)';
  fakePointer += 8;
  return `(*bool)(0x${fakePointer.toString(16)})`;
};

/** Go's %#v of a metav1.OwnerReference (pointer addresses are made up, as they are in Go). */
function goOwnerReference(r: OwnerReference): string {
  return (
    `v1.OwnerReference{APIVersion:${goQuote(r.apiVersion ?? '')}, Kind:${goQuote(r.kind ?? '')}, ` +
    `Name:${goQuote(r.name ?? '')}, UID:${goQuote(r.uid ?? '')}, ` +
    `Controller:${goBoolPtr(r.controller)}, BlockOwnerDeletion:${goBoolPtr(r.blockOwnerDeletion)}}`
  );
}

/** One reference's errors, into `errs`. */
function addOwnerReferenceErrors(errs: FieldError[], ref: OwnerReference, fld: FieldPath): void {
  const apiVersion = ref.apiVersion ?? '';
  const kind = ref.kind ?? '';
  const version = versionOfApiVersion(apiVersion);
  if (version === '') errs.push(invalidValue(fld.child('apiVersion'), apiVersion, 'version must not be empty'));
  if (kind === '') errs.push(invalidValue(fld.child('kind'), kind, 'kind must not be empty'));
  if (!ref.name) errs.push(invalidValue(fld.child('name'), ref.name ?? '', 'name must not be empty'));
  if (!ref.uid) errs.push(invalidValue(fld.child('uid'), ref.uid ?? '', 'uid must not be empty'));
  if (groupOfApiVersion(apiVersion) === '' && version === 'v1' && kind === 'Event') {
    errs.push(invalidValue(fld, { go: goOwnerReference(ref) }, '/v1, Kind=Event is disallowed from being an owner'));
  }
}

/** Every reference names apiVersion/kind/name/uid; at most one is the controller. Paths are not indexed (upstream). */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  if (!refs) return errs;
  for (const ref of refs) {
    addOwnerReferenceErrors(errs, ref, fld);
    if (ref.controller === true) {
      const current = `${ref.kind ?? ''}/${ref.name ?? ''}`;
      if (firstController !== '') {
        const all = { go: `[]v1.OwnerReference{${refs.map(goOwnerReference).join(', ')}}` };
        errs.push(
          invalidValue(
            fld,
            all,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let orphan = false;
  let foreground = false;
  for (const f of finalizers ?? []) {
    for (const msg of isQualifiedName(f)) errs.push(invalidValue(fld, f, msg));
    if (f === FINALIZER_ORPHAN_DEPENDENTS) orphan = true;
    if (f === FINALIZER_DELETE_DEPENDENTS) foreground = true;
  }
  if (orphan && foreground) {
    errs.push(
      invalidValue(
        fld,
        goStringSlice(finalizers),
        `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`,
      ),
    );
  }
  return errs;
}

/** Labels, annotations and owner references: what both the create and the update validation check; into `errs`. */
function addLabelsAnnotationsOwners(errs: FieldError[], meta: ObjectMeta, fld: FieldPath): void {
  if (meta.labels) addAll(errs, validateLabels(meta.labels, fld.child('labels')));
  if (meta.annotations) addAll(errs, validateAnnotations(meta.annotations, fld.child('annotations')));
  if (meta.ownerReferences) addAll(errs, validateOwnerReferences(meta.ownerReferences, fld.child('ownerReferences')));
}

/**
 * ValidateObjectMeta (ValidateObjectMetaAccessor): run after name generation, so a missing name is an
 * error even with generateName. Ends with the managedFields entries (ValidateManagedFields), as the
 * update validation does too; the built-in kinds' finalizer rule comes after.
 */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaOptions, fld: FieldPath = path('metadata')): FieldError[] {
  const nameFn = opts.nameFn ?? (opts.nameIsDnsLabel ? nameIsDnsLabel : nameIsDnsSubdomain);
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of nameFn(meta.generateName, true)) errs.push(invalidValue(fld.child('generateName'), meta.generateName, msg));
  }
  if (!meta.name) errs.push(required(fld.child('name'), 'name or generateName is required'));
  else for (const msg of nameFn(meta.name, false)) errs.push(invalidValue(fld.child('name'), meta.name, msg));

  if (opts.namespaced) {
    if (!meta.namespace) errs.push(required(fld.child('namespace')));
    else for (const msg of isDns1123Label(meta.namespace)) errs.push(invalidValue(fld.child('namespace'), meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(forbiddenField(fld.child('namespace'), 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(invalidValue(fld.child('generation'), meta.generation, 'must be greater than or equal to 0'));
  }
  addLabelsAnnotationsOwners(errs, meta, fld);
  if (meta.finalizers) addAll(errs, validateFinalizers(meta.finalizers, fld.child('finalizers')));
  addAll(errs, validateManagedFields(meta.managedFields, fld.child('managedFields')));
  if (opts.kubeFinalizers) addKubeFinalizerErrors(errs, meta, fld);
  return errs;
}

const goTime = (ts: string | null | undefined): { go: string } => ({ go: goTimeString(ts) });

/** The same instant (the same text, nearly always: then nothing is parsed). */
const sameTime = (a: string | null | undefined, b: string | null | undefined): boolean =>
  a === b || (a ? Date.parse(a) : null) === (b ? Date.parse(b) : null) || (a ?? '') === (b ?? '');

/**
 * ValidateObjectMetaUpdate: apimachinery's (ValidateObjectMetaAccessorUpdate), or with
 * `kubeFinalizers` the built-in kinds' (pkg/apis/core/validation), which adds the finalizer name
 * rule. It checks no finalizer name otherwise: only the create validation does. The caller is
 * expected to have done what rest.BeforeUpdate does first (carry over uid/creationTimestamp/generation).
 * Upstream's "resourceVersion: must be specified for an update" is left out: the store fills it
 * (unconditional update) or compares it (conflict).
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta,
  oldMeta: ObjectMeta,
  fld: FieldPath = path('metadata'),
  opts: Pick<ObjectMetaOptions, 'kubeFinalizers'> = {},
): FieldError[] {
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    const old = new Set(oldMeta.finalizers ?? []);
    const extra = [...new Set((newMeta.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (extra.length) {
      errs.push(
        forbiddenField(
          fld.child('finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra).go}`,
        ),
      );
    }
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(invalidValue(fld.child('generation'), newMeta.generation ?? 0, 'must not be decremented'));
  }
  if ((newMeta.name ?? '') !== (oldMeta.name ?? '')) errs.push(immutable(fld.child('name'), newMeta.name ?? ''));
  if ((newMeta.namespace ?? '') !== (oldMeta.namespace ?? '')) errs.push(immutable(fld.child('namespace'), newMeta.namespace ?? ''));
  if ((newMeta.uid ?? '') !== (oldMeta.uid ?? '')) errs.push(immutable(fld.child('uid'), newMeta.uid ?? ''));
  if (!sameTime(newMeta.creationTimestamp, oldMeta.creationTimestamp)) {
    errs.push(immutable(fld.child('creationTimestamp'), goTime(newMeta.creationTimestamp)));
  }
  if (!sameTime(newMeta.deletionTimestamp, oldMeta.deletionTimestamp)) {
    errs.push(immutable(fld.child('deletionTimestamp'), newMeta.deletionTimestamp ? goTime(newMeta.deletionTimestamp) : null));
  }
  if (newMeta.deletionGracePeriodSeconds !== oldMeta.deletionGracePeriodSeconds) {
    errs.push(immutable(fld.child('deletionGracePeriodSeconds'), newMeta.deletionGracePeriodSeconds ?? null));
  }
  addLabelsAnnotationsOwners(errs, newMeta, fld);
  addAll(errs, validateManagedFields(newMeta.managedFields, fld.child('managedFields')));
  if (opts.kubeFinalizers) addKubeFinalizerErrors(errs, newMeta, fld);
  return errs;
}

/** LabelSelectorValidationOptions: a kind's update may let a stored selector's bad values stay. */
export interface LabelSelectorOptions {
  /** The values of matchExpressions are not checked (their keys and matchLabels still are). */
  allowInvalidLabelValueInSelector?: boolean;
}

/** ValidateLabelSelector for a metav1.LabelSelector; null/undefined is valid. */
export function validateLabelSelector(
  sel: LabelSelector | null | undefined,
  fld: FieldPath,
  opts: LabelSelectorOptions = {},
): FieldError[] {
  if (sel == null) return [];
  const errs = validateLabels(sel.matchLabels, fld.child('matchLabels'));
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const at = fld.child('matchExpressions').index(i);
    const values = expr.values ?? [];
    if (expr.operator === 'In' || expr.operator === 'NotIn') {
      if (values.length === 0) errs.push(required(at.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (expr.operator === 'Exists' || expr.operator === 'DoesNotExist') {
      if (values.length > 0)
        errs.push(forbiddenField(at.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalidValue(at.child('operator'), expr.operator ?? '', 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(expr.key ?? '')) errs.push(invalidValue(at.child('key'), expr.key ?? '', msg));
    if (opts.allowInvalidLabelValueInSelector) return;
    values.forEach((v, vi) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalidValue(at.child('values').index(vi), v, msg));
    });
  });
  return errs;
}
