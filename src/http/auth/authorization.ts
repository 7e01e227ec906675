/**
 * Authorization of every request, after authentication (an earlier onRequest hook) has set
 * request.user: impersonation headers first (which may replace the user), then the authorizer's
 * decision on the request's attributes; a denied request ends in upstream's 403 Status. Members of
 * system:masters (the unsecured user while authentication is off) pass without any look-up.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbiddenRequest, type Authorizer } from '../../apimachinery/authorization.js';
import { isPrivileged } from '../../apimachinery/user-info.js';
import { asksToImpersonate, impersonatedUser } from './impersonation.js';
import { requestAttributes } from './request-attributes.js';

/**
 * `isPublic`: requests every user may make whoever they are (the dashboard's page and scripts,
 * which hold no cluster data: the page then reads the cluster with the credentials it is given).
 */
export function registerAuthorization(
  fastify: FastifyInstance,
  authorizer: Authorizer,
  isPublic?: (request: FastifyRequest) => boolean,
): void {
  // A callback hook, not an async one: no promise per request on the path every request takes.
  fastify.addHook('onRequest', (request, _reply, done) => {
    try {
      if (asksToImpersonate(request.headers)) request.user = impersonatedUser(request.user, request.raw.rawHeaders, authorizer);
      const user = request.user;
      if (!isPrivileged(user) && !isPublic?.(request)) {
        const attrs = requestAttributes(request.method, request.url, user);
        const decision = authorizer.authorize(attrs);
        if (!decision.allowed) throw forbiddenRequest(attrs, decision.reason);
      }
      done();
    } catch (e) {
      done(e as Error);
    }
  });
}
