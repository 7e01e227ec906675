/**
 * The user each request acts as, on the Fastify request. Authentication (an onRequest hook) sets it;
 * impersonation may replace it; authorization reads it. When authentication is off it stays the
 * unsecured user, a member of system:masters.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UNSECURED_USER, type UserInfo } from '../../apimachinery/user-info.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who this request acts as (after authentication and impersonation). */
    user: UserInfo;
  }
}

/** Where the getter keeps the user set on a request. */
type UserSlot = FastifyRequest & { _user?: UserInfo };

export function decorateRequestUser(fastify: FastifyInstance): void {
  fastify.decorateRequest('user', {
    getter(this: FastifyRequest): UserInfo {
      return (this as UserSlot)._user ?? UNSECURED_USER;
    },
    setter(this: FastifyRequest, value: UserInfo) {
      (this as UserSlot)._user = value;
    },
  });
}
