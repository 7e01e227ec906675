/**
 * Ingress validation (pkg/apis/networking/validation: ValidateIngressCreate, ValidateIngressUpdate,
 * ValidateIngressSpec and the rule, path, backend and TLS checks under it, ValidateIngressStatusUpdate).
 * networking.k8s.io/v1 has no Ingress defaults: pathType is required. The metadata is checked by the
 * store (a DNS subdomain name). An update keeps accepting what the stored Ingress already had wrong
 * in two places: TLS secret names, and the paths of rules with a wildcard host.
 */
import { invalidValue, notSupported, path, required, type FieldError, type FieldPath } from '../../apimachinery/field-errors.js';
import { isValidIPSloppy, validateIPForLegacyField } from '../../apimachinery/validation/ip.js';
import {
  isDns1035Label,
  isDns1123Subdomain,
  isValidPortName,
  isWildcardDns1123Subdomain,
  nameIsPathSegment,
  isValidPortNum,
  PORT_NUM_RANGE_MSG,
} from '../../apimachinery/validation/names.js';
import type { HTTPIngressPath, Ingress, IngressBackend, IngressLoadBalancerStatus, IngressRule, IngressSpec } from './schema.js';

/** The annotation that named an Ingress's class before spec.ingressClassName. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const BAD_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_PATH_SUFFIXES = ['/..', '/.'];

interface Options {
  allowInvalidSecretName: boolean;
  allowInvalidWildcardHostRule: boolean;
}

const STRICT: Options = { allowInvalidSecretName: false, allowInvalidWildcardHostRule: false };

/** A host of a rule or of a TLS entry: a wildcard subdomain when it holds '*', else a subdomain. */
function hostErrors(host: string, fld: FieldPath): FieldError[] {
  const msgs = host.includes('*') ? isWildcardDns1123Subdomain(host) : isDns1123Subdomain(host);
  return msgs.map((msg) => invalidValue(fld, host, msg));
}

function validateBackend(backend: IngressBackend, fld: FieldPath): FieldError[] {
  const { service, resource } = backend;
  if (resource != null && service != null) return [invalidValue(fld, '', 'cannot set both resource and service backends')];
  const errs: FieldError[] = [];
  if (resource != null) {
    const at = fld.child('resource');
    if (resource.apiGroup != null) {
      for (const msg of isDns1123Subdomain(resource.apiGroup)) errs.push(invalidValue(at.child('apiGroup'), resource.apiGroup, msg));
    }
    for (const key of ['kind', 'name'] as const) {
      const value = resource[key] ?? '';
      if (value === '') errs.push(required(at.child(key)));
      else for (const msg of nameIsPathSegment(value, false)) errs.push(invalidValue(at.child(key), value, msg));
    }
    return errs;
  }
  if (service == null) return [invalidValue(fld, '', 'resource or service backend is required')];
  const name = service.name ?? '';
  if (name === '') errs.push(required(fld.child('service').child('name')));
  else for (const msg of isDns1035Label(name)) errs.push(invalidValue(fld.child('service').child('name'), name, msg));
  const portName = service.port?.name ?? '';
  const portNumber = service.port?.number ?? 0;
  if (portName !== '' && portNumber !== 0) {
    errs.push(invalidValue(fld, '', 'cannot set both port name & port number'));
  } else if (portName !== '') {
    for (const msg of isValidPortName(portName)) errs.push(invalidValue(fld.child('service').child('port').child('name'), portName, msg));
  } else if (portNumber !== 0) {
    if (!isValidPortNum(portNumber)) {
      errs.push(invalidValue(fld.child('service').child('port').child('number'), portNumber, PORT_NUM_RANGE_MSG));
    }
  } else {
    errs.push(required(fld, 'port name or number is required'));
  }
  return errs;
}

function validatePath(p: HTTPIngressPath, fld: FieldPath): FieldError[] {
  if (p.pathType == null) return [required(fld.child('pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const text = p.path ?? '';
  const at = fld.child('path');
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!text.startsWith('/')) errs.push(invalidValue(at, text, 'must be an absolute path'));
      for (const seq of BAD_PATH_SEQUENCES) if (text.includes(seq)) errs.push(invalidValue(at, text, `must not contain '${seq}'`));
      for (const suffix of BAD_PATH_SUFFIXES) if (text.endsWith(suffix)) errs.push(invalidValue(at, text, `cannot end with '${suffix}'`));
      break;
    case 'ImplementationSpecific':
      if (text !== '' && !text.startsWith('/')) errs.push(invalidValue(at, text, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(fld.child('pathType'), p.pathType, PATH_TYPES));
  }
  return errs.concat(validateBackend(p.backend ?? {}, fld.child('backend')));
}

/** validateIngressRuleValue: the HTTP paths of a rule, at least one. */
function ruleValueErrors(rule: IngressRule, fld: FieldPath): FieldError[] {
  if (rule.http == null) return [];
  const at = fld.child('http');
  const paths = rule.http.paths ?? [];
  const errs = paths.length === 0 ? [required(at.child('paths'))] : [];
  paths.forEach((p, i) => errs.push(...validatePath(p, at.child('paths').index(i))));
  return errs;
}

function validateRules(rules: IngressRule[], fld: FieldPath, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const at = fld.index(i);
    const host = rule.host ?? '';
    let wildcard = false;
    if (host !== '') {
      if (isValidIPSloppy(host)) errs.push(invalidValue(at.child('host'), host, 'must be a DNS name, not an IP address'));
      wildcard = host.includes('*');
      errs.push(...hostErrors(host, at.child('host')));
    }
    if (!wildcard || !opts.allowInvalidWildcardHostRule) errs.push(...ruleValueErrors(rule, at));
  });
  return errs;
}

function validateTLS(spec: IngressSpec, fld: FieldPath, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  (spec.tls ?? []).forEach((tls, i) => {
    (tls.hosts ?? []).forEach((host, j) => errs.push(...hostErrors(host, fld.index(i).child('hosts').index(j))));
    const secret = tls.secretName ?? '';
    if (!opts.allowInvalidSecretName && secret !== '') {
      for (const msg of isDns1123Subdomain(secret)) errs.push(invalidValue(fld.index(i).child('secretName'), secret, msg));
    }
  });
  return errs;
}

function validateSpec(spec: IngressSpec, fld: FieldPath, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (rules.length === 0 && spec.defaultBackend == null) {
    // Go prints the nil (absent) or empty rule list with %#v.
    const shown = { go: spec.rules == null ? '[]networking.IngressRule(nil)' : '[]networking.IngressRule{}' };
    errs.push(invalidValue(fld, shown, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend != null) errs.push(...validateBackend(spec.defaultBackend, fld.child('defaultBackend')));
  if (rules.length > 0) errs.push(...validateRules(rules, fld.child('rules'), opts));
  if (spec.tls?.length) errs.push(...validateTLS(spec, fld.child('tls'), opts));
  if (spec.ingressClassName != null) {
    for (const msg of isDns1123Subdomain(spec.ingressClassName)) {
      errs.push(invalidValue(fld.child('ingressClassName'), spec.ingressClassName, msg));
    }
  }
  return errs;
}

/** ValidateIngressCreate: the spec, and a class annotation that agrees with ingressClassName. */
export function validateIngressCreate(ing: Ingress): FieldError[] {
  const errs = validateSpec(ing.spec ?? {}, path('spec'), STRICT);
  const annotation = ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  const className = ing.spec?.ingressClassName;
  if (annotation !== undefined && className != null && annotation !== className) {
    errs.push(
      invalidValue(
        path('annotations').child(INGRESS_CLASS_ANNOTATION),
        annotation,
        'must match `ingressClassName` when both are specified',
      ),
    );
  }
  return errs;
}

/** ValidateIngressUpdate: the spec, with what the stored Ingress already had wrong let through. */
export function validateIngressUpdate(ing: Ingress, old: Ingress): FieldError[] {
  // allowInvalidSecretName and allowInvalidWildcardHostRule, over the stored copy as it may be: an
  // older one with fields missing, or entries null (Go reads a null entry as an empty one).
  const oldSpec = old.spec ?? {};
  const opts: Options = {
    allowInvalidSecretName: (oldSpec.tls ?? []).some((t) => !!t?.secretName && isDns1123Subdomain(t.secretName).length > 0),
    allowInvalidWildcardHostRule: (oldSpec.rules ?? []).some(
      (r) => (r?.host ?? '').includes('*') && ruleValueErrors(r ?? {}, path('')).length > 0,
    ),
  };
  return validateSpec(ing.spec ?? {}, path('spec'), opts);
}

function validateLoadBalancer(status: IngressLoadBalancerStatus, old: IngressLoadBalancerStatus | undefined, fld: FieldPath): FieldError[] {
  const validOld = (old?.ingress ?? []).map((i) => i?.ip ?? '').filter((ip) => ip !== '');
  const errs: FieldError[] = [];
  (status.ingress ?? []).forEach((ingress, i) => {
    const at = fld.child('ingress').index(i);
    if (ingress.ip) errs.push(...validateIPForLegacyField(at.child('ip'), ingress.ip, { validOld }));
    const hostname = ingress.hostname ?? '';
    if (hostname !== '') {
      for (const msg of isDns1123Subdomain(hostname)) errs.push(invalidValue(at.child('hostname'), hostname, msg));
      if (isValidIPSloppy(hostname)) errs.push(invalidValue(at.child('hostname'), hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** ValidateIngressStatusUpdate: the load balancer's addresses (IPs kept from the stored status pass as they are). */
export function validateIngressStatusUpdate(ing: Ingress, old: Ingress): FieldError[] {
  return validateLoadBalancer(ing.status?.loadBalancer ?? {}, old.status?.loadBalancer, path('status', 'loadBalancer'));
}
