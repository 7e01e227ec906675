/**
 * A small certificate authority for the API server (what kubeadm's `certs` phase makes): a
 * self-signed CA, the serving certificate it signs for the API server's names, and client
 * certificates whose subject is a user (CN the name, O the groups, as kube-apiserver's x509
 * authenticator reads them). ECDSA P-256 through WebCrypto: a key pair and a signature take
 * milliseconds, where RSA 2048 key generation takes tens to hundreds. Everything is PEM.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  PemConverter,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
  type JsonName,
} from '@peculiar/x509';
import type { SubjectAltNames } from './serving-names.js';

/** A certificate and its private key (PKCS #8), both PEM. */
export interface KeyPairPem {
  cert: string;
  key: string;
}

const ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 3600 * 1000;
/** kubeadm's lifetimes: ten years for the CA, one for what it signs. */
export const CA_LIFETIME_MS = 3650 * DAY_MS;
export const LEAF_LIFETIME_MS = 365 * DAY_MS;
/** Backdating, so that a peer whose clock is a little behind accepts a certificate made just now. */
const BACKDATE_MS = 5 * 60 * 1000;

const subtle = (): webcrypto.SubtleCrypto => webcrypto.subtle;

function newKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return subtle().generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  return PemConverter.encode(await subtle().exportKey('pkcs8', key), 'PRIVATE KEY');
}

function validity(now: number, lifetime: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + lifetime) };
}

/** A fresh serial number: 16 random bytes, the top bit clear so it stays positive. */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0] & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** The self-signed cluster CA, CN `kubernetes` as kubeadm names it. */
export async function createCertificateAuthority(now = Date.now(), commonName = 'kubernetes'): Promise<KeyPairPem> {
  const keys = await newKeyPair();
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [commonName] }],
    ...validity(now, CA_LIFETIME_MS),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new BasicConstraintsExtension(true, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

interface LeafRequest {
  subject: JsonName;
  usage: 'server' | 'client';
  names?: SubjectAltNames;
  now: number;
}

async function issue(ca: KeyPairPem, req: LeafRequest): Promise<KeyPairPem> {
  const caCert = new X509Certificate(ca.cert);
  const caKey = await subtle().importKey('pkcs8', PemConverter.decodeFirst(ca.key), ALGORITHM, false, ['sign']);
  const keys = await newKeyPair();
  const extensions: Extension[] = [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment, true),
    new ExtendedKeyUsageExtension([req.usage === 'server' ? ExtendedKeyUsage.serverAuth : ExtendedKeyUsage.clientAuth]),
    await AuthorityKeyIdentifierExtension.create(caCert, false),
  ];
  if (req.names) {
    const general = [
      ...req.names.dns.map((value) => ({ type: 'dns' as const, value })),
      ...req.names.ips.map((value) => ({ type: 'ip' as const, value })),
    ];
    extensions.push(new SubjectAlternativeNameExtension(general));
  }
  const cert = await X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: req.subject,
    issuer: caCert.subjectName.toJSON(),
    ...validity(req.now, LEAF_LIFETIME_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

/** The API server's serving certificate (CN `kube-apiserver`, as kubeadm's) for these names. */
export function issueServingCertificate(ca: KeyPairPem, names: SubjectAltNames, now = Date.now()): Promise<KeyPairPem> {
  return issue(ca, { subject: [{ CN: ['kube-apiserver'] }], usage: 'server', names, now });
}

/** A client certificate for a user: CN the user name, one O per group (kube-apiserver's x509 user mapping). */
export function issueClientCertificate(
  ca: KeyPairPem,
  username: string,
  groups: readonly string[] = [],
  now = Date.now(),
): Promise<KeyPairPem> {
  const subject: JsonName = [...groups.map((g) => ({ O: [g] })), { CN: [username] }];
  return issue(ca, { subject, usage: 'client', now });
}
