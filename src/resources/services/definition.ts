/**
 * core/v1 Service, enough for `kubectl cluster-info`, `get svc` and manifests that carry a Service:
 * defaults as upstream (type ClusterIP, protocol TCP, targetPort = port, sessionAffinity None), the
 * validation of upstream ValidateService (validation.ts), and cluster IPs and node ports from the allocators (allocation.ts) over the
 * service CIDR and node port range. No endpoints, no proxying: nothing routes traffic here.
 */
import { nameIsDns1035Label } from '../../apimachinery/validation/names.js';
import { statusKeepsSpec, type ResourceDefinition, DEFAULT_RESET_FIELDS } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { ServiceSchema } from '../core-schemas/service.js';
import type { ServiceSpec } from '../schemas.js';
import type { StoredService as ServiceObject } from '../stored.js';
import { allocateService, needsClusterIP, needsHealthCheckNodePort, needsNodePorts } from './allocation.js';
import { defaultServiceStatus, validateServiceStatus } from './status.js';
import { table } from './table.js';
import { externallyAccessible, validateService, validateServiceUpdate } from './validation.js';
import { serviceWarnings } from './warnings.js';
import { serviceIPAddressChanges } from './ip-addresses.js';

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
  // Whatever is reachable from outside (node ports, a load balancer, external IPs) gets a policy.
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
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
  // The fields below are dropped only when the client left them as they were: a changed value is
  // the client's and validation judges it.
  if (prev.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    const kept = (v: boolean | null | undefined) => v !== undefined && v !== null;
    if (kept(spec.allocateLoadBalancerNodePorts) && kept(prev.allocateLoadBalancerNodePorts)) {
      if (spec.allocateLoadBalancerNodePorts === prev.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    }
    if ((spec.loadBalancerClass ?? null) === (prev.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }
  if (
    externallyAccessible(prev) &&
    !externallyAccessible(spec) &&
    (prev.externalTrafficPolicy ?? '') === (spec.externalTrafficPolicy ?? '')
  ) {
    delete spec.externalTrafficPolicy;
  }
  if (prev.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') svc.status = { loadBalancer: {} };
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
  // ValidateServiceName: a DNS-1035 label (it becomes a DNS name and environment variable prefix).
  nameValidator: nameIsDns1035Label,
  schema: ServiceSchema,
  listSchema: listSchema(ServiceSchema, 'Service'),
  protobuf: 'k8s.io.api.core.v1.Service',
  categories: ['all'],
  fieldLabels: ['spec.clusterIP', 'spec.type'],
  selectableFields: (svc) => ({ 'spec.clusterIP': svc.spec?.clusterIP ?? '', 'spec.type': svc.spec?.type ?? '' }),
  table,
  // GetResetFields: service strategy: status; status strategy: spec.
  resetFields: DEFAULT_RESET_FIELDS,
  // AllowCreateOnUpdate (true in pkg/registry/core/service/strategy.go): a PUT of a missing one creates it.
  allowCreateOnUpdate: true,
  // serviceStatusStrategy embeds svcStrategy and inherits that true: a PUT or apply of /status creates too.
  statusCreatesOnUpdate: true,
  strategy: {
    defaults: defaultService,
    prepareForCreate(svc) {
      svc.status = { loadBalancer: {} };
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
    // WarningsOnCreate / WarningsOnUpdate: GetWarningsForService, after the IPs are allocated.
    warnings: (svc) => serviceWarnings(svc),
  },
  // ValidateServiceStatusUpdate; the v1 defaulting of the body's status (decoding runs it upstream).
  statusStrategy: statusKeepsSpec({
    prepareForUpdate: defaultServiceStatus,
    // ValidateServiceStatusUpdate: ValidateObjectMetaUpdate, then the load balancer status.
    validateUpdate: (svc, old, meta) => [...meta.update(), ...validateServiceStatus(svc, old)],
  }),
  hooks: {
    // The Service REST's beginCreate normalizes the cluster IPs before the strategy runs, then allocates (after validation here).
    beginCreate: (svc) => normalizeClusterIPs((svc.spec ??= {}), undefined),
    allocate: (svc, old, cluster, write) => allocateService(svc, old, cluster, write),
    // The IPAddress of each cluster IP, created with the write that allocates it and deleted with its release.
    companions: (svc, old) => serviceIPAddressChanges(svc, old),
  },
};

export default services;
