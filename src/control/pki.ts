/**
 * The API server's certificates: the serving pair and the CA bundles, either from the files given
 * (kube-apiserver's --tls-cert-file, --tls-private-key-file, --client-ca-file) or made by kubemock's
 * own CA. That CA and the serving pair it signs are kept beside the database (`<db>.pki/`, keys
 * mode 0600) and reused on the next start while the serving certificate still covers the names
 * and is not about to expire; with `:memory:` they live as long as the process.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyPairPem } from '../apimachinery/pki/certificates.js';
import { servingNames, type SubjectAltNames } from '../apimachinery/pki/serving-names.js';

export interface PkiOptions {
  /** The database path: the generated CA is kept in `<db>.pki/` unless it is ':memory:'. */
  db: string;
  /** The host the server listens on (a SAN of the serving certificate). */
  host: string;
  /** The `kubernetes` Service's cluster IP (a SAN too). */
  serviceIP: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
}

export interface ServerPki {
  /** The serving certificate (with any chain) and its key. */
  serving: KeyPairPem;
  /** What clients verify the server with: the kubeconfig's certificate-authority-data, kube-root-ca.crt. */
  serverCa: string;
  /** What client certificates are verified against. */
  clientCa: string;
  /** Issues a client certificate (CN the user, O the groups); undefined when the client CA's key is not kubemock's. */
  issueClientCertificate?(username: string, groups: readonly string[]): Promise<KeyPairPem>;
}

/**
 * The certificate module, loaded on first use: @peculiar/x509 takes longer to import than kubemock
 * takes to start, so a server that makes no certificate never loads it.
 */
const certificates = () => import('../apimachinery/pki/certificates.js');

/** A cached serving certificate is replaced this long before it expires. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

function covers(certPem: string, ca: string, names: SubjectAltNames, now: number): boolean {
  try {
    const cert = new X509Certificate(certPem);
    return (
      cert.verify(new X509Certificate(ca).publicKey) &&
      Date.parse(cert.validTo) - RENEW_BEFORE_MS > now &&
      names.dns.every((n) => cert.checkHost(n, { wildcards: false }) !== undefined) &&
      names.ips.every((ip) => cert.checkIP(ip) !== undefined)
    );
  } catch {
    return false;
  }
}

async function readPair(dir: string, name: string): Promise<KeyPairPem | undefined> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  if (!existsSync(cert) || !existsSync(key)) return undefined;
  return { cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8') };
}

async function writePair(dir: string, name: string, pair: KeyPairPem): Promise<void> {
  await writeFile(join(dir, `${name}.key`), pair.key, { mode: 0o600 });
  await writeFile(join(dir, `${name}.crt`), pair.cert);
}

/** kubemock's CA and a serving pair it signed, from `dir` when there, else made (and written when dir is set). */
async function generatedPki(
  dir: string | undefined,
  names: SubjectAltNames,
  now: number,
): Promise<{ ca: KeyPairPem; serving: KeyPairPem }> {
  if (dir) await mkdir(dir, { recursive: true, mode: 0o700 });
  let ca = dir ? await readPair(dir, 'ca') : undefined;
  if (!ca) {
    ca = await (await certificates()).createCertificateAuthority(now);
    if (dir) await writePair(dir, 'ca', ca);
  }
  let serving = dir ? await readPair(dir, 'apiserver') : undefined;
  if (!serving || !covers(serving.cert, ca.cert, names, now)) {
    serving = await (await certificates()).issueServingCertificate(ca, names, now);
    if (dir) await writePair(dir, 'apiserver', serving);
  }
  return { ca, serving };
}

export async function loadPki(opts: PkiOptions, now = Date.now()): Promise<ServerPki> {
  if (!!opts.tlsCertFile !== !!opts.tlsPrivateKeyFile) throw new Error('--tls-cert-file and --tls-private-key-file go together');
  const given = opts.tlsCertFile && opts.tlsPrivateKeyFile;
  const givenClientCa = opts.clientCaFile ? await readFile(opts.clientCaFile, 'utf8') : undefined;
  const needOwnCa = !given || !givenClientCa;
  const own = needOwnCa
    ? await generatedPki(opts.db === ':memory:' ? undefined : `${opts.db}.pki`, servingNames(opts.host, opts.serviceIP), now)
    : undefined;
  const serving = given
    ? { cert: await readFile(opts.tlsCertFile!, 'utf8'), key: await readFile(opts.tlsPrivateKeyFile!, 'utf8') }
    : own!.serving;
  // A given serving certificate is its own trust anchor (Go trusts a leaf found among the roots).
  const serverCa = given ? serving.cert : own!.ca.cert;
  const ca = own?.ca;
  return {
    serving,
    serverCa,
    clientCa: givenClientCa ?? ca!.cert,
    issueClientCertificate:
      givenClientCa || !ca ? undefined : async (username, groups) => (await certificates()).issueClientCertificate(ca, username, groups),
  };
}
