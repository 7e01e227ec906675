/**
 * core/v1 Node validation (kube-apiserver 1.33's ValidateNode, ValidateNodeUpdate,
 * validateNodeTaints) without ObjectMeta, which the store checks. Quirk kept from upstream: taint
 * errors are reported under `metadata.taints`.
 */
import type { BadValue, FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, forbiddenField, internalError, invalidValue, path } from '../../apimachinery/field-errors.js';
import { dualStackCIDRs, validateCIDRForLegacyField } from '../../apimachinery/validation/ip.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { goStringSlice, isValidLabelValue } from '../../apimachinery/validation/names.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, objList, specObj, str, unsetPtr } from '../../apimachinery/json-fields.js';
import { validateLabelName, validateTaintEffect } from '../pods/validation-scheduling.js';
import { validateNodeResources } from './validation-resources.js';

/** Go's %#v of an internal core.Taint, the value of a duplicate-taint error. */
function goTaint(t: Obj): BadValue {
  const added = unsetPtr(t.timeAdded) ? '(*v1.Time)(nil)' : '(*v1.Time)(0xc000b1e2a0)';
  return {
    go: `core.Taint{Key:${JSON.stringify(str(t.key))}, Value:${JSON.stringify(str(t.value))}, Effect:${JSON.stringify(str(t.effect))}, TimeAdded:${added}}`,
  };
}

/** validateNodeTaints: key, value, effect, and unique by key and effect. */
export function validateNodeTaints(taints: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objList(taints).forEach((t, i) => {
    const at = fld.index(i);
    const key = str(t.key);
    const value = str(t.value);
    const effect = str(t.effect);
    errs.push(...validateLabelName(key, at.child('key')));
    const msgs = isValidLabelValue(value);
    if (msgs.length) errs.push(invalidValue(at.child('value'), value, msgs.join(';')));
    errs.push(...validateTaintEffect(effect, false, at.child('effect')));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) {
      errs.push({ ...duplicate(at, goTaint(t)), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(id);
  });
  return errs;
}

/** The effective spec.podCIDRs: v1 carries a single podCIDR as an alias of podCIDRs[0]. */
function podCIDRsOf(spec: Obj): string[] {
  const cidrs = list(spec.podCIDRs).map((c) => str(c));
  if (cidrs.length > 0) return cidrs;
  return str(spec.podCIDR) !== '' ? [str(spec.podCIDR)] : [];
}

/** ValidateNode (without ObjectMeta): taints, status capacity and allocatable, pod CIDRs. */
export function validateNode(node: KubeObject): FieldError[] {
  const spec = specObj(node);
  const errs = validateNodeTaints(spec.taints, path('metadata', 'taints'));
  errs.push(...validateNodeResources(node));
  const cidrs = podCIDRsOf(spec);
  const fld = path('spec', 'podCIDRs');
  cidrs.forEach((c, i) => errs.push(...validateCIDRForLegacyField(fld.index(i), c)));
  if (cidrs.length > 1) {
    const { dual, error } = dualStackCIDRs(cidrs);
    if (error) errs.push(internalError(fld, `invalid PodCIDRs. failed to check with dual stack with error:${error}`));
    if (!dual || cidrs.length > 2)
      errs.push(invalidValue(fld, goStringSlice(cidrs), 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(duplicate(fld.index(i), c));
      seen.add(c);
    });
  }
  return errs;
}

/**
 * ValidateNodeUpdate (without ObjectMeta), what a write of nodes/status is checked against:
 * status capacity and allocatable, no duplicate addresses, podCIDRs and providerID set only once,
 * taints, externalID unchanged.
 */
export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const spec = specObj(node);
  const oldSpec = specObj(old);
  const errs = validateNodeResources(node);
  const addresses = new Set<string>();
  objList(asObj((node as Obj).status)?.addresses).forEach((a, i) => {
    const id = `${str(a.type)}\u0000${str(a.address)}`;
    if (addresses.has(id)) {
      errs.push(
        duplicate(path('status', 'addresses').index(i), {
          go: `core.NodeAddress{Type:${JSON.stringify(str(a.type))}, Address:${JSON.stringify(str(a.address))}}`,
        }),
      );
    }
    addresses.add(id);
  });
  const oldCidrs = podCIDRsOf(oldSpec);
  const newCidrs = podCIDRsOf(spec);
  if (oldCidrs.length > 0) {
    const msg = 'node updates may not change podCIDR except from "" to valid';
    if (oldCidrs.length !== newCidrs.length) errs.push(forbiddenField(path('spec', 'podCIDRs'), msg));
    else oldCidrs.forEach((c, i) => c !== newCidrs[i] && errs.push(forbiddenField(path('spec', 'podCIDRs'), msg)));
  }
  const oldProvider = str(oldSpec.providerID);
  if (oldProvider !== '' && oldProvider !== str(spec.providerID)) {
    errs.push(forbiddenField(path('spec', 'providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  errs.push(...validateNodeTaints(spec.taints, path('metadata', 'taints')));
  if (str(spec.externalID) !== str(oldSpec.externalID)) errs.push(forbiddenField(path('spec', 'externalID'), 'may not be updated'));
  return errs;
}

/** The node strategy's ValidateUpdate (a write of the node itself): ValidateNode, then ValidateNodeUpdate. */
export function validateNodeMainUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  return validateNode(node).concat(validateNodeUpdate(node, old));
}
