/**
 * core/v1 Node validation (kube-apiserver 1.33's ValidateNode, ValidateNodeUpdate,
 * validateNodeTaints, ValidateNodeSpecificAnnotations) without ObjectMeta, which the store checks.
 * Quirk kept from upstream: taint errors are reported under `metadata.taints`.
 */
import type { FieldError } from '../../apimachinery/field-errors.js';
import { duplicate, forbiddenField, internalError, invalidValue, path } from '../../apimachinery/field-errors.js';
import { dualStackCIDRs, validateCIDRForLegacyField } from '../../apimachinery/validation/ip.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';
import { goStringSlice } from '../../apimachinery/validation/names.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, objList, specObj, str } from '../../apimachinery/json-fields.js';
import { validateNodeResources } from './validation-resources.js';
import { validateNodeTaints } from './validation-taints.js';
import { validateNodeSpecificAnnotations } from './validation-annotations.js';
import { goQuote } from '../../apimachinery/go-quote.js';

/** The effective spec.podCIDRs: v1 carries a single podCIDR as an alias of podCIDRs[0]. */
function podCIDRsOf(spec: Obj): string[] {
  const cidrs = list(spec.podCIDRs).map((c) => str(c));
  if (cidrs.length > 0) return cidrs;
  return str(spec.podCIDR) !== '' ? [str(spec.podCIDR)] : [];
}

/** ValidateNode (without ObjectMeta): the alpha annotations, taints, status capacity and allocatable, pod CIDRs. */
export function validateNode(node: KubeObject): FieldError[] {
  const spec = specObj(node);
  const errs = validateNodeSpecificAnnotations(node.metadata.annotations, path('metadata', 'annotations'));
  errs.push(...validateNodeTaints(spec.taints, path('metadata', 'taints')));
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
 * ValidateNodeUpdate (without ObjectMeta), what a write of nodes/status is checked against: the
 * alpha annotations, status capacity and allocatable, no duplicate addresses, podCIDRs and
 * providerID set only once, taints, externalID unchanged.
 */
export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const spec = specObj(node);
  const oldSpec = specObj(old);
  const errs = validateNodeSpecificAnnotations(node.metadata.annotations, path('metadata', 'annotations'));
  errs.push(...validateNodeResources(node));
  const addresses = new Set<string>();
  objList(asObj((node as Obj).status)?.addresses).forEach((a, i) => {
    const id = `${str(a.type)}\u0000${str(a.address)}`;
    if (addresses.has(id)) {
      errs.push(
        duplicate(path('status', 'addresses').index(i), {
          go: `core.NodeAddress{Type:${goQuote(str(a.type))}, Address:${goQuote(str(a.address))}}`,
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

/**
 * The node strategy's ValidateUpdate (a write of the node itself): ValidateNode, then
 * ValidateNodeUpdate, each beginning with its ObjectMeta validation.
 */
export function validateNodeMainUpdate(node: KubeObject, old: KubeObject, meta: ObjectMetaChecks): FieldError[] {
  return [...meta.create(), ...validateNode(node), ...meta.update(), ...validateNodeUpdate(node, old)];
}
