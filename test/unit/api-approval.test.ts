/**
 * The API review policy's pieces: which groups are protected, Go's url.ParseRequestURI deciding
 * what is a URL, and the state and sentence an approval annotation gives.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestUri } from '../../src/apimachinery/go-url.js';
import { apiApprovalState, isProtectedCommunityGroup } from '../../src/resources/customresourcedefinitions/api-approval.js';

describe('isProtectedCommunityGroup', () => {
  it('protects k8s.io, kubernetes.io and their subdomains, nothing that only ends alike', () => {
    for (const group of ['k8s.io', 'kubernetes.io', 'gateway.networking.k8s.io', 'snapshot.storage.k8s.io', 'x.kubernetes.io']) {
      assert.equal(isProtectedCommunityGroup(group), true, group);
    }
    for (const group of ['notk8s.io', 'xkubernetes.io', 'k8s.io.example.com', 'example.com', 'k8s-io', '']) {
      assert.equal(isProtectedCommunityGroup(group), false, group);
    }
  });
});

describe('parseRequestUri (Go url.ParseRequestURI)', () => {
  it('gives the scheme (lower-cased) and the host of absolute URIs', () => {
    const cases: [string, { scheme: string; host: string }][] = [
      ['https://github.com/kubernetes/enhancements/pull/1111', { scheme: 'https', host: 'github.com' }],
      ['HTTPS://Example.com', { scheme: 'https', host: 'Example.com' }],
      ['http://example.com:8080/x?y#z', { scheme: 'http', host: 'example.com:8080' }],
      ['http://example.com/x#frag', { scheme: 'http', host: 'example.com' }],
      ['http://example.com?x', { scheme: 'http', host: 'example.com' }],
      ['http://user:p%41ss@example.com/', { scheme: 'http', host: 'example.com' }],
      ['http://[::1]:80/', { scheme: 'http', host: '[::1]:80' }],
      ['http://[fe80::1%25en0]/', { scheme: 'http', host: '[fe80::1%25en0]' }],
      ['http://%C3%A9.example/', { scheme: 'http', host: '%C3%A9.example' }],
      // A port alone is a host to Go.
      ['http://:80/', { scheme: 'http', host: ':80' }],
    ];
    for (const [raw, want] of cases) assert.deepEqual(parseRequestUri(raw), want, raw);
  });

  it('parses without a host: an empty authority, an opaque URI, an absolute path, *', () => {
    assert.deepEqual(parseRequestUri('http:///path'), { scheme: 'http', host: '' });
    assert.deepEqual(parseRequestUri('mailto:someone@example.com'), { scheme: 'mailto', host: '' });
    assert.deepEqual(parseRequestUri('/just/a/path'), { scheme: '', host: '' });
    assert.deepEqual(parseRequestUri('*'), { scheme: '', host: '' });
  });

  it('refuses what Go refuses', () => {
    const refused = [
      '',
      'github.com/kubernetes/enhancements/pull/1111',
      ':foo',
      '1http://example.com/',
      'http://example.com#frag',
      'http://exa mple.com/',
      'http://ex%41mple.com/',
      'http://example.com:80a/',
      'http://[::1/',
      'http://[::1]x/',
      'http://[fe80::1%25%C3%A9]/',
      'http://us er@example.com/',
      'http://user:pa%zz@example.com/',
      'http://example.com/%zz',
      'http://example.com/\x01',
      'http://example.com/\x7f',
    ];
    for (const raw of refused) assert.equal(parseRequestUri(raw), undefined, JSON.stringify(raw));
  });
});

describe('apiApprovalState', () => {
  const state = (value?: string) => apiApprovalState(value === undefined ? undefined : { 'api-approved.kubernetes.io': value });
  const missing =
    'protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111';
  const invalid =
    'protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting ' +
    'with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111';

  it('is Missing without the annotation or with it empty', () => {
    assert.deepEqual(state(), { state: 'Missing', reason: missing });
    assert.deepEqual(apiApprovalState({ other: 'x' }), { state: 'Missing', reason: missing });
    assert.deepEqual(state(''), { state: 'Missing', reason: missing });
  });

  it('is Bypassed for any text starting with "unapproved" (case-sensitive), quoted as Go does', () => {
    assert.deepEqual(state('unapproved, experimental'), { state: 'Bypassed', reason: 'not approved: "unapproved, experimental"' });
    assert.deepEqual(state('unapprovedhttp://x'), { state: 'Bypassed', reason: 'not approved: "unapprovedhttp://x"' });
    assert.deepEqual(state('unapproved\ttab'), { state: 'Bypassed', reason: 'not approved: "unapproved\\ttab"' });
    assert.equal(state('Unapproved').state, 'Invalid');
    assert.equal(state(' unapproved').state, 'Invalid');
  });

  it('is Approved for a URL with a scheme and a host, Invalid for anything else', () => {
    assert.deepEqual(state('https://github.com/kubernetes/kubernetes/pull/1'), {
      state: 'Approved',
      reason: 'approved in https://github.com/kubernetes/kubernetes/pull/1',
    });
    assert.equal(state('ftp://host').state, 'Approved');
    for (const value of ['approved', 'github.com/x/y/pull/1', 'http:///pull/1', 'mailto:a@b.c', '/pull/1', 'https://h#x']) {
      assert.deepEqual(state(value), { state: 'Invalid', reason: invalid }, value);
    }
  });
});
