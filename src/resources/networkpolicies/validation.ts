/**
 * NetworkPolicy defaults and validation (pkg/apis/networking/v1/defaults.go; pkg/apis/networking/
 * validation: ValidateNetworkPolicySpec, ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer,
 * ValidateIPBlock, ValidateNetworkPolicyUpdate). The metadata is checked by the store (a DNS
 * subdomain name). An update lets every CIDR the stored policy already had stay as it was, valid
 * or not (legacy IP fields), and, when the stored podSelector fails validation, any selector's
 * matchExpressions values (ValidationOptionsForNetworking's AllowInvalidLabelValueInSelector).
 * The stored policy is read as it may be, an older copy with fields missing.
 */
import {
  forbiddenField,
  invalidValue,
  notSupported,
  path,
  required,
  type FieldError,
  type FieldPath,
} from '../../apimachinery/field-errors.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import { parseCIDRSloppy } from '../../apimachinery/ip/sloppy.js';
import { networkOf, type ParsedCIDR } from '../../apimachinery/ip/cidr.js';
import { isIPv4Bytes, maskedBytes } from '../../apimachinery/ip/bytes.js';
import { isValidPortName, isValidPortNum, PORT_NUM_RANGE_MSG } from '../../apimachinery/validation/names.js';
import { validateLabelSelector, type LabelSelectorOptions } from '../../apimachinery/validation/object-meta.js';
import { validateCIDRForLegacyField } from '../../apimachinery/validation/ip.js';
import type { IPBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from './schema.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort. */
export function defaultNetworkPolicy(np: NetworkPolicy): void {
  const spec = (np.spec ??= { podSelector: {} });
  spec.podSelector ??= {};
  if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
    for (const port of rule?.ports ?? []) if (port && port.protocol == null) port.protocol = 'TCP';
  }
}

function validatePort(port: NetworkPolicyPort, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol != null && !PROTOCOLS.includes(port.protocol)) errs.push(notSupported(fld.child('protocol'), port.protocol, PROTOCOLS));
  const endPort = port.endPort ?? undefined;
  if (port.port == null) {
    if (endPort !== undefined) errs.push(invalidValue(fld.child('endPort'), endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof port.port === 'number') {
    if (!isValidPortNum(port.port)) errs.push(invalidValue(fld.child('port'), port.port, PORT_NUM_RANGE_MSG));
    if (endPort !== undefined) {
      if (endPort < port.port) errs.push(invalidValue(fld.child('endPort'), endPort, 'must be greater than or equal to `port`'));
      if (!isValidPortNum(endPort)) errs.push(invalidValue(fld.child('endPort'), endPort, PORT_NUM_RANGE_MSG));
    }
  } else {
    if (endPort !== undefined) errs.push(invalidValue(fld.child('endPort'), endPort, 'may not be specified when `port` is non-numeric'));
    for (const msg of isValidPortName(port.port)) errs.push(invalidValue(fld.child('port'), port.port, msg));
  }
  return errs;
}

/** net.IPNet.Contains: the inner CIDR's network address lies in the outer CIDR (of the same family). */
function contains(outer: ParsedCIDR, inner: ParsedCIDR): boolean {
  const net = networkOf(outer);
  const address = networkOf(inner);
  if (isIPv4Bytes(net) !== isIPv4Bytes(address)) return false;
  const masked = maskedBytes(address, outer.prefixLength + (outer.bits === 32 ? 96 : 0));
  return masked.every((b, i) => b === net[i]);
}

function validateIPBlock(block: IPBlock, fld: FieldPath, validOld: readonly string[]): FieldError[] {
  const cidrText = block.cidr ?? '';
  if (cidrText === '') return [required(fld.child('cidr'))];
  const errs: FieldError[] = [...validateCIDRForLegacyField(fld.child('cidr'), cidrText, { validOld })];
  const cidr = parseCIDRSloppy(cidrText);
  if (!cidr) return errs;
  (block.except ?? []).forEach((text, i) => {
    const at = fld.child('except').index(i);
    errs.push(...validateCIDRForLegacyField(at, text, { validOld }));
    const except = parseCIDRSloppy(text);
    if (!except) return;
    if (!contains(cidr, except) || cidr.prefixLength >= except.prefixLength) {
      errs.push(invalidValue(at, text, 'must be a strict subset of `cidr`'));
    }
  });
  return errs;
}

/** What an update lets through of what the stored policy already had. */
interface Ratchet {
  validOld: readonly string[];
  selectors: LabelSelectorOptions;
}

const STRICT: Ratchet = { validOld: [], selectors: {} };

function validatePeer(peer: NetworkPolicyPeer, fld: FieldPath, { validOld, selectors }: Ratchet): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (peer.podSelector != null) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, fld.child('podSelector'), selectors));
  }
  if (peer.namespaceSelector != null) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, fld.child('namespaceSelector'), selectors));
  }
  if (peer.ipBlock != null) {
    peers++;
    errs.push(...validateIPBlock(peer.ipBlock, fld.child('ipBlock'), validOld));
  }
  if (peers === 0) errs.push(required(fld, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock != null) errs.push(forbiddenField(fld, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** ValidateNetworkPolicySpec; `ratchet`: what the stored policy had, on an update. */
function validateSpec(spec: NetworkPolicySpec, fld: FieldPath, ratchet: Ratchet): FieldError[] {
  const errs = validateLabelSelector(spec.podSelector, fld.child('podSelector'), ratchet.selectors);
  (spec.ingress ?? []).forEach((rule, i) => {
    const at = fld.child('ingress').index(i);
    (rule.ports ?? []).forEach((port, j) => errs.push(...validatePort(port, at.child('ports').index(j))));
    (rule.from ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, at.child('from').index(j), ratchet)));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const at = fld.child('egress').index(i);
    (rule.ports ?? []).forEach((port, j) => errs.push(...validatePort(port, at.child('ports').index(j))));
    (rule.to ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, at.child('to').index(j), ratchet)));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) {
    const shown = { go: `[]networking.PolicyType{${types.map((t) => goQuote(t)).join(', ')}}` };
    errs.push(invalidValue(fld.child('policyTypes'), shown, 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(fld.child('policyTypes').index(i), t, POLICY_TYPES));
  });
  return errs;
}

export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  return validateSpec(np.spec ?? { podSelector: {} }, path('spec'), STRICT);
}

/** Every CIDR (and except) of the stored policy's ipBlocks; a rule or peer the copy lacks holds none. */
function storedCIDRs(old: NetworkPolicy): string[] {
  const peers = [...(old.spec?.ingress ?? []).flatMap((r) => r?.from ?? []), ...(old.spec?.egress ?? []).flatMap((r) => r?.to ?? [])];
  const texts = peers.flatMap((p): unknown[] => (p?.ipBlock ? [p.ipBlock.cidr, ...(p.ipBlock.except ?? [])] : []));
  return texts.filter((c): c is string => typeof c === 'string' && c !== '');
}

/**
 * ValidationOptionsForNetworking: a stored podSelector that fails validation (an empty one when
 * the copy has none, which is valid) lets every selector's values through.
 */
function selectorOptions(old: NetworkPolicy): LabelSelectorOptions {
  return { allowInvalidLabelValueInSelector: validateLabelSelector(old.spec?.podSelector ?? {}, path('spec', 'podSelector')).length > 0 };
}

export function validateNetworkPolicyUpdate(np: NetworkPolicy, old: NetworkPolicy): FieldError[] {
  return validateSpec(np.spec ?? { podSelector: {} }, path('spec'), { validOld: storedCIDRs(old), selectors: selectorOptions(old) });
}
