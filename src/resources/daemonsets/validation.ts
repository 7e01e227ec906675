/**
 * apps/v1 DaemonSet validation (pkg/apis/apps/validation: ValidateDaemonSetSpec,
 * ValidateDaemonSetUpdateStrategy, ValidateRollingUpdateDaemonSet, validateDaemonSetStatus, and
 * the selector immutability check of the registry strategy). ObjectMeta is validated by the store.
 */
import type { BadValue, FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { forbiddenField, goStringMap, immutable, invalidValue, notSupported, path, required } from '../../apimachinery/field-errors.js';
import { goLabelSelectorValue } from '../../apimachinery/go-label-selector.js';
import type { LabelSelector } from '../../apimachinery/labels.js';
import { selectorFromLabelSelector } from '../../apimachinery/labels.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { validateLabelSelector } from '../../apimachinery/validation/object-meta.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, goIntOrString, isObj, list, num, semanticEqual, specObj, str, strMap, unsetPtr } from '../../apimachinery/json-fields.js';
import { validatePodTemplateSpec } from '../pods/validation.js';
import { intOrPercentValue, notMoreThan100Percent, validatePositiveIntOrPercent } from '../../apimachinery/int-or-percent.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';

const NONNEGATIVE = 'must be greater than or equal to 0';
/** Go prints a non-nil pointer inside %#v as its address; any stable made-up address will do. */
const FAKE_POINTER = '0xc000a3c0f0';

/** Go's %#v of the internal DaemonSetUpdateStrategy (the value upstream reports for an unknown type). */
function goUpdateStrategy(strategy: Obj): BadValue {
  const ru = unsetPtr(strategy.rollingUpdate) ? 'nil' : FAKE_POINTER;
  return {
    go: `apps.DaemonSetUpdateStrategy{Type:${goQuote(str(strategy.type))}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(${ru})}`,
  };
}

function nonNegative(value: unknown, fld: FieldPath): FieldError[] {
  const n = num(value) ?? 0;
  return n < 0 ? [invalidValue(fld, n, NONNEGATIVE)] : [];
}

/** ValidateRollingUpdateDaemonSet. */
function validateRollingUpdate(ru: Obj, fld: FieldPath): FieldError[] {
  const maxUnavailable = ru.maxUnavailable;
  const maxSurge = ru.maxSurge;
  const errs = [
    ...validatePositiveIntOrPercent(maxUnavailable, fld.child('maxUnavailable')),
    ...validatePositiveIntOrPercent(maxSurge, fld.child('maxSurge')),
    ...notMoreThan100Percent(maxUnavailable, fld.child('maxUnavailable')),
    ...notMoreThan100Percent(maxSurge, fld.child('maxSurge')),
  ];
  const hasUnavailable = intOrPercentValue(maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(maxSurge) !== 0;
  if (hasUnavailable && hasSurge) {
    errs.push(invalidValue(fld.child('maxSurge'), goIntOrString(maxSurge), 'may not be set when maxUnavailable is non-zero'));
  } else if (!hasUnavailable && !hasSurge) {
    errs.push(required(fld.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  }
  return errs;
}

/** ValidateDaemonSetUpdateStrategy. */
function validateUpdateStrategy(strategy: Obj, fld: FieldPath): FieldError[] {
  switch (str(strategy.type)) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const ru = asObj(strategy.rollingUpdate);
      if (!ru) return [required(fld.child('rollingUpdate'))];
      return validateRollingUpdate(ru, fld.child('rollingUpdate'));
    }
    default:
      return [notSupported(fld, goUpdateStrategy(strategy), ['RollingUpdate', 'OnDelete'])];
  }
}

/** Whether a (syntactically valid) selector selects the given labels; undefined when it does not parse. */
function selectorMatches(sel: unknown, labels: Record<string, string> | undefined): boolean | undefined {
  try {
    return selectorFromLabelSelector(sel as LabelSelector | null | undefined).matches(labels ?? {});
  } catch {
    return undefined;
  }
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSetSpec(spec: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const selector = isObj(spec.selector) ? spec.selector : undefined;
  errs.push(...validateLabelSelector(selector, fld.child('selector')));

  const template = asObj(spec.template) ?? {};
  const templateLabels = strMap(asObj(template.metadata)?.labels);
  if (selectorMatches(selector, templateLabels) === false) {
    errs.push(
      invalidValue(
        fld.child('template').child('metadata').child('labels'),
        goStringMap(templateLabels),
        '`selector` does not match template `labels`',
      ),
    );
  }
  if (selector && Object.keys(asObj(selector.matchLabels) ?? {}).length + list(selector.matchExpressions).length === 0) {
    errs.push(invalidValue(fld.child('selector'), goLabelSelectorValue(selector), 'empty selector is invalid for daemonset'));
  }

  errs.push(...validatePodTemplateSpec(template, fld.child('template')));
  const podSpec = asObj(template.spec) ?? {};
  const restartPolicy = str(podSpec.restartPolicy);
  if (restartPolicy !== 'Always') {
    errs.push(notSupported(fld.child('template').child('spec').child('restartPolicy'), restartPolicy, ['Always']));
  }
  if (!unsetPtr(podSpec.activeDeadlineSeconds)) {
    errs.push(
      forbiddenField(
        fld.child('template').child('spec').child('activeDeadlineSeconds'),
        'activeDeadlineSeconds in DaemonSet is not Supported',
      ),
    );
  }
  errs.push(...nonNegative(spec.minReadySeconds, fld.child('minReadySeconds')));
  errs.push(...validateUpdateStrategy(asObj(spec.updateStrategy) ?? {}, fld.child('updateStrategy')));
  if (!unsetPtr(spec.revisionHistoryLimit)) errs.push(...nonNegative(spec.revisionHistoryLimit, fld.child('revisionHistoryLimit')));
  return errs;
}

/** ValidateDaemonSet without ObjectMeta (the store validates that). */
export function validateDaemonSet(ds: KubeObject): FieldError[] {
  return validateDaemonSetSpec(specObj(ds), path('spec'));
}

/**
 * The update validation of the apps/v1 strategy: ValidateDaemonSet (ObjectMeta, spec), then
 * ValidateDaemonSetUpdate (ObjectMetaUpdate, spec again: upstream reports every spec error twice
 * among the causes; the message de-duplicates them), then the selector immutability check.
 */
export function validateDaemonSetUpdate(ds: KubeObject, old: KubeObject, meta: ObjectMetaChecks): FieldError[] {
  const specErrs = validateDaemonSet(ds);
  const errs = [...meta.create(), ...specErrs, ...meta.update(), ...specErrs];
  const selector = specObj(ds).selector;
  if (!semanticEqual(selector ?? null, specObj(old).selector ?? null) || isObj(selector) !== isObj(specObj(old).selector)) {
    errs.push(immutable(path('spec', 'selector'), goLabelSelectorValue(selector)));
  }
  return errs;
}

const STATUS_COUNTERS = [
  'currentNumberScheduled',
  'numberMisscheduled',
  'desiredNumberScheduled',
  'numberReady',
  'observedGeneration',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
];

/** validateDaemonSetStatus: every counter (and collisionCount when set) ≥ 0. */
export function validateDaemonSetStatus(ds: KubeObject): FieldError[] {
  const status = asObj((ds as Obj).status) ?? {};
  const fld = path('status');
  const errs = STATUS_COUNTERS.flatMap((k) => nonNegative(status[k], fld.child(k)));
  if (!unsetPtr(status.collisionCount)) errs.push(...nonNegative(status.collisionCount, fld.child('collisionCount')));
  return errs;
}

/** ValidateDaemonSetStatusUpdate (without ObjectMeta): the counters, and collisionCount may not go down. */
export function validateDaemonSetStatusUpdate(ds: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateDaemonSetStatus(ds);
  const next = num(asObj((ds as Obj).status)?.collisionCount);
  const prev = num(asObj((old as Obj).status)?.collisionCount);
  if (prev !== undefined && (next === undefined || next < prev)) {
    errs.push(invalidValue(path('status', 'collisionCount'), next ?? 0, 'cannot be decremented'));
  }
  return errs;
}
