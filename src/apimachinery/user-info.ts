/**
 * Who a request acts as (k8s.io/apiserver's user.Info): the authenticator's answer, replaced by the
 * impersonated user when Impersonate-* headers are allowed, and what authorization and
 * managedFields' default manager read.
 */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The well-known groups and users of k8s.io/apiserver/pkg/authentication/user. */
export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';

/**
 * The user of a request when authentication is off: every request acts as a member of
 * system:masters, as kube-apiserver's old insecure port did (user "system:unsecured").
 */
export const UNSECURED_USER: UserInfo = Object.freeze({
  username: 'system:unsecured',
  groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED],
});

/** Whether the user is a member of system:masters, whom authorization allows everything without a look-up. */
export const isPrivileged = (user: UserInfo): boolean => user.groups.includes(SYSTEM_MASTERS);
