/**
 * ValidateEndpointSliceCreate / Update (pkg/apis/discovery/validation): a supported, immutable
 * address type; at most 1000 endpoints of 1-100 addresses of that type (IPs not special); DNS
 * names for nodes and hostnames; at most 20000 ports with unique names and a supported protocol.
 */
import {
  duplicate,
  immutable,
  invalidValue,
  notSupported,
  path,
  required,
  type FieldError,
  type FieldPath,
} from '../../apimachinery/field-errors.js';
import { validateLabels } from '../../apimachinery/validation/object-meta.js';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from '../../apimachinery/validation/names.js';
import { ipFamilyOf, validateEndpointIP, validateIPForLegacyField } from '../../apimachinery/validation/ip.js';
import { isApiServerEndpoints } from '../endpoints/api-server.js';
import { PORT_PROTOCOLS } from '../endpoints/validation.js';
import type { Endpoint, EndpointSlice, EndpointSlicePort } from './schema.js';

export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_HINTS = 8;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

const tooMany = (fld: FieldPath, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field: String(fld),
  badValue: actual,
  detail: `must have at most ${max} items`,
});

/** IsFullyQualifiedDomainName: at least two labels, a DNS subdomain once lower-cased, no trailing dot. */
function validateFqdn(fld: FieldPath, name: string): FieldError[] {
  const value = name.endsWith('.') ? name.slice(0, -1) : name;
  if (!value) return [required(fld, '')];
  if (!value.includes('.')) return [invalidValue(fld, name, 'should be a domain with at least two segments separated by dots')];
  return isDns1123Subdomain(value.toLowerCase()).map((msg) => invalidValue(fld, name, msg));
}

/** An address of an IPv4 or IPv6 slice: an IP address first; only then its family and ValidateEndpointIP. */
function validateIPAddress(fld: FieldPath, address: string, addressType: 'IPv4' | 'IPv6', allowLoopback: boolean): FieldError[] {
  const ipErrs = validateIPForLegacyField(fld, address);
  if (ipErrs.length) return [...ipErrs];
  const errs: FieldError[] = [];
  const family = ipFamilyOf(address);
  if (addressType === 'IPv4' && family !== 4) errs.push(invalidValue(fld, address, 'must be an IPv4 address'));
  if (addressType === 'IPv6' && family !== 6) errs.push(invalidValue(fld, address, 'must be an IPv6 address'));
  return [...errs, ...validateEndpointIP(fld, address, allowLoopback)];
}

function validateAddresses(ep: Endpoint, addressType: string, fld: FieldPath, allowLoopback: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const addresses = ep.addresses ?? [];
  if (!addresses.length) errs.push(required(fld, 'must contain at least 1 address'));
  else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(fld, addresses.length, MAX_ADDRESSES));
  addresses.forEach((address, i) => {
    const at = fld.index(i);
    if (addressType === 'IPv4' || addressType === 'IPv6') errs.push(...validateIPAddress(at, address, addressType, allowLoopback));
    else if (addressType === 'FQDN') errs.push(...validateFqdn(at, address));
  });
  return errs;
}

function validateEndpoint(ep: Endpoint, addressType: string, fld: FieldPath, allowLoopback: boolean): FieldError[] {
  const errs = validateAddresses(ep, addressType, fld.child('addresses'), allowLoopback);
  if (ep.nodeName !== undefined)
    for (const msg of isDns1123Subdomain(ep.nodeName)) errs.push(invalidValue(fld.child('nodeName'), ep.nodeName, msg));
  const topology = ep.deprecatedTopology ?? {};
  const topologyPath = fld.child('deprecatedTopology');
  if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS)
    errs.push(tooMany(topologyPath, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
  errs.push(...validateLabels(ep.deprecatedTopology, topologyPath));
  if (ep.hostname !== undefined)
    for (const msg of isDns1123Label(ep.hostname)) errs.push(invalidValue(fld.child('hostname'), ep.hostname, msg));
  const forZones = ep.hints?.forZones ?? [];
  if (forZones.length > MAX_HINTS) errs.push(tooMany(fld.child('hints').child('forZones'), forZones.length, MAX_HINTS));
  else {
    const seen = new Set<string>();
    forZones.forEach((z, i) => {
      const at = fld.child('hints').child('forZones').index(i).child('name');
      if (seen.has(z.name)) errs.push(duplicate(at, z.name));
      seen.add(z.name);
      for (const msg of isValidLabelValue(z.name)) errs.push(invalidValue(at, z.name, msg));
    });
  }
  if (Object.hasOwn(topology, ZONE_LABEL)) {
    errs.push({ type: 'InternalError', field: String(topologyPath.key(ZONE_LABEL)), detail: 'reserved key was not removed in conversion' });
  }
  return errs;
}

function validatePorts(ports: EndpointSlicePort[], fld: FieldPath): FieldError[] {
  if (ports.length > MAX_PORTS) return [tooMany(fld, ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = fld.index(i);
    const name = p.name ?? '';
    if (name) for (const msg of isDns1123Label(name)) errs.push(invalidValue(at.child('name'), name, msg));
    if (names.has(name)) errs.push(duplicate(at.child('name'), name));
    names.add(name);
    if (p.protocol === undefined) errs.push(required(at.child('protocol'), ''));
    else if (!PORT_PROTOCOLS.includes(p.protocol)) errs.push(notSupported(at.child('protocol'), p.protocol, PORT_PROTOCOLS));
    if (p.appProtocol !== undefined)
      for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalidValue(at.child('appProtocol'), p.appProtocol, msg));
  });
  return errs;
}

export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = slice.addressType ?? '';
  if (!addressType) errs.push(required(path('addressType'), ''));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported(path('addressType'), addressType, ADDRESS_TYPES));
  const endpoints = slice.endpoints ?? [];
  const allowLoopback = isApiServerEndpoints(slice.metadata ?? {});
  if (endpoints.length > MAX_ENDPOINTS) errs.push(tooMany(path('endpoints'), endpoints.length, MAX_ENDPOINTS));
  else endpoints.forEach((ep, i) => errs.push(...validateEndpoint(ep, addressType, path('endpoints').index(i), allowLoopback)));
  return [...errs, ...validatePorts(slice.ports ?? [], path('ports'))];
}

export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice): FieldError[] {
  const errs = validateEndpointSlice(slice);
  if (slice.addressType !== old.addressType) errs.push(immutable(path('addressType'), slice.addressType));
  return errs;
}

/** SetDefaults_EndpointPort: name "" and protocol TCP. */
export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const p of slice.ports ?? []) {
    p.name ??= '';
    p.protocol ??= 'TCP';
  }
}
