/**
 * What the server needs to serve TLS and authenticate, from the settings the CLI and the library
 * share: the certificates (src/control/pki.ts), the static tokens, and the admin's credentials for
 * the kubeconfig kubemock writes (a client certificate, CN `kubernetes-admin` in `system:masters`,
 * as kubeadm's admin.conf has).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { formatIPv4, type Ipv4Cidr } from './apimachinery/ipv4.js';
import { SYSTEM_MASTERS, type UserInfo } from './apimachinery/user-info.js';
import type { KubeconfigOptions } from './kubeconfig.js';
import { parseTokenFile } from './http/auth/token-file.js';
import { DEFAULT_SERVICE_NETWORK } from './registry/service-network.js';
import { loadPki, type ServerPki } from './control/pki.js';

export const ADMIN_USER = 'kubernetes-admin';

export interface SecureServingOptions {
  tls?: boolean;
  auth?: boolean;
  db: string;
  host: string;
  serviceClusterIPRange?: Ipv4Cidr;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  tokenAuthFile?: string;
}

export interface SecureServing {
  /** The certificates, when serving TLS. */
  pki?: ServerPki;
  /** What buildApp takes for them. */
  tls?: { cert: string; key: string; serverCa: string; clientCa: string };
  authentication?: { tokens?: ReadonlyMap<string, UserInfo> };
}

/** Certificates (made or read) and tokens (read) for these settings; nothing at all while both switches are off. */
export async function secureServing(opts: SecureServingOptions): Promise<SecureServing> {
  const tls = opts.tls || !!opts.tlsCertFile;
  if (!tls && !opts.auth) return {};
  const tokens = opts.tokenAuthFile ? parseTokenFile(await readFile(opts.tokenAuthFile, 'utf8'), opts.tokenAuthFile) : undefined;
  const authentication = tokens ? { tokens } : {};
  if (!tls) return { authentication };
  const range = opts.serviceClusterIPRange ?? DEFAULT_SERVICE_NETWORK.clusterIPRange;
  const pki = await loadPki({ ...opts, serviceIP: formatIPv4(range.network + 1) });
  return { pki, tls: { cert: pki.serving.cert, key: pki.serving.key, serverCa: pki.serverCa, clientCa: pki.clientCa }, authentication };
}

/** The kubeconfig options of a user with a client certificate from kubemock's CA (none when the client CA is not kubemock's). */
export async function certificateKubeconfig(pki: ServerPki, username: string, groups: readonly string[]): Promise<KubeconfigOptions> {
  const opts: KubeconfigOptions = { certificateAuthority: pki.serverCa };
  if (!pki.issueClientCertificate) return opts;
  const pair = await pki.issueClientCertificate(username, groups);
  return { ...opts, credentials: { clientCertificate: pair.cert, clientKey: pair.key } };
}

/** The admin kubeconfig's options: kubernetes-admin in system:masters. */
export function adminKubeconfig(pki: ServerPki): Promise<KubeconfigOptions> {
  return certificateKubeconfig(pki, ADMIN_USER, [SYSTEM_MASTERS]);
}

/** Who the dashboard acts as when authentication is on. */
export const DASHBOARD_USER = 'kubemock-dashboard';

/**
 * With authentication on, a bearer token for the dashboard, made afresh at each start (valid while
 * this process runs): user kubemock-dashboard in system:masters, as the admin. The banner gives it
 * in the dashboard URL's fragment, which the browser never sends; the page sends it as a bearer
 * token, as Kubernetes Dashboard's token login does.
 */
export function withDashboardToken(secure: SecureServing): { secure: SecureServing; token?: string } {
  if (!secure.authentication) return { secure };
  const token = randomBytes(32).toString('base64url');
  const tokens = new Map(secure.authentication.tokens ?? []);
  tokens.set(token, { username: DASHBOARD_USER, groups: [SYSTEM_MASTERS] });
  return { secure: { ...secure, authentication: { ...secure.authentication, tokens } }, token };
}
