/**
 * core/v1 Service, enough for `kubectl cluster-info`, `get svc` and manifests that carry a Service:
 * defaults as upstream (type ClusterIP, protocol TCP, targetPort = port, sessionAffinity None), the
 * basic validation, and cluster IPs and node ports from the allocators (allocation.ts) over the
 * service CIDR and node port range. No endpoints, no proxying: nothing routes traffic here.
 */
import { isIPv6 } from 'node:net';
import { forbiddenField, invalidValue, notSupported, path, required, duplicate, type FieldError } from '../../apimachinery/field-errors.js';
import { parseIPv4 } from '../../apimachinery/ipv4.js';
import { goStringSlice } from '../../apimachinery/validation/names.js';
import { statusKeepsSpec, type ResourceDefinition, DEFAULT_RESET_FIELDS } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { ServiceSchema } from '../core-schemas/service.js';
import type { ServiceSpec } from '../schemas.js';
import type { StoredService as ServiceObject } from '../stored.js';
import { allocateService, needsClusterIP, needsHealthCheckNodePort, needsNodePorts } from './allocation.js';
import { table } from './table.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === b![i]);

export function defaultService(svc: ServiceObject): void {
  const spec = (svc.spec ??= {});
  if (!spec.type) spec.type = 'ClusterIP';
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = (spec.sessionAffinityConfig ??= {});
    const clientIP = (cfg.clientIP ??= {});
    clientIP.timeoutSeconds ??= 10800;
  }
  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

/** clusterIPs from clusterIP where a client set only the singular (upstream normalizeClusterIPs). */
function normalizeClusterIPs(spec: ServiceSpec, old: ServiceSpec | undefined): void {
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  if ((old.clusterIP ?? '') === (spec.clusterIP ?? '')) return;
  if (old.clusterIPs?.length && sameList(old.clusterIPs, spec.clusterIPs)) {
    // The singular changed and the plural did not: the plural follows (and validation judges the change).
    if (!spec.clusterIP) delete spec.clusterIPs;
    else spec.clusterIPs = [spec.clusterIP, ...old.clusterIPs.slice(1)];
  }
}

/** An update that leaves out what was allocated keeps it (upstream patchAllocatedValues; node ports by port name). */
function patchAllocatedValues(spec: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
    if (!spec.clusterIPs?.length && old.clusterIPs?.length) spec.clusterIPs = old.clusterIPs;
  }
  if (needsNodePorts(old) && needsNodePorts(spec)) {
    const byName = new Map((old.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const port of spec.ports ?? []) {
      const kept = byName.get(port.name ?? '');
      if (!port.nodePort && kept) port.nodePort = kept;
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(spec) && !spec.healthCheckNodePort && old.healthCheckNodePort) {
    spec.healthCheckNodePort = old.healthCheckNodePort;
  }
}

/**
 * A type change drops what the old type had allocated and the client left as it was (upstream
 * dropTypeDependentFields): ClusterIP → ExternalName clears the IPs, NodePort → ClusterIP the node ports.
 */
function dropTypeDependentFields(svc: ServiceObject, old: ServiceObject): void {
  const spec = (svc.spec ??= {});
  const prev = old.spec ?? {};
  if (needsClusterIP(prev) && !needsClusterIP(spec)) {
    if ((prev.clusterIP ?? '') === (spec.clusterIP ?? '') && sameList(prev.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(prev.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if (prev.ipFamilyPolicy === spec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  const nodePorts = (s: ServiceSpec) => (s.ports ?? []).map((p) => p.nodePort ?? 0);
  if (needsNodePorts(prev) && !needsNodePorts(spec) && sameList(nodePorts(prev), nodePorts(spec))) {
    for (const port of spec.ports ?? []) delete port.nodePort;
  }
  if (needsHealthCheckNodePort(prev) && !needsHealthCheckNodePort(spec) && prev.healthCheckNodePort === spec.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (spec.type !== 'LoadBalancer') delete spec.allocateLoadBalancerNodePorts;
  // externalTrafficPolicy applies to what is reachable from outside (upstream ExternallyAccessible).
  if (!needsNodePorts(spec) && !(spec.type === 'ClusterIP' && spec.externalIPs?.length)) delete spec.externalTrafficPolicy;
  if (prev.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') svc.status = { loadBalancer: {} };
}

const isValidIP = (ip: string) => parseIPv4(ip) !== undefined || isIPv6(ip);

/** clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy (upstream ValidateServiceClusterIPsRelatedFields). */
function validateClusterIPFields(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const fld = path('spec');
  if (spec.type === 'ExternalName') {
    for (const key of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'] as const) {
      const v = spec[key];
      if (Array.isArray(v) ? v.length : v) errs.push(forbiddenField(fld.child(key), 'may not be set for ExternalName services'));
    }
    return errs;
  }
  const ips = fld.child('clusterIPs');
  const clusterIPs = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (!clusterIPs.length) errs.push(required(ips, ''));
    else if (clusterIPs[0] !== spec.clusterIP)
      errs.push(invalidValue(ips, goStringSlice(clusterIPs), 'first value must match `clusterIP`'));
  } else if (clusterIPs.length) {
    errs.push(invalidValue(ips, goStringSlice(clusterIPs), 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((family, i) => {
    if (!IP_FAMILIES.includes(family)) errs.push(notSupported(fld.child('ipFamilies').index(i), family, IP_FAMILIES));
    if (seen.has(family)) errs.push(duplicate(fld.child('ipFamilies').index(i), family));
    seen.add(family);
  });
  if (spec.ipFamilyPolicy && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported(fld.child('ipFamilyPolicy'), spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) errs.push(invalidValue(ips, goStringSlice(clusterIPs), "'None' must be the first and only value"));
      return;
    }
    if (!isValidIP(ip)) errs.push(invalidValue(ips.index(i), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (clusterIPs.length > 2) errs.push(invalidValue(ips, goStringSlice(clusterIPs), 'may only hold up to 2 values'));
  return errs;
}

function validateService(svc: ServiceObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const fld = path('spec');
  if (spec.type && !TYPES.includes(spec.type)) errs.push(notSupported(fld.child('type'), spec.type, TYPES));
  if (spec.sessionAffinity && !AFFINITIES.includes(spec.sessionAffinity)) {
    errs.push(notSupported(fld.child('sessionAffinity'), spec.sessionAffinity, AFFINITIES));
  }
  for (const key of ['internalTrafficPolicy', 'externalTrafficPolicy'] as const) {
    const v = spec[key];
    if (v && !TRAFFIC_POLICIES.includes(v)) errs.push(notSupported(fld.child(key), v, TRAFFIC_POLICIES));
  }
  errs.push(...validateClusterIPFields(spec));
  const ports = spec.ports ?? [];
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(required(fld.child('externalName'), ''));
  } else if (ports.length === 0 && spec.clusterIP !== 'None') {
    errs.push(required(fld.child('ports'), ''));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pf = fld.child('ports').index(i);
    if (ports.length > 1 && !p.name) errs.push(required(pf.child('name'), ''));
    if (p.name) {
      if (names.has(p.name)) errs.push(duplicate(pf.child('name'), p.name));
      names.add(p.name);
    }
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      errs.push(invalidValue(pf.child('port'), p.port, 'must be between 1 and 65535, inclusive'));
    }
    if (p.protocol && !PROTOCOLS.includes(p.protocol)) errs.push(notSupported(pf.child('protocol'), p.protocol, PROTOCOLS));
    if (typeof p.targetPort === 'number' && (p.targetPort < 1 || p.targetPort > 65535)) {
      errs.push(invalidValue(pf.child('targetPort'), p.targetPort, 'must be between 1 and 65535, inclusive'));
    }
    if (p.nodePort !== undefined && p.nodePort !== 0 && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
      errs.push({ type: 'FieldValueForbidden', field: String(pf.child('nodePort')), detail: "may not be used when `type` is 'ClusterIP'" });
    }
  });
  return errs;
}

function validateServiceUpdate(svc: ServiceObject, old: ServiceObject): FieldError[] {
  const errs = validateService(svc);
  const spec = svc.spec ?? {};
  const prev = old.spec ?? {};
  // The cluster IPs a Service holds never change (validateUpgradeDowngradeClusterIPs, single-stack part).
  if (needsClusterIP(spec) && needsClusterIP(prev)) {
    const before = prev.clusterIPs ?? [];
    const after = spec.clusterIPs ?? [];
    const headless = (ips: string[]) => ips.length === 1 && ips[0] === 'None';
    if (!(headless(before) && headless(after))) {
      if (before.length === after.length) {
        before.forEach((ip, i) => {
          if (ip !== after[i])
            errs.push(invalidValue(path('spec', 'clusterIPs').index(i), goStringSlice(after), 'may not change once set'));
        });
      } else if (before.length > after.length && after.length === 0) {
        errs.push(invalidValue(path('spec', 'clusterIPs').index(0), goStringSlice(after), 'primary clusterIP can not be unset'));
      } else if (before.length && after.length && before[0] !== after[0]) {
        errs.push(invalidValue(path('spec', 'clusterIPs').index(0), goStringSlice(after), 'may not change once set'));
      }
    }
  }
  return errs;
}

const services: ResourceDefinition<ServiceObject> = {
  group: '',
  version: 'v1',
  kind: 'Service',
  listKind: 'ServiceList',
  plural: 'services',
  etcdResourcePrefix: 'services/specs',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  schema: ServiceSchema,
  listSchema: listSchema(ServiceSchema, 'Service'),
  protobuf: 'k8s.io.api.core.v1.Service',
  categories: ['all'],
  fieldLabels: ['spec.clusterIP', 'spec.type'],
  selectableFields: (svc) => ({ 'spec.clusterIP': svc.spec?.clusterIP ?? '', 'spec.type': svc.spec?.type ?? '' }),
  table,
  // GetResetFields: service strategy: status; status strategy: spec.
  resetFields: DEFAULT_RESET_FIELDS,
  strategy: {
    defaults: defaultService,
    prepareForCreate(svc) {
      svc.status = { loadBalancer: {} };
      normalizeClusterIPs((svc.spec ??= {}), undefined);
    },
    prepareForUpdate(svc, old) {
      svc.status = old.status;
      const spec = (svc.spec ??= {});
      const prev = old.spec ?? {};
      patchAllocatedValues(spec, prev);
      normalizeClusterIPs(spec, prev);
      dropTypeDependentFields(svc, old);
    },
    validate: validateService,
    validateUpdate: validateServiceUpdate,
  },
  statusStrategy: statusKeepsSpec(),
  hooks: { allocate: (svc, old, cluster, write) => allocateService(svc, old, cluster, write) },
};

export default services;
