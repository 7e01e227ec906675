/**
 * What the Service REST storage does between validation and the commit (upstream
 * pkg/registry/core/service/storage/alloc.go): fill the IP family fields for this single-stack IPv4
 * cluster, then allocate cluster IPs (from the ready ServiceCIDRs, ip-ranges.ts) and node ports.
 * What is allocated is what the stored Services and IPAddresses hold (the IPAddresses follow the
 * Service's writes, ip-addresses.ts), so a dry run reserves nothing and the state survives restarts.
 */
import { invalidValue, path, type FieldError } from '../../apimachinery/field-errors.js';
import { parseIPv4, type Ipv4Cidr } from '../../apimachinery/ipv4.js';
import { internalError, invalid } from '../../apimachinery/status.js';
import { goStringSlice } from '../../apimachinery/validation/names.js';
import type { ClusterReader, WriteContext } from '../../registry/resource-definition.js';
import type { ServiceSpec } from '../schemas.js';
import type { StoredService } from '../stored.js';
import { allocateFromRanges, randomInt, type RandomInt } from './ip-allocator.js';
import { addressesTaken, allocationRanges } from './ip-ranges.js';
import { PortAllocation } from './port-allocator.js';

const SERVICE = { group: '', kind: 'Service' };
const spec = path('spec');

export const needsClusterIP = (s: ServiceSpec) => s.type !== 'ExternalName';
export const needsNodePorts = (s: ServiceSpec) => s.type === 'NodePort' || s.type === 'LoadBalancer';
/** Whether ports without a nodePort get one (a LoadBalancer may opt out; requests are still honoured). */
const allocatesNodePorts = (s: ServiceSpec) =>
  s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
export const needsHealthCheckNodePort = (s: ServiceSpec) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
const isHeadless = (s: ServiceSpec) => s.clusterIPs?.[0] === 'None' || s.clusterIP === 'None';

/**
 * What is taken: the addresses of the IPAddress objects and the cluster IPs of other Services (a
 * Service stored before its IPAddress was), and the node ports of other Services (health check
 * ports included).
 */
function heldByOthers(cluster: ClusterReader, self: StoredService | undefined) {
  const ips = new Set<number>();
  addressesTaken(cluster, ips);
  const ports = new Set<number>();
  for (const other of cluster.list('services') as StoredService[]) {
    if (self && other.metadata.namespace === self.metadata.namespace && other.metadata.name === self.metadata.name) continue;
    const s = other.spec ?? {};
    for (const ip of s.clusterIPs?.length ? s.clusterIPs : [s.clusterIP ?? '']) {
      const address = parseIPv4(ip);
      if (address !== undefined) ips.add(address);
    }
    for (const p of s.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
    if (s.healthCheckNodePort) ports.add(s.healthCheckNodePort);
  }
  return { ips, ports };
}

/** The allocate hook of core/v1 Service. */
export function allocateService(
  svc: StoredService,
  old: StoredService | undefined,
  cluster: ClusterReader,
  write: WriteContext,
  random: RandomInt = randomInt,
): void {
  const s = (svc.spec ??= {});
  const name = svc.metadata.name ?? '';
  if (!needsClusterIP(s)) return; // ExternalName: nothing to hold; a type change to it releases what the old one held
  initIPFamilyFields(s, old?.spec, name);
  const held = heldByOthers(cluster, old);
  const fromExternalName = old !== undefined && !needsClusterIP(old.spec ?? {});
  if ((!old || fromExternalName) && !isHeadless(s)) {
    const ranges = allocationRanges(cluster, write.serviceNetwork.clusterIPRange);
    allocateClusterIP(s, name, ranges, held.ips, write, random);
  }
  if (needsNodePorts(s) || needsHealthCheckNodePort(s)) {
    const ports = new PortAllocation(write.serviceNetwork.nodePortRange, held.ports, write.dryRun, random);
    if (needsNodePorts(s)) allocateNodePorts(s, old?.spec, name, ports);
    if (needsHealthCheckNodePort(s)) allocateHealthCheckNodePort(s, old?.spec, ports);
  }
}

/** The cluster IP asked for (clusterIPs[0]), reserved, or any free one. */
function allocateClusterIP(
  s: ServiceSpec,
  name: string,
  ranges: readonly Ipv4Cidr[],
  used: Set<number>,
  write: WriteContext,
  random: RandomInt,
): void {
  const requested = s.clusterIPs?.[0] || s.clusterIP || '';
  const result = allocateFromRanges({ ranges, used, requested, dryRun: write.dryRun, random });
  if ('error' in result) {
    if (!requested) throw internalError(`failed to allocate a serviceIP: ${result.error}`);
    const shown = s.clusterIPs?.length ? s.clusterIPs : [requested];
    throw invalid(SERVICE, name, [
      invalidValue(spec.child('clusterIPs'), goStringSlice(shown), `failed to allocate IP ${requested}: ${result.error}`),
    ]);
  }
  s.clusterIP = result.ip;
  s.clusterIPs = [result.ip, ...(s.clusterIPs?.slice(1) ?? [])];
}

const familyOf = (ip: string) => (ip.includes(':') ? 'IPv6' : 'IPv4');

/**
 * ipFamilyPolicy and ipFamilies as upstream's initIPFamilyFields fills them on a cluster whose only
 * family is IPv4; a request for IPv6 or dual-stack is refused as there.
 */
function initIPFamilyFields(s: ServiceSpec, old: ServiceSpec | undefined, name: string): void {
  const selectorless = !s.selector || Object.keys(s.selector).length === 0;
  if (!s.ipFamilyPolicy) {
    if (old?.ipFamilyPolicy) s.ipFamilyPolicy = old.ipFamilyPolicy;
    else if (s.clusterIP === 'None' && selectorless) s.ipFamilyPolicy = 'RequireDualStack';
    else s.ipFamilyPolicy = 'SingleStack';
  }
  const errs: FieldError[] = [];
  const policy = spec.child('ipFamilyPolicy');
  const families = (s.ipFamilies ??= []);
  if (old && s.ipFamilyPolicy === 'SingleStack') {
    if (sameList(old.ipFamilies, s.ipFamilies) && families.length > 1) families.splice(1);
  } else if (old && (old.ipFamilies?.length ?? 0) === 2 && families.length === 1) {
    errs.push(invalidValue(policy, s.ipFamilyPolicy, "must be 'SingleStack' to release the secondary IP family"));
  }
  if (s.ipFamilyPolicy === 'SingleStack') {
    if ((s.clusterIPs?.length ?? 0) === 2) {
      errs.push(
        invalidValue(policy, s.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"),
      );
    }
    if (families.length === 2) {
      errs.push(
        invalidValue(policy, s.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"),
      );
    }
  }
  for (const [i, ip] of (s.clusterIPs ?? []).entries()) {
    if (ip === 'None') break;
    if (i < families.length) continue;
    const family = familyOf(ip);
    if (family === 'IPv4') families.push(family);
    else
      errs.push(
        invalidValue(spec.child('clusterIPs').index(i), goStringSlice(s.clusterIPs), `${family} is not configured on this cluster`),
      );
  }
  if (errs.length) throw invalid(SERVICE, name, errs);
  if (s.clusterIP === 'None' && selectorless) {
    // Headless without a selector may list both families even here; its policy decides.
    if (!families.length) families.push('IPv4');
    if (families.length < 2 && s.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    return;
  }
  if (s.ipFamilyPolicy === 'RequireDualStack')
    errs.push(invalidValue(policy, s.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  families.forEach((family, i) => {
    if (family !== 'IPv4') errs.push(invalidValue(spec.child('ipFamilies').index(i), family, 'not configured on this cluster'));
  });
  if (errs.length) throw invalid(SERVICE, name, errs);
  if (!families.length) families.push('IPv4');
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  return (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === b![i]);
}

/**
 * Node ports of a NodePort or LoadBalancer Service (initNodePorts / updateNodePorts): a requested
 * port is reserved unless this Service held it already; a missing one is allocated, once per
 * service port number (TCP and UDP on the same port share their node port).
 */
function allocateNodePorts(s: ServiceSpec, old: ServiceSpec | undefined, name: string, ports: PortAllocation): void {
  const heldBefore = new Set(old && needsNodePorts(old) ? (old.ports ?? []).map((p) => p.nodePort).filter((n): n is number => !!n) : []);
  const reserved = new Set<number>();
  /** On create only: service port number → its node port. */
  const byServicePort = new Map<number, number>();
  const list = s.ports ?? [];
  list.forEach((port, i) => {
    if (!port.nodePort && !allocatesNodePorts(s)) return;
    const shared = old ? undefined : byServicePort.get(port.port);
    if (!port.nodePort && shared) {
      port.nodePort = shared;
      return;
    }
    // On create, a later entry of the same service port may name the node port the earlier ones share.
    const requested = port.nodePort || (old || shared ? 0 : (list.find((p) => p.port === port.port && p.nodePort)?.nodePort ?? 0));
    if (requested) {
      if (!heldBefore.has(requested) && !reserved.has(requested)) {
        const error = ports.allocate(requested);
        if (error) throw invalid(SERVICE, name, [invalidValue(spec.child('ports').index(i).child('nodePort'), requested, error)]);
        reserved.add(requested);
      }
      port.nodePort = requested;
    } else {
      const next = ports.allocateNext();
      if (typeof next === 'string') throw internalError(`failed to allocate a nodePort: ${next}`);
      port.nodePort = next;
    }
    if (!old && !shared) byServicePort.set(port.port, port.nodePort);
  });
}

/** healthCheckNodePort of a LoadBalancer with externalTrafficPolicy Local: kept, reserved as asked, or allocated. */
function allocateHealthCheckNodePort(s: ServiceSpec, old: ServiceSpec | undefined, ports: PortAllocation): void {
  const kept = old && needsHealthCheckNodePort(old) ? old.healthCheckNodePort : undefined;
  if (s.healthCheckNodePort && s.healthCheckNodePort === kept) return;
  if (s.healthCheckNodePort) {
    const error = ports.allocate(s.healthCheckNodePort);
    if (error) throw internalError(`failed to allocate requested HealthCheck NodePort ${s.healthCheckNodePort}: ${error}`);
    return;
  }
  const next = ports.allocateNext();
  if (typeof next === 'string') throw internalError(`failed to allocate a HealthCheck NodePort 0: ${next}`);
  s.healthCheckNodePort = next;
}
