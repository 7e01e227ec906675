/**
 * Service account tokens as kube-apiserver's JWT token authenticator reads them: a token of this
 * issuer (by its `iss`, else it is someone else's) must verify (signature, audience, expiry), and
 * the account and the object it is bound to must still exist with the uids it names and not have
 * been deleted over a minute ago (pkg/serviceaccount's validator). The user is the account's, with
 * the pod, node and token id in its extra, as upstream's ServiceAccountInfo.UserInfo.
 */
import { decodeJwt } from 'jose';
import type { KubeObject } from '../../apimachinery/object.js';
import type { UserInfo } from '../../apimachinery/user-info.js';
import type { ClusterReader } from '../../registry/resource-definition.js';
import type { TokenIssuer } from './token-issuer.js';
import { API_AUDIENCES, SERVICE_ACCOUNT_ISSUER } from './token-request.js';

const EXTRA = 'authentication.kubernetes.io/';
/** An object deleted longer ago than this no longer backs a token (upstream's 60 s). */
const DELETION_GRACE_MS = 60_000;

export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

/** The user name of a service account (serviceaccount.MakeUsername). */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Undefined: not a token of this issuer; `error`: it is, but it does not hold. */
export type TokenAuthentication = { user: UserInfo } | { error: string } | undefined;

interface Ref {
  name?: unknown;
  uid?: unknown;
}

interface KubernetesClaims {
  namespace?: unknown;
  serviceaccount?: Ref;
  pod?: Ref;
  secret?: Ref;
  node?: Ref;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The object a claim names, or why it no longer backs the token. */
function live(
  cluster: Pick<ClusterReader, 'get'>,
  plural: string,
  namespace: string | undefined,
  ref: Ref,
  what: string,
  now: number,
): KubeObject | string {
  const obj = cluster.get(plural, namespace, text(ref.name));
  if (!obj) return `${what} ${text(ref.name)} not found`;
  if (text(ref.uid) && obj.metadata.uid !== ref.uid) return `${what} UID (${obj.metadata.uid}) does not match claim (${text(ref.uid)})`;
  const deleted = obj.metadata.deletionTimestamp ? Date.parse(obj.metadata.deletionTimestamp) : undefined;
  if (deleted !== undefined && deleted < now - DELETION_GRACE_MS) return `${what} ${text(ref.name)} has been deleted`;
  return obj;
}

export async function authenticateServiceAccountToken(
  token: string,
  issuer: TokenIssuer,
  cluster: Pick<ClusterReader, 'get'>,
  now: number,
): Promise<TokenAuthentication> {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    return undefined;
  }
  if (iss !== SERVICE_ACCOUNT_ISSUER) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = await issuer.verify(token, SERVICE_ACCOUNT_ISSUER, API_AUDIENCES, now);
  } catch (err) {
    return { error: (err as Error).message };
  }
  const k = (claims['kubernetes.io'] ?? {}) as KubernetesClaims;
  const namespace = text(k.namespace);
  if (!namespace || !k.serviceaccount) return { error: 'service account token claims are incomplete' };
  const account = live(cluster, 'serviceaccounts', namespace, k.serviceaccount, 'ServiceAccount', now);
  if (typeof account === 'string') return { error: account };
  const extra: Record<string, string[]> = {};
  for (const [key, plural, scope, what] of [
    ['pod', 'pods', namespace, 'Pod'],
    ['secret', 'secrets', namespace, 'Secret'],
    ['node', 'nodes', undefined, 'Node'],
  ] as const) {
    const ref = k[key];
    if (!ref) continue;
    // A pod-bound token names the pod's node, which may be gone without invalidating it.
    if (key === 'node' && k.pod) {
      extra[`${EXTRA}node-name`] = [text(ref.name)];
      if (text(ref.uid)) extra[`${EXTRA}node-uid`] = [text(ref.uid)];
      continue;
    }
    const obj = live(cluster, plural, scope, ref, what, now);
    if (typeof obj === 'string') return { error: obj };
    if (key === 'pod') {
      extra[`${EXTRA}pod-name`] = [text(ref.name)];
      extra[`${EXTRA}pod-uid`] = [text(ref.uid)];
    }
    if (key === 'node') {
      extra[`${EXTRA}node-name`] = [text(ref.name)];
      if (text(ref.uid)) extra[`${EXTRA}node-uid`] = [text(ref.uid)];
    }
  }
  if (text(claims.jti)) extra[`${EXTRA}credential-id`] = [`JTI=${text(claims.jti)}`];
  const name = text(k.serviceaccount.name);
  const user: UserInfo = {
    username: serviceAccountUsername(namespace, name),
    uid: account.metadata.uid,
    groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`],
  };
  if (Object.keys(extra).length) user.extra = Object.fromEntries(Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { user };
}
