/**
 * ValidateEndpoints / ValidateEndpointsUpdate: every subset has an address, addresses are valid
 * non-special IPs with DNS-label hostnames and node names, ports are named when there are several,
 * numbered 1-65535, with a supported protocol.
 */
import { invalidValue, notSupported, path, required, type FieldError, type FieldPath } from '../../apimachinery/field-errors.js';
import {
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidPortNum,
  PORT_NUM_RANGE_MSG,
} from '../../apimachinery/validation/names.js';
import { validateEndpointIP, validateIPForLegacyField } from '../../apimachinery/validation/ip.js';
import { isApiServerEndpoints } from './api-server.js';
import type { EndpointAddress, EndpointPort, Endpoints } from './schema.js';

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateAddress(a: EndpointAddress, fld: FieldPath, allowLoopback: boolean): FieldError[] {
  const errs = [...validateIPForLegacyField(fld.child('ip'), a.ip)];
  if (a.hostname) for (const msg of isDns1123Label(a.hostname)) errs.push(invalidValue(fld.child('hostname'), a.hostname, msg));
  if (a.nodeName !== undefined)
    for (const msg of isDns1123Subdomain(a.nodeName)) errs.push(invalidValue(fld.child('nodeName'), a.nodeName, msg));
  return [...errs, ...validateEndpointIP(fld.child('ip'), a.ip, allowLoopback)];
}

function validatePort(p: EndpointPort, requireName: boolean, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(required(fld.child('name'), ''));
  else if (p.name) for (const msg of isDns1123Label(p.name)) errs.push(invalidValue(fld.child('name'), p.name, msg));
  if (!isValidPortNum(p.port)) {
    errs.push(invalidValue(fld.child('port'), p.port, PORT_NUM_RANGE_MSG));
  }
  if (!p.protocol) errs.push(required(fld.child('protocol'), ''));
  else if (!PORT_PROTOCOLS.includes(p.protocol)) errs.push(notSupported(fld.child('protocol'), p.protocol, PORT_PROTOCOLS));
  if (p.appProtocol !== undefined)
    for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalidValue(fld.child('appProtocol'), p.appProtocol, msg));
  return errs;
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  const allowLoopback = isApiServerEndpoints(ep.metadata ?? {});
  (ep.subsets ?? []).forEach((ss, i) => {
    const fld = path('subsets').index(i);
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length) errs.push(required(fld, 'must specify `addresses` or `notReadyAddresses`'));
    (ss.addresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, fld.child('addresses').index(j), allowLoopback)));
    (ss.notReadyAddresses ?? []).forEach((a, j) =>
      errs.push(...validateAddress(a, fld.child('notReadyAddresses').index(j), allowLoopback)),
    );
    const ports = ss.ports ?? [];
    ports.forEach((p, j) => errs.push(...validatePort(p, ports.length > 1, fld.child('ports').index(j))));
  });
  return errs;
}

/** SetDefaults_EndpointPort: protocol TCP. */
export function defaultEndpoints(ep: Endpoints): void {
  for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) p.protocol ||= 'TCP';
}
