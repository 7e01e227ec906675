/**
 * What an update of a NetworkPolicy or an Ingress lets through that a create would refuse, as
 * upstream's ValidateNetworkPolicyUpdate and ValidateIngressUpdate do for objects stored before a
 * rule tightened: the stored policy's CIDRs, the stored Ingress's TLS secret names and the paths of
 * its wildcard-host rules. Also the CIDR containment of ipBlock.except.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateNetworkPolicy, validateNetworkPolicyUpdate } from '../../src/resources/networkpolicies/validation.js';
import type { NetworkPolicy } from '../../src/resources/networkpolicies/schema.js';
import { validateIngressCreate, validateIngressUpdate } from '../../src/resources/ingresses/validation.js';
import type { Ingress } from '../../src/resources/ingresses/schema.js';
import { isWildcardDns1123Subdomain } from '../../src/apimachinery/validation/names.js';

const policy = (cidr: string, except: string[] = []): NetworkPolicy => ({
  metadata: { name: 'np' },
  spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr, except } }] }] },
});

const fields = (errs: { field: string }[]) => errs.map((e) => e.field);

describe('NetworkPolicy update', () => {
  it('a CIDR the stored policy had passes unchecked, anywhere in the policy; a new bad one does not', () => {
    const old = policy('10.0.0.0/33', ['bogus']);
    assert.deepEqual(fields(validateNetworkPolicy(old)), ['spec.egress[0].to[0].ipBlock.cidr']);
    assert.deepEqual(validateNetworkPolicyUpdate(old, old), []);
    const moved: NetworkPolicy = {
      metadata: { name: 'np' },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'bogus' } }] }] },
    };
    assert.deepEqual(validateNetworkPolicyUpdate(moved, old), []);
    assert.deepEqual(fields(validateNetworkPolicyUpdate(policy('10.0.0.0/34'), old)), ['spec.egress[0].to[0].ipBlock.cidr']);
  });

  it('except must lie strictly inside cidr, in the same family', () => {
    assert.deepEqual(validateNetworkPolicy(policy('2001:db8::/32', ['2001:db8:1::/48'])), []);
    assert.deepEqual(fields(validateNetworkPolicy(policy('2001:db8::/32', ['2001:db9::/48', '2001:db8::/32', '10.0.0.0/24']))), [
      'spec.egress[0].to[0].ipBlock.except[0]',
      'spec.egress[0].to[0].ipBlock.except[1]',
      'spec.egress[0].to[0].ipBlock.except[2]',
    ]);
    // The except's network address is what must be inside: host bits do not matter.
    assert.deepEqual(validateNetworkPolicy(policy('10.0.0.0/8', ['10.1.2.3/16'])), []);
  });
});

describe('Ingress update', () => {
  const withTLS = (secretName: string): Ingress => ({
    metadata: { name: 'i' },
    spec: { defaultBackend: { service: { name: 'a', port: { number: 1 } } }, tls: [{ secretName }] },
  });
  const wildcard = (paths: unknown[]): Ingress => ({
    metadata: { name: 'i' },
    spec: { rules: [{ host: '*.example.com', http: { paths: paths as never } }] },
  });

  it('keeps accepting bad TLS secret names once the stored Ingress has one', () => {
    assert.deepEqual(fields(validateIngressCreate(withTLS('Bad'))), ['spec.tls[0].secretName']);
    assert.deepEqual(fields(validateIngressUpdate(withTLS('Worse'), withTLS('ok'))), ['spec.tls[0].secretName']);
    assert.deepEqual(validateIngressUpdate(withTLS('Worse'), withTLS('Bad')), []);
  });

  it('skips the paths of wildcard-host rules once the stored Ingress has a bad one there', () => {
    const bad = wildcard([{ path: 'relative', pathType: 'Prefix', backend: { service: { name: 'a', port: { number: 1 } } } }]);
    assert.deepEqual(fields(validateIngressCreate(bad)), ['spec.rules[0].http.paths[0].path']);
    assert.deepEqual(validateIngressUpdate(bad, bad), []);
    const good = wildcard([{ path: '/', pathType: 'Prefix', backend: { service: { name: 'a', port: { number: 1 } } } }]);
    assert.deepEqual(fields(validateIngressUpdate(bad, good)), ['spec.rules[0].http.paths[0].path']);
  });
});

describe('IsWildcardDNS1123Subdomain', () => {
  it('takes *. and a subdomain, nothing else', () => {
    assert.deepEqual(isWildcardDns1123Subdomain('*.example.com'), []);
    for (const bad of ['*', '*.', 'a.*.example.com', '**.example.com', '*example.com', '*.Example.com']) {
      assert.equal(isWildcardDns1123Subdomain(bad).length, 1, bad);
    }
    assert.equal(isWildcardDns1123Subdomain(`*.${'a.'.repeat(126)}b`).length, 1, 'too long');
  });
});
