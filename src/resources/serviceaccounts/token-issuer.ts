/**
 * The service account token signer (upstream's JWT token generator with the key of
 * --service-account-signing-key-file): one RSA key per app, made on the first token, and tokens
 * signed RS256 with the key id upstream derives from the public key (unpadded base64url of the
 * SHA-256 of its DER SubjectPublicKeyInfo).
 */
import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { CompactSign, jwtVerify, type JWTPayload } from 'jose';

interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

const generateRsa = promisify(generateKeyPair);

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, kid: createHash('sha256').update(der).digest('base64url') };
}

export class TokenIssuer {
  private key?: Promise<SigningKey>;

  private signingKey(): Promise<SigningKey> {
    this.key ??= newSigningKey();
    return this.key;
  }

  /** A compact JWS of `claims` (serialised in their key order). */
  async sign(claims: Record<string, unknown>): Promise<string> {
    const key = await this.signingKey();
    return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .sign(key.privateKey);
  }

  /**
   * The claims of a token this issuer signed, checked for signature, `iss` and an audience among
   * `audiences`, and for `exp` and `nbf` at `now` (ms) with upstream's minute of leeway; throws otherwise.
   * Before the first token there is no key, so nothing verifies (and no key is made for it).
   */
  async verify(token: string, issuer: string, audiences: string[], now: number): Promise<JWTPayload> {
    if (!this.key) throw new Error('no service account token has been issued');
    const { payload } = await jwtVerify(token, (await this.key).publicKey, {
      algorithms: ['RS256'],
      issuer,
      audience: audiences,
      currentDate: new Date(now),
      clockTolerance: 60,
    });
    return payload;
  }

  /** The public key tokens verify with (what the issuer's JWKS would publish). */
  async publicKey(): Promise<KeyObject> {
    return (await this.signingKey()).publicKey;
  }
}
