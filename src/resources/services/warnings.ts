/**
 * The warnings of a Service create or update, as kube-apiserver 1.33's GetWarningsForService
 * (pkg/api/service/warnings.go) gives them: the deprecated topology annotation, IPs and CIDRs in a
 * non-standard form, and fields the Service's type or headlessness makes meaningless.
 */
import { path } from '../../apimachinery/field-errors.js';
import { cidrWarnings, ipWarnings } from '../../apimachinery/validation/ip-warnings.js';
import type { StoredService } from '../stored.js';

const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';
const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';

const spec = path('spec');

/** GetWarningsForService. */
export function serviceWarnings(svc: StoredService): string[] {
  const s = svc.spec ?? {};
  const warnings: string[] = [];
  if (svc.metadata.annotations && Object.hasOwn(svc.metadata.annotations, TOPOLOGY_HINTS_ANNOTATION)) {
    warnings.push(`annotation ${TOPOLOGY_HINTS_ANNOTATION} is deprecated, please use ${TOPOLOGY_MODE_ANNOTATION} instead`);
  }
  const clusterIP = s.clusterIP ?? '';
  // helper.IsServiceIPSet: a cluster IP other than None.
  if (clusterIP !== '' && clusterIP !== 'None') {
    (s.clusterIPs ?? []).forEach((ip, i) => warnings.push(...ipWarnings(spec.child('clusterIPs').index(i), ip)));
  }
  const externalIPs = s.externalIPs ?? [];
  if (s.type === 'ClusterIP' && clusterIP === 'None') {
    if (s.loadBalancerIP) warnings.push('spec.loadBalancerIP is ignored for headless services');
    if (externalIPs.length) warnings.push('spec.externalIPs is ignored for headless services');
    if (s.sessionAffinity !== 'None') warnings.push('spec.SessionAffinity is ignored for headless services');
  }
  externalIPs.forEach((ip, i) => warnings.push(...ipWarnings(spec.child('externalIPs').index(i), ip)));
  if (s.loadBalancerIP) warnings.push(...ipWarnings(spec.child('loadBalancerIP'), s.loadBalancerIP));
  (s.loadBalancerSourceRanges ?? []).forEach((cidr, i) =>
    warnings.push(...cidrWarnings(spec.child('loadBalancerSourceRanges').index(i), cidr)),
  );
  if (s.type === 'ExternalName' && externalIPs.length) warnings.push('spec.externalIPs is ignored when spec.type is "ExternalName"');
  if (s.type !== 'ExternalName' && s.externalName) warnings.push('spec.externalName is ignored when spec.type is not "ExternalName"');
  return warnings;
}
