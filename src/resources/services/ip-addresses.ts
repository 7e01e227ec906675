/**
 * The IPAddress objects that follow a Service's writes (the Service REST with the IPAddress-based
 * allocator, pkg/registry/core/service/ipallocator/ipallocator.go): one per cluster IP, created
 * with the write that allocates it, deleted when the Service goes or its IP is released (a type
 * change to ExternalName). A headless Service holds none.
 */
import { canonicalIPSloppy, ipFamilyOf } from '../../apimachinery/validation/ip.js';
import type { Companions } from '../../registry/resource-definition.js';
import { IP_ADDRESSES, serviceIPAddress } from '../ipaddresses/managed.js';
import type { StoredService } from '../stored.js';
import { needsClusterIP } from './allocation.js';

/** The cluster IPs a Service holds, canonical text → family. */
function heldIPs(svc: StoredService | undefined): Map<string, 'IPv4' | 'IPv6'> {
  const held = new Map<string, 'IPv4' | 'IPv6'>();
  const spec = svc?.spec;
  if (!spec || !needsClusterIP(spec)) return held;
  for (const ip of spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP ?? '']) {
    const canonical = ip === 'None' ? undefined : canonicalIPSloppy(ip);
    if (canonical) held.set(canonical, ipFamilyOf(ip) === 6 ? 'IPv6' : 'IPv4');
  }
  return held;
}

/** The IPAddresses a committed write of `svc` (undefined: deleted) over `old` (undefined: created) adds and releases. */
export function serviceIPAddressChanges(svc: StoredService | undefined, old: StoredService | undefined): Companions {
  const now = heldIPs(svc);
  const before = heldIPs(old);
  const meta = (svc ?? old)!.metadata;
  return {
    create: [...now]
      .filter(([ip]) => !before.has(ip))
      .map(([ip, family]) => ({ resource: IP_ADDRESSES, object: serviceIPAddress(ip, family, meta.namespace ?? '', meta.name ?? '') })),
    release: [...before.keys()].filter((ip) => !now.has(ip)).map((name) => ({ resource: IP_ADDRESSES, name })),
  };
}

/**
 * The IPAddresses missing for Services stored before their addresses had them (a database written
 * by an older kubemock): what kube-apiserver's IPAddress repair loop creates for such Services.
 */
export function missingServiceIPAddresses(services: readonly StoredService[], existing: ReadonlySet<string>): Companions['create'] {
  return services.flatMap((svc) => serviceIPAddressChanges(svc, undefined).create.filter((c) => !existing.has(c.object.metadata.name!)));
}
