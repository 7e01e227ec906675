/**
 * The user each request acts as, on the Fastify request. Authentication (an onRequest hook) sets it;
 * impersonation may replace it; authorization reads it. When authentication is off it stays the
 * unsecured user, a member of system:masters.
 */
import type { FastifyInstance } from 'fastify';
import { UNSECURED_USER, type UserInfo } from '../../apimachinery/user-info.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who this request acts as (after authentication and impersonation). */
    user: UserInfo;
  }
}

export function decorateRequestUser(fastify: FastifyInstance): void {
  fastify.decorateRequest('user', {
    getter(this: { _user?: UserInfo }): UserInfo {
      return this._user ?? UNSECURED_USER;
    },
    setter(this: { _user?: UserInfo }, value: UserInfo) {
      this._user = value;
    },
  });
}
