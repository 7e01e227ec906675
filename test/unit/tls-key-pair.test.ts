/** tls.X509KeyPair's checks, in its order and words: what a kubernetes.io/tls Secret is warned with. */
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { x509KeyPairError } from '../../src/resources/secrets/tls-key-pair.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
const CERT = fixture('tls.crt');
const KEY = fixture('tls.key');
const pem = (text: string) => Buffer.from(text);

describe('x509KeyPairError', () => {
  it('accepts a certificate with its own key (PKCS #8 or PKCS #1 encoded)', () => {
    assert.equal(x509KeyPairError(CERT, KEY), undefined);
    const pkcs1 = createPrivateKey(KEY).export({ format: 'pem', type: 'pkcs1' });
    assert.match(String(pkcs1), /BEGIN RSA PRIVATE KEY/);
    assert.equal(x509KeyPairError(CERT, pem(String(pkcs1))), undefined);
  });

  it('reports missing and switched PEM input as Go does', () => {
    assert.equal(x509KeyPairError(pem(''), KEY), 'tls: failed to find any PEM data in certificate input');
    assert.equal(x509KeyPairError(pem('not pem'), KEY), 'tls: failed to find any PEM data in certificate input');
    assert.equal(
      x509KeyPairError(KEY, CERT),
      'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    );
    const other = pem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    assert.equal(
      x509KeyPairError(other, KEY),
      'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [PUBLIC KEY]',
    );
    assert.equal(x509KeyPairError(CERT, pem('')), 'tls: failed to find any PEM data in key input');
    assert.equal(x509KeyPairError(CERT, CERT), 'tls: found a certificate rather than a key in the PEM for the private key');
    assert.equal(
      x509KeyPairError(CERT, Buffer.concat([other, CERT])),
      'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [PUBLIC KEY CERTIFICATE]',
    );
  });

  it('reports a key that does not belong to the certificate', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs1' });
    assert.equal(x509KeyPairError(CERT, pem(String(rsa))), 'tls: private key does not match public key');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' });
    assert.equal(x509KeyPairError(CERT, pem(String(ec))), 'tls: private key type does not match public key type');
    assert.equal(
      x509KeyPairError(CERT, pem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')),
      'tls: failed to parse private key',
    );
    assert.equal(
      x509KeyPairError(pem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), KEY),
      'x509: malformed certificate',
    );
  });
});
