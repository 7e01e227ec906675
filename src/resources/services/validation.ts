/**
 * core/v1 Service validation in the manner of kube-apiserver's ValidateService and
 * ValidateServiceUpdate (pkg/apis/core/validation): the same checks, field paths, details and order
 * of errors. metadata (a DNS-1035 name) is the store's part; what depends on allocation that
 * kube-apiserver does before validation (ipFamilies, a required healthCheckNodePort) is left to the
 * allocate hook, which runs after validation here.
 *
 * IP and CIDR values are read as the legacy (non-strict) fields are upstream with the
 * StrictIPCIDRValidation gate off: leading zeros in IPv4 octets and host bits in a CIDR are accepted.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, forbiddenField, invalidValue, notSupported, path, required } from '../../apimachinery/field-errors.js';
import {
  isIPv6String,
  validateCIDRForLegacyField,
  validateEndpointIP,
  validateIPForLegacyField,
} from '../../apimachinery/validation/ip.js';
import {
  goStringSlice,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  PORT_NUM_RANGE_MSG,
} from '../../apimachinery/validation/names.js';
import { validateLabels } from '../../apimachinery/validation/object-meta.js';
import type { ServiceSpec } from '../schemas.js';
import type { StoredService } from '../stored.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';

type ServicePort = NonNullable<ServiceSpec['ports']>[number];

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_DISTRIBUTIONS = ['PreferClose'];
/** core.MaxClientIPServiceAffinitySeconds. */
const MAX_AFFINITY_SECONDS = 86400;
const ONLY_LOAD_BALANCER = "may only be used when `type` is 'LoadBalancer'";
const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';
const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

const spec = path('spec');

// ---------------------------------------------------------------------------------------------
// Helpers of the Service kinds (pkg/api/service and pkg/apis/core/validation).

const isHeadless = (s: ServiceSpec) => s.clusterIPs?.length === 1 && s.clusterIPs[0] === 'None';

/** ExternallyAccessible: reachable from outside the cluster (node ports, a load balancer, external IPs). */
export const externallyAccessible = (s: ServiceSpec) =>
  s.type === 'LoadBalancer' || s.type === 'NodePort' || (s.type === 'ClusterIP' && (s.externalIPs?.length ?? 0) > 0);

/** NeedsHealthCheck: a LoadBalancer with externalTrafficPolicy Local. */
const needsHealthCheck = (s: ServiceSpec) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';

const isSet = (v: unknown) => v !== undefined && v !== null;

/** Go's %#v of a core.ServicePort key (only protocol and port set), as a Duplicate ports error shows it. */
function goServicePortKey(protocol: string, port: number): { go: string } {
  return {
    go:
      `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
      'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  };
}

/** Go's %#v of a []core.IPFamily. */
function goFamilies(values: readonly string[] | undefined): { go: string } {
  if (values == null) return { go: '[]core.IPFamily(nil)' };
  return { go: `[]core.IPFamily{${values.map(goQuote).join(', ')}}` };
}

// ---------------------------------------------------------------------------------------------
// ValidateService and what it calls.

/** validateServicePort. */
function validateServicePort(p: ServicePort, requireName: boolean, names: Set<string>, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = p.name ?? '';
  if (requireName && !name) {
    errs.push(required(fld.child('name')));
  } else if (name) {
    for (const msg of isDns1123Label(name)) errs.push(invalidValue(fld.child('name'), name, msg));
    if (names.has(name)) errs.push(duplicate(fld.child('name'), name));
    else names.add(name);
  }
  if (!isValidPortNum(p.port)) errs.push(invalidValue(fld.child('port'), p.port ?? 0, PORT_NUM_RANGE_MSG));
  if (!p.protocol) errs.push(required(fld.child('protocol')));
  else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(fld.child('protocol'), p.protocol, PROTOCOLS));
  // ValidatePortNumOrName.
  const target = p.targetPort;
  if (typeof target === 'string') {
    for (const msg of isValidPortName(target)) errs.push(invalidValue(fld.child('targetPort'), target, msg));
  } else if (!isValidPortNum(target ?? 0)) {
    errs.push(invalidValue(fld.child('targetPort'), target ?? 0, PORT_NUM_RANGE_MSG));
  }
  if (isSet(p.appProtocol)) {
    const appProtocol = p.appProtocol;
    for (const msg of isQualifiedName(appProtocol)) errs.push(invalidValue(fld.child('appProtocol'), appProtocol, msg));
  }
  return errs;
}

/** validateClientIPAffinityConfig and validateAffinityTimeout. */
function validateClientIPAffinityConfig(s: ServiceSpec, fld: FieldPath): FieldError[] {
  const detail = 'when session affinity type is ClientIP';
  const config = s.sessionAffinityConfig;
  if (!isSet(config)) return [required(fld, detail)];
  if (!isSet(config.clientIP)) return [required(fld.child('clientIP'), detail)];
  const timeout = config.clientIP.timeoutSeconds;
  const at = fld.child('clientIP').child('timeoutSeconds');
  if (!isSet(timeout)) return [required(at, detail)];
  if (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS) {
    return [invalidValue(at, timeout, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)];
  }
  return [];
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs agreement, families, policy, the IPs themselves. */
function validateClusterIPsRelatedFields(s: ServiceSpec): FieldError[] {
  // An ExternalName service had these forbidden already.
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ipsPath = spec.child('clusterIPs');
  const ips = s.clusterIPs ?? [];
  const families = s.ipFamilies ?? [];
  if (s.clusterIP) {
    if (!ips.length) errs.push(required(ipsPath));
    else if (ips[0] !== s.clusterIP) errs.push(invalidValue(ipsPath, goStringSlice(s.clusterIPs), 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(invalidValue(ipsPath, goStringSlice(s.clusterIPs), 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  families.forEach((family, i) => {
    if (!IP_FAMILIES.includes(family)) errs.push(notSupported(spec.child('ipFamilies').index(i), family, IP_FAMILIES));
    if (seen.has(family)) errs.push(duplicate(spec.child('ipFamilies').index(i), family));
    seen.add(family);
  });
  if (isSet(s.ipFamilyPolicy) && !IP_FAMILY_POLICIES.includes(s.ipFamilyPolicy)) {
    errs.push(notSupported(spec.child('ipFamilyPolicy'), s.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalidIPs = true;
        errs.push(invalidValue(ipsPath, goStringSlice(ips), "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = validateIPForLegacyField(ipsPath.index(i), ip);
    if (ipErrs.length) {
      invalidIPs = true;
      errs.push(...ipErrs);
    }
  });
  if (ips.length > 2) errs.push(invalidValue(ipsPath, goStringSlice(ips), 'may only hold up to 2 values'));
  // Bad addresses would make the family checks below misleading.
  if (invalidIPs) return errs;
  if (ips.length > 1) {
    const v6 = ips.map(isIPv6String);
    if (!(v6.includes(true) && v6.includes(false))) {
      errs.push(invalidValue(ipsPath, goStringSlice(ips), 'may specify no more than one IP for each IP family'));
    }
  }
  if (!isHeadless(s) && ips.length && families.length) {
    for (let i = 0; i < ips.length && i < families.length; i++) {
      const v6 = isIPv6String(ips[i]);
      if (families[i] === 'IPv4' && v6) {
        errs.push(invalidValue(ipsPath.index(i), ips[i], `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === 'IPv6' && !v6) {
        errs.push(invalidValue(ipsPath.index(i), ips[i], `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    }
  }
  return errs;
}

/** validateLoadBalancerClassField: a qualified name on a LoadBalancer, fixed once set; nowhere else. */
function validateLoadBalancerClass(s: ServiceSpec, old: ServiceSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const fld = spec.child('loadBalancerClass');
  const isLB = s.type === 'LoadBalancer';
  if (old && old.type === 'LoadBalancer' && isLB && (old.loadBalancerClass ?? null) !== (s.loadBalancerClass ?? null)) {
    errs.push(invalidValue(fld, s.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (isSet(s.loadBalancerClass)) {
    if (isLB) for (const msg of isQualifiedName(s.loadBalancerClass)) errs.push(invalidValue(fld, s.loadBalancerClass, msg));
    else errs.push(forbiddenField(fld, ONLY_LOAD_BALANCER));
  }
  return errs;
}

/**
 * validateServiceExternalTrafficPolicy. The Required healthCheckNodePort of a LoadBalancer with
 * policy Local is not judged here: kube-apiserver allocates it before validating, kubemock after.
 */
function validateExternalTrafficPolicy(s: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const policy = s.externalTrafficPolicy ?? '';
  if (!externallyAccessible(s)) {
    if (policy) errs.push(invalidValue(spec.child('externalTrafficPolicy'), policy, 'may only be set for externally-accessible services'));
  } else if (!policy) {
    errs.push(required(spec.child('externalTrafficPolicy')));
  } else if (!TRAFFIC_POLICIES.includes(policy)) {
    errs.push(notSupported(spec.child('externalTrafficPolicy'), policy, TRAFFIC_POLICIES));
  }
  const hc = s.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(s)) {
    if (hc !== 0) {
      errs.push(
        invalidValue(
          spec.child('healthCheckNodePort'),
          hc,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
      );
    }
  } else if (hc !== 0 && !isValidPortNum(hc)) {
    errs.push(invalidValue(spec.child('healthCheckNodePort'), hc, PORT_NUM_RANGE_MSG));
  }
  return errs;
}

/** validateServiceInternalTrafficFieldsValue. */
function validateInternalTrafficPolicy(s: ServiceSpec): FieldError[] {
  const fld = spec.child('internalTrafficPolicy');
  if (!isSet(s.internalTrafficPolicy)) {
    return s.type === 'NodePort' || s.type === 'LoadBalancer' || s.type === 'ClusterIP' ? [required(fld)] : [];
  }
  return TRAFFIC_POLICIES.includes(s.internalTrafficPolicy) ? [] : [notSupported(fld, s.internalTrafficPolicy, TRAFFIC_POLICIES)];
}

/** validateServiceTrafficDistribution (PreferSameTrafficDistribution off: PreferClose only). */
function validateTrafficDistribution(s: ServiceSpec): FieldError[] {
  if (!isSet(s.trafficDistribution) || TRAFFIC_DISTRIBUTIONS.includes(s.trafficDistribution)) return [];
  return [notSupported(spec.child('trafficDistribution'), s.trafficDistribution, TRAFFIC_DISTRIBUTIONS)];
}

/** loadBalancerSourceRanges (or its annotation): LoadBalancer only, CIDRs (space padding tolerated). */
function validateSourceRanges(svc: StoredService, s: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ranges = s.loadBalancerSourceRanges ?? [];
  if (ranges.length) {
    // Upstream's path, capital L and all.
    const fld = spec.child('LoadBalancerSourceRanges');
    if (s.type !== 'LoadBalancer') errs.push(forbiddenField(fld, ONLY_LOAD_BALANCER));
    ranges.forEach((raw, i) => {
      const value = String(raw).trim();
      errs.push(...validateCIDRForLegacyField(fld.index(i), value));
    });
    return errs;
  }
  const annotation = svc.metadata.annotations?.[SOURCE_RANGES_ANNOTATION];
  if (annotation === undefined) return errs;
  const fld = path('metadata', 'annotations').key(SOURCE_RANGES_ANNOTATION);
  if (s.type !== 'LoadBalancer') errs.push(forbiddenField(fld, ONLY_LOAD_BALANCER));
  const value = annotation.trim();
  if (value) {
    for (const part of value.split(',')) {
      const cidr = part.trim();
      errs.push(...validateCIDRForLegacyField(fld, cidr));
    }
  }
  return errs;
}

/** ValidateService without its ObjectMeta part (the store validates metadata, with the DNS-1035 name rule). */
export function validateService(svc: StoredService): FieldError[] {
  const errs: FieldError[] = [];
  const s = svc.spec ?? {};
  const annotations = svc.metadata.annotations ?? {};
  const hints = annotations[TOPOLOGY_HINTS_ANNOTATION];
  const mode = annotations[TOPOLOGY_MODE_ANNOTATION];
  if (hints !== undefined && mode !== undefined && hints !== mode) {
    errs.push(
      invalidValue(
        path('metadata', 'annotations').key(TOPOLOGY_MODE_ANNOTATION),
        mode,
        `must match annotations[${TOPOLOGY_HINTS_ANNOTATION}] when both are specified`,
      ),
    );
  }

  const ports = s.ports ?? [];
  if (!ports.length && !isHeadless(s) && s.type !== 'ExternalName') errs.push(required(spec.child('ports')));
  switch (s.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (isHeadless(s)) {
        errs.push(invalidValue(spec.child('clusterIPs').index(0), s.clusterIPs![0], `may not be set to 'None' for ${s.type} services`));
      }
      break;
    case 'ExternalName': {
      const forbidden = 'may not be set for ExternalName services';
      if (s.clusterIPs?.length) errs.push(forbiddenField(spec.child('clusterIPs'), forbidden));
      if (s.ipFamilies?.length) errs.push(forbiddenField(spec.child('ipFamilies'), forbidden));
      if (isSet(s.ipFamilyPolicy)) errs.push(forbiddenField(spec.child('ipFamilyPolicy'), forbidden));
      // A CNAME may end in a dot (fully qualified); one dot is dropped before the check.
      const external = s.externalName ?? '';
      const cname = external.endsWith('.') ? external.slice(0, -1) : external;
      if (cname) for (const msg of isDns1123Subdomain(cname)) errs.push(invalidValue(spec.child('externalName'), cname, msg));
      else errs.push(required(spec.child('externalName')));
      break;
    }
    default:
      break;
  }

  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, spec.child('ports').index(i))));

  if (isSet(s.selector)) errs.push(...validateLabels(s.selector, spec.child('selector')));

  if (!s.sessionAffinity) errs.push(required(spec.child('sessionAffinity')));
  else if (!AFFINITIES.includes(s.sessionAffinity)) errs.push(notSupported(spec.child('sessionAffinity'), s.sessionAffinity, AFFINITIES));
  if (s.sessionAffinity === 'ClientIP') {
    errs.push(...validateClientIPAffinityConfig(s, spec.child('sessionAffinityConfig')));
  } else if (s.sessionAffinity === 'None' && isSet(s.sessionAffinityConfig)) {
    errs.push(forbiddenField(spec.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  }

  errs.push(...validateClusterIPsRelatedFields(s));

  (s.externalIPs ?? []).forEach((ip, i) => {
    const at = spec.child('externalIPs').index(i);
    const ipErrs = validateIPForLegacyField(at, ip);
    errs.push(...(ipErrs.length ? ipErrs : validateEndpointIP(at, ip)));
  });

  if (!s.type) errs.push(required(spec.child('type')));
  else if (!TYPES.includes(s.type)) errs.push(notSupported(spec.child('type'), s.type, TYPES));

  if (s.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort)
        errs.push(forbiddenField(spec.child('ports').index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }

  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol ?? ''}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(spec.child('ports').index(i).child('nodePort'), p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol ?? ''}/${p.port}`;
    if (portKeys.has(key)) errs.push(duplicate(spec.child('ports').index(i), goServicePortKey(p.protocol ?? '', p.port)));
    portKeys.add(key);
  });

  errs.push(...validateSourceRanges(svc, s));

  if (isSet(s.allocateLoadBalancerNodePorts) && s.type !== 'LoadBalancer') {
    errs.push(forbiddenField(spec.child('allocateLoadBalancerNodePorts'), ONLY_LOAD_BALANCER));
  }
  if (s.type === 'LoadBalancer' && !isSet(s.allocateLoadBalancerNodePorts)) {
    // Upstream's path, without `spec`.
    errs.push(required(path('allocateLoadBalancerNodePorts')));
  }

  errs.push(...validateLoadBalancerClass(s, undefined));
  errs.push(...validateExternalTrafficPolicy(s));
  errs.push(...validateInternalTrafficPolicy(s));
  errs.push(...validateTrafficDistribution(s));
  return errs;
}

/** validateUpgradeDowngradeClusterIPs: the cluster IPs a Service holds do not change. */
function validateClusterIPsUpdate(s: ServiceSpec, prev: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName' || prev.type === 'ExternalName') return [];
  if (isHeadless(s) && isHeadless(prev)) return [];
  const errs: FieldError[] = [];
  const before = prev.clusterIPs ?? [];
  const after = s.clusterIPs ?? [];
  const at = spec.child('clusterIPs').index(0);
  const shown = goStringSlice(s.clusterIPs);
  if (before.length === after.length) {
    before.forEach((ip, i) => {
      if (ip !== after[i]) errs.push(invalidValue(spec.child('clusterIPs').index(i), shown, 'may not change once set'));
    });
  } else if (before.length > after.length) {
    if (!after.length) errs.push(invalidValue(at, shown, 'primary clusterIP can not be unset'));
    if (before.length && after.length && after[0] !== before[0]) errs.push(invalidValue(at, shown, 'may not change once set'));
    if (after.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
      errs.push(
        invalidValue(
          spec.child('ipFamilyPolicy'),
          s.ipFamilyPolicy ?? null,
          "must be set to 'SingleStack' when releasing the secondary clusterIP",
        ),
      );
    }
  } else if (before.length && after[0] !== before[0]) {
    errs.push(invalidValue(at, shown, 'may not change once set'));
  }
  return errs;
}

/** validateUpgradeDowngradeIPFamilies: the primary family does not change (headless services aside). */
function validateIPFamiliesUpdate(s: ServiceSpec, prev: ServiceSpec): FieldError[] {
  if (s.type === 'ExternalName' || prev.type === 'ExternalName') return [];
  if (isHeadless(s) || isHeadless(prev)) return [];
  const errs: FieldError[] = [];
  const before = prev.ipFamilies ?? [];
  const after = s.ipFamilies ?? [];
  const at = spec.child('ipFamilies').index(0);
  if (before.length === after.length) {
    before.forEach((family, i) => {
      if (family !== after[i]) errs.push(invalidValue(at, goFamilies(s.ipFamilies), 'may not change once set'));
    });
  } else if (before.length > after.length) {
    if (!s.clusterIPs?.length) errs.push(invalidValue(at, goFamilies(s.ipFamilies), 'primary ipFamily can not be unset'));
    // Upstream shows the cluster IPs here, not the families.
    if (after.length && after[0] !== before[0]) errs.push(invalidValue(at, goStringSlice(s.clusterIPs), 'may not change once set'));
    if (after.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
      errs.push(
        invalidValue(
          spec.child('ipFamilyPolicy'),
          s.ipFamilyPolicy ?? null,
          "must be set to 'SingleStack' when releasing the secondary ipFamily",
        ),
      );
    }
  } else if (before.length && after.length && after[0] !== before[0]) {
    errs.push(invalidValue(at, goStringSlice(s.clusterIPs), 'may not change once set'));
  }
  return errs;
}

/** ValidateServiceUpdate: ValidateObjectMetaUpdate, the update rules, then all of ValidateService (ObjectMeta first). */
export function validateServiceUpdate(svc: StoredService, old: StoredService, meta: ObjectMetaChecks): FieldError[] {
  const s = svc.spec ?? {};
  const prev = old.spec ?? {};
  const errs = [...meta.update(), ...validateClusterIPsUpdate(s, prev), ...validateIPFamiliesUpdate(s, prev)];
  // validateLoadBalancerClassField(old, new) runs here and again, without the old object, in ValidateService.
  errs.push(...validateLoadBalancerClass(s, prev));
  if (needsHealthCheck(prev) && needsHealthCheck(s) && (s.healthCheckNodePort ?? 0) !== (prev.healthCheckNodePort ?? 0)) {
    errs.push(forbiddenField(spec.child('healthCheckNodePort'), 'field is immutable'));
  }
  errs.push(...meta.create(), ...validateService(svc));
  return errs;
}
