/**
 * The check behind a kubernetes.io/tls Secret's create and update warnings: upstream loads tls.crt
 * and tls.key as Go's tls.X509KeyPair does and warns with its error. Same order of checks and the
 * same error texts: PEM blocks, the first certificate, the private key, then whether they match.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

interface PemBlock {
  type: string;
  der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([^\r\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;
const PEM_HEADER = /^[^:\r\n]+:[^\r\n]*$/;

/** The PEM blocks of a text in order, as Go's pem.Decode finds them one after the other (headers skipped). */
function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const lines = m[2].split(/\r?\n/).filter((l) => l.trim() !== '' && !PEM_HEADER.test(l));
    const body = lines.join('');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) continue;
    blocks.push({ type: m[1], der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

const goList = (types: string[]) => `[${types.join(' ')}]`;

/** Go's parsePrivateKey: PKCS #1, then PKCS #8, then SEC 1, whatever the block's type says. */
function parsePrivateKey(der: Buffer): KeyObject | undefined {
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}

/** The error tls.X509KeyPair would give for this certificate and key, or undefined when they load. */
export function x509KeyPairError(certPem: Buffer, keyPem: Buffer): string | undefined {
  const certBlocks = pemBlocks(certPem.toString('latin1'));
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (!certs.length) {
    const skipped = certBlocks.map((b) => b.type);
    if (!skipped.length) return 'tls: failed to find any PEM data in certificate input';
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) {
      return 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched';
    }
    return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ${goList(skipped)}`;
  }
  const keyBlocks = pemBlocks(keyPem.toString('latin1'));
  const keyIndex = keyBlocks.findIndex((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'));
  if (keyIndex < 0) {
    const skipped = keyBlocks.map((b) => b.type);
    if (!skipped.length) return 'tls: failed to find any PEM data in key input';
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE')
      return 'tls: found a certificate rather than a key in the PEM for the private key';
    return `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ${goList(skipped)}`;
  }
  let publicKey: KeyObject;
  try {
    publicKey = new X509Certificate(certs[0].der).publicKey;
  } catch {
    return 'x509: malformed certificate';
  }
  const privateKey = parsePrivateKey(keyBlocks[keyIndex].der);
  if (!privateKey) return 'tls: failed to parse private key';
  if (privateKey.asymmetricKeyType !== publicKey.asymmetricKeyType) return 'tls: private key type does not match public key type';
  const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  if (!derived.equals(publicKey.export({ format: 'der', type: 'spki' }))) return 'tls: private key does not match public key';
  return undefined;
}
