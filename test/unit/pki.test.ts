/** kubemock's CA: serving certificate names, client certificate subjects, and the CA kept beside the database. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueClientCertificate, issueServingCertificate } from '../../src/apimachinery/pki/certificates.js';
import { servingNames } from '../../src/apimachinery/pki/serving-names.js';
import { loadPki } from '../../src/control/pki.js';

const SERVICE_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

describe('servingNames', () => {
  it('names loopback, the in-cluster service names, its cluster IP and the listen host', () => {
    assert.deepEqual(servingNames('127.0.0.1', '10.96.0.1'), {
      dns: [...SERVICE_NAMES, 'localhost'].sort(),
      ips: ['10.96.0.1', '127.0.0.1', '::1'],
    });
    assert.deepEqual(servingNames('My-Host.example', '10.0.0.1').dns, [...SERVICE_NAMES, 'localhost', 'my-host.example'].sort());
    assert.ok(servingNames('[fd00::5]', '10.96.0.1').ips.includes('fd00::5'));
    for (const wildcard of ['0.0.0.0', '::']) assert.deepEqual(servingNames(wildcard, '10.96.0.1'), servingNames('127.0.0.1', '10.96.0.1'));
  });
});

describe('certificates', () => {
  it('a CA signs a serving certificate for every name and a client certificate whose CN is the user and O each group', async () => {
    const ca = await createCertificateAuthority();
    const caCert = new X509Certificate(ca.cert);
    assert.equal(caCert.ca, true);
    assert.equal(caCert.subject, 'CN=kubernetes');

    const serving = new X509Certificate((await issueServingCertificate(ca, servingNames('kubemock.test', '10.96.0.1'))).cert);
    assert.ok(serving.verify(caCert.publicKey) && serving.checkIssued(caCert));
    assert.equal(serving.ca, false);
    for (const host of ['localhost', 'kubemock.test', ...SERVICE_NAMES]) assert.equal(serving.checkHost(host), host);
    for (const ip of ['127.0.0.1', '::1', '10.96.0.1']) assert.ok(serving.checkIP(ip), ip);
    assert.equal(serving.checkHost('elsewhere.test'), undefined);
    assert.deepEqual(serving.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'serverAuth');

    const client = new X509Certificate((await issueClientCertificate(ca, 'kubernetes-admin', ['system:masters', 'team:a'])).cert);
    assert.ok(client.verify(caCert.publicKey));
    assert.equal(client.subject, 'O=system:masters\nO=team:a\nCN=kubernetes-admin');
    assert.deepEqual(client.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'clientAuth');
  });
});

describe('loadPki', () => {
  it('keeps the CA and serving pair in <db>.pki/ and reuses them while they cover the host', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubemock-pki-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'k.db');
    const first = await loadPki({ db, host: '127.0.0.1', serviceIP: '10.96.0.1' });
    assert.equal(statSync(join(dir, 'k.db.pki', 'ca.key')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'k.db.pki', 'apiserver.key')).mode & 0o777, 0o600);
    assert.equal(first.clientCa, first.serverCa);
    const again = await loadPki({ db, host: '127.0.0.1', serviceIP: '10.96.0.1' });
    assert.equal(again.serverCa, first.serverCa);
    assert.equal(again.serving.cert, first.serving.cert, 'the serving certificate is reused');
    const moved = await loadPki({ db, host: 'elsewhere.test', serviceIP: '10.96.0.1' });
    assert.equal(moved.serverCa, first.serverCa, 'the CA stays');
    assert.notEqual(moved.serving.cert, first.serving.cert, 'a new serving certificate for the new host');
    assert.equal(new X509Certificate(moved.serving.cert).checkHost('elsewhere.test'), 'elsewhere.test');
    const pair = await moved.issueClientCertificate!('u', ['g']);
    assert.ok(new X509Certificate(pair.cert).verify(new X509Certificate(moved.serverCa).publicKey));
  });

  it('keeps nothing on disk for :memory:, and takes given serving and client CA files (then it issues no client certificates)', async (t) => {
    const memory = await loadPki({ db: ':memory:', host: '127.0.0.1', serviceIP: '10.96.0.1' });
    assert.ok(memory.issueClientCertificate);
    const dir = mkdtempSync(join(tmpdir(), 'kubemock-pki-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const ca = await createCertificateAuthority();
    const serving = await issueServingCertificate(ca, servingNames('127.0.0.1', '10.96.0.1'));
    writeFileSync(join(dir, 'tls.crt'), serving.cert);
    writeFileSync(join(dir, 'tls.key'), serving.key);
    writeFileSync(join(dir, 'client-ca.crt'), ca.cert);
    const given = await loadPki({
      db: join(dir, 'k.db'),
      host: '127.0.0.1',
      serviceIP: '10.96.0.1',
      tlsCertFile: join(dir, 'tls.crt'),
      tlsPrivateKeyFile: join(dir, 'tls.key'),
      clientCaFile: join(dir, 'client-ca.crt'),
    });
    assert.deepEqual(given.serving, serving);
    assert.equal(given.clientCa, ca.cert);
    assert.equal(given.serverCa, serving.cert, 'the given certificate is the kubeconfig trust anchor');
    assert.equal(given.issueClientCertificate, undefined);
  });
});
