/**
 * The names a serving certificate must hold so that every way of reaching the API server verifies:
 * the loopback names, the host it listens on, the in-cluster names of the `kubernetes` Service and
 * that Service's cluster IP (kubeadm's apiserver certificate SANs, plus the listen host).
 */
import { isIP } from 'node:net';

export interface SubjectAltNames {
  dns: string[];
  ips: string[];
}

/** The in-cluster names of the API server (the `kubernetes` Service in `default`). */
const SERVICE_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const WILDCARDS = new Set(['', '0.0.0.0', '::', '::0']);

/** The SANs for a server listening on `host` whose `kubernetes` Service has `serviceIP`; sorted, no duplicates. */
export function servingNames(host: string, serviceIP: string): SubjectAltNames {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const dns = new Set(['localhost', ...SERVICE_NAMES]);
  const ips = new Set(['127.0.0.1', '::1', serviceIP]);
  if (!WILDCARDS.has(bare)) (isIP(bare) ? ips : dns).add(isIP(bare) ? bare : bare.toLowerCase());
  return { dns: [...dns].sort(), ips: [...ips].sort() };
}
