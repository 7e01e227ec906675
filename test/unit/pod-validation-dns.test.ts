/** validatePodDNSConfig as kube-apiserver 1.33 applies it (RelaxedDNSSearchValidation on, lenient nameserver IPs). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, path } from '../../src/apimachinery/field-errors.js';
import { isDns1123SubdomainWithUnderscore } from '../../src/apimachinery/validation/names.js';
import { validatePodDnsConfig } from '../../src/resources/pods/validation-dns.js';

type Json = Record<string, unknown>;

const RELAXED_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

const check = (spec: Json): string[] => validatePodDnsConfig(spec, path('spec', 'dnsConfig')).map(errorString);
const withConfig = (dnsConfig: Json, dnsPolicy = 'ClusterFirst'): string[] => check({ dnsPolicy, dnsConfig });

describe('validatePodDnsConfig', () => {
  it('has nothing to say without dnsConfig unless the policy is None', () => {
    assert.deepEqual(check({ dnsPolicy: 'ClusterFirst' }), []);
    assert.deepEqual(check({ dnsPolicy: 'None' }), ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
  });

  it('policy None needs a nameserver, and reports only that', () => {
    assert.deepEqual(withConfig({ searches: ['Bad'], options: [{}] }, 'None'), [
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    ]);
  });

  it('accepts up to 3 nameservers, IPv4 or IPv6, leading zeros and IPv4-mapped included (legacy parsing)', () => {
    assert.deepEqual(withConfig({ nameservers: ['1.2.3.4', '2001:db8::1', '010.001.002.003'] }), []);
    assert.deepEqual(withConfig({ nameservers: ['::ffff:1.2.3.4'] }, 'None'), []);
  });

  it('a fourth nameserver and a non-address are both reported', () => {
    assert.deepEqual(withConfig({ nameservers: ['1.1.1.1', '2.2.2.2', 'dns.example.com', '4.4.4.4'] }), [
      'spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "2.2.2.2", "dns.example.com", "4.4.4.4"}: must not have more than 3 nameservers',
      `spec.dnsConfig.nameservers[2]: Invalid value: "dns.example.com": ${IP_MSG}`,
    ]);
    assert.deepEqual(withConfig({ nameservers: ['', 'fe80::1%eth0'] }), [
      `spec.dnsConfig.nameservers[0]: Invalid value: "": ${IP_MSG}`,
      `spec.dnsConfig.nameservers[1]: Invalid value: "fe80::1%eth0": ${IP_MSG}`,
    ]);
  });

  it('takes 32 search paths and refuses 33', () => {
    const paths = Array.from({ length: 33 }, (_, i) => `d${i}.example.com`);
    assert.deepEqual(withConfig({ searches: paths.slice(0, 32) }), []);
    const errs = withConfig({ searches: paths });
    assert.equal(errs.length, 1);
    assert.match(
      errs[0],
      /^spec\.dnsConfig\.searches: Invalid value: \[\]string\{"d0\.example\.com", .*"d32\.example\.com"\}: must not have more than 32 search paths$/,
    );
  });

  it('counts the search list with its separating spaces against 2048 characters', () => {
    const label = 'a'.repeat(63);
    const name = [label, label, label, label.slice(0, 61)].join('.'); // 253 characters
    const eight = Array.from({ length: 8 }, () => name); // 8 × 253 + 7 spaces = 2031
    assert.deepEqual(withConfig({ searches: eight }), []);
    const errs = withConfig({ searches: [...eight, 'b'.repeat(16)] }); // 2031 + 1 + 16 = 2048
    assert.deepEqual(errs, []);
    const over = withConfig({ searches: [...eight, 'b'.repeat(17)] });
    assert.equal(over.length, 1);
    assert.match(
      over[0],
      /^spec\.dnsConfig\.searches: Invalid value: \[\]string\{.*\}: must not have more than 2048 characters \(including spaces\) in the search list$/,
    );
  });

  it('allows underscores, one trailing dot and a lone "."; reports the name without its trailing dot', () => {
    assert.deepEqual(withConfig({ searches: ['_srv._tcp.example.com', 'example.com.', '.', 'a_b.c'] }), []);
    assert.deepEqual(withConfig({ searches: ['Example.com.', 'a..', '-a.com', '', '..'] }), [
      `spec.dnsConfig.searches[0]: Invalid value: "Example.com": ${RELAXED_SUBDOMAIN_MSG}`,
      `spec.dnsConfig.searches[1]: Invalid value: "a.": ${RELAXED_SUBDOMAIN_MSG}`,
      `spec.dnsConfig.searches[2]: Invalid value: "-a.com": ${RELAXED_SUBDOMAIN_MSG}`,
      `spec.dnsConfig.searches[3]: Invalid value: "": ${RELAXED_SUBDOMAIN_MSG}`,
      `spec.dnsConfig.searches[4]: Invalid value: ".": ${RELAXED_SUBDOMAIN_MSG}`,
    ]);
  });

  it('an option needs a name; its value is free', () => {
    assert.deepEqual(withConfig({ options: [{ name: 'ndots', value: '2' }, { value: '1' }] }), [
      'spec.dnsConfig.options[1]: Required value: must not be empty',
    ]);
  });
});

describe('isDns1123SubdomainWithUnderscore', () => {
  it('lets a label start with one underscore and hold more inside, not end with one', () => {
    assert.deepEqual(isDns1123SubdomainWithUnderscore('_a_b.c'), []);
    assert.deepEqual(isDns1123SubdomainWithUnderscore('__a'), [RELAXED_SUBDOMAIN_MSG]);
    assert.deepEqual(isDns1123SubdomainWithUnderscore('a_'), [RELAXED_SUBDOMAIN_MSG]);
  });

  it('limits the name to 253 bytes', () => {
    assert.deepEqual(isDns1123SubdomainWithUnderscore('a'.repeat(254)), ['must be no more than 253 characters']);
  });
});
