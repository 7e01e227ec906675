/**
 * Who sent a request, as kube-apiserver's union authenticator decides it: a client certificate
 * verified against the client CA (CN the user, O the groups), then a bearer token (the static
 * token file, then service account tokens). The first that succeeds wins; a credential that fails
 * with none succeeding answers 401 `Unauthorized` (a bad token is never taken for anonymous), and
 * a request without credentials is `system:anonymous` in `system:unauthenticated`. Authenticated
 * users get `system:authenticated` (upstream's AuthenticatedGroupAdder). An onRequest hook; what
 * it decides is `request.user`, which authorization reads after it.
 */
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../apimachinery/clock.js';
import { StatusError } from '../../apimachinery/status.js';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS, type UserInfo } from '../../apimachinery/user-info.js';
import type { ClusterReader } from '../../registry/resource-definition.js';
import { authenticateServiceAccountToken } from '../../resources/serviceaccounts/token-authenticator.js';
import type { TokenIssuer } from '../../resources/serviceaccounts/token-issuer.js';

export interface AuthenticationOptions {
  /** The users of --token-auth-file by token. */
  tokens?: ReadonlyMap<string, UserInfo>;
  /** Signs and verifies service account tokens. */
  issuer: TokenIssuer;
  /** The current objects, for the accounts and bound objects tokens name. */
  cluster: Pick<ClusterReader, 'get'>;
  clock: Clock;
}

export const ANONYMOUS_USER: UserInfo = Object.freeze({ username: ANONYMOUS, groups: [ALL_UNAUTHENTICATED] });

/** What one authenticator says: a user, "not mine" (undefined), or why the credential it owns fails. */
type Outcome = { user: UserInfo } | { error: string } | undefined;

/** The client certificate's user (upstream's x509 authenticator with CommonNameUserConversion). */
function clientCertificateUser(request: FastifyRequest): Outcome {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  if (!socket.authorized) return { error: `verifying certificate failed: ${String(socket.authorizationError)}` };
  const cn = cert.subject?.CN;
  const username = Array.isArray(cn) ? (cn[0] as string | undefined) : cn;
  if (!username) return undefined;
  const o = cert.subject.O;
  return { user: { username, groups: o === undefined ? [] : [o].flat() } };
}

/** The bearer token of the Authorization header (bearertoken.Authenticator): undefined when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  const auth = (header ?? '').trim();
  if (!auth) return undefined;
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

async function tokenUser(token: string, opts: AuthenticationOptions): Promise<Outcome> {
  const fromFile = opts.tokens?.get(token);
  if (fromFile) return { user: fromFile };
  const sa = await authenticateServiceAccountToken(token, opts.issuer, opts.cluster, opts.clock.now());
  // A bearer token no authenticator takes is an invalid one.
  return sa ?? { error: 'invalid bearer token' };
}

/** upstream's AuthenticatedGroupAdder: `system:authenticated` unless the user already has it or its opposite. */
function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(ALL_AUTHENTICATED) || user.groups.includes(ALL_UNAUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}

/** Who the request is, or a 401 StatusError. */
export async function authenticate(request: FastifyRequest, opts: AuthenticationOptions): Promise<UserInfo> {
  const errors: string[] = [];
  const cert = clientCertificateUser(request);
  if (cert && 'user' in cert) return withAuthenticatedGroup(cert.user);
  if (cert) errors.push(cert.error);
  const token = bearerToken(request.headers.authorization);
  if (token !== undefined) {
    const outcome = await tokenUser(token, opts);
    if (outcome && 'user' in outcome) return withAuthenticatedGroup(outcome.user);
    if (outcome) errors.push(outcome.error);
  }
  if (errors.length) {
    request.log.debug({ errors }, 'unable to authenticate the request');
    throw new StatusError(401, 'Unauthorized', 'Unauthorized');
  }
  return ANONYMOUS_USER;
}

/** Authenticates every request before anything else reads it. */
export function registerAuthentication(fastify: FastifyInstance, opts: AuthenticationOptions): void {
  fastify.addHook('onRequest', async (request) => {
    request.user = await authenticate(request, opts);
  });
}
