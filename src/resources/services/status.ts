/**
 * Writes to services/{name}/status as kube-apiserver 1.33 takes them: the v1 defaulting of the
 * load balancer's ingress (ipMode VIP where an IP is given without one, SetDefaults_Service with
 * the LoadBalancerIPMode gate, GA and locked on) and ValidateServiceStatusUpdate's
 * ValidateLoadBalancerStatus. Upstream's status strategy checks nothing else (not the conditions,
 * not the ports of an ingress) and warns of nothing; dropServiceStatusDisabledFields drops nothing
 * with the gate on.
 */
import type { FieldError } from '../../apimachinery/field-errors.js';
import { forbiddenField, invalidValue, notSupported, path, required } from '../../apimachinery/field-errors.js';
import { isValidIPSloppy, validateIPForLegacyField } from '../../apimachinery/validation/ip.js';
import { isDns1123Subdomain } from '../../apimachinery/validation/names.js';
import type { StoredService } from '../stored.js';

/** core.LoadBalancerIPMode values, as upstream lists them (sorted). */
const IP_MODES = ['Proxy', 'VIP'];

const ingressPath = path('status', 'loadBalancer', 'ingress');

/** SetDefaults_Service's part for the status: an ingress with an IP and no ipMode is a VIP. */
export function defaultServiceStatus(svc: StoredService): void {
  for (const ingress of svc.status?.loadBalancer?.ingress ?? []) {
    if (ingress.ip && (ingress.ipMode === undefined || ingress.ipMode === null)) ingress.ipMode = 'VIP';
  }
}

/** ValidateLoadBalancerStatus of a Service (the AllowServiceLBStatusOnNonLB gate is off in 1.33). */
export function validateServiceStatus(svc: StoredService, old: StoredService): FieldError[] {
  const ingresses = svc.status?.loadBalancer?.ingress;
  if (!ingresses?.length) return [];
  if (svc.spec?.type !== 'LoadBalancer') {
    return [forbiddenField(ingressPath, "may only be used when `spec.type` is 'LoadBalancer'")];
  }
  // An IP the old status already had is kept whatever the stricter parsing would say of it.
  const validOld = (old.status?.loadBalancer?.ingress ?? []).flatMap((ingress) => (ingress.ip ? [ingress.ip] : []));
  const errors: FieldError[] = [];
  ingresses.forEach((ingress, i) => {
    const at = ingressPath.index(i);
    const ip = ingress.ip ?? '';
    if (ip) errors.push(...validateIPForLegacyField(at.child('ip'), ip, { validOld }));
    const mode = ingress.ipMode ?? undefined;
    if (mode === undefined) {
      if (ip) errors.push(required(at.child('ipMode'), 'must be specified when `ip` is set'));
    } else if (!ip) {
      errors.push(forbiddenField(at.child('ipMode'), 'may not be specified when `ip` is not set'));
    } else if (!IP_MODES.includes(mode)) {
      errors.push(notSupported(at.child('ipMode'), mode, IP_MODES));
    }
    const hostname = ingress.hostname ?? '';
    if (hostname) {
      for (const msg of isDns1123Subdomain(hostname)) errors.push(invalidValue(at.child('hostname'), hostname, msg));
      if (isValidIPSloppy(hostname)) errors.push(invalidValue(at.child('hostname'), hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errors;
}
