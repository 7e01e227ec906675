/**
 * core/v1 Service, enough for `kubectl cluster-info`, `get svc` and manifests that carry a Service:
 * defaults as upstream (type ClusterIP, protocol TCP, targetPort = port, sessionAffinity None,
 * single-stack IPv4), a cluster IP from 10.96.0.0/12 and node ports from 30000-32767 when none is
 * given, and the basic validation. No endpoints, no proxying: nothing routes traffic here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { invalidValue, notSupported, path, required, duplicate, type FieldError } from '../../apimachinery/field-errors.js';
import { statusKeepsSpec, type ResourceDefinition } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { ServiceSchema } from '../core-schemas/service.js';
import type { ServiceSpec } from '../schemas.js';
import type { StoredService as ServiceObject } from '../stored.js';
import { table } from './table.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];

/** The service CIDR, 10.96.0.0/12: the first addresses (.1 kubernetes, .10 kube-dns) are kept for the system. */
const SERVICE_CIDR_BASE = (10 << 24) | (96 << 16);
const SERVICE_CIDR_SIZE = 1 << 20;
const RESERVED_LOW = 16;
const NODE_PORT_MIN = 30000;
const NODE_PORT_COUNT = 2768;

function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * A cluster IP derived from the service's namespace and name (no allocator state to persist):
 * stable for a name, spread over the range, never one of the reserved low addresses.
 */
export function clusterIPFor(namespace: string, name: string): string {
  const offset = RESERVED_LOW + (hash32(`${namespace}/${name}`) % (SERVICE_CIDR_SIZE - RESERVED_LOW - 1));
  return ipv4((SERVICE_CIDR_BASE + offset) >>> 0);
}

function nodePortFor(namespace: string, name: string, port: number): number {
  return NODE_PORT_MIN + (hash32(`${namespace}/${name}:${port}`) % NODE_PORT_COUNT);
}

const wantsClusterIP = (spec: ServiceSpec) => spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
const wantsNodePorts = (spec: ServiceSpec) =>
  spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);

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

/** What the apiserver's service REST fills in on create: IPs, IP families, node ports. */
function allocate(svc: ServiceObject): void {
  const spec = (svc.spec ??= {});
  const ns = svc.metadata.namespace ?? '';
  // generateName is resolved after the strategy runs: such services get a random seed instead.
  const name = svc.metadata.name || `${svc.metadata.generateName ?? ''}${randomUUID()}`;
  if (wantsClusterIP(spec)) {
    if (!spec.clusterIP) spec.clusterIP = spec.clusterIPs?.[0] || clusterIPFor(ns, name);
    if (!spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  } else if (spec.clusterIP === 'None' && !spec.clusterIPs?.length) spec.clusterIPs = ['None'];
  if (spec.type !== 'ExternalName') {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (wantsNodePorts(spec)) for (const port of spec.ports ?? []) port.nodePort ||= nodePortFor(ns, name, port.port);
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
  const before = old.spec?.clusterIP;
  const after = svc.spec?.clusterIP;
  if (before && after && before !== after && old.spec?.type !== 'ExternalName' && svc.spec?.type !== 'ExternalName') {
    errs.push(invalidValue(path('spec', 'clusterIPs').index(0), { go: `[]string{${JSON.stringify(after)}}` }, 'may not change once set'));
  }
  return errs;
}

const services: ResourceDefinition<ServiceObject> = {
  group: '',
  version: 'v1',
  kind: 'Service',
  listKind: 'ServiceList',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  schema: ServiceSchema,
  listSchema: listSchema(ServiceSchema, 'Service'),
  protobuf: 'k8s.io.api.core.v1.Service',
  categories: ['all'],
  table,
  strategy: {
    defaults: defaultService,
    prepareForCreate(svc) {
      svc.status = { loadBalancer: {} };
      allocate(svc);
    },
    prepareForUpdate(svc, old) {
      svc.status = old.status;
      // An update that leaves out what was allocated keeps it (upstream patchAllocatedValues).
      const spec = (svc.spec ??= {});
      const prev = old.spec ?? {};
      if (!spec.clusterIP && prev.clusterIP && svc.spec.type !== 'ExternalName') spec.clusterIP = prev.clusterIP;
      if (!spec.clusterIPs?.length && prev.clusterIPs?.length && spec.clusterIP === prev.clusterIP) spec.clusterIPs = prev.clusterIPs;
      if (wantsNodePorts(spec)) {
        for (const port of spec.ports ?? []) {
          if (!port.nodePort)
            port.nodePort = prev.ports?.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === port.protocol)?.nodePort;
        }
      }
      allocate(svc);
    },
    validate: validateService,
    validateUpdate: validateServiceUpdate,
  },
  statusStrategy: statusKeepsSpec(),
};

export default services;
