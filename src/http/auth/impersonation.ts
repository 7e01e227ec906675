/**
 * Impersonation (k8s.io/apiserver's WithImpersonation filter): `Impersonate-User`, `-Group`
 * (repeatable), `-Uid` and `Impersonate-Extra-<key>` ask to act as another user. The requester needs
 * the verb `impersonate` on each part (users, serviceaccounts for system:serviceaccount:<ns>:<name>,
 * groups, uids, userextras/<key>), checked before anything else; the impersonated user then replaces
 * request.user, with system:authenticated added (system:unauthenticated for system:anonymous).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { attributes, forbiddenRequest, type Attributes, type Authorizer } from '../../apimachinery/authorization.js';
import { internalError } from '../../apimachinery/status.js';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS, type UserInfo } from '../../apimachinery/user-info.js';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** Every value of each header, as sent (Node joins repeated headers; rawHeaders keeps them apart). */
function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (!name.startsWith('impersonate-')) continue;
    out.set(name, [...(out.get(name) ?? []), rawHeaders[i + 1]]);
  }
  return out;
}

/** Whether a request asks to impersonate (cheap: no impersonation header, nothing to do). */
export function asksToImpersonate(headers: IncomingHttpHeaders): boolean {
  for (const name in headers) if (name.startsWith('impersonate-')) return true;
  return false;
}

/** serviceaccount.SplitUsername: namespace and name of system:serviceaccount:<ns>:<name>. */
function serviceAccountOf(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/**
 * The user a request acts as after its impersonation headers; throws the 403 of the first part the
 * requester may not impersonate.
 */
export function impersonatedUser(requester: UserInfo, rawHeaders: readonly string[], authorizer: Authorizer): UserInfo {
  const headers = headerValues(rawHeaders);
  const username = headers.get(USER)?.[0] ?? '';
  const groups = headers.get(GROUP) ?? [];
  const uid = headers.get(UID)?.[0];
  const extra: Record<string, string[]> = {};
  for (const [name, values] of headers) {
    if (!name.startsWith(EXTRA_PREFIX)) continue;
    const key = decodeURIComponentSafe(name.slice(EXTRA_PREFIX.length));
    extra[key] = [...(extra[key] ?? []), ...values];
  }
  const hasExtra = Object.keys(extra).length > 0;
  if (!username) {
    if (groups.length || hasExtra || uid !== undefined) {
      throw internalError('requested impersonation of groups, extra or uid without impersonating a user');
    }
    return requester;
  }

  const check = (parts: Partial<Omit<Attributes, 'user' | 'verb'>>) => {
    const attrs = attributes(requester, 'impersonate', { resourceRequest: true, ...parts });
    const decision = authorizer.authorize(attrs);
    if (!decision.allowed) throw forbiddenRequest(attrs, decision.reason);
  };
  const account = serviceAccountOf(username);
  const impersonatedGroups = [...groups];
  if (account) {
    check({ resource: 'serviceaccounts', namespace: account.namespace, name: account.name, apiVersion: 'v1' });
    // A service account's groups are known: they come with it unless groups were asked for.
    if (!groups.length) impersonatedGroups.push('system:serviceaccounts', `system:serviceaccounts:${account.namespace}`);
  } else {
    check({ apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'users', name: username });
  }
  for (const group of groups) check({ apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'groups', name: group });
  for (const [key, values] of Object.entries(extra)) {
    for (const value of values)
      check({ apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'userextras', subresource: key, name: value });
  }
  if (uid !== undefined) check({ apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'uids', name: uid });

  if (username === ANONYMOUS) {
    if (!impersonatedGroups.includes(ALL_UNAUTHENTICATED)) impersonatedGroups.push(ALL_UNAUTHENTICATED);
  } else if (!impersonatedGroups.includes(ALL_AUTHENTICATED) && !impersonatedGroups.includes(ALL_UNAUTHENTICATED)) {
    impersonatedGroups.push(ALL_AUTHENTICATED);
  }
  const user: UserInfo = { username, groups: impersonatedGroups };
  if (uid !== undefined) user.uid = uid;
  if (hasExtra) user.extra = extra;
  return user;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
