/**
 * IngressClass defaults and validation (pkg/apis/networking/v1/defaults.go SetDefaults_IngressClass;
 * pkg/apis/networking/validation: ValidateIngressClass, ValidateIngressClassUpdate). The controller
 * is a domain-prefixed path of at most 250 bytes that never changes; the parameters name an object
 * by kind and name, cluster-scoped (the default) or in a namespace. The metadata is checked by the
 * store (a DNS subdomain name).
 */
import {
  forbiddenField,
  immutable,
  invalidValue,
  notSupported,
  path,
  required,
  tooLong,
  type FieldError,
  type FieldPath,
} from '../../apimachinery/field-errors.js';
import { validateDomainPrefixedPath } from '../../apimachinery/validation/domain-prefixed-path.js';
import { byteLength, isDns1123Label, isDns1123Subdomain, nameIsPathSegment } from '../../apimachinery/validation/names.js';
import type { IngressClass, IngressClassParametersReference, IngressClassSpec } from './schema.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';

const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ['Cluster', 'Namespace'];

/** SetDefaults_IngressClass: parameters without a scope are cluster-scoped. */
export function defaultIngressClass(ic: IngressClass): void {
  const params = ic.spec?.parameters;
  if (params && params.scope == null) params.scope = 'Cluster';
}

function validateParameters(params: IngressClassParametersReference | undefined, fld: FieldPath): FieldError[] {
  if (params == null) return [];
  const errs: FieldError[] = [];
  if (params.apiGroup != null) {
    for (const msg of isDns1123Subdomain(params.apiGroup)) errs.push(invalidValue(fld.child('apiGroup'), params.apiGroup, msg));
  }
  for (const key of ['kind', 'name'] as const) {
    const value = params[key] ?? '';
    if (value === '') errs.push(required(fld.child(key)));
    else for (const msg of nameIsPathSegment(value, false)) errs.push(invalidValue(fld.child(key), value, msg));
  }
  if (params.scope == null) {
    errs.push(required(fld.child('scope')));
    return errs;
  }
  if (!SCOPES.includes(params.scope)) {
    errs.push(notSupported(fld.child('scope'), params.scope, SCOPES));
  } else if (params.scope === 'Namespace') {
    if (params.namespace == null) errs.push(required(fld.child('namespace'), "`parameters.scope` is set to 'Namespace'"));
    else for (const msg of isDns1123Label(params.namespace)) errs.push(invalidValue(fld.child('namespace'), params.namespace, msg));
  } else if (params.namespace != null) {
    errs.push(forbiddenField(fld.child('namespace'), "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

function validateSpec(spec: IngressClassSpec, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const controller = spec.controller ?? '';
  if (controller === '') {
    errs.push(required(fld.child('controller')));
  } else {
    if (byteLength(controller) > MAX_CONTROLLER_LENGTH) errs.push(tooLong(fld.child('controller'), MAX_CONTROLLER_LENGTH));
    errs.push(...validateDomainPrefixedPath(fld.child('controller'), controller));
  }
  errs.push(...validateParameters(spec.parameters, fld.child('parameters')));
  return errs;
}

export function validateIngressClass(ic: IngressClass): FieldError[] {
  return validateSpec(ic.spec ?? {}, path('spec'));
}

/** ValidateIngressClassUpdate: ObjectMetaUpdate, the controller stays, then ValidateIngressClass (ObjectMeta first). */
export function validateIngressClassUpdate(ic: IngressClass, old: IngressClass, meta: ObjectMetaChecks): FieldError[] {
  const controller = ic.spec?.controller ?? '';
  const errs = controller !== (old.spec?.controller ?? '') ? [immutable(path('spec', 'controller'), controller)] : [];
  return [...meta.update(), ...errs, ...meta.create(), ...validateIngressClass(ic)];
}
